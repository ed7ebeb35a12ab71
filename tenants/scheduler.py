"""Celery beat that sends each periodic task to every committee that is not suspended."""

from tenant_schemas_celery.scheduler import TenantAwarePersistentScheduler

from .models import Committee


class CommitteeScheduler(TenantAwarePersistentScheduler):
    @classmethod
    def get_queryset(cls):
        return Committee.objects.exclude(status=Committee.Status.SUSPENDED)
