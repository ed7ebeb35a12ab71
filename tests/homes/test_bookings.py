"""Booking a youth home's slot through its services: slots from schedules (holidays off),
a full slot and its waitlist (offer, hold, lapse, pass on), cancellation, check-in (a second
scan harmless) and no-shows, with time moved."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django_tenants.utils import schema_context

from capacity import guard, waitlist
from capacity.models import Waiter
from core.errors import ServiceError
from core.models import Notification
from franchise.models import HomeListing
from homes import selectors, services
from homes.models import Booking, Schedule, Slot
from reporting import shipping
from tests import factories
from tests.reporting.helpers import figures

CST = ZoneInfo("Asia/Shanghai")


def refused(code: str, call) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.code == code, caught.value
    return caught.value


def events(kind: str) -> int:
    from timeline.models import Event

    return Event.objects.filter(kind=kind).count()


def test_schedules_make_slots_for_the_coming_days_but_not_on_holidays(tree):
    slot = factories.youth_home("gd")
    with schema_context("gd"):
        service = slot.service
        # Wednesdays at 14:00–17:00, 20 places; 2026-09-30 is a Wednesday, 10-07 is in the
        # National Day holiday.
        Schedule.objects.create(
            service=service,
            weekday=2,
            starts=time(14),
            ends=time(17),
            capacity=20,
            valid_from=date(2026, 9, 1),
        )
        assert services.make_slots(today=date(2026, 9, 28), days=14) == 1
        made = Slot.objects.exclude(pk=slot.pk).get()
        assert made.starts_at == datetime(2026, 9, 30, 14, tzinfo=CST)
        assert (made.capacity, made.taken) == (20, 0)
        assert services.make_slots(today=date(2026, 9, 28), days=14) == 0  # made once
        assert services.make_slots(today=date(2026, 10, 12), days=3) == 1  # 10-14


def test_a_booking_takes_its_places_and_the_youth_gets_a_code(
    tree, django_capture_on_commit_callbacks
):
    slot = factories.youth_home("gd", places=5)
    with schema_context("gd"), django_capture_on_commit_callbacks(execute=True):
        booking = services.book(slot=slot, youth=tree["youth"], places=2, note="带同学一起")
        assert (booking.state, booking.places, len(booking.code)) == ("confirmed", 2, 12)
        assert Slot.objects.get(pk=slot.pk).taken == 2
        assert events("homes.booked") == 1
        refused("already_booked", lambda: services.book(slot=slot, youth=tree["youth"]))
        refused(
            "invalid_places", lambda: services.book(slot=slot, youth=factories.account(), places=5)
        )
        refused(
            "invalid_places", lambda: services.book(slot=slot, youth=factories.account(), places=0)
        )
    assert Notification.objects.filter(user=tree["youth"], kind="home_booked").exists()


def test_a_full_slot_refuses_and_a_started_one_takes_no_one(tree):
    slot = factories.youth_home("gd", places=1)
    with schema_context("gd"):
        services.book(slot=slot, youth=factories.account())
        refused("full", lambda: services.book(slot=slot, youth=tree["youth"]))
        with time_machine.travel(slot.starts_at + timedelta(minutes=1), tick=False):
            refused("closed", lambda: services.book(slot=slot, youth=tree["youth"]))
            refused("closed", lambda: services.join_waitlist(slot=slot, youth=tree["youth"]))


def test_the_database_refuses_more_places_than_there_are_whatever_the_writer(tree):
    slot = factories.youth_home("gd", places=2)
    with schema_context("gd"):
        assert guard.take(slot, 2) and not guard.take(slot, 1)
        assert not guard.hold(slot, 1)
        with pytest.raises(IntegrityError), transaction.atomic():
            Slot.objects.filter(pk=slot.pk).update(taken=3)
        guard.give_back(slot, 1)
        assert guard.free(slot) == 1 and guard.hold(slot, 1) and guard.free(slot) == 0
        assert guard.take_held(slot, 1) and not guard.take_held(slot, 1)


def test_a_cancellation_offers_the_place_to_the_first_in_line_who_holds_it(
    tree, django_capture_on_commit_callbacks
):
    slot = factories.youth_home("gd", places=1)
    first, second = factories.account(name="甲"), factories.account(name="乙")
    with schema_context("gd"):
        booking = services.book(slot=slot, youth=tree["youth"])
        one = services.join_waitlist(slot=slot, youth=first)
        two = services.join_waitlist(slot=slot, youth=second)
        refused("already_waiting", lambda: services.join_waitlist(slot=slot, youth=first))
        assert (one.state, two.state) == ("waiting", "waiting")
        with django_capture_on_commit_callbacks(execute=True):
            services.cancel(booking=booking, youth=tree["youth"])
        one.refresh_from_db()
        assert one.state == "offered" and one.offered_until is not None
        assert Slot.objects.get(pk=slot.pk).held == 1
        # Held for the first in line: no one else may book it meanwhile.
        refused("full", lambda: services.book(slot=slot, youth=factories.account()))
        refused("forbidden", lambda: services.accept_offer(waiter=one, youth=second))
        promoted = services.accept_offer(waiter=one, youth=first)
        assert (promoted.youth_id, promoted.state) == (first.pk, "confirmed")
        assert (Slot.objects.get(pk=slot.pk).taken, Slot.objects.get(pk=slot.pk).held) == (1, 0)
        assert events("homes.promoted") == 1 and events("homes.cancelled") == 1
        refused("no_offer", lambda: services.accept_offer(waiter=one, youth=first))
        assert Waiter.objects.get(pk=two.pk).state == "waiting"
    assert Notification.objects.filter(user=first, kind="home_offer").exists()


def test_an_offer_not_taken_in_time_passes_to_the_next(tree, django_capture_on_commit_callbacks):
    start = datetime(2026, 6, 1, 9, tzinfo=CST)
    with time_machine.travel(start, tick=False):
        slot = factories.youth_home("gd", places=1, starts_at=datetime(2026, 6, 3, 10, tzinfo=CST))
        first, second = factories.account(name="甲"), factories.account(name="乙")
        with schema_context("gd"):
            booking = services.book(slot=slot, youth=tree["youth"])
            one = services.join_waitlist(slot=slot, youth=first)
            two = services.join_waitlist(slot=slot, youth=second)
            services.cancel(booking=booking, youth=tree["youth"])
    later = start + timedelta(seconds=services.OFFER_HOLD_S + 1)
    with time_machine.travel(later, tick=False), schema_context("gd"):
        with django_capture_on_commit_callbacks(execute=True):
            assert waitlist.lapse_offers() == 1
        one.refresh_from_db(), two.refresh_from_db()
        assert (one.state, two.state) == ("expired", "offered")
        refused("no_offer", lambda: services.accept_offer(waiter=one, youth=first))
        assert Slot.objects.get(pk=slot.pk).held == 1
        # The second youth declines: the place is free again, for anyone.
        waitlist.leave(two, youth=second)
        assert guard.free(Slot.objects.get(pk=slot.pk)) == 1
    assert Notification.objects.filter(user=first, kind="home_offer_lapsed").exists()


def test_a_booking_is_cancelled_only_by_its_youth_and_until_two_hours_before(tree):
    slot = factories.youth_home("gd", places=3)
    with schema_context("gd"):
        booking = services.book(slot=slot, youth=tree["youth"])
        refused("forbidden", lambda: services.cancel(booking=booking, youth=factories.account()))
        with time_machine.travel(slot.starts_at - timedelta(hours=1), tick=False):
            refused("too_late", lambda: services.cancel(booking=booking, youth=tree["youth"]))
        services.cancel(booking=booking, youth=tree["youth"])
        refused("wrong_state", lambda: services.cancel(booking=booking, youth=tree["youth"]))
        assert Slot.objects.get(pk=slot.pk).taken == 0


def test_check_in_by_code_is_for_the_homes_staff_and_a_second_scan_is_harmless(tree):
    home_staff = factories.staff(tree.gd, "org_member")
    slot = factories.youth_home("gd", home_staff, places=3)
    with schema_context("gd"):
        booking = services.book(slot=slot, youth=tree["youth"])
        early = slot.starts_at - timedelta(hours=1)
        with time_machine.travel(early, tick=False):
            refused("not_now", lambda: services.check_in(code=booking.code, actor=home_staff))
        with time_machine.travel(slot.starts_at, tick=False):
            refused(
                "forbidden", lambda: services.check_in(code=booking.code, actor=tree["gd_expert"])
            )
            refused("unknown_code", lambda: services.check_in(code="NOPE", actor=home_staff))
            first = services.check_in(code=booking.code.lower(), actor=home_staff)
            again = services.check_in(code=booking.code, actor=tree["gd_cadre"])
        assert (first.state, again.state, again.checked_in_by_id) == (
            "attended",
            "attended",
            home_staff.pk,
        )
        assert events("homes.attended") == 1


def test_no_shows_are_released_after_the_window_and_counted(tree):
    slot = factories.youth_home("gd", places=3)
    with schema_context("gd"):
        came = services.book(slot=slot, youth=tree["youth"], places=1)
        stayed_away = services.book(slot=slot, youth=factories.account(), places=2)
        with time_machine.travel(slot.starts_at + timedelta(minutes=5), tick=False):
            services.check_in(code=came.code, actor=tree["gd_cadre"])
            assert services.release_no_shows() == 0  # still within the window
        with time_machine.travel(slot.starts_at + timedelta(minutes=16), tick=False):
            assert services.release_no_shows() == 1
            assert services.release_no_shows() == 0
        assert Booking.objects.get(pk=stayed_away.pk).state == "no_show"
        assert Slot.objects.get(pk=slot.pk).taken == 1
        assert events("homes.no_show") == 1


def test_a_youth_who_came_rates_the_service_once_and_says_if_it_was_as_described(tree):
    home_staff = factories.staff(tree.gd, "org_member")
    slot = factories.youth_home("gd", home_staff, places=3)
    with schema_context("gd"):
        came = services.book(slot=slot, youth=tree["youth"])
        other = factories.account()
        stayed_away = services.book(slot=slot, youth=other)
        refused(
            "not_ready",
            lambda: services.rate(booking=came, youth=tree["youth"], stars=5, is_real=True),
        )
        with time_machine.travel(slot.starts_at, tick=False):
            services.check_in(code=came.code, actor=home_staff)
        refused(
            "not_served", lambda: services.rate(booking=came, youth=other, stars=1, is_real=False)
        )
        refused(
            "not_ready",
            lambda: services.rate(booking=stayed_away, youth=other, stars=1, is_real=False),
        )
        refused(
            "invalid_stars",
            lambda: services.rate(booking=came, youth=tree["youth"], stars=6, is_real=True),
        )
        services.rate(booking=came, youth=tree["youth"], stars=2, is_real=False, comment="没开门")
        refused(
            "already_rated",
            lambda: services.rate(booking=came, youth=tree["youth"], stars=5, is_real=True),
        )
        found = selectors.satisfaction(slot.service.home)
        assert (found["ratings"], found["stars"], found["not_as_described"]) == (1, 2.0, 1)


def test_the_figures_count_bookings_check_ins_no_shows_and_ratings_where_they_happened(tree):
    home_staff = factories.staff(tree.gz, "org_member")
    slot = factories.youth_home("gd-gz", home_staff, places=1)
    with schema_context("gd_gz"):
        first = services.book(slot=slot, youth=tree["youth"])
        waiting = services.join_waitlist(slot=slot, youth=factories.account())
        services.cancel(booking=first, youth=tree["youth"])
        promoted = services.accept_offer(waiter=waiting, youth=waiting.youth)
        with time_machine.travel(slot.starts_at, tick=False):
            services.check_in(code=promoted.code, actor=home_staff)
        services.rate(booking=promoted, youth=waiting.youth, stars=4, is_real=True)
    assert shipping.ship_all() > 0
    expected = {
        "home_bookings": 1,
        "home_promotions": 1,
        "home_cancellations": 1,
        "home_attended": 1,
        "home_no_shows": 0,
        "home_ratings": 1,
        "home_rating_stars": 4,
        "home_not_as_described": 0,
    }
    for committee in (tree.gz, tree.gd, tree.central):
        shown = figures(committee, subtree=committee != tree.gz)
        assert {k: shown[k] for k in expected} == expected, committee.code


def test_the_demo_home_opens_six_days_a_week_with_its_slots_made(tree):
    from tenants import demo

    monday = datetime(2026, 6, 1, 8, tzinfo=CST)
    with time_machine.travel(monday, tick=False), schema_context("gd_gz"):
        demo.set_up_youth_home("gd-gz", staff=tree["gz_cadre"])
        # Two weeks: 12 days open (no Sundays), two openings of three services each.
        assert Slot.objects.count() == 12 * 2 * 3
        assert services.may_check_in(tree["gz_cadre"], Slot.objects.first().service.home)
        # Its standard recorded by Guangzhou's admin and confirmed by Guangdong's: it meets it.
        demo.meet_home_standard(
            recorder=factories.staff(tree.gz, "admin"), checker=tree["gd_admin"]
        )
    assert HomeListing.objects.get(committee=tree.gz).meets_standard


def test_youths_are_reminded_once_of_a_booking_starting_soon(
    tree, django_capture_on_commit_callbacks
):
    slot = factories.youth_home("gd", places=3)
    with schema_context("gd"):
        booking = services.book(slot=slot, youth=tree["youth"])
        cancelled = services.book(slot=slot, youth=factories.account())
        services.cancel(booking=cancelled, youth=cancelled.youth)
        assert services.remind(now=slot.starts_at - timedelta(hours=4)) == 0  # not yet
        with django_capture_on_commit_callbacks(execute=True):
            assert services.remind(now=slot.starts_at - timedelta(hours=2)) == 1
        assert services.remind(now=slot.starts_at - timedelta(hours=1)) == 0  # once
        assert Booking.objects.get(pk=booking.pk).reminded_at is not None
    assert Notification.objects.filter(user=tree["youth"], kind="home_reminder").count() == 1


def test_near_finds_every_home_inside_the_radius_up_to_its_edge(tree):
    """The bounding box that narrows the rows is drawn on the same sphere as the distance,
    a little wider: a home 9.99 km away is within 10 km."""
    from homes import selectors

    with schema_context("gd"):
        for n, km in enumerate((9.990, 9.999, 10.05)):
            services.open_home(
                name=f"北边{n}",
                address="北边",
                latitude=f"{23.0 + km / selectors.KM_PER_DEGREE:.6f}",
                longitude="113.000000",
            )
        found = selectors.near(23.0, 113.0, 10)
        assert [h.name for h in found] == ["北边0", "北边1"]
        assert all(9.98 < h.distance_km <= 10 for h in found)
