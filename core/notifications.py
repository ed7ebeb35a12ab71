"""In-app notifications and the pluggable backends that also deliver them elsewhere.

``notify`` stores one ``Notification`` per account in the caller's transaction (so a
notification exists exactly when the change that caused it does). Each backend named in
``settings.NOTIFICATION_BACKENDS`` other than the in-app one is called by a Celery task after
the commit: an SMS or WeChat backend is a class with ``send(notification)``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .models import Notification, User

# What each kind says; ``data`` fills it in.
TEXTS = {
    "routed": _("Your question “%(title)s” was passed to %(team)s."),
    "answered": _("Your question “%(title)s” has a new answer."),
    "transferred": _("Your question “%(title)s” was transferred to %(where)s."),
    "closed": _("Your question “%(title)s” was closed."),
    "released": _("Your question “%(title)s” passed review and is being handled."),
    "rejected": _("Your question “%(title)s” could not be published."),
    "assigned": _("A question was assigned to you: “%(title)s”."),
    "queued": _("A new question is in %(team)s's queue: “%(title)s”."),
    "follow_up": _("The asker followed up on “%(title)s”."),
    "overdue": _("“%(title)s” is overdue."),
    "escalated": _("“%(title)s” (%(where)s) is on the supervision board."),
}


def text_of(notification: Notification) -> str:
    template = TEXTS.get(notification.kind)
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
    made = Notification.objects.bulk_create(
        Notification(
            user_id=user_id, committee=committee, kind=kind, data=data, link=link, created_at=now
        )
        for user_id in ids
    )
    if _external_backends():
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

    from .tasks import deliver_notifications

    with schema_context(get_public_schema_name()):
        deliver_notifications.delay(pks)


def deliver(pks: list[int]) -> int:
    """Hand each notification to every backend besides the in-app one."""
    backends = [import_string(path)() for path in _external_backends()]
    sent = 0
    for notification in Notification.objects.filter(pk__in=pks).select_related("user"):
        for backend in backends:
            backend.send(notification)
            sent += 1
    return sent


def link_of(notification: Notification, request) -> str:
    """Where the notification leads: a path on this portal, a full address on another."""
    committee = notification.committee
    here = getattr(request, "committee", None)
    if not notification.link or committee is None or (here and here.pk == committee.pk):
        return notification.link
    host = f"{committee.code}.{settings.BASE_DOMAIN}"
    port = request.get_port()
    if port not in ("80", "443"):
        host = f"{host}:{port}"
    return f"{request.scheme}://{host}{notification.link}"


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
