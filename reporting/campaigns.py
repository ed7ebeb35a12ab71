"""A campaign's national page (重磅项目): its figures rolled up per province and city from
the public figures (``CampaignFigures``, one indexed read per node), and the activities and
entries every committee published under it (``franchise.CampaignListing``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from core import access
from franchise.models import Campaign, CampaignListing
from tenants.models import Committee

from .metrics import COUNTS
from .models import CampaignFigures
from .selectors import below


@dataclass(frozen=True)
class Row:
    committee: Committee
    figures: dict[str, int]
    committees: int = 0  # committees of its subtree that published under the campaign


def scope(
    user, campaign: Campaign, *, here: Committee | None, node: str = "", level: str = ""
) -> tuple[Committee, str | None]:
    """The node a campaign page shows: asked for (``node``), else where it was launched (on
    a portal, its committee); within the portal's subtree, and one the reader may read (else
    the highest one they may). Raises PermissionDenied when there is none."""
    from django.core.exceptions import PermissionDenied

    from .scope import readable_top

    found = Committee.objects.filter(code=node).first() if node else None
    found = found or (campaign.node if here is None else here)
    if here is not None and not found.is_within(here):
        found = here
    if not access.access_to(user, found).can_read:
        found = readable_top(user, found) or readable_top(user, None)
    if found is None:
        raise PermissionDenied
    return found, level if level in Committee.Level.values else None


def _labelled() -> list[str]:
    return [count.column for count in COUNTS if count.label]


def _sums(campaign: Campaign, committees: list[Committee]) -> dict[int, dict[str, int]]:
    columns = _labelled()
    rows = (
        CampaignFigures.objects.filter(
            campaign=campaign.code, is_subtree=True, committee__in=committees
        )
        .values("committee")
        .annotate(**{column: Sum(column) for column in columns})
        .order_by()
    )
    return {
        row["committee"]: {column: int(row[column] or 0) for column in columns}  # type: ignore[literal-required]
        for row in rows
    }


def _publishers(campaign: Campaign, committees: list[Committee]) -> dict[int, int]:
    """How many committees of each one's subtree listed an activity under the campaign."""
    found = {}
    for committee in committees:
        found[committee.pk] = CampaignListing.objects.filter(
            campaign=campaign,
            kind=CampaignListing.Kind.ACTIVITY,
            committee__path__startswith=committee.path,
        ).aggregate(n=Count("committee", distinct=True))["n"]
    return found


def rollup(
    campaign: Campaign, node: Committee, *, level: str | None = None
) -> tuple[Row, list[Row]]:
    """The node's figures under the campaign, and each committee right below it (or of
    ``level`` in its subtree), most registrations first."""
    children = below(node, level)
    everyone = [node, *children]
    sums, publishers = _sums(campaign, everyone), _publishers(campaign, everyone)
    zeros = dict.fromkeys(_labelled(), 0)

    def row(committee: Committee) -> Row:
        return Row(committee, sums.get(committee.pk, zeros), publishers.get(committee.pk, 0))

    ranked = sorted(
        (row(c) for c in children), key=lambda r: (-sum(r.figures.values()), r.committee.path)
    )
    return row(node), ranked


def shown_columns(totals: Row) -> list[str]:
    """The labelled counts the campaign moved (every domain's that it did)."""
    return [column for column in _labelled() if totals.figures.get(column)]


def listings(campaign: Campaign, node: Committee, kind: str) -> QuerySet[CampaignListing]:
    return (
        CampaignListing.objects.filter(
            campaign=campaign, kind=kind, is_shown=True, committee__path__startswith=node.path
        )
        .select_related("committee")
        .order_by("-starts_at", "-id")
    )


def visible(user, here: Committee | None) -> QuerySet[Campaign]:
    """The campaigns a reader sees: those launched for a subtree they read or are in."""
    readable = access.readable_committees(user)
    if here is not None:
        readable = readable.filter(path__startswith=here.path)
    paths = list(readable.values_list("path", flat=True)[:500])
    if not paths:
        return Campaign.objects.none()
    query = Q()
    for path in paths:
        # Launched above or at a readable committee (it received it), or inside its subtree.
        query |= Q(node__path__startswith=path)
        codes = path.strip("/").split("/")
        query |= Q(node__code__in=codes)
    return Campaign.objects.filter(query).select_related("node").distinct()
