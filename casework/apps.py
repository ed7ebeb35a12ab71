from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Casework")

    def ready(self) -> None:
        from core import notifications
        from reporting import audit
        from timeline import kinds

        from . import cases, supervision, transfer, truth  # noqa: F401  (their outbox topics)
        from .models import TruthEvent

        kinds.register(TruthEvent)
        cases.register(truth.CASE_TYPE)
        notifications.register(
            overdue=_("“%(title)s” is overdue."),
            escalated=_("“%(title)s” (%(where)s) is on the supervision board."),
            urged=_("%(where)s urges “%(title)s”: %(note)s"),
            truth_flagged=_(
                "Youths say something of a committee below did not happen as described: %(title)s."
            ),
            truth_confirmed=_(
                "What you said was confirmed: %(title)s did not happen as described. %(note)s"
            ),
            truth_dismissed=_("What you said about %(title)s was reviewed and dismissed. %(note)s"),
        )
        audit.describe(
            opened={
                "casework:supervision": _("the supervision board"),
                "casework:setup": _("the set-up (teams, rules, deadlines)"),
                "casework:truth-reviews": _("the truthfulness reviews"),
                "api:truth-reviews": _("the truthfulness reviews"),
                "api:supervision": _("the supervision board"),
            },
            tried={
                "casework:setup": _("change the set-up"),
                "casework:supervision": _("urge an item on the supervision board"),
                "api:supervision-urge": _("urge item #%(pk)s on the supervision board"),
                "casework:truth-reviews": _("decide a truthfulness review"),
                "api:truth-review-decision": _("decide truthfulness review #%(pk)s"),
            },
            setup_routes={
                "team": _("the teams"),
                "member": _("the team members"),
                "routingrule": _("the routing rules"),
                "deadline": _("the deadlines"),
                "localcategory": _("the local sub-categories"),
                "localterm": _("the local sensitive terms"),
                "replytemplate": _("the ready answers"),
                "calendaramendment": _("the working calendar"),
            },
        )
