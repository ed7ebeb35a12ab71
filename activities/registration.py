"""Registering for an activity (报名): alone, or as a team (组队) that takes its places all
or none, through the one capacity guard; a full activity's waitlist; withdrawing.

A team forms first: its captain names it, members join by its link, and the captain
registers it when it has the members the activity asks for. A team that does not fit may
wait, as one, for as many places as it has members."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from capacity import guard, waitlist
from capacity.models import Waiter
from core.errors import ServiceError, checked_text

from .models import Activity, ActivityEvent, Registration, Squad, SquadMember
from .services import record, tell, tell_later, when

Kind = ActivityEvent
REGISTERED = Registration.State.REGISTERED
OFFER_HOLD_S = 6 * 3600  # a waitlist offer holds its places this long


def is_open(activity: Activity, now: datetime | None = None) -> bool:
    """Whether the activity takes registrations now."""
    now = now or timezone.now()
    return (
        activity.state == Activity.State.PUBLISHED
        and activity.registration_opens_at <= now < activity.registration_closes_at
    )


def _refuse_unless_open(activity: Activity) -> None:
    if activity.state != Activity.State.PUBLISHED:
        raise ServiceError("cancelled", _("This activity was cancelled."), status=409)
    now = timezone.now()
    if now < activity.registration_opens_at:
        raise ServiceError(
            "not_yet",
            _("Registration opens %(at)s.") % {"at": when(activity.registration_opens_at)},
            status=409,
        )
    if not is_open(activity, now):
        raise ServiceError("closed", _("Registration has closed."), status=409)


def _refuse_if_taking_part(activity: Activity, youth) -> None:
    """A youth takes part once: registered, or in one team, or once in line."""
    if Registration.objects.filter(activity=activity, youth=youth, state=REGISTERED).exists():
        raise ServiceError("already_registered", _("You have registered already."), status=409)
    if SquadMember.objects.filter(activity=activity, youth=youth).exists():
        raise ServiceError("in_a_team", _("You are in a team for this activity."), status=409)
    if waitlist.waiting(activity).filter(youth=youth).exists():
        raise ServiceError("already_waiting", _("You are on the waitlist already."), status=409)


def _new_registrations(activity: Activity, youth_ids: list[int], *, squad=None, kind, actor):
    """Registrations for places already taken, on the timeline; the youths are told once
    committed."""
    made = Registration.objects.bulk_create(
        Registration(activity=activity, youth_id=youth_id, squad=squad) for youth_id in youth_ids
    )
    for registration in made:
        record(registration, kind, activity=activity, actor=actor, youth=registration.youth_id)
    tell_later(youth_ids, "activity_registered", activity)
    return made


def _full() -> ServiceError:
    return ServiceError(
        "full", _("It is full: join its waitlist to be told when a place frees."), status=409
    )


def register(*, activity: Activity, youth) -> Registration:
    """``youth`` registers alone; a full activity refuses with ``full``."""
    activity = Activity.objects.get(pk=activity.pk)
    _refuse_unless_open(activity)
    if not activity.allows_individuals:
        raise ServiceError("teams_only", _("This activity takes teams only."), status=409)
    _refuse_if_taking_part(activity, youth)
    try:
        with transaction.atomic():
            if not guard.take(activity, 1):
                raise _full()
            return _new_registrations(activity, [youth.pk], kind=Kind.REGISTERED, actor=youth)[0]
    except IntegrityError:  # the same youth's second request, at the same moment
        raise ServiceError(
            "already_registered", _("You have registered already."), status=409
        ) from None


def withdraw(*, registration: Registration, youth) -> Registration:
    """The youth cancels their registration before the start; the place goes to the next in
    line, and they leave their team."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("activity")
            .get(pk=registration.pk)
        )
        activity = registration.activity
        if registration.youth_id != youth.pk:
            raise ServiceError("forbidden", _("This registration is someone else's."), status=403)
        if registration.state != REGISTERED:
            raise ServiceError("not_registered", _("This registration was cancelled."), status=409)
        now = timezone.now()
        if now >= activity.starts_at:
            raise ServiceError("started", _("It has started: it cannot be cancelled."), status=409)
        registration.state, registration.cancelled_at = Registration.State.CANCELLED, now
        registration.save(update_fields=["state", "cancelled_at"])
        SquadMember.objects.filter(activity=activity, youth=youth).delete()
        guard.give_back(activity, 1)
        record(registration, Kind.WITHDRAWN, activity=activity, actor=youth, youth=youth)
        waitlist.offer_next(activity, now=now)
    return registration


def join_waitlist(*, activity: Activity, youth) -> Waiter:
    """``youth`` waits, alone, for a place of a full activity."""
    activity = Activity.objects.get(pk=activity.pk)
    _refuse_unless_open(activity)
    if not activity.allows_individuals:
        raise ServiceError("teams_only", _("This activity takes teams only."), status=409)
    _refuse_if_taking_part(activity, youth)
    with transaction.atomic():
        waiter = waitlist.join(activity, youth=youth)
        record(waiter, Kind.WAITLISTED, activity=activity, actor=youth, youth=youth, places=1)
    return waiter


# ---------------------------------------------------------------- teams


def form_team(*, activity: Activity, captain, name: str) -> Squad:
    """``captain`` forms a team for the activity; members join by its link."""
    activity = Activity.objects.get(pk=activity.pk)
    name = checked_text(name, field="name", limit=40, required=_("Name the team."))
    _refuse_unless_open(activity)
    if not activity.allows_teams:
        raise ServiceError("no_teams", _("This activity takes no teams."), status=409)
    _refuse_if_taking_part(activity, captain)
    try:
        with transaction.atomic():
            squad = Squad.objects.create(activity=activity, name=name, captain=captain)
            SquadMember.objects.create(squad=squad, activity=activity, youth=captain)
    except IntegrityError:
        raise ServiceError(
            "taken", _("A team of this activity has this name."), field="name"
        ) from None
    return squad


def _locked_team(squad: Squad) -> Squad:
    """The team, locked; a team whose place in line ended (lapsed, let go) forms again."""
    squad = (
        Squad.objects.select_for_update(of=("self",)).select_related("activity").get(pk=squad.pk)
    )
    if squad.state == Squad.State.WAITING and not _team_in_line(squad):
        squad.state = Squad.State.FORMING
        squad.save(update_fields=["state"])
    return squad


def current_team(squad: Squad) -> Squad:
    """The team as it stands now (a team whose place in line ended forms again)."""
    with transaction.atomic():
        return _locked_team(squad)


def _team_in_line(squad: Squad) -> bool:
    return waitlist.waiting(squad.activity).filter(data__squad=squad.pk).exists()


def join_team(*, squad: Squad, youth) -> SquadMember:
    """``youth`` joins a forming team by its link, while it has room."""
    with transaction.atomic():
        squad = _locked_team(squad)
        activity = squad.activity
        if squad.state != Squad.State.FORMING:
            raise ServiceError("team_closed", _("This team takes no new members."), status=409)
        _refuse_unless_open(activity)
        _refuse_if_taking_part(activity, youth)
        if squad.members.count() >= activity.team_max:
            raise ServiceError(
                "team_full",
                _("A team has at most %(n)s members.") % {"n": activity.team_max},
                status=409,
            )
        try:
            with transaction.atomic():
                return SquadMember.objects.create(squad=squad, activity=activity, youth=youth)
        except IntegrityError:
            raise ServiceError(
                "in_a_team", _("You are in a team for this activity."), status=409
            ) from None


def leave_team(*, squad: Squad, youth) -> Squad:
    """A member leaves a forming team; the captain leaving disbands it."""
    with transaction.atomic():
        squad = _locked_team(squad)
        if squad.state != Squad.State.FORMING:
            raise ServiceError(
                "team_closed", _("A registered team's members cancel their own places."), status=409
            )
        if squad.captain_id == youth.pk:
            squad.state = Squad.State.DISBANDED
            squad.save(update_fields=["state"])
            squad.members.all().delete()
        else:
            squad.members.filter(youth=youth).delete()
    return squad


def _members(squad: Squad) -> list[int]:
    return list(squad.members.order_by("id").values_list("youth_id", flat=True))


def _refuse_unless_ready(squad: Squad, captain) -> list[int]:
    """The members of a forming team its captain may register now."""
    activity = squad.activity
    if squad.captain_id != captain.pk:
        raise ServiceError("forbidden", _("Only the team's captain registers it."), status=403)
    if squad.state != Squad.State.FORMING:
        raise ServiceError("team_closed", _("This team has registered or is waiting."), status=409)
    _refuse_unless_open(activity)
    members = _members(squad)
    if not activity.team_min <= len(members) <= activity.team_max:
        raise ServiceError(
            "team_size",
            _("A team has %(low)s to %(high)s members; this one has %(n)s.")
            % {"low": activity.team_min, "high": activity.team_max, "n": len(members)},
            status=409,
        )
    return members


def register_team(*, squad: Squad, captain) -> list[Registration]:
    """The captain registers the team: it takes a place for each member, all or none; a team
    that does not fit refuses with ``full`` (it may wait as one)."""
    with transaction.atomic():
        squad = _locked_team(squad)
        members = _refuse_unless_ready(squad, captain)
        activity = squad.activity
        if not guard.take(activity, len(members)):
            raise _full()
        squad.state = Squad.State.REGISTERED
        squad.save(update_fields=["state"])
        record(squad, Kind.TEAM_REGISTERED, activity=activity, actor=captain, members=len(members))
        return _new_registrations(
            activity, members, squad=squad, kind=Kind.REGISTERED, actor=captain
        )


def team_waits(*, squad: Squad, captain) -> Waiter:
    """The captain puts the team in line for a place each; its members stay as they are
    while it waits, and it is registered as one when the places are offered and taken."""
    with transaction.atomic():
        squad = _locked_team(squad)
        members = _refuse_unless_ready(squad, captain)
        activity = squad.activity
        waiter = waitlist.join(
            activity, youth=captain, places=len(members), data={"squad": squad.pk}
        )
        Squad.objects.filter(pk=squad.pk, state=Squad.State.FORMING).update(
            state=Squad.State.WAITING
        )
        record(waiter, Kind.WAITLISTED, activity=activity, actor=captain, places=len(members))
    return waiter


# ---------------------------------------------------------------- the waitlist's line


def _promoted(waiter: Waiter, activity: Activity) -> list[Registration]:
    """The places offered were taken: the youth's registration, or the team's."""
    squad_id = waiter.data.get("squad")
    if squad_id is None:
        return _new_registrations(
            activity, [waiter.youth_id], kind=Kind.PROMOTED, actor=waiter.youth_id
        )
    squad = Squad.objects.select_for_update().get(pk=squad_id)
    squad.state = Squad.State.REGISTERED
    squad.save(update_fields=["state"])
    record(
        squad, Kind.TEAM_REGISTERED, activity=activity, actor=waiter.youth_id, members=waiter.places
    )
    return _new_registrations(
        activity, _members(squad), squad=squad, kind=Kind.PROMOTED, actor=waiter.youth_id
    )


def _offered(waiter: Waiter, activity: Activity) -> None:
    until = when(waiter.offered_until or timezone.now())
    tell([waiter.youth_id], "activity_offer", activity, until=until)


def _gone(waiter: Waiter, activity: Activity) -> None:
    """An offer lapsed (a team forms again: ``_locked_team``)."""
    tell([waiter.youth_id], "activity_offer_lapsed", activity)


def _open_for_waiters(activity: Activity) -> bool:
    return is_open(Activity.objects.get(pk=activity.pk))


LINE = waitlist.Line(
    model=Activity,
    hold_s=OFFER_HOLD_S,
    is_open=_open_for_waiters,
    offered=_offered,
    accepted=_promoted,
    lapsed=_gone,
    closes_at=lambda activity: activity.registration_closes_at,
)


def accept_offer(*, waiter: Waiter, youth) -> list[Registration]:
    """The youth (a team's captain) takes the places offered."""
    return waitlist.accept(waiter, youth=youth)


def leave_line(*, waiter: Waiter, youth) -> Waiter:
    """Leave the waitlist (a waiting team forms again: ``_locked_team``)."""
    return waitlist.leave(waiter, youth=youth)
