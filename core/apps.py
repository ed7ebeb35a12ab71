from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from . import logs, monitoring  # noqa: F401  (the platform's own gauges)

        logs.connect_celery_signals()
