from django.conf import settings


def committee(request) -> dict:
    """The committee whose portal is being shown (None on the central console)."""
    return {
        "committee": getattr(request, "committee", None),
        "base_domain": settings.BASE_DOMAIN,
    }
