from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "League committees"

    def ready(self) -> None:
        from . import gauges, signals  # noqa: F401
