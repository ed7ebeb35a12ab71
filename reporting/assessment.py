"""The assessment (考核) of the committees below a node over a month, a quarter or a year.

Each indicator is measured on a committee's subtree figures for the period (the rollup,
``reporting.selectors.summaries``), with the sample it rests on:

* 活跃度 ``activity``: the distinct youths served (asked and were answered, were helped,
  attended, rated…), not visits, which anyone can inflate;
* 满意度 ``satisfaction``: the mean of every youth rating (answers, help, youth-home services,
  activities), shrunk toward the national mean as the index's standard says;
* ``answer_rate``: questions answered ÷ those to answer (asked there, less those transferred
  out, plus those transferred in); ``answer_time``: the median hours to the first
  answer (less is better);
* ``help``: help cases whose youths said the help was real and solved ÷ those evaluated;
* ``activities``: activities that count (registrations and photos, not confirmed fake);
* ``truthfulness``: 1 − (help, youth-home services and activities youths said not real + those
  the committee above confirmed not real, ``casework.truth``) ÷ their evaluations and ratings;
* the four integrations (四个融合), each by its own function: ``with_activities`` activities
  held with check-ins + campaign entries; ``with_homes`` youth-home services attended + O2O
  referrals served; ``with_organisations`` help reported by League and social organisations +
  answers by experts, organisations and departments; ``with_tree`` questions and help cases
  transferred along the tree, in and out.

Among the committees ranked, an indicator's points are value ÷ the best value × 100 (the best
÷ value for ``answer_time``); a committee with nothing to measure gets 0. The total is the
weighted mean of the points by the standard (``franchise.AssessmentStandard``) in force on the
period's first day for the node: its own province's if it has one, else the central one. The
previous period is assessed the same way for the trend.

Example: weights 20 for activity and 20 for satisfaction only; 越秀 served 400 youths (the
most) with satisfaction 4.2, 天河 300 with 4.5 (the best): 越秀 = (20 × 100 + 20 × 93.3) ÷ 40 =
96.7, 天河 = (20 × 75 + 20 × 100) ÷ 40 = 87.5.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from franchise import influence
from franchise.models import AssessmentStandard, in_force
from franchise.standards import ASSESSMENT_INDICATORS
from tenants.models import Committee

from . import selectors
from .models import DailyFigures
from .selectors import Period, Summary

# ---------------------------------------------------------------- periods


@dataclass(frozen=True)
class Term:
    """An assessment period: a month ("2026-11"), a quarter ("2026-Q4") or a year ("2026")."""

    start: date
    end: date
    code: str

    @classmethod
    def parse(cls, text: str) -> Term:
        text = (text or "").strip().upper()
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
            year, month = int(m[1]), int(m[2])
            if 1 <= month <= 12:
                return cls.month(year, month)
        elif m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
            year, quarter = int(m[1]), int(m[2])
            start = date(year, 3 * quarter - 2, 1)
            return cls(start, _month_end(year, 3 * quarter), f"{year}-Q{quarter}")
        elif m := re.fullmatch(r"(\d{4})", text):
            year = int(m[1])
            return cls(date(year, 1, 1), date(year, 12, 31), str(year))
        raise ValidationError(_("Give a month (2026-11), a quarter (2026-Q4) or a year (2026)."))

    @classmethod
    def month(cls, year: int, month: int) -> Term:
        return cls(date(year, month, 1), _month_end(year, month), f"{year}-{month:02d}")

    @classmethod
    def last_month(cls, today: date) -> Term:
        previous = today.replace(day=1) - timedelta(days=1)
        return cls.month(previous.year, previous.month)

    def previous(self) -> Term:
        if re.fullmatch(r"\d{4}-\d{2}", self.code):
            return Term.last_month(self.start)
        if "Q" in self.code:
            before = self.start - timedelta(days=1)
            return Term.parse(f"{before.year}-Q{(before.month - 1) // 3 + 1}")
        return Term.parse(str(self.start.year - 1))

    @property
    def label(self) -> str:
        if re.fullmatch(r"\d{4}-\d{2}", self.code):
            return _("%(year)s-%(month)s") % {"year": self.start.year, "month": self.start.month}
        if "Q" in self.code:
            return _("Q%(quarter)s %(year)s") % {
                "year": self.start.year,
                "quarter": (self.start.month - 1) // 3 + 1,
            }
        return _("the year %(year)s") % {"year": self.start.year}

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


# ---------------------------------------------------------------- indicators


@dataclass(frozen=True)
class Basis:
    """What every committee's measures share in a period: satisfaction's prior."""

    national_mean: float
    prior_weight: int


Measure = Callable[[Summary, Basis], tuple[float | None, int]]


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    measure: Measure  # the value (None: nothing to measure) and the sample it rests on
    lower_is_better: bool = False


RATED = [
    ("ratings", "rating_stars"),
    ("help_ratings", "help_rating_stars"),
    ("home_ratings", "home_rating_stars"),
    ("activity_ratings", "activity_rating_stars"),
]


def _ratings(f: dict[str, int]) -> tuple[int, int]:
    return sum(f[n] for n, _s in RATED), sum(f[s] for _n, s in RATED)


def _share(part: int, whole: int) -> tuple[float | None, int]:
    return (part / whole if whole else None), whole


def _count(n: int) -> tuple[float | None, int]:
    return float(n), n


def _satisfaction(summary: Summary, basis: Basis) -> tuple[float | None, int]:
    n, stars = _ratings(summary.figures)
    shrunk = influence.shrunk_mean(
        stars, n, prior_mean=basis.national_mean, prior_weight=basis.prior_weight
    )
    return (shrunk if n else None), n


def _to_answer(f: dict[str, int]) -> int:
    """The questions a committee had to answer: those asked there, less those it passed to
    another committee, plus those passed to it (each answered where it ended up)."""
    return max(f["asked"] - f["transferred_out"] + f["transferred_in"], 0)


def _answer_time(summary: Summary, basis: Basis) -> tuple[float | None, int]:
    median = summary.response_median_s
    return (median / 3600 if median is not None else None), sum(summary.histogram.values())


def _truthfulness(summary: Summary, basis: Basis) -> tuple[float | None, int]:
    f = summary.figures
    rated = f["home_ratings"] + f["activity_ratings"] + f["help_closed"]
    said = f["home_not_as_described"] + f["activity_not_as_described"] + f["help_not_real"]
    untrue = said + f["home_fake"] + f["activities_fake"] + f["help_fake"]
    if not rated:
        return None, 0
    return max(0.0, 1 - untrue / rated), rated


_MEASURES: dict[str, tuple[Measure, bool]] = {
    "activity": (lambda s, p: _count(s.youths), False),
    "satisfaction": (_satisfaction, False),
    "answer_rate": (lambda s, p: _share(s.figures["answered"], _to_answer(s.figures)), False),
    "answer_time": (_answer_time, True),
    "help": (lambda s, p: _share(s.figures["help_effective"], s.figures["help_closed"]), False),
    "activities": (
        lambda s, p: _count(
            max(s.figures["activities_counted"] - s.figures["activities_uncounted"], 0)
        ),
        False,
    ),
    "truthfulness": (_truthfulness, False),
    "with_activities": (
        lambda s, p: _count(s.figures["activities_held"] + s.figures["activity_entries"]),
        False,
    ),
    "with_homes": (
        lambda s, p: _count(s.figures["home_attended"] + s.figures["o2o_served"]),
        False,
    ),
    "with_organisations": (
        lambda s, p: _count(
            s.figures["help_by_league_orgs"]
            + s.figures["help_by_social_orgs"]
            + s.figures["answered"]
            - s.figures["answered_by_league"]
        ),
        False,
    ),
    "with_tree": (
        lambda s, p: _count(
            s.figures["transferred_in"]
            + s.figures["transferred_out"]
            + s.figures["help_transferred_in"]
            + s.figures["help_transferred_out"]
        ),
        False,
    ),
}

INDICATORS: list[Indicator] = [
    Indicator(code, label, *_MEASURES[code]) for code, label in ASSESSMENT_INDICATORS
]
CODES = [indicator.code for indicator in INDICATORS]


# ---------------------------------------------------------------- standards


def standard_for(node: Committee, day: date) -> AssessmentStandard:
    """The standard that assesses ``node``'s committees in a period starting ``day``: the
    nearest ancestor's (or its own) in force then, else the central one."""
    codes = node.path.strip("/").split("/")
    found = {
        s.node.code if s.node else "": s
        for s in reversed(
            AssessmentStandard.objects.filter(
                effective_from__lte=day, node__code__in=codes
            ).select_related("node")
        )
    }
    for code in reversed(codes):
        if code in found:
            return found[code]
    return in_force(AssessmentStandard.objects.filter(node=None), day)


# ---------------------------------------------------------------- the report


@dataclass
class Cell:
    value: float | None
    sample: int
    points: float = 0.0
    rank: int = 0


@dataclass
class Row:
    committee: Committee
    cells: dict[str, Cell]
    total: float = 0.0
    rank: int = 0
    previous_total: float | None = None
    previous_rank: int | None = None

    @property
    def change(self) -> float | None:
        return None if self.previous_total is None else round(self.total - self.previous_total, 1)


@dataclass
class Report:
    node: Committee
    term: Term
    standard: AssessmentStandard
    rows: list[Row] = field(default_factory=list)
    level: str | None = None

    @property
    def indicators(self) -> list[tuple[Indicator, float]]:
        return [(i, float(self.standard.weights.get(i.code, 0))) for i in INDICATORS]


def _rows(committees: list[Committee], term: Term, standard: AssessmentStandard) -> list[Row]:
    period = term.period
    basis = Basis(
        national_mean=_national_mean(period),
        prior_weight=influence.standard_for(term.start).rating_prior_weight,
    )
    rows = []
    for summary in selectors.summaries(committees, period):
        measured = {i.code: Cell(*i.measure(summary, basis)) for i in INDICATORS}
        rows.append(Row(summary.committee, measured))
    weights = {code: float(standard.weights.get(code, 0)) for code in CODES}
    for indicator in INDICATORS:
        cells = [row.cells[indicator.code] for row in rows]
        values = [c.value for c in cells if c.value is not None]
        best = (min(values) if indicator.lower_is_better else max(values)) if values else None
        for cell in cells:
            cell.points = _points(cell.value, best, lower=indicator.lower_is_better)
        # Equal points, equal rank (1, 2, 2, 4).
        for cell in cells:
            cell.rank = 1 + sum(other.points > cell.points for other in cells)
    total_weight = sum(weights.values()) or 1.0
    for row in rows:
        row.total = round(
            sum(weights[code] * row.cells[code].points for code in CODES) / total_weight, 1
        )
    rows.sort(key=lambda row: (-row.total, row.committee.path))
    for place, row in enumerate(rows, start=1):
        row.rank = place
    return rows


def _points(value: float | None, best: float | None, *, lower: bool) -> float:
    if value is None or best is None:
        return 0.0
    if lower:
        return round(100 * best / value, 1) if value > 0 else 100.0
    return round(100 * value / best, 1) if best > 0 else 0.0


def _national_mean(period: Period) -> float:
    """The mean of every youth rating on the platform over the period."""
    columns = [column for pair in RATED for column in pair]
    sums = DailyFigures.objects.filter(
        committee__parent=None, is_subtree=True, day__range=(period.start, period.end)
    ).aggregate(**{column: Sum(column) for column in columns})
    n, stars = _ratings({column: sums[column] or 0 for column in columns})
    return stars / n if n else 0.0


def assessed_by(node: Committee | None) -> Committee | None:
    """The node whose committees a standard of ``node`` (None: the central one) assesses."""
    return node or Committee.objects.filter(parent=None).exclude(schema_name="public").first()


def preview(
    node: Committee | None, *, weights: dict, effective_from: date, today: date
) -> tuple[Report, Report] | None:
    """Last month's assessment of the committees ``node``'s standard assesses, by the
    standard in force and by ``weights`` (checked, not saved); None with nothing to assess."""
    assessed = assessed_by(node)
    if assessed is None:
        return None
    term = Term.last_month(today)
    proposed = AssessmentStandard(
        version=0, node=node, weights=weights, effective_from=effective_from
    )
    return report(assessed, term), report(assessed, term, standard=proposed)


def report(
    node: Committee,
    term: Term,
    *,
    level: str | None = None,
    standard: AssessmentStandard | None = None,
) -> Report:
    """The committees right below ``node`` (or every one of ``level`` in its subtree) ranked
    for ``term``, each indicator with its sample, and their place in the previous term; by
    the standard in force then, or by ``standard`` (a preview of one not yet published)."""
    committees = selectors.below(node, level)
    standard = standard or standard_for(node, term.start)
    rows = _rows(committees, term, standard)
    previous = term.previous()
    before = {
        row.committee.pk: row
        for row in _rows(committees, previous, standard_for(node, previous.start))
    }
    for row in rows:
        was = before.get(row.committee.pk)
        # A committee with nothing to measure last time (new, or quiet) has no trend.
        if was is not None and any(cell.sample for cell in was.cells.values()):
            row.previous_total, row.previous_rank = was.total, was.rank
    return Report(node=node, term=term, standard=standard, rows=rows, level=level)
