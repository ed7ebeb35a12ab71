from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReactionsConfig(AppConfig):
    """Likes and roasts (点赞、吐槽) on anything public, and answers marked helpful or
    disliked: once a kind per youth per item, staff's and one's own not counted."""

    name = "reactions"
    verbose_name = _("Reactions")

    def ready(self) -> None:
        from timeline import kinds

        from .models import ReactionEvent

        kinds.register(ReactionEvent)
