from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Casework")

    def ready(self) -> None:
        from core import notifications
        from reporting import audit

        from . import supervision, transfer  # noqa: F401  (register their outbox topics)

        notifications.register(
            overdue=_("“%(title)s” is overdue."),
            escalated=_("“%(title)s” (%(where)s) is on the supervision board."),
            urged=_("%(where)s urges “%(title)s”: %(note)s"),
        )
        audit.describe(
            opened={
                "casework:supervision": _("the supervision board"),
                "casework:setup": _("the set-up (teams, rules, deadlines)"),
                "api:supervision": _("the supervision board"),
            },
            tried={
                "casework:setup": _("change the set-up"),
                "casework:supervision": _("urge an item on the supervision board"),
                "api:supervision-urge": _("urge item #%(pk)s on the supervision board"),
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
