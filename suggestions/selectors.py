"""What the suggestions' pages and API read."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from .models import Suggestion

State = Suggestion.State


def mine(youth) -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(youth=youth).order_by("-created_at", "-pk")


def for_staff(state: str = "") -> QuerySet[Suggestion]:
    """Every suggestion, the waiting ones first, each newest first;
    ``state`` keeps one state."""
    found = Suggestion.objects.all()
    if state in State.values:
        found = found.filter(state=state)
    waiting_first = Case(
        When(state=State.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return found.annotate(waiting=waiting_first).order_by("waiting", "-created_at", "-pk")


def figures() -> dict:
    """Received, answered, adopted and the adoption rate (adopted ÷ received)."""
    counts = Suggestion.objects.aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=~Q(state=State.OPEN)),
        adopted=Count("pk", filter=Q(state=State.ADOPTED)),
    )
    received = counts["received"]
    counts["adoption_rate"] = round(counts["adopted"] / received, 3) if received else None
    return counts
