"""The console's tables as headers and rows: shown on the page, served by the API and
exported as CSV or XLSX from the same rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from franchise.models import Category

from . import selectors
from .metrics import COUNTS
from .scope import Scope
from .selectors import Summary

LABELS = {
    "asked": _("Asked"),
    "answered": _("Answered"),
    "answered_by_league": _("Answered by the League"),
    "solved": _("Solved"),
    "overdue": _("Overdue"),
    "transferred_in": _("Transferred in"),
    "transferred_out": _("Transferred out"),
    "ratings": _("Ratings"),
    "rating_stars": _("Stars"),
    "ratings_high": _("Ratings of 4–5"),
    "visits": _("Effective visits"),
    "youths": _("Youths served"),
    "satisfaction": _("Satisfaction"),
    "index": _("Influence index"),
    "response_median_s": _("First response, median (h)"),
    "response_p90_s": _("First response, 90% (h)"),
    "rating_mean": _("Mean rating"),
    "high_share": _("Share of 4–5"),
    "deflected": _("Answers taken instead of asking"),
    "deflection_rate": _("Deflection rate"),
}
# The columns a ranking shows, in order: these, then every labelled declared column (``ranked``).
_RANKED = [
    "asked",
    "answered",
    "answered_by_league",
    "response_median_s",
    "response_p90_s",
    "solved",
    "overdue",
    "transferred_in",
    "transferred_out",
    "ratings",
    "rating_mean",
    "high_share",
    "satisfaction",
    "deflected",
    "deflection_rate",
]
_LAST = ["youths", "visits", "index"]


def ranked() -> list[str]:
    """The ranking's columns: the question loop's and the computed ones, each domain's
    labelled counts (``reporting.metrics.Count.label``), then youths, visits and the index."""
    declared = [c.column for c in COUNTS if c.label is not None and c.column not in LABELS]
    return [*_RANKED, *declared, *_LAST]


def label(name: str) -> str:
    if name in LABELS:
        return str(LABELS[name])
    return str(next(c.label for c in COUNTS if c.column == name))


def _hours(seconds: float | None) -> float | None:
    return round(seconds / 3600, 1) if seconds is not None else None


def _round(value: float | None, digits: int = 2) -> float | None:
    return round(value, digits) if value is not None else None


def cell(summary: Summary, name: str):
    """One figure of a summary as shown and exported."""
    if name in ("response_median_s", "response_p90_s"):
        return _hours(getattr(summary, name))
    if name == "index":
        return summary.index.value if summary.index else None
    if name in ("rating_mean", "satisfaction", "high_share", "deflection_rate"):
        return _round(getattr(summary, name))
    if name == "youths":
        return summary.youths
    return summary.figures[name]


Table = tuple[str, list[str], list[list]]


def ranking(scope: Scope) -> Table:
    rows = selectors.ranking(scope.node, scope.period, sort=scope.sort, level=scope.level)
    columns = ranked()
    headers = [str(_("Committee")), str(_("Code")), *(label(n) for n in columns)]
    body = [[r.committee.name, r.committee.code, *(cell(r, n) for n in columns)] for r in rows]
    return str(_("Ranking")), headers, body


def trend(scope: Scope) -> Table:
    columns = ["asked", "answered", "answered_by_league", "solved", "overdue", "ratings", "visits"]
    headers = [str(_("Day")), *(str(LABELS[c]) for c in columns)]
    body = [
        [row["day"].isoformat(), *(row[c] for c in columns)]
        for row in selectors.trend(scope.node, scope.period)
    ]
    return str(_("By day")), headers, body


def categories(scope: Scope) -> Table:
    columns = ["asked", "answered", "answered_by_league", "solved", "overdue", "ratings"]
    figures = selectors.by_category(scope.node, scope.period)
    headers = [str(_("Category")), *(str(LABELS[c]) for c in columns)]
    body = [
        [category.name, *(figures.get(category.code, {}).get(c, 0) for c in columns)]
        for category in Category.objects.all()
    ]
    return str(_("By category")), headers, body


def topics(scope: Scope) -> Table:
    found = selectors.hot_topics(scope.node, today=scope.period.end, category=scope.period.category)
    headers = [
        str(_("Term")),
        str(_("This week")),
        str(_("Last week")),
        str(_("Usual")),
        str(_("Rise")),
    ]
    return (
        str(_("Hot topics")),
        headers,
        [[t.label, t.this_week, t.last_week, round(t.usual, 1), round(t.rise, 2)] for t in found],
    )


TABLES: dict[str, Callable[[Scope], Table]] = {
    "ranking": ranking,
    "trend": trend,
    "categories": categories,
    "topics": topics,
}


def as_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read the Chinese."""
    _title, headers, body = table
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(["" if value is None else value for value in row] for row in body)
    return ("\ufeff" + out.getvalue()).encode()


def as_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook

    title, headers, body = table
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(headers)
    for row in body:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
