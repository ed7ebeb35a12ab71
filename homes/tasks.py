from config.celery import app

from . import directory, referrals, services


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


@app.task(ignore_result=True)
def sync_directory() -> int:
    """Write the committee's homes to the national directory again, so a new version of the
    standard coming into force shows (beat, in each committee's schema)."""
    return directory.resync_all()


@app.task(ignore_result=True)
def lapse_referrals() -> int:
    """Times offered to referred youths and not confirmed lapse (beat, in each schema)."""
    return referrals.lapse()
