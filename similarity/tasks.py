from config.celery import app

from . import statistics


@app.task(ignore_result=True)
def recount_words() -> dict[str, int]:
    """Count the words of each committee's texts afresh when due (beat, in each schema)."""
    return statistics.recount_due()
