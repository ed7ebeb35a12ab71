from config.celery import app

from . import services


@app.task
def publish_due_notices() -> int:
    """Run in each committee's schema by beat (see CELERY_BEAT_SCHEDULE)."""
    return services.publish_due_notices()
