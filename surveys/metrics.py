"""What surveys' events count in the central figures (``reporting.metrics``)."""

from django.utils.translation import gettext_lazy as _

from reporting.metrics import Count, declare

from .models import SurveyEvent as Kind

declare(
    # A copy sent down is the same survey: counted where it was published.
    Count("surveys_published", Kind.PUBLISHED, unless={"copy": True}, label=_("Surveys")),
    Count("survey_responses", Kind.RESPONDED, label=_("Survey responses")),
)
