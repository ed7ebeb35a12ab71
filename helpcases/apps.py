from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _my_cases(request):
    from . import selectors

    return selectors.cases_of(request.user)


def _latest(request):
    from django.urls import reverse

    from portal.mine import Item

    return [
        Item(c.title, reverse("helpcases:case", args=[c.pk]), str(c.get_state_display()))
        for c in _my_cases(request)[:3]
    ]


class HelpcasesConfig(AppConfig):
    name = "helpcases"
    verbose_name = _("Help cases")

    def ready(self) -> None:
        from casework import cases, truth
        from core import notifications
        from portal import mine
        from ratings import services as ratings
        from reporting import audit
        from similarity import service as similarity
        from timeline import kinds

        from . import collective, services
        from .models import HelpCase, HelpEvent

        kinds.register(HelpEvent)
        cases.register(services.CASE_TYPE)
        ratings.register("helpcases.helpcase", services.RATEABLE)
        truth.register(HelpCase, services.VERIFIABLE)
        # Open cases are what staff group into collective demands.
        similarity.register(
            similarity.Source(
                name=collective.SOURCE, rows=collective.groupable, has_characters=True
            )
        )
        notifications.register(
            help_routed=_("Your request “%(title)s” was passed to %(team)s."),
            help_verifying=_("Your request “%(title)s” is being verified."),
            help_needs_more=_("Your request “%(title)s” needs more information from you."),
            help_not_genuine=_("Your request “%(title)s” was closed after verification."),
            help_rejected=_("Your request “%(title)s” could not be published."),
            help_reported=_("The result of “%(title)s” is in: please evaluate the help."),
            help_grouped=_("“%(title)s” is now handled as a collective demand."),
            help_assigned=_("A help request was assigned to you: “%(title)s”."),
            help_queued=_("A new help request is waiting: “%(title)s”."),
            help_reopened=_("“%(title)s” was reopened by the youth's evaluation."),
            help_transferred=_(
                "Your request “%(title)s” was transferred to %(where)s, which handles it: "
                "follow it there."
            ),
        )
        audit.describe(
            opened={
                "helpcases:queue": _("the help-case queue"),
                "helpcases:handle": _("the handling page of help case #%(pk)s"),
                "helpcases:case": _("help case #%(pk)s"),
                "api:help-queue": _("the help-case queue"),
                "api:help-case": _("help case #%(pk)s"),
                "api:help-case-suggestions": _("the cases alike help case #%(pk)s"),
            },
            tried={
                "helpcases:handle": _("act on help case #%(pk)s"),
                "api:help-case-step": _("act on help case #%(pk)s"),
                "api:help-cases-group": _("group help cases"),
                "api:help-action-done": _("mark action #%(pk)s of a help case done"),
                "api:question-help-case": _("turn question #%(pk)s into a help case"),
                "helpcases:from-question": _("turn question #%(pk)s into a help case"),
            },
        )
        mine.register(
            mine.Section(
                key="help",
                title=_("My help requests"),
                url_name="helpcases:mine",
                order=20,
                count=lambda request: _my_cases(request).count(),
                latest=_latest,
            )
        )
