"""What help cases' events count in the central figures (``reporting.metrics``)."""

from django.utils.translation import gettext_lazy as _

from casework.models import Team
from reporting.metrics import Count, Served, declare

from .models import HelpEvent as Kind
from .models import Verification

FIRST = {"first": True}
FINAL = {"final": True}  # a member's last word on the help (no reopening asked)

declare(
    Count("help_received", Kind.RECEIVED, label=_("Help requests")),
    Count(
        "help_verified",
        Kind.VERIFIED,
        when={"verdict": Verification.Verdict.GENUINE},
        label=_("Verified genuine"),
    ),
    Count("help_resolved", Kind.RESOLVED, label=_("Help resolved")),
    Count("help_reported", Kind.REPORTED, when=FIRST, label=_("Reported back")),
    Count(
        "help_reported_in_time",
        Kind.REPORTED,
        when={**FIRST, "in_time": True},
        label=_("Reported back in time"),
    ),
    # The influence index's help term: effective ÷ closed, over the members' final words.
    Count("help_closed", Kind.EVALUATED, when=FINAL, label=_("Help evaluated")),
    Count(
        "help_effective",
        Kind.EVALUATED,
        when={**FINAL, "real": True, "solved": True},
        label=_("Help effective"),
    ),
    Count(
        "help_not_real",
        Kind.EVALUATED,
        when={**FINAL, "real": False},
        label=_("Help said not real"),
    ),
    Count("help_fake", Kind.FAKE_CONFIRMED, label=_("Help confirmed not real")),
    Count("help_ratings", Kind.RATED, unless={"staff": True}),
    Count("help_rating_stars", Kind.RATED, unless={"staff": True}, amount="stars"),
    # Cases organisations handled to the report back: League ones (团内) and social ones (团外).
    Count(
        "help_by_league_orgs",
        Kind.REPORTED,
        when={**FIRST, "sector": Team.Sector.LEAGUE},
        label=_("Help by League organisations"),
    ),
    Count(
        "help_by_social_orgs",
        Kind.REPORTED,
        when={**FIRST, "sector": Team.Sector.SOCIAL},
        label=_("Help by social organisations"),
    ),
    # Moved between committees: counted where each move happened (copies count nowhere).
    Count("help_transferred_out", Kind.TRANSFERRED_OUT, label=_("Help transferred out")),
    Count("help_transferred_in", Kind.TRANSFERRED_IN, label=_("Help transferred in")),
    Count("help_collective", Kind.COLLECTED, label=_("Collective demands")),
    Count(
        "help_collective_size",
        Kind.COLLECTED,
        amount="size",
        label=_("Youths in collective demands"),
    ),
    Served(Kind.REPORTED, when=FIRST),
)
