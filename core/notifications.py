"""In-app notifications and the pluggable backends that also deliver them elsewhere.

``notify`` stores one ``Notification`` per account in the caller's transaction (so a
notification exists exactly when the change that caused it does). Each backend named in
``settings.NOTIFICATION_BACKENDS`` other than the in-app one is called by a Celery task after
the commit: an SMS or WeChat backend is a class with ``send(notification)``. A notification
stays pending (``delivered_at`` unset) until that is done; if the task could not be sent (Redis
away) or failed, beat's sweep (``deliver_pending``) delivers it, once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django_stubs_ext import StrOrPromise

from .links import on_portal
from .models import Notification, User

log = logging.getLogger(__name__)
# Pending notifications older than this are not sent any more (an SMS a day late misleads).
DELIVER_WITHIN = timedelta(days=1)

# What each kind says, registered by the app that sends it; ``data`` fills it in.
_texts: dict[str, StrOrPromise] = {}


def register(**texts: StrOrPromise) -> None:
    """Declare notification kinds and their texts (from an ``AppConfig.ready``). A kind is
    said one way: registering it again with another text is a mistake."""
    for kind, text in texts.items():
        if kind in _texts and str(_texts[kind]) != str(text):
            raise ValueError(f"Notification kind {kind!r} is already registered")
        _texts[kind] = text


def text_of(notification: Notification) -> str:
    template = _texts.get(notification.kind)
    if template is None:
        return notification.kind
    try:
        return str(template) % notification.data
    except (KeyError, TypeError, ValueError):
        return str(template)


class InAppBackend:
    """The notification list and unread count (the rows themselves)."""

    def send(self, notification: Notification) -> None:
        pass


class SmsBackend:
    """The notification text as an SMS to the account's number (``core.sms``)."""

    def send(self, notification: Notification) -> None:
        from .sms import send_sms

        send_sms(notification.user.phone, text_of(notification))


def notify(
    users: Iterable[User | int | None],
    kind: str,
    *,
    committee=None,
    link: str = "",
    **data,
) -> list[Notification]:
    """Tell each account (repeats and ``None`` skipped) about ``kind``."""
    ids: list[int] = list(
        dict.fromkeys(u if isinstance(u, int) else u.pk for u in users if u is not None)
    )
    if not ids:
        return []
    now = timezone.now()
    external = bool(_external_backends())
    made = Notification.objects.bulk_create(
        Notification(
            user_id=user_id,
            committee=committee,
            kind=kind,
            data=data,
            link=link,
            created_at=now,
            delivered_at=None if external else now,
        )
        for user_id in ids
    )
    if external:
        pks = [n.pk for n in made]
        transaction.on_commit(lambda: _deliver_later(pks))
    return made


def _external_backends() -> list[str]:
    return [
        path
        for path in getattr(settings, "NOTIFICATION_BACKENDS", [])
        if path != "core.notifications.InAppBackend"
    ]


def _deliver_later(pks: list[int]) -> None:
    from django_tenants.utils import get_public_schema_name, schema_context

    from .redisguard import publish
    from .tasks import deliver_notifications

    try:
        with schema_context(get_public_schema_name()):
            publish(deliver_notifications, pks)
    except Exception:  # after the commit nothing may fail the request: the sweep sends them
        log.warning("Could not send the notifications' delivery task", exc_info=True)


def deliver(pks: list[int] | None = None) -> int:
    """Hand each pending notification (of ``pks``, else every recent one) to every backend
    besides the in-app one, and mark it delivered; the number handed over. Two deliverers
    never take the same notification, and a delivered one is never sent again."""
    backends = [import_string(path)() for path in _external_backends()]
    sent = 0
    while True:
        with transaction.atomic():
            pending = Notification.objects.filter(
                delivered_at=None, created_at__gte=timezone.now() - DELIVER_WITHIN
            )
            if pks is not None:
                pending = pending.filter(pk__in=pks)
            batch = list(
                pending.select_for_update(skip_locked=True, of=("self",))
                .select_related("user")
                .order_by("id")[:200]
            )
            for notification in batch:
                for backend in backends:
                    backend.send(notification)
                    sent += 1
            Notification.objects.filter(pk__in=[n.pk for n in batch]).update(
                delivered_at=timezone.now()
            )
        if len(batch) < 200:
            return sent


def link_of(notification: Notification, request) -> str:
    """Where the notification leads: a path on this portal, a full address on another."""
    committee = notification.committee
    if committee is None:
        return notification.link
    return on_portal(request, committee.code, notification.link)


def inbox(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("committee")


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at=None).count()


def mark_read(user, pks: Iterable[int] | None = None) -> int:
    """Mark the given notifications (all when ``pks`` is None) of ``user`` as read."""
    found = Notification.objects.filter(user=user, read_at=None)
    if pks is not None:
        found = found.filter(pk__in=list(pks))
    return found.update(read_at=timezone.now())
