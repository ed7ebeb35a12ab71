from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from . import logs, monitoring  # noqa: F401  (the platform's own gauges)

        logs.connect_celery_signals()
