"""What an account may do in a committee, from its roles there and above.

- a staff role (cadre, expert, organisation member, admin) in a committee lets one work there;
- an admin of a committee also reads every committee below it (a province admin its subtree);
- the central auditor reads every committee and writes nothing, anywhere (``is_read_only``);
- the admin of the central committee onboards and manages committees.
Being a youth needs no role: every account is a youth on every portal.
"""

from __future__ import annotations

from dataclasses import dataclass

from tenants.models import Committee

from .models import AuditAccess, Role

STAFF_KINDS = frozenset({Role.Kind.CADRE, Role.Kind.EXPERT, Role.Kind.ORG_MEMBER, Role.Kind.ADMIN})


@dataclass(frozen=True)
class Access:
    kinds: frozenset[str]  # the account's own roles in the committee
    can_read: bool  # may see the committee's staff workbench
    can_write: bool  # may act there

    def has(self, *kinds: str) -> bool:
        return bool(self.kinds.intersection(kinds))


NO_ACCESS = Access(kinds=frozenset(), can_read=False, can_write=False)


def _roles(user) -> list[tuple[str, str, str]]:
    """(kind, committee path, committee level) of every role, loaded once per request."""
    cached = getattr(user, "_yv_roles", None)
    if cached is None:
        cached = list(
            Role.objects.filter(
                user=user, committee__status__in=["active", "onboarding"]
            ).values_list("kind", "committee__path", "committee__level")
        )
        user._yv_roles = cached
    return cached


def access_to(user, committee: Committee | None) -> Access:
    if committee is None or not getattr(user, "is_authenticated", False):
        return NO_ACCESS
    own: set[str] = set()
    reads_from_above = False
    for kind, path, level in _roles(user):
        if path == committee.path:
            own.add(kind)
        if kind == Role.Kind.AUDITOR and level == Committee.Level.CENTRAL:
            reads_from_above = True  # the central auditor reads every committee
        elif kind == Role.Kind.ADMIN and committee.path.startswith(path):
            reads_from_above = True  # an admin reads its committee's whole subtree
    staff = bool(own & STAFF_KINDS)
    writes = staff and not is_read_only(user)
    return Access(kinds=frozenset(own), can_read=staff or reads_from_above, can_write=writes)


# What a read-only account may still post: signing in (by password or code, the one sign-in
# relay) and out, its own profile and password (and a reset by code),
# its notifications read, the language. URL names, checked by core.middleware for every
# domain; a new write anywhere else is refused to it without anyone having to think of it.
READ_ONLY_MAY = frozenset(
    {
        "core:login",
        "core:login-code",
        "core:reset",
        "core:relay-start",
        "core:relay-out",
        "core:relay-in",
        "core:logout",
        "core:profile",
        "core:notifications",
        "api:api-codes",
        "api:api-challenges",
        "api:api-token",
        "api:api-token-code",
        "api:api-password-reset",
        "api:api-token-refresh",
        "api:api-logout",
        "api:api-me",
        "api:api-read",
        "set_language",
    }
)


def is_read_only(user) -> bool:
    """The central auditor: reads every committee and the console and writes nothing
    anywhere, portals included (no asking, answering, following up or rating either)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(
        kind == Role.Kind.AUDITOR and level == Committee.Level.CENTRAL
        for kind, _path, level in _roles(user)
    )


def is_central_admin(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return any(
        kind == Role.Kind.ADMIN and level == Committee.Level.CENTRAL
        for kind, _path, level in _roles(user)
    )


def is_central_reader(user) -> bool:
    """The central admin or the central auditor: may see the whole console."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(
        kind in (Role.Kind.ADMIN, Role.Kind.AUDITOR) and level == Committee.Level.CENTRAL
        for kind, _path, level in _roles(user)
    )


def admin_above(user, committee: Committee) -> bool:
    """Whether ``user`` is an admin of a committee above ``committee`` (its parent or one
    further up) who may act: the parent's check of what a committee reports of itself (a
    youth home's standard)."""
    if committee is None or is_read_only(user) or not getattr(user, "is_authenticated", False):
        return False
    return any(
        kind == Role.Kind.ADMIN and committee.path.startswith(path) and path != committee.path
        for kind, path, _level in _roles(user)
    )


def readable_committees(user):
    """The committees whose workbench ``user`` may open, as a queryset."""
    from django.db.models import Q

    if not getattr(user, "is_authenticated", False):
        return Committee.objects.none()
    if is_central_reader(user):
        return Committee.objects.all()
    query = Q(pk__in=[])
    for kind, path, _level in _roles(user):
        if kind == Role.Kind.ADMIN:
            query |= Q(path__startswith=path)
        elif kind in STAFF_KINDS:
            query |= Q(path=path)
    return Committee.objects.filter(query)


def log_read_from_above(request, committee: Committee | None, grant: Access, user=None) -> None:
    """Write to the audit log when someone who is not the committee's staff (the central
    auditor, an admin above) opens its workbench, or tries to act there; once per request.
    ``user``: the account, when the request's own is not known yet (a token before DRF)."""
    if committee is None or not grant.can_read or grant.can_write:
        return
    if getattr(request, "_yv_audited", False):
        return
    request._yv_audited = True
    AuditAccess.objects.create(
        user=user or request.user,
        committee=committee,
        method=request.method[:8],
        path=request.get_full_path()[:300],
    )
