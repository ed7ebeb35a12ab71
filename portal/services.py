"""Write paths for notices."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ServiceError

from .models import Notice


def _check(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise ServiceError("required", _("A notice needs a title."), field="title")
    if not body:
        raise ServiceError("required", _("A notice needs a text."), field="body")
    return title, body


def post_notice(*, author, title: str, body: str, publish_at: datetime | None = None) -> Notice:
    """Publish a notice now, or schedule it for ``publish_at``."""
    title, body = _check(title, body)
    now = timezone.now()
    immediate = publish_at is None or publish_at <= now
    return Notice.objects.create(
        author=author,
        title=title,
        body=body,
        publish_at=publish_at,
        is_published=immediate,
        published_at=now if immediate else None,
    )


def edit_notice(*, notice: Notice, title: str | None = None, body: str | None = None) -> Notice:
    notice.title, notice.body = _check(
        notice.title if title is None else title, notice.body if body is None else body
    )
    notice.save(update_fields=["title", "body"])
    return notice


def withdraw_notice(*, notice: Notice) -> None:
    notice.delete()


def publish_due_notices(*, now: datetime | None = None) -> int:
    """Publish the scheduled notices whose time has come; return how many."""
    now = now or timezone.now()
    with transaction.atomic():
        due = Notice.objects.select_for_update(skip_locked=True).filter(
            is_published=False, publish_at__lte=now
        )
        return due.update(is_published=True, published_at=now)
