from config.celery import app

from . import outbox


@app.task(ignore_result=True)
def deliver_outbox() -> int:
    """Apply pending messages between committees (on commit, and by beat as a fallback)."""
    return outbox.deliver()
