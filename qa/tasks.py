from config.celery import app

from . import services


@app.task(ignore_result=True)
def supervise_deadlines() -> dict:
    """Flag overdue questions and escalate late ones (beat, in each committee's schema)."""
    return services.supervise()
