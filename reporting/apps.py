from django.apps import AppConfig


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reporting"
    verbose_name = "Reporting"

    def ready(self) -> None:
        from . import gauges  # noqa: F401  (registers the rollup's gauges)
