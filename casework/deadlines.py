"""When an item must be answered and resolved: the category's windows (this committee's,
else the central default), counted on the committee's working calendar.

A window is kept in seconds, and a day of it (86,400 s) is one working day: "first response
within a day" asked on Friday afternoon falls due on Monday afternoon, and half a day is half
of a working day's hours. Time outside working hours, weekends and holidays does not count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from franchise.calendar import WorkingCalendar
from franchise.models import Category

from . import calendar
from .models import Deadline


@dataclass(frozen=True)
class Windows:
    first_response_s: int
    resolution_s: int


def windows_for(category: str) -> Windows:
    own = Deadline.objects.filter(category_id=category).first()
    if own is not None:
        return Windows(own.first_response_s, own.resolution_s)
    standard = Category.objects.get(code=category)
    return Windows(standard.first_response_s, standard.resolution_s)


DAY_S = 86_400


def due(start: datetime, seconds: int, working: WorkingCalendar | None = None) -> datetime:
    """When a window of ``seconds`` opened at ``start`` closes on this committee's calendar
    (``working``, when the caller has read it already)."""
    working = working or calendar.here()
    return working.add(start, round(seconds * working.day_s / DAY_S))


def start_clock(item, *, reopened: bool = False) -> None:
    """Start an item's deadlines from now (the caller saves it). A reopened item keeps a
    resolution deadline still ahead of it."""
    windows, working = windows_for(item.category_id), calendar.here()
    now = timezone.now()
    item.respond_by = due(now, windows.first_response_s, working)
    if not reopened or item.resolve_by is None or item.resolve_by < now:
        item.resolve_by = due(now, windows.resolution_s, working)
    item.overdue_at = None
