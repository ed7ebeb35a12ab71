from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def requires(check):
    """A page for logged-in accounts for which ``check(request)`` holds; others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def central_admin(request) -> bool:
    from core.access import is_central_admin

    return is_central_admin(request.user)


def committee_reader(request) -> bool:
    """Staff of the committee, or a reader from above (whose visit is written to the audit log)."""
    from core.access import access_to, log_read_from_above

    committee = getattr(request, "committee", None)
    grant = access_to(request.user, committee)
    log_read_from_above(request, committee, grant)
    return grant.can_read
