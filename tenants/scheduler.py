"""Celery beat that sends each periodic task to every committee that is not suspended, or,
for entries with ``"tenant_schemas": ["public"]``, once to the public schema."""

from celery.beat import PersistentScheduler
from django_tenants.utils import get_public_schema_name, schema_context
from tenant_schemas_celery.scheduler import TenantAwarePersistentScheduler

from .models import Committee


class CommitteeScheduler(TenantAwarePersistentScheduler):
    @classmethod
    def get_queryset(cls):
        return Committee.objects.exclude(status=Committee.Status.SUSPENDED)

    def apply_entry(self, entry, producer=None):
        # The public schema has no committee row, so the stock scheduler would skip it.
        public = get_public_schema_name()
        if entry.options.get("headers", {}).get("_schema_name") == public:
            with schema_context(public):
                return PersistentScheduler.apply_entry(self, entry, producer=producer)
        return super().apply_entry(entry, producer=producer)
