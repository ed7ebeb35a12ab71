"""The working calendar (工作日历) on which the deadlines of questions and help cases are counted.

A date is a working day when it falls Monday to Friday and is not a day off, or when it is a
weekend day worked in lieu (调休上班); a working day's working time is its working hours
(``standards.WORKING_HOURS``) in the calendar's time zone. ``WorkingCalendar`` is a value: its
methods read no database, and one may be built by hand (a test, a committee's own hours).
``central_calendar()`` gives the central office's calendar (``CalendarDay``), with a committee's
amendments (its own days off and working days) passed in.

Each process keeps the central calendar it built and checks at most every ``RECHECK_S`` whether
the table changed, by one aggregate query (the number of days and the latest change); a change
saved in this process is seen here as soon as it commits (``changed``, connected to the model's
signals in ``FranchiseConfig.ready``), and in every other process within ``RECHECK_S``.
"""

from __future__ import annotations

import threading
import time as clock
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max

from .models import CalendarDay
from .standards import WORKING_HOURS

RECHECK_S = 30.0
WEEKEND = frozenset({5, 6})  # Saturday and Sunday, as date.weekday() numbers them
# A year without a working day: the calendar has no working time left, and add() says so
# instead of looking for it for ever.
MAX_IDLE_DAYS = 366
MIDNIGHT = time(0)

_DAY = timedelta(days=1)
_SECOND = timedelta(seconds=1)


def _default_zone() -> tzinfo:
    return ZoneInfo(settings.TIME_ZONE)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"working time is counted between aware datetimes, not {moment!r}")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days and hours.

    ``hours``: a working day's working intervals, local times in ``zone``, in order and not
    overlapping, each from its first working moment to the moment after its last (an interval
    ending at 00:00 runs to midnight). ``days_off``: dates not worked, whatever day of the week
    they fall on; ``extra_workdays``: dates worked, whatever day of the week they fall on; no
    date is in both. ``weekend``: the days of the week (``date.weekday()``) not worked otherwise.
    Raises ``ValueError`` when the hours or the dates break these rules."""

    hours: tuple[tuple[time, time], ...] = WORKING_HOURS
    days_off: frozenset[date] = field(default=frozenset(), repr=False)  # hundreds of dates
    extra_workdays: frozenset[date] = field(default=frozenset(), repr=False)
    zone: tzinfo = field(default_factory=_default_zone)
    weekend: frozenset[int] = WEEKEND

    def __post_init__(self) -> None:
        # Sets and lists are accepted and kept as frozensets and tuples: a calendar is a value.
        object.__setattr__(self, "hours", tuple((begin, end) for begin, end in self.hours))
        object.__setattr__(self, "days_off", frozenset(self.days_off))
        object.__setattr__(self, "extra_workdays", frozenset(self.extra_workdays))
        object.__setattr__(self, "weekend", frozenset(self.weekend))
        previous_end: time | None = None
        for begin, end in self.hours:
            if begin.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("working hours are local times, without a time zone")
            if previous_end == MIDNIGHT or (previous_end is not None and begin < previous_end):
                raise ValueError("working intervals must be in order and must not overlap")
            if end != MIDNIGHT and not begin < end:
                raise ValueError(f"a working interval must end after it begins: {begin}–{end}")
            previous_end = end
        if both := self.days_off & self.extra_workdays:
            raise ValueError(f"a date cannot be both a day off and a working day: {min(both)}")

    @property
    def day_s(self) -> int:
        """The working seconds of a working day (28,800 for the standard hours)."""
        day = date(2000, 1, 3)  # any date: the hours' wall-clock length
        return sum(
            (
                datetime.combine(day + _DAY if end == MIDNIGHT else day, end)
                - datetime.combine(day, begin)
            )
            // _SECOND
            for begin, end in self.hours
        )

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` (a date, not a datetime) is worked."""
        if isinstance(day, datetime):
            raise TypeError("is_working_day takes a date: the moment's local date, not the moment")
        if day in self.days_off:
            return False
        return day in self.extra_workdays or day.weekday() not in self.weekend

    def amended(
        self, *, extra_off: Iterable[date] = (), extra_work: Iterable[date] = ()
    ) -> WorkingCalendar:
        """This calendar with a committee's amendments: the dates of ``extra_off`` are not
        worked and those of ``extra_work`` are, whatever this calendar says of them. Raises
        ``ValueError`` when a date is in both."""
        off, work = frozenset(extra_off), frozenset(extra_work)
        if not off and not work:
            return self
        return replace(
            self,
            days_off=(self.days_off - work) | off,
            extra_workdays=(self.extra_workdays - off) | work,
        )

    def add(self, start: datetime, seconds: int) -> datetime:
        """The moment at which ``seconds`` of working time have passed since ``start``, as an
        aware datetime in the calendar's zone: the deadline of a task of that length begun at
        ``start``. Time outside working hours does not count, so a task begun out of hours
        starts at the next working moment, and ``add(start, 0)`` is that moment (``start``
        itself during working hours). For a positive length the moment is the earliest one, so
        a deadline may fall at the end of a working interval (at 18:00 rather than at 09:00
        the next working day).
        Raises ``ValueError`` for a naive ``start``, a negative length, or a calendar without
        working time after ``start``."""
        at = _utc(start)
        if seconds < 0:
            raise ValueError(f"a length of working time cannot be negative: {seconds}")
        if not self.hours:
            raise ValueError("a calendar without working hours has no working time")
        left = timedelta(seconds=seconds)
        day = at.astimezone(self.zone).date()
        idle_days = 0
        while idle_days <= MAX_IDLE_DAYS:
            intervals = self._intervals(day)
            idle_days = 0 if intervals else idle_days + 1
            for begin, end in intervals:
                if end <= at:
                    continue
                begin = max(begin, at)
                if left <= end - begin:
                    return (begin + left).astimezone(self.zone)
                left -= end - begin
            day += _DAY
        raise ValueError(f"the calendar has no working day in the {MAX_IDLE_DAYS} days to {day}")

    def between(self, a: datetime, b: datetime) -> int:
        """The working seconds from ``a`` to ``b`` (whole seconds, the fraction dropped), or
        minus those from ``b`` to ``a`` when ``b`` comes first: what a countdown to a deadline
        ``b`` shows at ``a``, negative once it is past. Raises ``ValueError`` for a naive
        datetime."""
        start, end = _utc(a), _utc(b)
        if end < start:
            return -self.between(b, a)
        total = timedelta(0)
        day, last = start.astimezone(self.zone).date(), end.astimezone(self.zone).date()
        while day <= last:
            for begin, finish in self._intervals(day):
                low, high = max(begin, start), min(finish, end)
                if low < high:
                    total += high - low
            day += _DAY
        return total // _SECOND

    def _intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The working intervals of ``day``, in UTC, so that differences are real durations."""
        if not self.is_working_day(day):
            return []
        intervals = []
        for begin, end in self.hours:
            end_day = day + _DAY if end == MIDNIGHT else day
            first = datetime.combine(day, begin, self.zone).astimezone(UTC)
            after = datetime.combine(end_day, end, self.zone).astimezone(UTC)
            if first < after:
                intervals.append((first, after))
        return intervals


# --- The central calendar -----------------------------------------------------------------


class _CentralCalendar:
    """The calendar of ``CalendarDay`` on the standard hours, kept per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calendar: WorkingCalendar | None = None
        self._stamp: tuple | None = None
        self._checked_at = 0.0

    def get(self) -> WorkingCalendar:
        calendar = self._calendar
        if calendar is not None and clock.monotonic() - self._checked_at < RECHECK_S:
            return calendar
        with self._lock:
            # The stamp before the rows: a change between the two is built now and read
            # again at the next check, never missed.
            stamp = tuple(
                CalendarDay.objects.aggregate(days=Count("pk"), last=Max("updated_at")).values()
            )
            if self._calendar is None or stamp != self._stamp:
                off: set[date] = set()
                worked: set[date] = set()
                for day, kind in CalendarDay.objects.values_list("date", "kind"):
                    (worked if kind == CalendarDay.Kind.WORKDAY else off).add(day)
                self._calendar = WorkingCalendar(
                    days_off=frozenset(off), extra_workdays=frozenset(worked)
                )
                self._stamp = stamp
            self._checked_at = clock.monotonic()
            return self._calendar

    def forget(self) -> None:
        """Build the calendar afresh at the next call."""
        with self._lock:
            self._calendar, self._stamp, self._checked_at = None, None, 0.0


central_cache = _CentralCalendar()


def central_calendar(
    *, extra_off: Iterable[date] = (), extra_work: Iterable[date] = ()
) -> WorkingCalendar:
    """The central working calendar: the standard hours in ``settings.TIME_ZONE``, the central
    office's holidays and weekend days worked (``CalendarDay``), and a committee's amendments,
    ``extra_off`` (dates it does not work) and ``extra_work`` (dates it works); see
    ``WorkingCalendar.amended``."""
    return central_cache.get().amended(extra_off=extra_off, extra_work=extra_work)


def changed(*, using: str = "default", **kwargs) -> None:
    """A ``CalendarDay`` was saved or deleted: this process builds the calendar afresh once
    the change commits. (A bulk ``update()`` sends no signal and leaves ``updated_at`` as it
    was unless it sets it; with ``updated_at`` set, every process sees it within
    ``RECHECK_S``.)"""
    transaction.on_commit(central_cache.forget, using=using)
