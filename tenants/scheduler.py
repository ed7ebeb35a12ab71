"""Celery beat that sends each periodic task to every committee that is not suspended, or,
for entries with ``"tenant_schemas": ["public"]``, once to the public schema.

Beat outlives its servers: while PostgreSQL is away (a restart) or Redis fails, a due entry is
skipped for this round with a warning and sent again at its next time; the database connection
is checked before each round and opened afresh once the server is back.
"""

import logging

from celery.beat import PersistentScheduler, SchedulingError
from django.db import DatabaseError, close_old_connections, connection
from django_tenants.utils import get_public_schema_name, schema_context
from tenant_schemas_celery.scheduler import TenantAwarePersistentScheduler

from core import redisguard

from .models import Committee

log = logging.getLogger(__name__)


class CommitteeScheduler(TenantAwarePersistentScheduler):
    @classmethod
    def get_queryset(cls):
        return Committee.objects.exclude(status=Committee.Status.SUSPENDED)

    def apply_entry(self, entry, producer=None):
        # Beat has no requests: what a request does first (drop a connection that failed or
        # outlived CONN_MAX_AGE, health-check the one kept) is done before each entry.
        close_old_connections()
        try:
            return self._apply_entry(entry, producer)
        except DatabaseError as exc:
            log.warning("Database unavailable; %s skipped this time (%s)", entry.name, exc)
            connection.close()
        return None

    def _apply_entry(self, entry, producer):
        # The public schema has no committee row, so the stock scheduler would skip it.
        public = get_public_schema_name()
        if entry.options.get("headers", {}).get("_schema_name") == public:
            with schema_context(public):
                return PersistentScheduler.apply_entry(self, entry, producer=producer)
        return super().apply_entry(entry, producer=producer)

    def apply_async(self, entry, producer=None, advance=True, **kwargs):
        """Send the entry; refused at once while Redis is failing (instead of waiting on it
        for every committee). The caller logs a failure and goes on."""
        if redisguard.is_skipped():
            raise redisguard.Skipped(f"Redis is failing: {entry.name} not sent")
        try:
            result = super().apply_async(entry, producer=producer, advance=advance, **kwargs)
        except SchedulingError as exc:
            if isinstance(exc.__cause__ or exc.__context__, redisguard.FAILURES):
                redisguard.failed(exc)
            raise
        redisguard.succeeded()
        return result
