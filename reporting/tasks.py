from django.db import connection

from config.celery import app

from . import shipping, standing

SWEEP_LOCK = 0x5956_5357


@app.task(ignore_result=True)
def ship_figures() -> int:
    """Ship every committee's new events and visits into the figures (beat, every 15 s).
    A sweep that finds another still running leaves the work to it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [SWEEP_LOCK])
        if not cursor.fetchone()[0]:
            return 0
        try:
            return shipping.ship_all()
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [SWEEP_LOCK])


@app.task(ignore_result=True)
def measure_platform() -> None:
    """Measure the operator's gauges that need every committee's schema (beat, every 30 s):
    the scrapes of /metrics read the figures kept, never walk the schemas themselves."""
    from core import monitoring

    monitoring.measure()


@app.task(ignore_result=True)
def recompute_standard_scores() -> int:
    """Recompute every standard score (beat, every six hours); how many subjects."""
    return len(standing.recompute().standings)
