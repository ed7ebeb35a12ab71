"""What the operator watches of the committees and the outbox between them (core.monitoring)."""

from django.db import connection
from django.db.models import Count

from core.monitoring import Samples, age_s, gauge

from .models import Committee

# Waiting and dead as the partial indexes outbox_waiting and outbox_dead define them, so
# that each gauge reads only its index.
WAITING = "delivered_at IS NULL AND discarded_at IS NULL AND dead_at IS NULL"
DEAD = "delivered_at IS NULL AND discarded_at IS NULL AND dead_at IS NOT NULL"


@gauge(
    "yv_outbox_backlog",
    "Outbox messages waiting to be applied in their committee (dead ones aside).",
)
def outbox_backlog() -> Samples:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM public.tenants_outboxmessage WHERE {WAITING}")
        return [((), float(cursor.fetchone()[0]))]


@gauge(
    "yv_outbox_oldest_age_seconds",
    "Age of the oldest outbox message waiting to be applied (0 when none waits); it grows "
    "while a dead message holds its receiver's later ones up.",
)
def outbox_oldest_age() -> Samples:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT created_at FROM public.tenants_outboxmessage WHERE {WAITING}"
            " ORDER BY id LIMIT 1"
        )
        row = cursor.fetchone()
    return [((), age_s(row[0]) if row else 0.0)]


# Counted with the measured figures (every 30 s by beat), so that a scrape keeps to its few
# queries: a message takes many minutes to die, and stays dead until someone acts.
@gauge(
    "yv_outbox_dead",
    "Dead outbox messages (failed OUTBOX_MAX_ATTEMPTS times), each holding its committee's "
    "later messages up until the central admin retries or discards it.",
    measured=True,
)
def outbox_dead() -> Samples:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM public.tenants_outboxmessage WHERE {DEAD}")
        return [((), float(cursor.fetchone()[0]))]


@gauge("yv_committees", "League committees on the platform, by status.", labels=["status"])
def committees_by_status() -> Samples:
    counts = dict(
        Committee.objects.exclude(schema_name="public")
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [((status,), float(counts.get(status, 0))) for status in Committee.Status.values]
