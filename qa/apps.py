from django.apps import AppConfig


class QaConfig(AppConfig):
    name = "qa"
    verbose_name = "Questions and answers"

    def ready(self) -> None:
        from . import gauges, handlers  # noqa: F401  (registers outbox handlers, gauges)
