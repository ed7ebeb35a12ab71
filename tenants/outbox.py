"""Messages between schemas (the outbox): from a committee to another, or from the central
office (the public schema) to a committee.

A service that changes something another committee must know about calls ``send`` inside
its own transaction: the message is committed with the change or not at all. In a
committee's schema the sender is that committee's code; in the public schema (the console,
the central office's tasks) it is ``CENTRAL_OFFICE``, ``"public"``, which no committee may be
called. The receiver is always a committee's code.

``deliver`` applies messages in their receiver's schema. Per receiver only the oldest waiting
message is a candidate, and it is due when it has never failed or its backoff has passed: a
receiver's messages are applied in the order sent, and a receiver whose message fails holds
up no other. Each message is applied in one transaction with marking it delivered, under a
claim on its receiver (a transaction-level advisory lock): deliverers run side by side, each
on receivers no other holds, and each message takes effect exactly once however often
delivery runs or fails.

A message that fails is retried after 10 s, doubling up to an hour. After
``settings.OUTBOX_MAX_ATTEMPTS`` failures it is dead: it stays at the head of its receiver's
queue, the later messages to that receiver waiting behind it, until the central admin
retries it (once the cause is fixed) or discards it (``tenants.services.retry_message``,
``discard_message``); ``tenants.selectors.dead_messages`` lists them.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection as default_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tenants.utils import get_public_schema_name, schema_context

from .models import Committee, OutboxMessage

log = logging.getLogger(__name__)
# django-tenants' connection, with its schema methods.
connection: Any = default_connection

Handler = Callable[[OutboxMessage], None]
_handlers: dict[str, Handler] = {}

# The sender of what the central office sends from the public schema (a reserved code).
CENTRAL_OFFICE = "public"
# Advisory locks (RECEIVER_LOCK, hashtext(receiver)) claim a receiver for one transaction;
# two receivers whose codes hash alike merely take turns.
RECEIVER_LOCK = 7361
# The lock of the release that delivered with one deliverer at a time, taken exclusively by
# it: every deliverer here holds it shared, so a worker of that release still running during
# a deploy never delivers beside these.
EARLIER_RELEASE_LOCK = 7_361_204
FIRST_BACKOFF_S = 10
MAX_BACKOFF_S = 3600
# Messages applied to one receiver in a row before the other due receivers get their turn.
BURST = 20


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


def current_sender() -> str:
    """Who sends from the connection's schema: its committee's code, or ``CENTRAL_OFFICE``
    on the public schema."""
    tenant = getattr(connection, "tenant", None)
    if not isinstance(tenant, Committee) and connection.schema_name == get_public_schema_name():
        return CENTRAL_OFFICE
    return current_committee_code()


def moment(value: str) -> datetime:
    """A time carried in a payload (ISO 8601, as ``datetime.isoformat`` wrote it)."""
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(f"Not a time: {value!r}")
    return parsed


def send(topic: str, *, receiver: str, payload: dict) -> OutboxMessage:
    """Queue ``payload`` for ``receiver`` (a committee code) with the current transaction."""
    message = OutboxMessage.objects.create(
        topic=topic, sender=current_sender(), receiver=receiver, payload=payload
    )
    transaction.on_commit(schedule_delivery)
    return message


def send_each(topic: str, *, receivers: list[str], payload: dict) -> int:
    """Queue the same ``payload`` for each of ``receivers`` with the current transaction (a
    campaign to every committee of a subtree); how many were queued."""
    sender = current_sender()
    OutboxMessage.objects.bulk_create(
        OutboxMessage(topic=topic, sender=sender, receiver=receiver, payload=payload)
        for receiver in receivers
    )
    if receivers:
        transaction.on_commit(schedule_delivery)
    return len(receivers)


def schedule_delivery() -> None:
    """Have a worker deliver soon (call it on commit); beat's sweep does if Redis is away."""
    from core.redisguard import publish

    from .tasks import deliver_outbox

    try:
        with schema_context(get_public_schema_name()):
            publish(deliver_outbox)
    except Exception:  # the beat schedule delivers it anyway
        log.warning("Could not schedule outbox delivery", exc_info=True)


def backoff_s(failures_before: int) -> int:
    """How long a message waits after failing, having failed ``failures_before`` times."""
    return min(MAX_BACKOFF_S, FIRST_BACKOFF_S * 2**failures_before)


def deliver(limit: int = 500) -> int:
    """Apply up to ``limit`` due messages, at most ``BURST`` to a receiver before the next
    due receiver's turn; the number applied. Any number of deliverers may run at once. Call
    it outside a transaction: a claim on a receiver lasts as long as the transaction around
    it."""
    with schema_context(get_public_schema_name()):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock_shared(%s)", [EARLIER_RELEASE_LOCK])
            if not cursor.fetchone()[0]:
                return 0
        try:
            return _deliver(limit)
        finally:
            connection.set_schema_to_public()
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock_shared(%s)", [EARLIER_RELEASE_LOCK])


def _deliver(limit: int) -> int:
    applied = 0
    while applied < limit:
        due = due_receivers(limit=limit - applied)
        if not due:
            break
        committees = {c.code: c for c in Committee.objects.filter(code__in=due)}
        # Deliverers running at once start at different places in the list, rather than
        # all trying the same receivers in turn.
        start = random.randrange(len(due))
        before = applied
        for receiver in due[start:] + due[:start]:
            applied += _apply_due(receiver, committees.get(receiver), min(BURST, limit - applied))
            if applied >= limit:
                break
        if applied == before:  # all failed, or were claimed by other deliverers
            break
    return applied


# Each receiver's oldest waiting message by a loose index scan over ``outbox_heads`` (one
# probe per receiver, however many messages wait behind each), then those that are due.
_DUE = """
WITH RECURSIVE heads AS (
    (SELECT receiver, id, next_attempt_at, dead_at FROM {table}
      WHERE delivered_at IS NULL AND discarded_at IS NULL
      ORDER BY receiver, id LIMIT 1)
    UNION ALL
    SELECT later.* FROM heads, LATERAL (
        SELECT receiver, id, next_attempt_at, dead_at FROM {table}
         WHERE delivered_at IS NULL AND discarded_at IS NULL AND receiver > heads.receiver
         ORDER BY receiver, id LIMIT 1
    ) AS later
)
SELECT receiver FROM heads
 WHERE dead_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= %s)
 ORDER BY id LIMIT %s
"""


def due_receivers(*, limit: int, now: datetime | None = None) -> list[str]:
    """Receivers whose oldest waiting message is due, the one waiting longest first."""
    quote = connection.ops.quote_name
    table = f"{quote(get_public_schema_name())}.{quote(OutboxMessage._meta.db_table)}"
    with connection.cursor() as cursor:
        cursor.execute(_DUE.format(table=table), [now or timezone.now(), limit])
        return [receiver for (receiver,) in cursor.fetchall()]


def _claim(receiver: str) -> bool:
    """Hold ``receiver`` until the transaction ends, unless another deliverer holds it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))", [RECEIVER_LOCK, receiver]
        )
        return bool(cursor.fetchone()[0])


def _apply_due(receiver: str, committee: Committee | None, limit: int) -> int:
    """Apply up to ``limit`` of ``receiver``'s messages in the order sent, while they are
    due, unless another deliverer holds the receiver; the number applied. They are applied
    in one transaction that marks them delivered, each in a savepoint of its own: one that
    fails is rolled back alone, backs off (or dies), and stops the run."""
    with transaction.atomic():
        if not _claim(receiver):
            return 0
        # Read in a statement after the claim's: it sees every message the previous holder
        # delivered (in READ COMMITTED a statement reads what was committed when it began).
        waiting = OutboxMessage.objects.waiting().filter(receiver=receiver).order_by("id")
        messages = list(waiting[:limit])
        now = timezone.now()
        applied: list[int] = []
        try:
            if committee is not None:
                connection.set_tenant(committee)
            for message in messages:
                if message.dead_at is not None:
                    break
                if message.next_attempt_at is not None and message.next_attempt_at > now:
                    break
                try:
                    with transaction.atomic():
                        _apply(message, committee)
                except Exception as exc:
                    connection.set_schema_to_public()
                    _record_failure(message, exc, now)
                    break
                applied.append(message.pk)
        finally:
            connection.set_schema_to_public()
        if applied:
            OutboxMessage.objects.filter(pk__in=applied).update(
                delivered_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
            )
        return len(applied)


def _apply(message: OutboxMessage, committee: Committee | None) -> None:
    if committee is None:
        raise LookupError(f"No committee {message.receiver!r}")
    handler = _handlers.get(message.topic)
    if handler is None:
        raise LookupError(f"No handler for {message.topic!r}")
    if connection.schema_name != committee.schema_name:  # a handler may have moved it
        connection.set_tenant(committee)
    handler(message)


def _record_failure(message: OutboxMessage, exc: Exception, now: datetime) -> None:
    """Back off, or give up after ``OUTBOX_MAX_ATTEMPTS`` failures (the message is dead)."""
    attempts = message.attempts + 1
    is_dead = attempts >= settings.OUTBOX_MAX_ATTEMPTS
    if is_dead:
        log.error(
            "Outbox message %s to %s is dead after %s attempts; the receiver's later "
            "messages wait for the central admin to retry or discard it",
            message.pk,
            message.receiver,
            attempts,
            exc_info=exc,
        )
    else:
        log.warning("Outbox message %s failed", message.pk, exc_info=exc)
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=attempts,
        next_attempt_at=None if is_dead else now + timedelta(seconds=backoff_s(message.attempts)),
        dead_at=now if is_dead else None,
        last_error=f"{type(exc).__name__}: {exc}"[:2000],
    )
