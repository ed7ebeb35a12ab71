"""Read paths for notices."""

from django.db.models import QuerySet

from .models import Notice


def notices_for(*, include_drafts: bool) -> QuerySet[Notice]:
    """Published notices, newest first; staff also see the scheduled ones."""
    notices = Notice.objects.select_related("author")
    return notices if include_drafts else notices.filter(is_published=True)
