from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _my_bookings(request):
    from . import selectors

    return selectors.bookings_of(request.user)


def _latest(request):
    from django.urls import reverse

    from portal.mine import Item

    return [
        Item(
            f"{b.slot.service.home.name} · {b.slot.service.name}",
            reverse("homes:mine"),
            str(b.get_state_display()),
        )
        for b in _my_bookings(request)[:3]
    ]


class HomesConfig(AppConfig):
    """Youth homes (青年之家): services, slots, bookings and check-in."""

    name = "homes"
    verbose_name = _("Youth homes")

    def ready(self) -> None:
        from capacity import waitlist
        from casework import truth
        from core import notifications
        from portal import mine
        from ratings import services as ratings
        from timeline import kinds

        from . import referrals, services  # noqa: F401 (referrals: its outbox handlers)
        from .models import Booking, HomeEvent

        kinds.register(HomeEvent)
        waitlist.register(services.LINE)
        ratings.register("homes.booking", services.RATEABLE)
        truth.register(Booking, services.VERIFIABLE)
        notifications.register(
            home_booked=_("Booked: %(service)s at %(home)s, %(at)s. Show your code at the door."),
            home_offer=_(
                "A place freed up: %(service)s at %(home)s is held for you until %(until)s."
            ),
            home_reminder=_("Soon: %(service)s at %(home)s, %(at)s. Bring your code."),
            home_offer_lapsed=_("The place held for you at %(service)s has passed to the next."),
            home_referred=_("Sent to %(home)s for an offline service: “%(title)s”. Offer a time."),
            home_referral_offer=_(
                "%(home)s offers you %(service)s, %(at)s, for what you asked. Confirm it."
            ),
        )
        mine.register(
            mine.Section(
                key="bookings",
                title=_("My bookings"),
                url_name="homes:mine",
                order=30,
                count=lambda request: _my_bookings(request).count(),
                latest=_latest,
            )
        )
