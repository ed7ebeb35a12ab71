"""What help cases' events count in the central figures (``reporting.metrics``)."""

from reporting.metrics import Count, Served, declare

from .models import HelpEvent as Kind
from .models import Verification

FIRST = {"first": True}
FINAL = {"final": True}  # a member's last word on the help (no reopening asked)

declare(
    Count("help_received", Kind.RECEIVED),
    Count("help_verified", Kind.VERIFIED, when={"verdict": Verification.Verdict.GENUINE}),
    Count("help_resolved", Kind.RESOLVED),
    Count("help_reported", Kind.REPORTED, when=FIRST),
    Count("help_reported_in_time", Kind.REPORTED, when={**FIRST, "in_time": True}),
    # The influence index's help term: effective ÷ closed, over the members' final words.
    Count("help_closed", Kind.EVALUATED, when=FINAL),
    Count("help_effective", Kind.EVALUATED, when={**FINAL, "real": True, "solved": True}),
    Count("help_ratings", Kind.RATED, unless={"staff": True}),
    Count("help_rating_stars", Kind.RATED, unless={"staff": True}, amount="stars"),
    Count("help_collective", Kind.COLLECTED),
    Count("help_collective_size", Kind.COLLECTED, amount="size"),
    Served(Kind.REPORTED, when=FIRST),
)
