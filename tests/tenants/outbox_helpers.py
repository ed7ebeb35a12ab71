"""Handlers for the outbox tests, registered for one test at a time."""

import contextlib
from collections.abc import Iterator

from django.db import connection

from tenants import outbox


@contextlib.contextmanager
def handling(topic: str, handler: outbox.Handler) -> Iterator[None]:
    """``handler`` applies ``topic`` messages while the block runs."""
    before = outbox._handlers.get(topic)
    outbox.handles(topic)(handler)
    try:
        yield
    finally:
        if before is None:
            outbox._handlers.pop(topic, None)
        else:
            outbox._handlers[topic] = before


def schema_in_use() -> str:
    """The schema the database applies statements in (not only what Django believes)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        return cursor.fetchone()[0]
