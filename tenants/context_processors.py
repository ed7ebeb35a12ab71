from django.conf import settings
from django.utils.functional import SimpleLazyObject

from core.access import access_to
from core.notifications import unread_count


def committee(request) -> dict:
    """The committee whose portal is shown (None on the central console), and what the
    current account may do there (``staff_access``, computed only if a template asks)."""
    current = getattr(request, "committee", None)
    return {
        "committee": current,
        "staff_access": SimpleLazyObject(lambda: access_to(request.user, current)),
        "base_domain": settings.BASE_DOMAIN,
        "unread": SimpleLazyObject(
            lambda: unread_count(request.user) if request.user.is_authenticated else 0
        ),
    }
