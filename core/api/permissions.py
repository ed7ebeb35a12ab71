"""Permissions that read the account's roles in the committee of the request's domain."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from core import access


def committee_of(request):
    return getattr(request._request, "committee", None)


class IsCommitteeStaff(BasePermission):
    """Reading: staff of this committee, an admin above it, or the central auditor.
    Writing: staff of this committee with one of ``write_kinds`` (all staff if unset)."""

    write_kinds: tuple[str, ...] = ()

    def has_permission(self, request, view) -> bool:
        committee = committee_of(request)
        grant = access.access_to(request.user, committee)
        access.log_read_from_above(request, committee, grant)  # refused writes too
        if request.method in SAFE_METHODS:
            return grant.can_read
        kinds = getattr(view, "write_kinds", self.write_kinds)
        return grant.can_write and (not kinds or grant.has(*kinds))


class ReadOpenWriteStaff(IsCommitteeStaff):
    """Anyone may read what the portal publishes; only staff write."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().has_permission(request, view)


class IsCentralAdmin(BasePermission):
    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return access.is_central_reader(request.user)
        return access.is_central_admin(request.user)
