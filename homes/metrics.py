"""What youth homes' events count in the central figures (``reporting.metrics``)."""

from django.utils.translation import gettext_lazy as _

from reporting.metrics import Count, Served, declare

from .models import HomeEvent as Kind

declare(
    Count("home_bookings", Kind.BOOKED, label=_("Youth-home bookings")),
    Count("home_promotions", Kind.PROMOTED, label=_("Booked from the waitlist")),
    Count("home_cancellations", Kind.CANCELLED, label=_("Bookings cancelled")),
    Count("home_attended", Kind.ATTENDED, label=_("Youths checked in")),
    Count("home_no_shows", Kind.NO_SHOW, label=_("No-shows")),
    Count("home_ratings", Kind.RATED, unless={"staff": True}, label=_("Youth-home ratings")),
    Count("home_rating_stars", Kind.RATED, unless={"staff": True}, amount="stars"),
    Count(
        "home_not_as_described",
        Kind.RATED,
        when={"real": False},
        unless={"staff": True},
        label=_("Services not as described"),
    ),
    Count("home_fake", Kind.FAKE_CONFIRMED, label=_("Services confirmed not real")),
    Count("home_consultations", Kind.CONSULTED, label=_("Questions to youth homes")),
    # Offline services (O2O), counted where they were sent from (not the home's own copy).
    Count("o2o_referrals", Kind.REFERRED, unless={"home_side": True}, label=_("Sent offline")),
    Count(
        "o2o_booked",
        Kind.REFERRAL_BOOKED,
        unless={"home_side": True},
        label=_("Offline services booked"),
    ),
    Count(
        "o2o_served",
        Kind.REFERRAL_ATTENDED,
        unless={"home_side": True},
        label=_("Offline services given"),
    ),
    Count("o2o_no_shows", Kind.REFERRAL_NO_SHOW, unless={"home_side": True}),
    # A youth served at a home: checked in.
    Served(Kind.ATTENDED),
)
