"""Read paths over committees: the public directory of portals (by name or through the tree)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Length

from .models import Committee


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
