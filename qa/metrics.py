"""What the question loop's events count in the central figures (``reporting.metrics``)."""

from reporting.metrics import Count, Served, Timed, declare

from .models import QuestionEvent as Kind
from .models import Reply

FIRST = {"first": True}
BY_STAFF = {"staff": True}  # the committee's own staff rating: not a youth's judgement

declare(
    Count("asked", Kind.ASKED),
    Count("answered", Kind.ANSWERED, when=FIRST),  # first answers by staff
    Count(
        "answered_by_league", Kind.ANSWERED, when={**FIRST, "by": Reply.AuthorKind.CADRE}
    ),  # 团帮青
    Count("solved", Kind.SOLVED),
    Count("overdue", Kind.OVERDUE),
    Count("transferred_in", Kind.TRANSFERRED_IN),
    Count("transferred_out", Kind.TRANSFERRED_OUT),
    Count("ratings", Kind.RATED, unless=BY_STAFF),
    Count("rating_stars", Kind.RATED, unless=BY_STAFF, amount="stars"),
    Count("ratings_high", Kind.RATED, unless=BY_STAFF, at_least=("stars", 4)),
    # Answers taken instead of asking the same question again (duplicates at asking time).
    Count("deflected", Kind.DEFLECTED),
    Served(Kind.ANSWERED, when=FIRST),
    Timed(Kind.ANSWERED, "response_s", when=FIRST),
)
