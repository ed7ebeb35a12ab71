from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Demand surveys and public calls for opinions (需求调查, 公开征集意见)."""

    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from timeline import kinds

        from . import services  # noqa: F401 (its outbox handler)
        from .models import SurveyEvent

        kinds.register(SurveyEvent)
