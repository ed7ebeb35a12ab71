from config.celery import app

from . import notifications


@app.task(ignore_result=True)
def deliver_notifications(pks: list[int]) -> int:
    """Send notifications through the backends besides the in-app list (SMS, WeChat…)."""
    return notifications.deliver(pks)


@app.task(ignore_result=True)
def deliver_pending_notifications() -> int:
    """Send what is still pending (beat): notifications whose own task was never sent (Redis
    away) or failed."""
    return notifications.deliver()
