"""Read paths over committees: the public directory of portals (by name or through the tree),
and the outbox's dead messages for the central admin."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Length

from .models import Committee, OutboxAction, OutboxMessage


def directory(*, q: str = "", parent: str = "") -> QuerySet[Committee]:
    """Active committees whose portals anyone may open: those named like ``q`` (name, display
    name or the start of the code), else the children of the committee coded ``parent``,
    else the roots of the tree. Each has ``has_children``; a search lists the higher
    committees first."""
    active = Committee.objects.filter(status=Committee.Status.ACTIVE)
    committees = active.select_related("parent").annotate(
        has_children=Exists(active.filter(parent=OuterRef("pk")))
    )
    q = q.strip()
    if q:
        return committees.filter(
            Q(name__icontains=q) | Q(display_name__icontains=q) | Q(code__startswith=q.lower())
        ).order_by(Length("path"), "path")
    if parent:
        return committees.filter(parent__code=parent).order_by("path")
    return committees.filter(parent__isnull=True).order_by("path")


def dead_messages() -> QuerySet[OutboxMessage]:
    """Dead outbox messages, the oldest first, each with ``waiting_behind`` (its receiver's
    later messages it holds up) and ``receiver_name`` (None when no committee has the code)."""
    behind = (
        OutboxMessage.objects.waiting()
        .filter(receiver=OuterRef("receiver"), id__gt=OuterRef("id"))
        .order_by()
        .values("receiver")
        .annotate(n=Count("pk"))
        .values("n")
    )
    names = Committee.objects.filter(code=OuterRef("receiver")).values("name")[:1]
    return (
        OutboxMessage.objects.dead()
        .annotate(waiting_behind=Coalesce(Subquery(behind), 0), receiver_name=Subquery(names))
        .order_by("id")
    )


def outbox_counts() -> dict[str, int]:
    """Messages waiting (dead ones aside), of them those backing off after a failure, and
    dead ones."""
    waiting = OutboxMessage.objects.waiting()
    return waiting.aggregate(
        waiting=Count("pk", filter=Q(dead_at__isnull=True)),
        backing_off=Count("pk", filter=Q(dead_at__isnull=True, attempts__gt=0)),
        dead=Count("pk", filter=Q(dead_at__isnull=False)),
    )


def outbox_actions(limit: int = 20) -> QuerySet[OutboxAction]:
    """What the central admin last did to dead messages, the newest first."""
    return OutboxAction.objects.select_related("actor", "message")[:limit]
