"""How far the central rollup is behind (core.monitoring): measured across every committee."""

from django.db import connection

from core.monitoring import Samples, across_committees, age_s, gauge


@gauge(
    "yv_shipping_lag_seconds",
    "Age of the oldest timeline event or visit not yet counted into the central figures "
    "(0 when everything is shipped), when last measured.",
    measured=True,
)
def shipping_lag() -> Samples:
    # Each schema's oldest unshipped event by id: the unshipped events' partial index.
    rows = across_committees(
        "SELECT %s, at FROM {schema}.timeline_event WHERE shipped_at IS NULL ORDER BY id LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT at FROM public.reporting_postvisit WHERE NOT is_shipped ORDER BY id LIMIT 1"
        )
        visit = cursor.fetchone()
    oldest = [at for _schema, at in rows] + ([visit[0]] if visit else [])
    return [((), age_s(min(oldest)) if oldest else 0.0)]


@gauge(
    "yv_shipping_backlog",
    "Timeline events and visits not yet counted into the central figures, when last measured.",
    measured=True,
)
def shipping_backlog() -> Samples:
    rows = across_committees(
        "SELECT %s, count(*) FROM {schema}.timeline_event WHERE shipped_at IS NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM public.reporting_postvisit WHERE NOT is_shipped")
        visits = cursor.fetchone()[0]
    return [((), float(sum(n for _schema, n in rows) + visits))]
