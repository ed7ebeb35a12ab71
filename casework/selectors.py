"""Read paths of casework: set-up checks and the supervision board."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Member, RoutingRule, SupervisionItem


def member_taken(*, team, user, besides: int | None = None) -> bool:
    """Whether ``user`` is already in ``team`` (other than the membership ``besides``)."""
    return _other_than(Member.objects.filter(team=team, user=user), besides).exists()


def rule_taken(*, category=None, local_category=None, besides: int | None = None) -> bool:
    """Whether the local sub-category, else the standard category, already has a rule
    (other than the rule ``besides``)."""
    if local_category is not None:
        rules = RoutingRule.objects.filter(local_category=local_category)
    else:
        rules = RoutingRule.objects.filter(category=category, local_category__isnull=True)
    return _other_than(rules, besides).exists()


def _other_than(rows: QuerySet, pk: int | None) -> QuerySet:
    return rows if pk is None else rows.exclude(pk=pk)


def supervision_board() -> QuerySet[SupervisionItem]:
    return SupervisionItem.objects.all()
