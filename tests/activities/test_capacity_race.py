"""The last places of an activity under concurrency: many youths register at the same
moment, each from its own connection, and exactly the places there are get taken; the others
are told it is full and join its waitlist. Two teams racing for places only one of them fits:
one team registers whole, the other takes no place at all. The negative control runs each
race with the guard replaced by a read-then-write: it oversells, so the test can fail."""

import threading

import pytest
from django.db import connection, connections
from django_tenants.utils import schema_context

from activities import registration
from activities.models import Activity, Registration, Squad
from capacity import guard, waitlist
from core.errors import ServiceError
from tenants.models import Committee
from tests import factories

pytestmark = pytest.mark.slow

YOUTHS = 10


def unguarded_take(everyone_read: threading.Barrier):
    """``guard.take`` as it would be written without the guard: read the free places, check
    them, then write what was read plus the places. Every taker reads before any writes."""

    def take(pool, places=1):
        row = Activity.objects.get(pk=pool.pk)
        is_free = row.capacity - row.taken - row.held >= places
        everyone_read.wait(timeout=30)
        if not is_free:
            return False
        Activity.objects.filter(pk=pool.pk).update(taken=row.taken + places)
        return True

    return take


def race(attempts) -> tuple[list, list[str]]:
    """Each of ``attempts`` (a pair: what to do, what to do if refused) runs in its own
    thread on Guangdong's schema, all at once; what they made and the refusals' codes."""
    gd = Committee.objects.get(code="gd")
    start = threading.Barrier(len(attempts))
    made, refused, failures = [], [], []

    def attempt(act, if_refused) -> None:
        try:
            connection.set_tenant(gd)
            start.wait(timeout=30)
            try:
                made.append(act())
            except ServiceError as exc:
                refused.append(exc.code)
                if_refused()
        except BaseException as exc:  # reported by the test
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=pair) for pair in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a racer hung"
    assert not failures, failures
    return made, refused


def counted(activity: Activity) -> tuple[int, int, int, int]:
    """The activity's places taken and held as it counts them, its registrations, and how
    many wait in its line."""
    with schema_context("gd"):
        row = Activity.objects.get(pk=activity.pk)
        registrations = Registration.objects.filter(activity=activity, state="registered")
        return row.taken, row.held, registrations.count(), waitlist.waiting(activity).count()


def publisher(committed_tree):
    return factories.staff(committed_tree["gd"], "cadre")


@pytest.mark.parametrize("guarded", [True, False], ids=["guarded", "negative-control"])
def test_the_last_places_go_to_exactly_as_many_youths(committed_tree, monkeypatch, guarded):
    activity = factories.activity("gd", publisher(committed_tree), places=3)
    youths = [factories.account(name=f"青年{i}") for i in range(YOUTHS)]
    if not guarded:
        monkeypatch.setattr(guard, "take", unguarded_take(threading.Barrier(YOUTHS)))

    def attempts(youth):
        return (
            lambda: registration.register(activity=activity, youth=youth),
            lambda: registration.join_waitlist(activity=activity, youth=youth),
        )

    made, refused = race([attempts(youth) for youth in youths])
    taken, held, registrations, waiting = counted(activity)
    if guarded:
        assert (len(made), sorted(refused)) == (3, ["full"] * (YOUTHS - 3))
        assert (taken, held, registrations, waiting) == (3, 0, 3, YOUTHS - 3)
        assert {r.youth_id for r in made} < {y.pk for y in youths}
    else:  # without the guard the three places are sold to everyone who asked
        assert len(made) > 3 and registrations > activity.capacity


@pytest.mark.parametrize("guarded", [True, False], ids=["guarded", "negative-control"])
def test_of_two_teams_racing_for_places_for_one_only_one_registers_whole(
    committed_tree, monkeypatch, guarded
):
    activity = factories.activity(
        "gd", publisher(committed_tree), places=4, allows_teams=True, team_min=3, team_max=3
    )
    squads = []
    with schema_context("gd"):
        for n in range(2):
            captain, *members = [factories.account(name=f"{n}队{i}") for i in range(3)]
            squad = registration.form_team(activity=activity, captain=captain, name=f"第{n}队")
            for member in members:
                registration.join_team(squad=squad, youth=member)
            squads.append(squad)
    if not guarded:
        monkeypatch.setattr(guard, "take", unguarded_take(threading.Barrier(len(squads))))

    def attempts(squad):
        return (
            lambda: registration.register_team(squad=squad, captain=squad.captain),
            lambda: None,
        )

    made, refused = race([attempts(squad) for squad in squads])
    taken, held, registrations, _ = counted(activity)
    if guarded:  # one team of three fits the four places; the other takes none of them
        assert (len(made), refused) == (1, ["full"])
        assert (taken, held, registrations) == (3, 0, 3)
        [winner] = {r.squad_id for r in made[0]}
        [loser] = [squad for squad in squads if squad.pk != winner]
        with schema_context("gd"):
            assert Squad.objects.get(pk=winner).state == "registered"
            assert Squad.objects.get(pk=loser.pk).state == "forming"
            assert not Registration.objects.filter(squad=loser).exists()
            assert loser.members.count() == 3
    else:  # without the guard both teams are registered, six youths for four places
        assert len(made) == 2 and registrations > activity.capacity
