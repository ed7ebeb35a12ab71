"""The Celery app: every task runs in the schema of the committee that sent it."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = CeleryApp("youthvoice")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
