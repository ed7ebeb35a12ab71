from config.celery import app

from . import services


@app.task(ignore_result=True)
def end_activities() -> int:
    """Record the end of the activities that ended (beat, in each committee's schema)."""
    return services.end_due()
