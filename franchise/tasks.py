from config.celery import app

from . import classifier


@app.task
def retrain_classifier() -> int:
    """Train a new category model with the latest corrections (public schema, daily)."""
    return classifier.retrain().pk
