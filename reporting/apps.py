from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from . import gauges  # noqa: F401  (registers the rollup's gauges)
