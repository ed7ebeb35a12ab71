from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    """吐槽我们: youths' complaints and suggestions, answered, adopted and announced weekly."""

    name = "suggestions"
    verbose_name = _("Suggestions")

    def ready(self) -> None:
        from casework import cases
        from core import notifications
        from portal import mine
        from timeline import kinds

        from . import selectors, services
        from .models import SuggestionEvent

        kinds.register(SuggestionEvent)
        mine.register(
            mine.Section(
                key="suggestions",
                title=_("Roast us"),
                url_name="suggestions:roast",
                order=85,
                count=lambda request: selectors.mine(request.user).count(),
            )
        )
        cases.register(services.CASE_TYPE)
        notifications.register(
            suggestion_received=_("A youth wrote to you through “roast us”: %(title)s"),
            suggestion_answered=_("Your suggestion was answered: %(answer)s"),
            suggestion_announced=_(
                "Your suggestion was taken up: %(change)s. See this week's announcement."
            ),
        )
