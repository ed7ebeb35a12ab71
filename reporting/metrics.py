"""What timeline events add to the figures: a registry each domain declares into.

A domain says in its own ``metrics`` module (found when the app registry loads) what its
events count, with ``declare``:

* ``Count(column, kind, …)``: a column of ``DailyFigures`` (and of the console's tables, and of
  ``CampaignFigures`` for events whose data names a ``campaign``), adding
  1 — or the number in ``data[amount]`` — for each event of ``kind`` whose data contains
  ``when``, does not contain ``unless`` and has ``data[key] >= least`` for ``at_least``;
* ``Served(kind, when=…)``: the event's youth counts as served (the distinct youths);
* ``Timed(kind, seconds, when=…)``: ``data[seconds]`` goes in the response-time histogram.

The shipping, the rebuild and the schema-by-schema verification all read these declarations:
adding a metric is one ``Count`` in its domain plus the migration that adds its column. Events
copied from another committee (a transferred question's history, ``data.mirrored_from``) count
where they happened, never twice; an event's ``topic`` feeds the hot topics.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from franchise.text import topic_terms


class _Matching:
    """Which events a declaration is about: of ``kind``, with data containing ``when`` and
    not containing ``unless``."""

    kind: str
    when: Mapping[str, Any]
    unless: Mapping[str, Any]

    def __post_init__(self) -> None:
        # A domain's TextChoices member, kept as its plain value (what events store).
        object.__setattr__(self, "kind", str(self.kind))

    def matches(self, data: dict) -> bool:
        return all(data.get(k) == v for k, v in self.when.items()) and not (
            self.unless and all(data.get(k) == v for k, v in self.unless.items())
        )

    def _condition(self) -> tuple[str, list]:
        sql, params = ["kind = %s"], [self.kind]
        if self.when:
            sql.append("data @> %s::jsonb")
            params.append(json.dumps(dict(self.when)))
        if self.unless:
            sql.append("NOT data @> %s::jsonb")
            params.append(json.dumps(dict(self.unless)))
        return " AND ".join(sql), params


@dataclass(frozen=True)
class Count(_Matching):
    column: str
    kind: str
    when: Mapping[str, Any] = field(default_factory=dict)
    unless: Mapping[str, Any] = field(default_factory=dict)
    amount: str | None = None  # the data key whose number is added instead of 1
    at_least: tuple[str, int] | None = None  # (data key, least number)
    # A column with a label is a column of the console's ranking and exports, so named.
    label: Any = None

    def value(self, data: dict) -> int:
        """What one event with ``data`` adds."""
        if not self.matches(data):
            return 0
        if self.at_least is not None and int(data.get(self.at_least[0], 0)) < self.at_least[1]:
            return 0
        return int(data.get(self.amount, 0)) if self.amount else 1

    def aggregate(self) -> tuple[str, list]:
        """The same in SQL, over ``timeline_event`` rows: an aggregate expression."""
        condition, params = self._condition()
        if self.at_least is not None:
            condition += " AND coalesce((data->>%s)::int, 0) >= %s"
            params += list(self.at_least)
        if self.amount:
            return (
                f"coalesce(sum(coalesce((data->>%s)::int, 0)) FILTER (WHERE {condition}), 0)",
                [self.amount, *params],
            )
        return f"count(*) FILTER (WHERE {condition})", params


@dataclass(frozen=True)
class Served(_Matching):
    kind: str
    when: Mapping[str, Any] = field(default_factory=dict)
    unless: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Timed(_Matching):
    kind: str
    seconds: str  # the data key holding the time taken
    when: Mapping[str, Any] = field(default_factory=dict)
    unless: Mapping[str, Any] = field(default_factory=dict)


COUNTS: list[Count] = []
SERVED: list[Served] = []
TIMED: list[Timed] = []
# Every column of DailyFigures, in order: the declared counts, then the visits.
COLUMNS: list[str] = []
_BY_KIND: dict[str, list[Count]] = {}


def declare(*metrics: Count | Served | Timed) -> None:
    """Add a domain's metrics to the registry (from its ``metrics`` module)."""
    for metric in metrics:
        if isinstance(metric, Count):
            if metric.column in COLUMNS:
                raise ValueError(f"The metric {metric.column!r} is declared twice.")
            COUNTS.append(metric)
            _BY_KIND.setdefault(metric.kind, []).append(metric)
            COLUMNS.insert(len(COUNTS) - 1, metric.column)
        elif isinstance(metric, Served):
            SERVED.append(metric)
        else:
            TIMED.append(metric)


COLUMNS.append("visits")


def discover() -> None:
    """Import every installed app's ``metrics`` module: the declarations (a module already
    imported is not run again)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("metrics")


# First-response times go in buckets growing by a quarter from one minute: a percentile read
# off the histogram is within 12% of the true one.
BUCKET_BASE_S = 60
BUCKET_GROWTH = 1.25
BUCKETS = 64


def bucket_of(seconds: float) -> int:
    if seconds < BUCKET_BASE_S:
        return 0
    return min(BUCKETS - 1, 1 + int(math.log(seconds / BUCKET_BASE_S, BUCKET_GROWTH)))


def bucket_seconds(bucket: int) -> float:
    """A representative time for the bucket: the geometric middle of its bounds."""
    if bucket == 0:
        return BUCKET_BASE_S / 2
    return BUCKET_BASE_S * BUCKET_GROWTH ** (bucket - 0.5)


def percentile(histogram: dict[int, int], share: float) -> float | None:
    """The time within which ``share`` of the first answers came, from a histogram."""
    total = sum(histogram.values())
    if not total:
        return None
    wanted, seen = share * total, 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if seen >= wanted:
            return bucket_seconds(bucket)
    return bucket_seconds(max(histogram))


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


@dataclass
class Tally:
    """What a batch of events adds to one committee's figures."""

    counts: dict[tuple[date, str], Counter] = field(default_factory=dict)
    # The same, of events under a campaign: (day, category, campaign).
    campaigns: dict[tuple[date, str, str], Counter] = field(default_factory=dict)
    responses: Counter = field(default_factory=Counter)  # (day, category, bucket)
    topics: Counter = field(default_factory=Counter)  # (day, category, term)
    served: set[tuple[date, str, int]] = field(default_factory=set)  # (day, category, user)

    def add(self, day: date, category: str, column: str, value: int = 1) -> None:
        if value:
            self.counts.setdefault((day, category), Counter())[column] += value

    def event(
        self,
        *,
        kind: str,
        category: str,
        data: dict,
        at: datetime,
        youth_id: int | None,
        topic: str,
    ) -> None:
        """Count one timeline event."""
        if "mirrored_from" in data:
            return
        day = local_day(at)
        campaign = data.get("campaign")
        for count in _BY_KIND.get(kind, ()):
            value = count.value(data)
            self.add(day, category, count.column, value)
            if campaign and value:
                cell = self.campaigns.setdefault((day, category, str(campaign)), Counter())
                cell[count.column] += value
        if topic:
            for term in set(topic_terms(topic)):
                self.topics[(day, category, term)] += 1
        for timed in TIMED:
            if timed.kind == kind and timed.matches(data):
                self.responses[(day, category, bucket_of(data.get(timed.seconds, 0)))] += 1
        if youth_id is not None and any(s.kind == kind and s.matches(data) for s in SERVED):
            self.served.add((day, category, youth_id))

    def visit(self, *, day: date, category: str) -> None:
        self.add(day, category, "visits")

    def __bool__(self) -> bool:
        return bool(self.counts or self.campaigns or self.responses or self.topics or self.served)
