"""The last places of a slot under concurrency: many youths book at the same moment, each
from its own connection, and exactly the places there are get taken; the others are told
the slot is full and join its waitlist. The negative control runs the same race with the
guard replaced by a read-then-write: it oversells, so the test can fail."""

import threading

import pytest
from django.db import connection, connections

from capacity import guard, waitlist
from core.errors import ServiceError
from homes import services
from homes.models import Booking, Slot
from tenants.models import Committee
from tests import factories

pytestmark = pytest.mark.slow

YOUTHS = 10


def unguarded_take(everyone_read: threading.Barrier):
    """``guard.take`` as it would be written without the guard: read the free places, check
    them, then write what was read plus the places. Every taker reads before any writes."""

    def take(pool, places=1):
        row = Slot.objects.get(pk=pool.pk)
        is_free = row.capacity - row.taken - row.held >= places
        everyone_read.wait(timeout=30)
        if not is_free:
            return False
        Slot.objects.filter(pk=pool.pk).update(taken=row.taken + places)
        return True

    return take


def race(slot: Slot, youths, places: int) -> tuple[list[Booking], list[str]]:
    """Each youth books ``places`` of ``slot`` in its own thread, all at once; the bookings
    made and the refusals' codes."""
    gd = Committee.objects.get(code="gd")
    start = threading.Barrier(len(youths))
    made, refused, failures = [], [], []

    def attempt(youth) -> None:
        try:
            connection.set_tenant(gd)
            start.wait(timeout=30)
            try:
                made.append(services.book(slot=slot, youth=youth, places=places))
            except ServiceError as exc:
                refused.append(exc.code)
                services.join_waitlist(slot=slot, youth=youth, places=places)
        except BaseException as exc:  # reported by the test
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(youth,)) for youth in youths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    return made, refused


def taken(slot: Slot) -> tuple[int, int, int]:
    """The slot's places taken as it counts them, as the places taken before the race and
    its bookings add up, and how many youths wait in its line."""
    connection.set_tenant(Committee.objects.get(code="gd"))
    try:
        counted = Slot.objects.get(pk=slot.pk).taken
        booked = sum(Booking.objects.filter(slot=slot).values_list("places", flat=True))
        return counted, slot.taken + booked, waitlist.waiting(slot).count()
    finally:
        connection.set_schema_to_public()


@pytest.mark.parametrize("guarded", [True, False], ids=["guarded", "negative-control"])
def test_the_last_place_goes_to_exactly_one_youth(committed_tree, monkeypatch, guarded):
    slot = factories.youth_home("gd", places=5, taken=4)
    youths = [factories.account(name=f"青年{i}") for i in range(YOUTHS)]
    if not guarded:
        monkeypatch.setattr(guard, "take", unguarded_take(threading.Barrier(YOUTHS)))
    made, refused = race(slot, youths, places=1)
    counted, booked, waiting = taken(slot)
    if guarded:
        assert (len(made), refused, counted, booked) == (1, ["full"] * (YOUTHS - 1), 5, 5)
        assert waiting == YOUTHS - 1
    else:  # without the guard the last place is sold to everyone who asked
        assert len(made) > 1 and booked > slot.capacity


@pytest.mark.parametrize("guarded", [True, False], ids=["guarded", "negative-control"])
def test_a_group_that_does_not_fit_gets_no_places(committed_tree, monkeypatch, guarded):
    slot = factories.youth_home("gd", places=5, taken=2)  # three free
    groups = [factories.account(name=f"队长{i}") for i in range(4)]
    if not guarded:
        monkeypatch.setattr(guard, "take", unguarded_take(threading.Barrier(len(groups))))
    made, refused = race(slot, groups, places=2)
    counted, booked, waiting = taken(slot)
    if guarded:  # one group of two fits; the others take nothing, not one place of two
        assert (len(made), refused, counted, booked, waiting) == (1, ["full"] * 3, 4, 4, 3)
    else:
        assert booked > slot.capacity
