from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _mine(request):
    from . import selectors

    return selectors.registrations_of(request.user)


def _latest(request):
    from django.urls import reverse

    from portal.mine import Item

    return [
        Item(r.activity.title, reverse("activities:mine"), str(r.get_state_display()))
        for r in _mine(request)[:3]
    ]


class ActivitiesConfig(AppConfig):
    """Activities (找活动): publishing, registration alone or in teams, check-in at the venue,
    photos and the participants' evaluation."""

    name = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from capacity import waitlist
        from casework import truth
        from core import notifications
        from portal import mine
        from ratings import services as ratings
        from reactions import services as reactions
        from shares import services as shares
        from timeline import kinds

        # reports and campaigns: their outbox handlers
        from . import campaigns, registration, reports, services  # noqa: F401
        from .models import Activity, ActivityEvent

        kinds.register(ActivityEvent)
        truth.register(Activity, reports.VERIFIABLE)
        waitlist.register(registration.LINE)
        ratings.register("activities.registration", services.RATEABLE)
        shares.register(Activity, services.SHAREABLE)
        reactions.register(Activity, services.REACTABLE)
        notifications.register(
            activity_registered=_("Registered: %(title)s, %(at)s. Scan the venue's code there."),
            activity_offer=_("A place freed up at %(title)s: it is held for you until %(until)s."),
            activity_offer_lapsed=_("The place held for you at %(title)s has passed to the next."),
            activity_changed=_("%(title)s has changed: it is now %(at)s. See its page."),
            activity_cancelled=_("%(title)s (%(at)s) is cancelled. %(reason)s"),
            activity_message=_("%(title)s: %(text)s"),
            campaign_received=_("A campaign from above: %(title)s. Publish activities under it."),
        )
        mine.register(
            mine.Section(
                key="activities",
                title=_("My activities"),
                url_name="activities:mine",
                order=35,
                count=lambda request: _mine(request).count(),
                latest=_latest,
            )
        )
