"""What suggestions' events count in the central figures (``reporting.metrics``): received,
answered and adopted, so the adoption rate is adopted ÷ received."""

from django.utils.translation import gettext_lazy as _

from reporting.metrics import Count, declare

from .models import SuggestionEvent as Kind

declare(
    Count("suggestions_received", Kind.SUBMITTED, label=_("Suggestions")),
    Count("suggestions_answered", Kind.ANSWERED, label=_("Suggestions answered")),
    Count("suggestions_adopted", Kind.ADOPTED, label=_("Suggestions adopted")),
)
