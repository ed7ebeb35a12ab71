"""What the operator watches of the committees and the outbox between them (core.monitoring)."""

from django.db import connection
from django.db.models import Count

from core.monitoring import Samples, age_s, gauge

from .models import Committee


@gauge("yv_outbox_backlog", "Outbox messages not yet delivered to their committee.")
def outbox_backlog() -> Samples:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM public.tenants_outboxmessage WHERE delivered_at IS NULL"
        )
        return [((), float(cursor.fetchone()[0]))]


@gauge(
    "yv_outbox_oldest_age_seconds",
    "Age of the oldest outbox message not yet delivered (0 when none waits).",
)
def outbox_oldest_age() -> Samples:
    with connection.cursor() as cursor:
        # The oldest by id: the pending messages' partial index answers it at once.
        cursor.execute(
            "SELECT created_at FROM public.tenants_outboxmessage"
            " WHERE delivered_at IS NULL ORDER BY id LIMIT 1"
        )
        row = cursor.fetchone()
    return [((), age_s(row[0]) if row else 0.0)]


@gauge("yv_committees", "League committees on the platform, by status.", labels=["status"])
def committees_by_status() -> Samples:
    counts = dict(
        Committee.objects.exclude(schema_name="public")
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [((status,), float(counts.get(status, 0))) for status in Committee.Status.values]
