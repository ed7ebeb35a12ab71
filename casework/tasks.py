from config.celery import app

from . import supervision


@app.task(ignore_result=True)
def supervise_deadlines() -> dict:
    """Flag overdue items, escalate late ones and pass board items up (beat, in each
    committee's schema)."""
    return supervision.sweep()
