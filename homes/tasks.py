from config.celery import app

from . import services


@app.task(ignore_result=True)
def make_slots() -> int:
    """Make the coming days' slots from the schedules (beat, in each committee's schema)."""
    return services.make_slots()


@app.task(ignore_result=True)
def release_no_shows() -> int:
    """Release the places of bookings not checked in (beat, in each committee's schema)."""
    return services.release_no_shows()


@app.task(ignore_result=True)
def remind() -> int:
    """Remind youths of their bookings starting soon (beat, in each committee's schema)."""
    return services.remind()
