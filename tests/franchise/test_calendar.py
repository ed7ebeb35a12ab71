"""The working calendar (工作日历): working time added and measured across evenings, lunch
breaks, weekends, public holidays and weekend days worked; the seeded holidays; the central
calendar in force per process, a committee's amendments and the admin."""

import importlib
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.apps import apps
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from franchise import calendar, holidays
from franchise.calendar import MIDNIGHT, WorkingCalendar
from franchise.models import CalendarDay
from franchise.standards import WORKING_HOURS

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOUR = 3600
WORKING_DAY = 8 * HOUR


def at(day: str, clock: str = "00:00") -> datetime:
    """A moment in Beijing time: at("2026-10-08", "10:00")."""
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=SHANGHAI)


def official() -> WorkingCalendar:
    """The seeded schedule on the standard hours, built without the database."""
    days = list(holidays.days())
    return WorkingCalendar(
        days_off=frozenset(day for day, kind, _ in days if kind == CalendarDay.Kind.HOLIDAY),
        extra_workdays=frozenset(day for day, kind, _ in days if kind == CalendarDay.Kind.WORKDAY),
        zone=SHANGHAI,
    )


CAL = official()


# --- Working days ----------------------------------------------------------------------------


def test_the_standard_day_is_eight_hours_from_nine_with_an_hour_for_lunch():
    assert ((time(9), time(12)), (time(13), time(18))) == WORKING_HOURS
    assert CAL.day_s == WORKING_DAY
    assert WorkingCalendar().zone == SHANGHAI  # settings.TIME_ZONE


def test_weekends_holidays_and_weekend_days_worked():
    assert CAL.is_working_day(date(2026, 3, 2))  # a Monday
    assert not CAL.is_working_day(date(2026, 3, 7))  # a Saturday
    assert not CAL.is_working_day(date(2026, 10, 1))  # 国庆节, a Thursday
    assert CAL.is_working_day(date(2026, 10, 8))  # the Thursday after
    assert CAL.is_working_day(date(2026, 10, 10))  # a Saturday worked for 国庆节
    assert not CAL.is_working_day(date(2026, 10, 11))  # the Sunday after
    assert CAL.is_working_day(date(2026, 9, 20))  # a Sunday worked for 国庆节
    with pytest.raises(TypeError):
        CAL.is_working_day(at("2026-10-01", "10:00"))


def test_the_seeded_schedule_is_the_official_one_every_day_of_every_year():
    """The oracle is the chinese-calendar package the schedule was taken from."""
    day = date(2004, 1, 1)
    while day <= date(2026, 12, 31):
        assert CAL.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_2026_has_248_working_days():
    assert CAL.between(at("2026-01-01"), at("2027-01-01")) == 248 * WORKING_DAY


# --- Adding working time ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "seconds", "due"),
    [
        (("2026-03-02", "10:00"), HOUR, ("2026-03-02", "11:00")),
        (("2026-03-02", "11:30"), HOUR, ("2026-03-02", "13:30")),  # over lunch
        (("2026-03-02", "12:30"), HOUR, ("2026-03-02", "14:00")),  # asked during lunch
        (("2026-03-02", "07:00"), HOUR, ("2026-03-02", "10:00")),  # before opening
        (("2026-03-02", "19:00"), HOUR, ("2026-03-03", "10:00")),  # after closing
        (("2026-03-02", "17:00"), HOUR, ("2026-03-02", "18:00")),  # due at closing, not after
        (("2026-03-02", "18:00"), HOUR, ("2026-03-03", "10:00")),  # at closing
        (("2026-03-06", "17:00"), 2 * HOUR, ("2026-03-09", "10:00")),  # over a weekend
        (("2026-03-07", "15:00"), HOUR, ("2026-03-09", "10:00")),  # asked on a Saturday
        (("2026-09-30", "17:00"), 2 * HOUR, ("2026-10-08", "10:00")),  # over 国庆节
        (("2026-10-09", "17:00"), 2 * HOUR, ("2026-10-10", "10:00")),  # into a Saturday worked
        (("2026-09-18", "17:00"), 2 * HOUR, ("2026-09-20", "10:00")),  # into a Sunday worked
        (("2026-02-13", "17:00"), 2 * HOUR, ("2026-02-14", "10:00")),  # the Saturday before 春节
        (("2026-02-14", "17:00"), 2 * HOUR, ("2026-02-24", "10:00")),  # over 春节's nine days
        (("2026-03-02", "09:00"), 20 * WORKING_DAY, ("2026-03-27", "18:00")),  # four weeks
        (("2026-03-02", "09:00"), 26 * WORKING_DAY, ("2026-04-07", "18:00")),  # and 清明节
    ],
)
def test_add(start, seconds, due):
    assert CAL.add(at(*start), seconds) == at(*due)
    assert CAL.between(at(*start), at(*due)) == seconds


@pytest.mark.parametrize(
    ("start", "moment"),
    [
        (("2026-03-02", "10:15"), ("2026-03-02", "10:15")),
        (("2026-03-02", "09:00"), ("2026-03-02", "09:00")),
        (("2026-03-02", "12:00"), ("2026-03-02", "13:00")),
        (("2026-03-02", "18:00"), ("2026-03-03", "09:00")),
        (("2026-03-07", "10:00"), ("2026-03-09", "09:00")),
        (("2026-10-01", "10:00"), ("2026-10-08", "09:00")),
    ],
)
def test_no_time_added_is_the_next_working_moment(start, moment):
    assert CAL.add(at(*start), 0) == at(*moment)


def test_moments_in_any_zone_come_back_in_the_calendars():
    due = CAL.add(datetime(2026, 3, 2, 1, 0, tzinfo=UTC), HOUR)  # 09:00 in Beijing
    assert due == at("2026-03-02", "10:00")
    assert due.tzinfo == SHANGHAI
    assert CAL.add(at("2026-03-02", "10:00:00.250000"), 1) == at("2026-03-02", "10:00:01.250000")


def test_long_spans():
    # 2026's first working day is Sunday the 4th, worked for 元旦.
    assert CAL.add(at("2026-01-01"), 248 * WORKING_DAY) == at("2026-12-31", "18:00")
    assert CAL.add(at("2026-01-01"), WORKING_DAY) == at("2026-01-04", "18:00")
    assert (
        CAL.between(at("2016-01-01"), at("2026-01-01"))
        == sum(
            chinese_calendar.is_workday(date(2016, 1, 1) + timedelta(days=n)) for n in range(3653)
        )
        * WORKING_DAY
    )


def test_refusals():
    with pytest.raises(ValueError):
        CAL.add(datetime(2026, 3, 2, 10), HOUR)  # naive
    with pytest.raises(ValueError):
        CAL.between(datetime(2026, 3, 2, 10), at("2026-03-03"))
    with pytest.raises(ValueError):
        CAL.add(at("2026-03-02"), -1)


def test_a_calendar_without_working_time_refuses_instead_of_looping():
    with pytest.raises(ValueError):
        WorkingCalendar(hours=()).add(at("2026-03-02"), 1)
    never = WorkingCalendar(weekend=frozenset(range(7)))
    with pytest.raises(ValueError):
        never.add(at("2026-03-02"), 1)
    assert never.between(at("2026-03-02"), at("2027-03-02")) == 0
    once = WorkingCalendar(
        weekend=frozenset(range(7)), extra_workdays=frozenset({date(2026, 3, 7)})
    )
    assert once.add(at("2026-03-02"), WORKING_DAY) == at("2026-03-07", "18:00")
    with pytest.raises(ValueError):
        once.add(at("2026-03-02"), WORKING_DAY + 1)


def test_hours_and_dates_are_checked():
    with pytest.raises(ValueError):
        WorkingCalendar(hours=((time(9), time(13)), (time(12), time(18))))  # overlapping
    with pytest.raises(ValueError):
        WorkingCalendar(hours=((time(13), time(18)), (time(9), time(12))))  # out of order
    with pytest.raises(ValueError):
        WorkingCalendar(hours=((time(9), time(9)),))
    with pytest.raises(ValueError):
        WorkingCalendar(
            days_off=frozenset({date(2026, 3, 7)}), extra_workdays=frozenset({date(2026, 3, 7)})
        )


def test_round_the_clock():
    always = WorkingCalendar(hours=((MIDNIGHT, MIDNIGHT),), weekend=frozenset())
    assert always.day_s == 24 * HOUR
    start = at("2026-09-30", "17:00")
    assert always.add(start, 10 * 24 * HOUR) == start + timedelta(days=10)
    assert always.between(start, start + timedelta(days=3, seconds=5)) == 3 * 24 * HOUR + 5
    nights = WorkingCalendar(hours=((time(22), MIDNIGHT),), weekend=frozenset())
    assert nights.add(at("2026-03-02", "23:30"), HOUR) == at("2026-03-03", "22:30")


# --- Measuring working time -------------------------------------------------------------------


def test_between():
    assert CAL.between(at("2026-03-02", "10:00"), at("2026-03-02", "10:00")) == 0
    assert CAL.between(at("2026-03-02", "11:50"), at("2026-03-02", "13:10")) == 20 * 60
    assert CAL.between(at("2026-03-07", "10:00"), at("2026-03-08", "10:00")) == 0  # a weekend
    assert CAL.between(at("2026-09-30", "09:00"), at("2026-10-12", "09:00")) == 4 * WORKING_DAY
    # Past the deadline, the countdown is negative.
    assert CAL.between(at("2026-03-03", "10:00"), at("2026-03-02", "17:00")) == -2 * HOUR
    # Whole seconds, the fraction dropped.
    assert CAL.between(at("2026-03-02", "10:00"), at("2026-03-02", "10:00:01.999")) == 1


moments = st.datetimes(
    min_value=datetime(2025, 12, 1), max_value=datetime(2027, 1, 31), timezones=st.just(SHANGHAI)
)
lengths = st.integers(min_value=0, max_value=40 * WORKING_DAY)


@settings(max_examples=300, deadline=None)
@given(moments, lengths)
def test_between_measures_what_add_added(start, seconds):
    due = CAL.add(start, seconds)
    assert due >= start
    assert CAL.between(start, due) == seconds
    assert CAL.between(due, start) == -seconds
    if seconds:
        # The earliest such moment: a second less is not enough.
        assert CAL.between(start, due - timedelta(seconds=1)) == seconds - 1


whole_seconds = moments.map(lambda moment: moment.replace(microsecond=0))


@settings(max_examples=200, deadline=None)
@given(whole_seconds, whole_seconds, whole_seconds)
def test_working_time_adds_up(a, b, c):
    """(On whole seconds: each measure drops its own fraction.)"""
    a, b, c = sorted((a, b, c))
    assert CAL.between(a, b) + CAL.between(b, c) == CAL.between(a, c)
    if CAL.between(a, c):
        assert CAL.add(a, CAL.between(a, c)) <= c


@settings(max_examples=50, deadline=None)
@given(
    st.datetimes(min_value=datetime(2026, 9, 25), max_value=datetime(2026, 10, 14)),
    st.integers(min_value=0, max_value=4 * 24 * 60),
)
def test_between_counts_the_working_minutes_one_by_one(start, minutes):
    """Against a count minute by minute, across 国庆节 and its weekend days worked."""
    start = start.replace(second=0, microsecond=0, tzinfo=SHANGHAI)
    counted = 0
    for n in range(minutes):
        moment = start + timedelta(minutes=n)
        if CAL.is_working_day(moment.date()) and any(
            begin <= moment.time() < end for begin, end in WORKING_HOURS
        ):
            counted += 1
    assert CAL.between(start, start + timedelta(minutes=minutes)) == counted * 60


# --- A committee's amendments -----------------------------------------------------------------


def test_amendments_override_the_central_days():
    local = CAL.amended(extra_off=[date(2026, 3, 3)], extra_work=[date(2026, 10, 2)])
    assert not local.is_working_day(date(2026, 3, 3))
    assert local.is_working_day(date(2026, 10, 2))
    assert local.add(at("2026-03-02", "17:00"), 2 * HOUR) == at("2026-03-04", "10:00")
    assert local.add(at("2026-09-30", "17:00"), 2 * HOUR) == at("2026-10-02", "10:00")
    # The central calendar is a value: it is not changed.
    assert CAL.is_working_day(date(2026, 3, 3)) and not CAL.is_working_day(date(2026, 10, 2))
    assert CAL.amended() is CAL
    with pytest.raises(ValueError):
        CAL.amended(extra_off=[date(2026, 3, 3)], extra_work=[date(2026, 3, 3)])


# --- The seeded days and the central calendar in force ----------------------------------------


@pytest.fixture
def central(db):
    """The central calendar of the seeded days, built afresh for the test and after it (a
    test run before may have emptied the table, and this one's changes are rolled back)."""
    if not CalendarDay.objects.exists():
        holidays.install(CalendarDay)
    calendar.central_cache.forget()
    yield
    calendar.central_cache.forget()


def test_the_migration_seeds_the_official_schedule(db):
    CalendarDay.objects.all().delete()
    importlib.import_module("franchise.migrations.0005_calendar_days").load(apps, None)
    assert CalendarDay.objects.count() == len(list(holidays.days()))
    national_day = CalendarDay.objects.get(date=date(2026, 10, 1))
    assert (national_day.kind, national_day.name) == (CalendarDay.Kind.HOLIDAY, "国庆节")
    spring = CalendarDay.objects.filter(name="春节", date__year=2026)
    assert list(spring.filter(kind=CalendarDay.Kind.HOLIDAY).values_list("date", flat=True)) == [
        date(2026, 2, 15) + timedelta(days=n) for n in range(9)
    ]
    assert list(spring.filter(kind=CalendarDay.Kind.WORKDAY).values_list("date", flat=True)) == [
        date(2026, 2, 14),
        date(2026, 2, 28),
    ]


def test_seeding_again_keeps_the_central_offices_corrections(db):
    holidays.install(CalendarDay)
    CalendarDay.objects.filter(date=date(2026, 10, 1)).update(name="国庆")
    CalendarDay.objects.filter(date=date(2026, 10, 2)).delete()
    before = CalendarDay.objects.count()
    holidays.install(CalendarDay)
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "国庆"
    assert CalendarDay.objects.count() == before + 1


def test_the_central_calendar_is_the_table_on_the_standard_hours(central):
    calendar_ = calendar.central_calendar()
    assert calendar_.days_off == CAL.days_off
    assert calendar_.extra_workdays == CAL.extra_workdays
    assert calendar_.hours == WORKING_HOURS
    assert calendar_.add(at("2026-09-30", "17:00"), 2 * HOUR) == at("2026-10-08", "10:00")


def test_a_warm_central_calendar_costs_no_query(central, django_assert_num_queries):
    calendar.central_calendar()
    with django_assert_num_queries(0):
        calendar.central_calendar(extra_off=[date(2026, 3, 3)])


def test_a_committees_amendments_are_passed_in(central):
    local = calendar.central_calendar(extra_off=[date(2026, 3, 3)], extra_work=[date(2026, 10, 2)])
    assert not local.is_working_day(date(2026, 3, 3))
    assert local.is_working_day(date(2026, 10, 2))
    assert calendar.central_calendar().is_working_day(date(2026, 3, 3))


def test_an_edit_is_in_force_once_saved(central, django_capture_on_commit_callbacks):
    assert calendar.central_calendar().is_working_day(date(2026, 10, 8))
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=date(2026, 10, 8), kind="holiday", name="国庆节")
    assert not calendar.central_calendar().is_working_day(date(2026, 10, 8))

    worked = CalendarDay.objects.get(date=date(2026, 10, 10))
    worked.kind = CalendarDay.Kind.HOLIDAY
    with django_capture_on_commit_callbacks(execute=True):
        worked.save()
    assert not calendar.central_calendar().is_working_day(date(2026, 10, 10))

    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.get(date=date(2026, 10, 1)).delete()
    assert calendar.central_calendar().is_working_day(date(2026, 10, 1))


def test_a_change_made_elsewhere_is_seen_at_the_next_check(central, monkeypatch):
    assert calendar.central_calendar().is_working_day(date(2026, 3, 3))
    # Written without this process's signals, as another process's save looks from here.
    CalendarDay.objects.bulk_create([CalendarDay(date=date(2026, 3, 3), kind="holiday", name="x")])
    assert calendar.central_calendar().is_working_day(date(2026, 3, 3))  # checked just now
    monkeypatch.setattr(calendar, "RECHECK_S", 0.0)
    assert not calendar.central_calendar().is_working_day(date(2026, 3, 3))
    CalendarDay.objects.filter(date=date(2026, 3, 3)).update(
        kind=CalendarDay.Kind.WORKDAY, updated_at=timezone.now()
    )
    assert calendar.central_calendar().is_working_day(date(2026, 3, 3))


def test_a_day_worked_in_lieu_is_a_weekend_day(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        CalendarDay(date=date(2026, 3, 3), kind="workday", name="国庆节").full_clean()
    assert "kind" in caught.value.message_dict
    CalendarDay(date=date(2027, 3, 6), kind="workday", name="春节").full_clean()
    CalendarDay(date=date(2027, 3, 7), kind="holiday", name="春节").full_clean()


# --- The central admin ------------------------------------------------------------------------


def test_the_central_admin_keeps_the_calendar(
    tree, web, central, django_capture_on_commit_callbacks
):
    browser = web(None, tree["central_admin"])
    page = browser.get("/admin/franchise/calendarday/?date__year=2026")
    assert page.status_code == 200
    assert "国庆节" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            "/admin/franchise/calendarday/add/",
            {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
        )
    assert response.status_code == 302
    assert not calendar.central_calendar().is_working_day(date(2027, 1, 1))
    refused = browser.post(
        "/admin/franchise/calendarday/add/",
        {"date": "2027-01-04", "kind": "workday", "name": "元旦"},
    )
    assert refused.status_code == 200 and not CalendarDay.objects.filter(date="2027-01-04")


def test_nobody_else_keeps_it(tree, web, central):
    for who in ("auditor", "gd_admin", "youth"):
        browser = web(None, tree[who])
        assert browser.get("/admin/franchise/calendarday/", follow=True).status_code == 403
