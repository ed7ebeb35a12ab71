"""What each timeline event adds to the figures: the one place that says what is counted.

A metric is a column of ``DailyFigures`` and a line in ``COUNTS``: the event kind it counts and
how much one event adds (0 to leave it out). Events copied from another committee (a transferred
question's history, ``data.mirrored_from``) count where they happened, never twice.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from franchise.text import topic_terms


def _one(data: dict) -> int:
    return 1


def _first(data: dict) -> int:
    return 1 if data.get("first") else 0


def _youth_rating(data: dict) -> int:
    return 0 if data.get("staff") else 1


@dataclass(frozen=True)
class Count:
    column: str
    kind: str  # a qa.TimelineEvent.Kind
    value: Callable[[dict], int] = _one


COUNTS = [
    Count("asked", "asked"),
    Count("answered", "answered", _first),
    Count("answered_by_league", "answered", lambda d: _first(d) if d.get("by") == "cadre" else 0),
    Count("solved", "solved"),
    Count("overdue", "overdue"),
    Count("transferred_in", "transferred_in"),
    Count("transferred_out", "transferred_out"),
    Count("ratings", "rated", _youth_rating),
    Count("rating_stars", "rated", lambda d: _youth_rating(d) * int(d.get("stars", 0))),
    Count("ratings_high", "rated", lambda d: _youth_rating(d) * (int(d.get("stars", 0)) >= 4)),
]
# Every column of DailyFigures, in order: the timeline's counts, then the visits.
COLUMNS = [count.column for count in COUNTS] + ["visits"]
_BY_KIND: dict[str, list[Count]] = {}
for _count in COUNTS:
    _BY_KIND.setdefault(_count.kind, []).append(_count)

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
    responses: Counter = field(default_factory=Counter)  # (day, category, bucket)
    topics: Counter = field(default_factory=Counter)  # (day, category, term)
    served: set[tuple[date, str, int]] = field(default_factory=set)  # (day, category, user)

    def add(self, day: date, category: str, column: str, value: int = 1) -> None:
        if value:
            self.counts.setdefault((day, category), Counter())[column] += value

    def event(
        self, *, kind: str, category: str, data: dict, at: datetime, asker_id: int, title: str
    ) -> None:
        """Count one timeline event (with its question's asker and title)."""
        if "mirrored_from" in data:
            return
        day = local_day(at)
        for count in _BY_KIND.get(kind, ()):
            self.add(day, category, count.column, count.value(data))
        if kind == "asked":
            for term in set(topic_terms(title)):
                self.topics[(day, category, term)] += 1
        elif kind == "answered" and data.get("first"):
            self.responses[(day, category, bucket_of(data.get("response_s", 0)))] += 1
            self.served.add((day, category, asker_id))

    def visit(self, *, day: date, category: str) -> None:
        self.add(day, category, "visits")

    def __bool__(self) -> bool:
        return bool(self.counts or self.responses or self.topics or self.served)
