"""This committee's working calendar: the central one (``franchise.calendar``) with the
committee's own amendments (a local holiday, a day worked)."""

from __future__ import annotations

from franchise import calendar as central

from .models import CalendarAmendment


def here() -> central.WorkingCalendar:
    amendments = list(CalendarAmendment.objects.values_list("date", "kind"))
    return central.central_calendar(
        extra_off=[d for d, kind in amendments if kind == CalendarAmendment.Kind.OFF],
        extra_work=[d for d, kind in amendments if kind == CalendarAmendment.Kind.WORK],
    )
