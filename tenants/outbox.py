"""Messages between committees' schemas (the outbox).

A service that changes something another committee must know about calls ``send`` inside
its own transaction: the message is committed with the change or not at all. ``deliver``
applies pending messages in the receiver's schema, in the order they were sent, one at a
time and in one transaction with marking them delivered, so each message takes effect
exactly once however often delivery runs or fails. A message that fails is retried with
backoff; later messages to the same receiver wait for it, so their order holds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import connection as default_connection
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from .models import Committee, OutboxMessage

log = logging.getLogger(__name__)
# django-tenants' connection, with its schema methods.
connection: Any = default_connection

Handler = Callable[[OutboxMessage], None]
_handlers: dict[str, Handler] = {}
# An advisory lock key: one deliverer at a time keeps the order of messages.
_LOCK = 7_361_204
MAX_BACKOFF_S = 3600


def handles(topic: str) -> Callable[[Handler], Handler]:
    """Register the function that applies ``topic`` messages (in the receiver's schema)."""

    def register(handler: Handler) -> Handler:
        _handlers[topic] = handler
        return handler

    return register


def current_committee() -> Committee:
    """The committee whose schema the connection is on (a request's, a task's, or one set
    with ``schema_context``)."""
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Committee):
        return tenant
    if connection.schema_name == get_public_schema_name():
        raise RuntimeError("Not in a committee's schema.")
    committee = Committee.objects.get(schema_name=connection.schema_name)
    connection.tenant = committee
    return committee


def current_committee_code() -> str:
    return current_committee().code


def send(topic: str, *, receiver: str, payload: dict) -> OutboxMessage:
    """Queue ``payload`` for ``receiver`` (a committee code) with the current transaction."""
    message = OutboxMessage.objects.create(
        topic=topic, sender=current_committee_code(), receiver=receiver, payload=payload
    )
    transaction.on_commit(_schedule_delivery)
    return message


def _schedule_delivery() -> None:
    from core.redisguard import publish

    from .tasks import deliver_outbox

    try:
        with schema_context(get_public_schema_name()):
            publish(deliver_outbox)
    except Exception:  # the beat schedule delivers it anyway
        log.warning("Could not schedule outbox delivery", exc_info=True)


def deliver(limit: int = 500) -> int:
    """Apply up to ``limit`` pending messages; the number applied. Returns 0 at once if
    another deliverer is running."""
    with schema_context(get_public_schema_name()):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_LOCK])
            if not cursor.fetchone()[0]:
                return 0
        try:
            return _deliver(limit)
        finally:
            connection.set_schema_to_public()
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK])


def _deliver(limit: int) -> int:
    now = timezone.now()
    blocked: set[str] = set()
    applied = 0
    pending = list(OutboxMessage.objects.filter(delivered_at__isnull=True).order_by("id")[:limit])
    receivers = {
        c.code: c for c in Committee.objects.filter(code__in={m.receiver for m in pending})
    }
    for message in pending:
        if message.receiver in blocked:
            continue
        if message.next_attempt_at and message.next_attempt_at > now:
            blocked.add(message.receiver)
            continue
        try:
            with transaction.atomic():
                committee = receivers.get(message.receiver)
                if committee is None:
                    raise LookupError(f"No committee {message.receiver!r}")
                connection.set_tenant(committee)
                _handlers[message.topic](message)
                connection.set_schema_to_public()
                OutboxMessage.objects.filter(pk=message.pk).update(
                    delivered_at=timezone.now(), attempts=message.attempts + 1, last_error=""
                )
            applied += 1
        except Exception as exc:
            connection.set_schema_to_public()
            log.warning("Outbox message %s failed", message.pk, exc_info=True)
            blocked.add(message.receiver)
            backoff = min(MAX_BACKOFF_S, 10 * 2**message.attempts)
            OutboxMessage.objects.filter(pk=message.pk).update(
                attempts=message.attempts + 1,
                next_attempt_at=now + timedelta(seconds=backoff),
                last_error=f"{type(exc).__name__}: {exc}"[:2000],
            )
    return applied
