from config.celery import app

from . import services


@app.task(ignore_result=True)
def announce_adopted() -> bool:
    """Last week's announcement, when it is due (beat, hourly, in each committee's schema)."""
    return services.announce() is not None
