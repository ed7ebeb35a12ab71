"""Registering for an activity through its services: a youth alone takes one place, once,
while registration is open; a team forms by its link, registers through its captain and
takes a place for each member, all or none; a full activity's waitlist offers the places
that free up (to a youth or to a whole team waiting as one), holds them for a while and
passes them on when the offer is not taken; no one withdraws once it has started."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from django_tenants.utils import schema_context

from activities import registration, services
from activities.models import Activity, Registration, Squad, SquadMember
from capacity import guard, waitlist
from capacity.models import Waiter
from core.errors import ServiceError
from core.models import Notification
from tests import factories

CST = ZoneInfo("Asia/Shanghai")


def refused(code: str, call) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.code == code, caught.value
    return caught.value


def events(kind: str) -> int:
    from timeline.models import Event

    return Event.objects.filter(kind=kind).count()


def places(activity: Activity) -> tuple[int, int]:
    """The activity's places taken and held, as the database has them."""
    row = Activity.objects.get(pk=activity.pk)
    return row.taken, row.held


def registered(activity: Activity) -> set[int]:
    return set(
        Registration.objects.filter(activity=activity, state="registered").values_list(
            "youth_id", flat=True
        )
    )


def for_teams(tree, places: int, **fields) -> Activity:
    """An activity of Guangdong that takes individuals and teams of two or three."""
    fields = {"allows_teams": True, "team_min": 2, "team_max": 3, **fields}
    return factories.activity("gd", tree["gd_cadre"], places=places, **fields)


def team(activity: Activity, captain, *members, name: str = "追风队") -> Squad:
    """A team its captain formed, with ``members`` joined by its link."""
    squad = registration.form_team(activity=activity, captain=captain, name=name)
    for member in members:
        registration.join_team(squad=squad, youth=member)
    return squad


def youths(n: int, prefix: str = "青年") -> list:
    return [factories.account(name=f"{prefix}{i}") for i in range(n)]


# ---------------------------------------------------------------- alone


def test_a_youth_registers_alone_takes_one_place_and_is_told(
    tree, django_capture_on_commit_callbacks
):
    activity = factories.activity("gd", tree["gd_cadre"], places=5)
    with schema_context("gd"), django_capture_on_commit_callbacks(execute=True):
        made = registration.register(activity=activity, youth=tree["youth"])
        assert (made.youth_id, made.state, made.squad_id) == (tree["youth"].pk, "registered", None)
        assert places(activity) == (1, 0)
        assert events("activities.registered") == 1
        # Told once the registration commits, not before.
        assert not Notification.objects.filter(kind="activity_registered").exists()
    note = Notification.objects.get(user=tree["youth"], kind="activity_registered")
    assert note.data["title"] == activity.title


def test_a_youth_registers_once(tree):
    activity = factories.activity("gd", tree["gd_cadre"], places=5)
    with schema_context("gd"):
        registration.register(activity=activity, youth=tree["youth"])
        refused(
            "already_registered",
            lambda: registration.register(activity=activity, youth=tree["youth"]),
        )
        refused(
            "already_registered",
            lambda: registration.join_waitlist(activity=activity, youth=tree["youth"]),
        )
        assert places(activity) == (1, 0)
        assert Registration.objects.filter(activity=activity).count() == 1
        assert events("activities.registered") == 1


def test_registration_takes_no_one_before_it_opens_or_after_it_closes(tree):
    now = timezone.now()
    later = factories.activity(
        "gd", tree["gd_cadre"], registration_opens_at=now + timedelta(hours=2)
    )
    soon = factories.activity(
        "gd", tree["gd_cadre"], registration_closes_at=now + timedelta(hours=1)
    )
    with schema_context("gd"):
        refused("not_yet", lambda: registration.register(activity=later, youth=tree["youth"]))
        refused(
            "not_yet",
            lambda: registration.form_team(activity=later, captain=tree["youth"], name="早鸟"),
        )
        with time_machine.travel(soon.registration_closes_at, tick=False):  # closes at, not after
            refused("closed", lambda: registration.register(activity=soon, youth=tree["youth"]))
            refused(
                "closed", lambda: registration.join_waitlist(activity=soon, youth=tree["youth"])
            )
        with time_machine.travel(later.registration_opens_at, tick=False):  # open from then
            assert registration.register(activity=later, youth=tree["youth"]).state == "registered"
        assert places(later) == (1, 0) and places(soon) == (0, 0)


def test_a_cancelled_activity_takes_no_registrations(tree):
    activity = factories.activity("gd", tree["gd_cadre"], places=5)
    with schema_context("gd"):
        services.cancel(activity=activity, actor=tree["gd_cadre"], reason="天气原因")
        refused("cancelled", lambda: registration.register(activity=activity, youth=tree["youth"]))
        refused(
            "cancelled",
            lambda: registration.join_waitlist(activity=activity, youth=tree["youth"]),
        )
        assert places(activity) == (0, 0)
        assert not Registration.objects.filter(activity=activity).exists()


def test_an_activity_for_teams_only_refuses_youths_alone(tree):
    activity = for_teams(tree, 6, allows_individuals=False)
    with schema_context("gd"):
        refused("teams_only", lambda: registration.register(activity=activity, youth=tree["youth"]))
        refused(
            "teams_only",
            lambda: registration.join_waitlist(activity=activity, youth=tree["youth"]),
        )
        assert places(activity) == (0, 0)
        # A team of it is welcome.
        squad = team(activity, tree["youth"], factories.account())
        assert len(registration.register_team(squad=squad, captain=tree["youth"])) == 2
        assert places(activity) == (2, 0)


def test_the_last_place_goes_to_one_youth_and_the_next_is_told_it_is_full(tree):
    activity = factories.activity("gd", tree["gd_cadre"], places=1)
    first, second = youths(2)
    with schema_context("gd"):
        registration.register(activity=activity, youth=first)
        refused("full", lambda: registration.register(activity=activity, youth=second))
        assert places(activity) == (1, 0)
        assert registered(activity) == {first.pk}
        assert guard.free(activity) == 0


# ---------------------------------------------------------------- teams


def test_a_team_forms_and_youths_join_it_by_its_link_up_to_its_largest(tree):
    activity = for_teams(tree, 10)
    captain, second, third, fourth = youths(4, "队员")
    with schema_context("gd"):
        squad = team(activity, captain, second)
        assert squad.state == "forming" and squad.captain_id == captain.pk
        assert list(squad.members.values_list("youth_id", flat=True)) == [captain.pk, second.pk]
        refused("in_a_team", lambda: registration.join_team(squad=squad, youth=second))
        registration.join_team(squad=squad, youth=third)
        refused("team_full", lambda: registration.join_team(squad=squad, youth=fourth))
        assert squad.members.count() == 3
        # One team a youth, and one team a name.
        refused(
            "in_a_team",
            lambda: registration.form_team(activity=activity, captain=third, name="另一队"),
        )
        refused(
            "taken",
            lambda: registration.form_team(activity=activity, captain=fourth, name="追风队"),
        )


def test_a_youth_in_a_team_does_not_register_alone_nor_a_registered_one_join(tree):
    activity = for_teams(tree, 10)
    captain, member, alone = youths(3, "队员")
    with schema_context("gd"):
        squad = team(activity, captain, member)
        refused("in_a_team", lambda: registration.register(activity=activity, youth=member))
        refused("in_a_team", lambda: registration.register(activity=activity, youth=captain))
        refused("in_a_team", lambda: registration.join_waitlist(activity=activity, youth=member))
        registration.register(activity=activity, youth=alone)
        refused("already_registered", lambda: registration.join_team(squad=squad, youth=alone))
        assert places(activity) == (1, 0)
        assert squad.members.count() == 2


def test_only_the_captain_registers_a_team_and_only_with_enough_members(tree):
    activity = for_teams(tree, 10, team_min=3, team_max=4)
    captain, member, late = youths(3, "队员")
    with schema_context("gd"):
        squad = team(activity, captain, member)
        refused("team_size", lambda: registration.register_team(squad=squad, captain=captain))
        registration.join_team(squad=squad, youth=late)
        refused("forbidden", lambda: registration.register_team(squad=squad, captain=member))
        assert places(activity) == (0, 0)
        assert not Registration.objects.filter(activity=activity).exists()
        assert len(registration.register_team(squad=squad, captain=captain)) == 3
        refused("team_closed", lambda: registration.register_team(squad=squad, captain=captain))
        assert places(activity) == (3, 0)


def test_a_team_that_does_not_fit_takes_no_place_at_all(tree):
    activity = for_teams(tree, 4)
    captain, second, third = youths(3, "队员")
    alone = youths(2, "独行")
    with schema_context("gd"):
        for youth in alone:
            registration.register(activity=activity, youth=youth)
        squad = team(activity, captain, second, third)  # three, for the two places left
        refused("full", lambda: registration.register_team(squad=squad, captain=captain))
        assert places(activity) == (2, 0)  # not two of its three places: none
        assert registered(activity) == {youth.pk for youth in alone}
        assert not Registration.objects.filter(squad=squad).exists()
        assert Squad.objects.get(pk=squad.pk).state == "forming"
        assert events("activities.team_registered") == 0
        assert guard.free(activity) == 2


def test_a_team_that_fits_takes_a_place_for_each_member_who_are_all_registered(
    tree, django_capture_on_commit_callbacks
):
    activity = for_teams(tree, 5)
    captain, second, third = members = youths(3, "队员")
    with schema_context("gd"), django_capture_on_commit_callbacks(execute=True):
        squad = team(activity, captain, second, third)
        made = registration.register_team(squad=squad, captain=captain)
        assert sorted(r.youth_id for r in made) == sorted(m.pk for m in members)
        assert places(activity) == (3, 0)
        assert Squad.objects.get(pk=squad.pk).state == "registered"
        rows = Registration.objects.filter(activity=activity, state="registered")
        assert {(r.youth_id, r.squad_id) for r in rows} == {(m.pk, squad.pk) for m in members}
        assert events("activities.team_registered") == 1
        assert events("activities.registered") == 3
        # A registered team takes no one new, and its members leave by withdrawing.
        refused("team_closed", lambda: registration.join_team(squad=squad, youth=tree["youth"]))
        refused("team_closed", lambda: registration.leave_team(squad=squad, youth=second))
    told = Notification.objects.filter(kind="activity_registered")
    assert set(told.values_list("user_id", flat=True)) == {m.pk for m in members}


def test_the_captain_leaving_disbands_the_team_and_a_member_leaving_goes_alone(tree):
    activity = for_teams(tree, 10)
    captain, second, third = youths(3, "队员")
    with schema_context("gd"):
        squad = team(activity, captain, second, third)
        registration.leave_team(squad=squad, youth=third)
        assert list(squad.members.values_list("youth_id", flat=True)) == [captain.pk, second.pk]
        registration.leave_team(squad=squad, youth=captain)
        assert Squad.objects.get(pk=squad.pk).state == "disbanded"
        assert not SquadMember.objects.filter(activity=activity).exists()
        refused("team_closed", lambda: registration.join_team(squad=squad, youth=third))
        refused("team_closed", lambda: registration.register_team(squad=squad, captain=captain))
        # Its members are free again: alone, or in a new team of the same name.
        registration.register(activity=activity, youth=second)
        again = team(activity, captain, third)
        assert again.name == squad.name and again.state == "forming"
        assert places(activity) == (1, 0)


# ---------------------------------------------------------------- withdrawing, the waitlist


def test_withdrawing_gives_the_place_to_the_first_in_line_who_holds_it(
    tree, django_capture_on_commit_callbacks
):
    activity = factories.activity("gd", tree["gd_cadre"], places=1)
    first, second, other = youths(3)
    with schema_context("gd"):
        mine = registration.register(activity=activity, youth=tree["youth"])
        one = registration.join_waitlist(activity=activity, youth=first)
        two = registration.join_waitlist(activity=activity, youth=second)
        assert (one.state, two.state, one.places) == ("waiting", "waiting", 1)
        refused(
            "already_waiting", lambda: registration.join_waitlist(activity=activity, youth=first)
        )
        refused("forbidden", lambda: registration.withdraw(registration=mine, youth=first))
        with django_capture_on_commit_callbacks(execute=True):
            withdrawn = registration.withdraw(registration=mine, youth=tree["youth"])
        assert (withdrawn.state, withdrawn.cancelled_at is not None) == ("cancelled", True)
        refused(
            "not_registered",
            lambda: registration.withdraw(registration=mine, youth=tree["youth"]),
        )
        one.refresh_from_db()
        assert one.state == "offered" and one.offered_until is not None
        assert places(activity) == (0, 1)  # given back, and held for the first in line
        assert Waiter.objects.get(pk=two.pk).state == "waiting"
        # Held: no one else registers meanwhile, not even the youth who gave it back.
        refused("full", lambda: registration.register(activity=activity, youth=other))
        refused("full", lambda: registration.register(activity=activity, youth=tree["youth"]))
        refused("forbidden", lambda: registration.accept_offer(waiter=one, youth=second))
        with django_capture_on_commit_callbacks(execute=True):
            promoted = registration.accept_offer(waiter=one, youth=first)
        assert [(r.youth_id, r.state) for r in promoted] == [(first.pk, "registered")]
        assert places(activity) == (1, 0)
        assert registered(activity) == {first.pk}
        assert Waiter.objects.get(pk=one.pk).state == "accepted"
        assert events("activities.withdrawn") == 1 and events("activities.promoted") == 1
        refused("no_offer", lambda: registration.accept_offer(waiter=one, youth=first))
    assert Notification.objects.filter(user=first, kind="activity_offer").exists()
    assert Notification.objects.filter(user=first, kind="activity_registered").exists()
    assert not Notification.objects.filter(user=second, kind="activity_offer").exists()


def test_a_team_waits_as_one_until_enough_places_free_and_is_registered_whole(
    tree, django_capture_on_commit_callbacks
):
    activity = for_teams(tree, 4)
    captain, second, third = members = youths(3, "队员")
    with schema_context("gd"):
        alone = [registration.register(activity=activity, youth=y) for y in youths(4, "独行")]
        squad = team(activity, captain, second, third)
        refused("full", lambda: registration.register_team(squad=squad, captain=captain))
        refused("forbidden", lambda: registration.team_waits(squad=squad, captain=second))
        waiter = registration.team_waits(squad=squad, captain=captain)
        assert (waiter.state, waiter.places, waiter.youth_id) == ("waiting", 3, captain.pk)
        assert Squad.objects.get(pk=squad.pk).state == "waiting"
        refused("team_closed", lambda: registration.join_team(squad=squad, youth=tree["youth"]))
        # One place, then two: not enough for the team, which keeps its turn.
        for n, mine in enumerate(alone[:2], start=1):
            registration.withdraw(registration=mine, youth=mine.youth)
            assert Waiter.objects.get(pk=waiter.pk).state == "waiting"
            assert places(activity) == (4 - n, 0)
        with django_capture_on_commit_callbacks(execute=True):
            registration.withdraw(registration=alone[2], youth=alone[2].youth)
        waiter.refresh_from_db()
        assert waiter.state == "offered"
        assert places(activity) == (1, 3)  # the three places the team needs are held for it
        refused("full", lambda: registration.register(activity=activity, youth=tree["youth"]))
        refused("forbidden", lambda: registration.accept_offer(waiter=waiter, youth=second))
        made = registration.accept_offer(waiter=waiter, youth=captain)
        assert sorted(r.youth_id for r in made) == sorted(m.pk for m in members)
        assert places(activity) == (4, 0)
        assert Squad.objects.get(pk=squad.pk).state == "registered"
        rows = Registration.objects.filter(squad=squad, state="registered")
        assert {r.youth_id for r in rows} == {m.pk for m in members}
        assert events("activities.promoted") == 3
        assert events("activities.team_registered") == 1
    assert Notification.objects.filter(user=captain, kind="activity_offer").exists()


def test_an_offer_not_taken_in_time_passes_on_and_the_waiting_team_forms_again(
    tree, django_capture_on_commit_callbacks
):
    start = datetime(2027, 3, 2, 9, tzinfo=CST)
    with time_machine.travel(start, tick=False):
        activity = for_teams(tree, 3)
        captain, member = youths(2, "队员")
        latecomer = factories.account(name="候补")
        with schema_context("gd"):
            alone = [registration.register(activity=activity, youth=y) for y in youths(3, "独行")]
            squad = team(activity, captain, member)
            first = registration.team_waits(squad=squad, captain=captain)  # two places
            then = registration.join_waitlist(activity=activity, youth=latecomer)  # one
            registration.withdraw(registration=alone[0], youth=alone[0].youth)
            # One place free: the team first in line needs two, and the youth behind it
            # does not jump the line.
            assert Waiter.objects.get(pk=then.pk).state == "waiting"
            assert places(activity) == (2, 0)
            registration.withdraw(registration=alone[1], youth=alone[1].youth)
            first.refresh_from_db()
            assert first.state == "offered"
            assert first.offered_until == start + timedelta(seconds=registration.OFFER_HOLD_S)
            assert places(activity) == (1, 2)
    almost = start + timedelta(seconds=registration.OFFER_HOLD_S - 1)
    with time_machine.travel(almost, tick=False), schema_context("gd"):
        assert waitlist.lapse_offers() == 0  # still holds
    later = start + timedelta(seconds=registration.OFFER_HOLD_S + 1)
    with time_machine.travel(later, tick=False), schema_context("gd"):
        with django_capture_on_commit_callbacks(execute=True):
            assert waitlist.lapse_offers() == 1
        first.refresh_from_db(), then.refresh_from_db()
        assert (first.state, then.state) == ("expired", "offered")
        assert places(activity) == (1, 1)  # one passed to the next, one free
        refused("no_offer", lambda: registration.accept_offer(waiter=first, youth=captain))
        # The team forms again: it may take new members, and register or wait anew.
        assert registration.current_team(squad).state == "forming"
        assert Squad.objects.get(pk=squad.pk).state == "forming"
        assert not Registration.objects.filter(squad=squad).exists()
        refused("full", lambda: registration.register_team(squad=squad, captain=captain))
        made = registration.accept_offer(waiter=then, youth=latecomer)
        assert [r.youth_id for r in made] == [latecomer.pk]
        assert places(activity) == (2, 0)
    assert Notification.objects.filter(user=captain, kind="activity_offer_lapsed").exists()
    assert Notification.objects.filter(user=latecomer, kind="activity_offer").exists()


def test_no_one_withdraws_once_it_has_started(tree):
    activity = factories.activity("gd", tree["gd_cadre"], places=3)
    with schema_context("gd"):
        mine = registration.register(activity=activity, youth=tree["youth"])
        with time_machine.travel(activity.starts_at, tick=False):
            refused(
                "started", lambda: registration.withdraw(registration=mine, youth=tree["youth"])
            )
        assert Registration.objects.get(pk=mine.pk).state == "registered"
        assert places(activity) == (1, 0)
        with time_machine.travel(activity.starts_at - timedelta(minutes=1), tick=False):
            registration.withdraw(registration=mine, youth=tree["youth"])
        assert places(activity) == (0, 0)


# ---------------------------------------------------------------- one place, one way


def test_an_offer_running_when_the_activity_is_cancelled_cannot_be_taken(tree):
    """Cancelling lets the waitlist go; an offer running then must end with it, not leave a
    youth able to register for a cancelled activity."""
    activity = factories.activity("gd", tree["gd_cadre"], places=1)
    first = factories.account(name="候补")
    with schema_context("gd"):
        mine = registration.register(activity=activity, youth=tree["youth"])
        waiter = registration.join_waitlist(activity=activity, youth=first)
        registration.withdraw(registration=mine, youth=tree["youth"])
        assert Waiter.objects.get(pk=waiter.pk).state == "offered"
        services.cancel(activity=activity, actor=tree["gd_cadre"], reason="天气原因")
        refused("no_offer", lambda: registration.accept_offer(waiter=waiter, youth=first))
        assert Waiter.objects.get(pk=waiter.pk).state == "expired"
        assert places(activity) == (0, 0)  # the held place is let go with the line
        assert registered(activity) == set()


def test_an_offer_cannot_be_taken_once_registration_has_closed(tree):
    """A place freed an hour before the start is offered for six hours: the offer must not
    register anyone after registration closed (at the start), let alone after the end."""
    activity = factories.activity("gd", tree["gd_cadre"], places=1)
    first = factories.account(name="候补")
    with schema_context("gd"):
        mine = registration.register(activity=activity, youth=tree["youth"])
        waiter = registration.join_waitlist(activity=activity, youth=first)
        with time_machine.travel(activity.starts_at - timedelta(hours=1), tick=False):
            registration.withdraw(registration=mine, youth=tree["youth"])
        assert Waiter.objects.get(pk=waiter.pk).state == "offered"
        with time_machine.travel(activity.ends_at + timedelta(minutes=30), tick=False):
            assert not registration.is_open(Activity.objects.get(pk=activity.pk))
            refused("no_offer", lambda: registration.accept_offer(waiter=waiter, youth=first))
        assert registered(activity) == set()
        # The offer held only until registration closed, at the start.
        assert Waiter.objects.get(pk=waiter.pk).offered_until == activity.starts_at


def test_a_youth_waiting_alone_is_not_also_in_a_team(tree):
    """A youth takes part once: registered, in one team, or once in line; a youth waiting
    alone may not join a team (or the team's registration would register them twice)."""
    activity = for_teams(tree, 3)
    captain, waiting = youths(2, "队员")
    with schema_context("gd"):
        for youth in youths(3, "独行"):
            registration.register(activity=activity, youth=youth)
        registration.join_waitlist(activity=activity, youth=waiting)
        squad = team(activity, captain)
        refused("already_waiting", lambda: registration.join_team(squad=squad, youth=waiting))
        in_a_team = SquadMember.objects.filter(activity=activity, youth=waiting).exists()
        in_line = waitlist.waiting(activity).filter(youth=waiting).exists()
        assert (in_a_team, in_line) != (True, True), "in a team and in line alone"


def test_a_youth_offered_a_place_does_not_also_register_directly(tree):
    """A youth offered a place takes it from the offer: registering for another free place
    beside it is refused, so no place stays blocked by an offer that cannot be taken."""
    activity = factories.activity("gd", tree["gd_cadre"], places=2)
    first, second, waiting = youths(3)
    with schema_context("gd"):
        one = registration.register(activity=activity, youth=first)
        two = registration.register(activity=activity, youth=second)
        waiter = registration.join_waitlist(activity=activity, youth=waiting)
        registration.withdraw(registration=one, youth=first)  # offered to the waiting youth
        registration.withdraw(registration=two, youth=second)  # free, for anyone
        assert Waiter.objects.get(pk=waiter.pk).state == "offered"
        assert places(activity) == (0, 1)
        refused("already_waiting", lambda: registration.register(activity=activity, youth=waiting))
        is_registered = waiting.pk in registered(activity)
        still_offered = Waiter.objects.get(pk=waiter.pk).state == "offered"
        assert (is_registered, still_offered) != (True, True), "registered and still offered"
