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
        from casework import cases
        from core import notifications
        from portal import mine
        from ratings import services as ratings
        from reactions import services as reactions
        from reporting import audit
        from similarity import service as similarity
        from timeline import kinds

        from . import gauges, selectors, services, transfers  # noqa: F401  (outbox topics, gauges)
        from .models import Question, QuestionEvent, Reply

        kinds.register(QuestionEvent)
        cases.register(services.CASE_TYPE)
        ratings.register("qa.question", services.RATEABLE)
        reactions.register(Question, services.REACTABLE)
        reactions.register(Reply, services.REPLY_REACTABLE)
        notifications.register(
            routed=_("Your question “%(title)s” was passed to %(team)s."),
            answered=_("Your question “%(title)s” has a new answer."),
            transferred=_("Your question “%(title)s” was transferred to %(where)s."),
            closed=_("Your question “%(title)s” was closed."),
            released=_("Your question “%(title)s” passed review and is being handled."),
            rejected=_("Your question “%(title)s” could not be published."),
            assigned=_("A question was assigned to you: “%(title)s”."),
            queued=_("A new question is in %(team)s's queue: “%(title)s”."),
            follow_up=_("The asker followed up on “%(title)s”."),
            handed_off=_("Your question “%(title)s” is now handled as a help case."),
        )

        # Answered public questions are what similar questions and duplicates find.
        similarity.register(
            similarity.Source(
                name=selectors.SIMILAR_SOURCE, rows=selectors.archive, has_characters=True
            )
        )

        audit.describe(
            opened={
                "qa:queues": _("the question queues"),
                "qa:handle": _("the handling page of question #%(pk)s"),
                "qa:question": _("question #%(pk)s"),
                "qa:attachment": _("an attachment of question #%(pk)s"),
                "api:queue": _("the question queue %(name)s"),
                "api:held-replies": _("the replies held for review"),
                "api:question": _("question #%(pk)s"),
                "api:question-notes": _("the internal notes of question #%(pk)s"),
                "api:attachment": _("an attachment of question #%(pk)s"),
                "api:desk": _("the workbench home"),
            },
            tried={
                "api:question-answers": _("answer question #%(pk)s"),
                "api:question-claim": _("claim question #%(pk)s"),
                "api:question-assign": _("assign question #%(pk)s"),
                "api:question-route": _("route question #%(pk)s"),
                "api:question-reclassify": _("re-classify question #%(pk)s"),
                "api:question-transfer": _("transfer question #%(pk)s"),
                "api:question-close": _("close question #%(pk)s"),
                "api:question-release": _("release question #%(pk)s"),
                "api:question-reject": _("reject question #%(pk)s"),
                "api:question-notes": _("add a note to question #%(pk)s"),
                "api:reply-release": _("release reply #%(pk)s"),
                "api:reply-reject": _("reject reply #%(pk)s"),
                "qa:handle": _("act on question #%(pk)s"),
            },
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
