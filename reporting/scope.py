"""What a dashboard request asks for (which committee's subtree, which days, category, level,
order) and whether the account may see it: the same rules for pages, API and exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core import access
from core.errors import ServiceError
from franchise.models import Category
from tenants.models import Committee

from .selectors import SORTS, Period, local_day_now

MAX_DAYS = 366


@dataclass(frozen=True)
class Scope:
    node: Committee  # whose subtree the figures are of
    top: Committee  # the highest committee the account may read above or at ``node``
    period: Period
    level: str | None  # rank every committee of this level in the subtree, else the children
    sort: str

    @property
    def trail(self) -> list[Committee]:
        """From ``top`` down to ``node``, for the breadcrumbs."""
        codes = self.node.path.strip("/").split("/")
        start = codes.index(self.top.code)
        found = {c.code: c for c in Committee.objects.filter(code__in=codes[start:])}
        return [found[code] for code in codes[start:]]

    def query(self, **changes) -> str:
        """The query string of this scope with ``changes`` (for links that keep the filters)."""
        from django.utils.http import urlencode

        params = {
            "node": self.node.code,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "category": self.period.category or "",
            "level": self.level or "",
            "sort": self.sort,
            **changes,
        }
        return urlencode({k: v for k, v in params.items() if v})


def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ServiceError("invalid_date", _("Give dates as YYYY-MM-DD."), field=name) from None


def _period(params) -> Period:
    category = params.get("category") or None
    if category and not Category.objects.filter(code=category).exists():
        raise ServiceError("invalid_category", _("No such category."), field="category")
    end = _day(params["end"], "end") if params.get("end") else local_day_now()
    if params.get("start"):
        start = _day(params["start"], "start")
    else:
        days = params.get("days") or "30"
        if not days.isdigit() or not 1 <= int(days) <= MAX_DAYS:
            raise ServiceError("invalid_days", _("Give between 1 and 366 days."), field="days")
        start = end - timedelta(days=int(days) - 1)
    if start > end:
        raise ServiceError("invalid_period", _("The start comes after the end."), field="start")
    if (end - start).days >= MAX_DAYS:
        raise ServiceError("invalid_period", _("Give at most 366 days."), field="start")
    return Period(start, end, category)


def readable_top(user, committee: Committee | None) -> Committee | None:
    """The highest committee ``user`` may read at or above ``committee`` (or anywhere, when
    None): where their dashboard starts."""
    readable = access.readable_committees(user)
    if committee is not None:
        readable = readable.filter(code__in=committee.path.strip("/").split("/"))
    return readable.order_by("path").first()


def scope_of(request, params, *, here: Committee | None) -> Scope:
    """The scope asked for by ``params`` on the domain of ``here`` (None: the console, where
    any committee the account may read can be asked for; a portal shows its own subtree).
    Raises PermissionDenied for a committee the account may not read, ServiceError for bad
    input."""
    user, code = request.user, params.get("node")
    if here is None:
        node = Committee.objects.filter(code=code).first() if code else readable_top(user, None)
    else:
        node = Committee.objects.filter(code=code).first() if code else here
        if node is not None and not node.is_within(here):
            node = None
    if node is None or not access.access_to(user, node).can_read:
        raise PermissionDenied
    top = here if here is not None else readable_top(user, node) or node
    level = params.get("level") or None
    if level and level not in Committee.Level.values:
        raise ServiceError("invalid_level", _("No such level."), field="level")
    sort = params.get("sort") or "index"
    if sort not in SORTS:
        raise ServiceError("invalid_sort", _("Cannot sort by that."), field="sort")
    return Scope(node=node, top=top, period=_period(params), level=level, sort=sort)
