"""What surveys' events count in the central figures (``reporting.metrics``)."""

from django.utils.translation import gettext_lazy as _

from reporting.metrics import Count, declare

from .models import SurveyEvent as Kind

declare(
    Count("surveys_published", Kind.PUBLISHED, label=_("Surveys")),
    Count("survey_responses", Kind.RESPONDED, label=_("Survey responses")),
)
