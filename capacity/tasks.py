from config.celery import app

from . import waitlist


@app.task(ignore_result=True)
def lapse_offers() -> int:
    """Pass on the waitlist offers whose time is up (beat, in each committee's schema)."""
    return waitlist.lapse_offers()
