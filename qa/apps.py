from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _my_questions(request):
    from . import selectors

    return selectors.questions_of(request.user)


def _latest(request):
    from django.urls import reverse

    from portal.mine import Item

    return [
        Item(q.title, reverse("qa:question", args=[q.pk]), str(q.get_state_display()))
        for q in _my_questions(request).order_by("-created_at")[:3]
    ]


class QaConfig(AppConfig):
    name = "qa"
    verbose_name = _("Questions and answers")

    def ready(self) -> None:
        from portal import mine
        from similarity import service as similarity
        from timeline import kinds

        from . import gauges, handlers, selectors  # noqa: F401  (registers outbox handlers, gauges)
        from .models import QuestionEvent

        kinds.register(QuestionEvent)

        # Answered public questions are what similar questions and duplicates find.
        similarity.register(
            similarity.Source(
                name=selectors.SIMILAR_SOURCE, rows=selectors.archive, has_characters=True
            )
        )

        mine.register(
            mine.Section(
                key="questions",
                title=_("My questions"),
                url_name="qa:mine",
                order=10,
                count=lambda request: _my_questions(request).count(),
                latest=_latest,
            )
        )
