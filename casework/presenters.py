"""How casework's rows are shown: deadlines as countdowns coloured by urgency, board items
with a link to the item on its committee's portal, and the committees to transfer to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.query import parse_query
from core.links import on_portal
from tenants.models import Committee
from tenants.selectors import directory

from .models import SupervisionItem


def item_url(request, item: SupervisionItem) -> str:
    """The item's page on the portal of the committee handling it ("" when unknown)."""
    return on_portal(request, item.committee_code, item.link)


URGENT = timedelta(hours=2)  # under this: red-orange, act now
SOON = timedelta(hours=8)  # under this: amber, within the working day


@dataclass(frozen=True)
class Countdown:
    """A deadline as staff read it: ``level`` is overdue, urgent, soon or ok."""

    at: datetime
    level: str
    label: str

    @property
    def iso(self) -> str:
        return self.at.isoformat()


def span(delta: timedelta) -> str:
    """A duration in the two largest units that matter: 2天3小时, 3小时20分钟, 15分钟."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(d)sd %(h)sh") % {"d": days, "h": hours}
    if hours:
        return _("%(h)sh %(m)smin") % {"h": hours, "m": minutes}
    return _("%(m)smin") % {"m": minutes}


def countdown(at: datetime | None, now: datetime | None = None) -> Countdown | None:
    """The time left until ``at`` (or past it), coloured by how little is left."""
    if at is None:
        return None
    left = at - (now or timezone.now())
    if left <= timedelta(0):
        return Countdown(at, "overdue", _("%(time)s overdue") % {"time": span(-left)})
    level = "urgent" if left < URGENT else "soon" if left < SOON else "ok"
    return Countdown(at, level, _("%(time)s left") % {"time": span(left)})


def end_of_today(now: datetime) -> datetime:
    """The next local midnight: what is "due today" is due before it."""
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return start + timedelta(days=1)


def countdown_words() -> dict[str, str]:
    """The patterns of ``span`` and ``countdown``, for the script that keeps them counting."""
    return {
        "dh": _("%(d)sd %(h)sh"),
        "hm": _("%(h)sh %(m)smin"),
        "m": _("%(m)smin"),
        "left": _("%(time)s left"),
        "overdue": _("%(time)s overdue"),
    }


def transfer_picker(request, here: Committee) -> dict:
    """The transfer picker without script: the committees found by name (``find``), or one
    branch of the tree (``branch``), else the roots with the level below them."""
    from .api.serializers import PickerQuery

    query = parse_query(PickerQuery, request)
    found, branch = query["find"], query["branch"]
    if found or branch:
        entries = list(directory(q=found, parent=branch)[:PICKER_ROWS])
        return {"find": found, "branch": branch, "entries": entries, "roots": []}
    roots = list(directory())
    for root in roots:
        root.below = list(directory(parent=root.code)[:PICKER_ROWS])
    return {"find": "", "branch": "", "entries": [], "roots": roots, "here": here.code}


PICKER_ROWS = 50


def peers(item) -> dict[str, str]:
    """The names of the committees an item was transferred to and from (its code where the
    committee is gone)."""
    codes = [code for code in (item.transferred_to, item.origin_committee) if code]
    if not codes:
        return {}
    names = dict(Committee.objects.filter(code__in=codes).values_list("code", "name"))
    return {
        "transferred_to": names.get(item.transferred_to, item.transferred_to),
        "origin": names.get(item.origin_committee, item.origin_committee),
    }
