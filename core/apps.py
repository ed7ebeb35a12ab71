from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from django.core.signals import request_finished

        from . import logs, monitoring  # noqa: F401  (the platform's own gauges)

        logs.connect_celery_signals()
        request_finished.connect(logs.end_request, dispatch_uid="yv-logs-request-finished")
