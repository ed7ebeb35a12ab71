from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FranchiseConfig(AppConfig):
    name = "franchise"
    verbose_name = _("Central standards")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import calendar
        from .models import CalendarDay

        for signal in (post_save, post_delete):
            signal.connect(calendar.changed, sender=CalendarDay, dispatch_uid="central-calendar")
