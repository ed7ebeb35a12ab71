from config.celery import app

from . import outbox


@app.task(ignore_result=True)
def deliver_outbox() -> int:
    """Apply due outbox messages (published on commit, and by beat as a fallback); any
    number may run at once, each on receivers no other holds."""
    return outbox.deliver()
