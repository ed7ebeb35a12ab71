"""One click from online to offline (一键转至线下): staff send the youth of a question or a
help case to a youth home, of this committee or of any other.

The home's committee keeps the referral (``Referral``) with the thread it carries. Staff who
pick a slot of a home of their own committee offer it at once: its places are held for the
youth (``capacity.guard.hold``) until ``OFFER_HOLD_S``; a home of another committee receives
a booking request through the outbox and its staff offer a slot. The youth confirms (a
booking with the held places) or declines; an offer not confirmed in time lapses. Each step,
and what became of the booking (checked in, no-show, cancelled), is recorded on the source
item's timeline, through the outbox when it is in another committee, so the staff who sent
it and the youth who asked follow it where they asked."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import timeline
from capacity import guard
from casework import cases
from casework import transfer as moving
from core.errors import ServiceError, checked_text
from core.notifications import notify
from franchise.models import HomeListing
from tenants import outbox
from tenants.models import Committee, OutboxMessage
from timeline.models import Event

from .models import Booking, HomeEvent, Referral, Slot, YouthHome

Kind = HomeEvent
State = Referral.State

OFFER_HOLD_S = 24 * 3600  # an offered time is held for the youth this long
SUGGESTED = 8  # homes suggested at most
# What became of a referred booking, as the source's timeline says it.
OUTCOMES: dict[str, str] = {
    Booking.State.ATTENDED: Kind.REFERRAL_ATTENDED,
    Booking.State.NO_SHOW: Kind.REFERRAL_NO_SHOW,
    Booking.State.CANCELLED: Kind.REFERRAL_CANCELLED,
}


# ---------------------------------------------------------------- suggesting homes


def suggest(category: str, *, find: str = "", limit: int = SUGGESTED) -> list[HomeListing]:
    """Homes for a need of ``category`` (matching needs to resources): those offering it
    nearest in the committee tree first (this committee's, then its subtree's, then its
    parent's subtree's…), published ones only. With ``find``, homes of any committee whose
    name, district or address has it, those offering the category first."""
    listings = HomeListing.objects.filter(is_published=True).select_related("committee")
    if find:
        found = listings.filter(
            Q(name__icontains=find) | Q(district__icontains=find) | Q(address__icontains=find)
        )
        ordered = sorted(found[:200], key=lambda x: (category not in x.categories, x.name))
        return ordered[:limit]
    here = outbox.current_committee()
    offering = listings.filter(categories__contains=[category])
    chosen: list[HomeListing] = list(offering.filter(committee=here).order_by("name")[:limit])
    codes = [*reversed(here.ancestor_codes)]
    paths = [here.path] + [
        path
        for path in Committee.objects.filter(code__in=codes)
        .order_by("-level")
        .values_list("path", flat=True)
    ]
    for path in paths:
        if len(chosen) >= limit:
            break
        seen = [listing.pk for listing in chosen]
        chosen += list(
            offering.filter(committee__path__startswith=path)
            .exclude(pk__in=seen)
            .order_by("committee__path", "name")[: limit - len(chosen)]
        )
    return chosen


# ---------------------------------------------------------------- sending


def _referable(case_type: cases.CaseType) -> cases.Referable:
    if case_type.referable is None:
        raise ServiceError("not_referable", _("This cannot be sent to a youth home."), status=409)
    return case_type.referable


def slot_for(listing: HomeListing, slot_id: int | None) -> Slot | None:
    """The slot ``slot_id`` of the listing's home to offer with a referral: only a home of
    this committee's (another committee's slots are its own, numbered in its schema)."""
    if slot_id is None:
        return None
    if listing.committee_id != outbox.current_committee().pk:
        raise ServiceError(
            "invalid", _("The home's own staff offer its times."), field="slot", status=400
        )
    slot = Slot.objects.filter(pk=slot_id).first()
    if slot is None:
        raise ServiceError("not_found", _("No such time."), status=404)
    return slot


def refer(
    case_type: cases.CaseType,
    item,
    *,
    actor,
    listing: HomeListing,
    slot: Slot | None = None,
    note: str = "",
) -> Referral | OutboxMessage:
    """Send the item's youth to the home of ``listing``: with ``slot`` (a home of this
    committee) the time is offered at once; otherwise the home is asked to offer one."""
    referable = _referable(case_type)
    moving.require_here(item)
    note = checked_text(note, field="note", limit=500)
    if not listing.is_published:
        raise ServiceError("closed", _("This youth home takes no bookings now."), status=409)
    here = outbox.current_committee()
    payload = {
        "home": listing.home_id,
        "youth": referable.youth(item),
        "source_type": case_type.subject_type,
        "source_id": item.pk,
        "source_link": referable.page(item),
        "title": case_type.title(item),
        "thread": referable.thread(item)[:4000],
        "note": note,
        "category": item.category_id,
    }
    with transaction.atomic():
        case_type.record(
            item,
            Kind.REFERRED,
            actor=actor,
            home=listing.name,
            home_id=listing.home_id,
            to=listing.committee.code,
            note=note,
        )
        if listing.committee_id == here.pk:
            referral = _open(payload, source_committee=here.code)
            if slot is not None:
                referral = offer(referral=referral, slot=slot, actor=actor)
            return referral
        if slot is not None:
            raise ServiceError(
                "invalid", _("The home's own staff offer its times."), field="slot", status=400
            )
        return outbox.send("homes.refer", receiver=listing.committee.code, payload=payload)


def _open(data: dict, *, source_committee: str) -> Referral:
    home = YouthHome.objects.select_related("team").filter(pk=data["home"]).first()
    if home is None:
        raise ServiceError("not_found", _("No such youth home."), status=404)
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                home=home,
                youth_id=data["youth"],
                source_committee=source_committee,
                source_type=data["source_type"],
                source_id=data["source_id"],
                source_link=data["source_link"][:300],
                title=data["title"][:200],
                thread=data["thread"],
                note=data["note"][:500],
                category=data["category"],
            )
    except IntegrityError:
        raise ServiceError(
            "already_referred", _("This was already sent to this youth home."), status=409
        ) from None
    _home_side(referral, Kind.REFERRED)
    _tell_staff(referral)
    return referral


@outbox.handles("homes.refer")
def refer_in(message: OutboxMessage) -> None:
    """A question or help case of another committee sent its youth to one of our homes."""
    data = message.payload
    if Referral.objects.filter(
        source_committee=message.sender,
        source_type=data["source_type"],
        source_id=data["source_id"],
        home_id=data["home"],
        state__in=[State.REQUESTED, State.OFFERED],
    ).exists():
        return
    _open(data, source_committee=message.sender)


def _tell_staff(referral: Referral) -> None:
    """Tell the home's staff, once committed (what they are told is read now: a message's
    commit may come after its schema is left)."""
    told = partial(
        notify,
        [member.user_id for member in referral.home.team.members.all()],
        "home_referred",
        committee=outbox.current_committee(),
        link=reverse("homes:referrals", args=[referral.home_id]),
        home=referral.home.name,
        title=referral.title,
    )
    transaction.on_commit(told, robust=True)


# ---------------------------------------------------------------- at the home


def _locked(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().select_related("home").get(pk=referral.pk)


def offer(*, referral: Referral, slot: Slot, actor, now: datetime | None = None) -> Referral:
    """Offer the youth ``slot`` of the home: one place is held for them until they confirm,
    decline or the offer lapses."""
    from . import services

    now = now or timezone.now()
    with transaction.atomic():
        referral = _locked(referral)
        if not services.may_check_in(actor, referral.home):
            raise ServiceError("forbidden", _("Only the home's staff offer its times."), status=403)
        if referral.state != State.REQUESTED:
            raise ServiceError("wrong_state", _("A time was already offered."), status=409)
        slot = Slot.objects.select_related("service__home").get(pk=slot.pk)
        if slot.service.home_id != referral.home_id or not services.is_bookable(slot, now):
            raise ServiceError(
                "closed", _("Choose a coming time of this home."), field="slot", status=400
            )
        if not guard.hold(slot, 1):
            raise ServiceError("full", _("This time is full: choose another."), status=409)
        referral.state, referral.slot = State.OFFERED, slot
        referral.offer_expires_at = min(now + timedelta(seconds=OFFER_HOLD_S), slot.starts_at)
        referral.save(update_fields=["state", "slot", "offer_expires_at", "updated_at"])
        _step(referral, Kind.REFERRAL_OFFERED, actor=actor, at=services._when(slot.starts_at))
        _tell_youth(referral, slot, "home_referral_offer")
    return referral


def _tell_youth(referral: Referral, slot: Slot, kind: str) -> None:
    """Tell the youth, once committed."""
    from . import services

    told = partial(
        notify,
        [referral.youth_id],
        kind,
        committee=outbox.current_committee(),
        link=reverse("homes:referral", args=[referral.pk]),
        home=referral.home.name,
        service=slot.service.name,
        at=services._when(slot.starts_at),
    )
    transaction.on_commit(told, robust=True)


# ---------------------------------------------------------------- the youth


def _youths(referral: Referral, youth) -> None:
    if referral.youth_id != youth.pk:
        raise ServiceError("forbidden", _("This was sent to someone else."), status=403)


def accept(*, referral: Referral, youth, now: datetime | None = None) -> Booking:
    """The youth confirms the time offered: a booking with the place held for them."""
    from . import services

    now = now or timezone.now()
    with transaction.atomic():
        referral = _locked(referral)
        _youths(referral, youth)
        if referral.state != State.OFFERED or referral.slot_id is None:
            raise ServiceError("wrong_state", _("No time is offered to confirm."), status=409)
        if referral.offer_expires_at and referral.offer_expires_at <= now:
            raise ServiceError("lapsed", _("The time offered has lapsed."), status=409)
        slot = Slot.objects.select_related("service__home").get(pk=referral.slot_id)
        services.refuse_second_booking(slot, youth)
        if not guard.take_held(slot, 1):  # the hold is ours: only a bug makes this fail
            raise ServiceError("full", _("This time is full: choose another."), status=409)
        note = _("Sent from: %(title)s") % {"title": referral.title[:150]}
        booking = services.new_booking(
            slot,
            youth_id=youth.pk,
            places=1,
            kind=Kind.BOOKED,
            actor=youth,
            note=note,
            referred=True,
        )
        referral.state, referral.booking = State.BOOKED, booking
        referral.save(update_fields=["state", "booking", "updated_at"])
        _step(referral, Kind.REFERRAL_BOOKED, actor=youth, at=services._when(slot.starts_at))
    return booking


def decline(*, referral: Referral, youth) -> Referral:
    """The youth does not want the time offered (or the request): the place held goes back."""
    with transaction.atomic():
        referral = _locked(referral)
        _youths(referral, youth)
        if referral.state not in (State.REQUESTED, State.OFFERED):
            raise ServiceError("wrong_state", _("There is nothing to decline."), status=409)
        _release(referral)
        referral.state = State.DECLINED
        referral.save(update_fields=["state", "updated_at"])
        _step(referral, Kind.REFERRAL_DECLINED, actor=youth)
    return referral


def _release(referral: Referral) -> None:
    if referral.state == State.OFFERED and referral.slot_id:
        guard.release_held(Slot.objects.get(pk=referral.slot_id), 1)


def lapse(*, now: datetime | None = None) -> int:
    """Offers not confirmed in time lapse: their places go back. Returns how many."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        due = Referral.objects.select_for_update(skip_locked=True).filter(
            state=State.OFFERED, offer_expires_at__lte=now
        )
        for referral in due:
            _release(referral)
            referral.state = State.LAPSED
            referral.save(update_fields=["state", "updated_at"])
            _step(referral, Kind.REFERRAL_LAPSED)
            count += 1
    return count


def outcome(booking: Booking) -> None:
    """What became of a booking (checked in, no-show, cancelled) reaches its referral's
    source; call it in the transaction that changed the booking."""
    kind = OUTCOMES.get(booking.state)
    referral = Referral.objects.filter(booking=booking).first() if kind else None
    if referral is not None and kind is not None:
        _step(referral, kind)


# ---------------------------------------------------------------- the timelines


def _home_side(referral: Referral, kind: str, *, actor=None) -> Event:
    """The step on the referral's own timeline, at the home (``home_side``: the figures
    count each step once, where it came from)."""
    return timeline.record(
        referral,
        kind,
        actor=actor,
        state=referral.state,
        category=referral.category,
        youth=referral.youth_id,
        data={"home": referral.home_id, "source": referral.source_committee, "home_side": True},
    )


def _step(referral: Referral, kind: str, *, actor=None, **data) -> None:
    """Record a step on the referral's own home timeline and on its source's timeline (here,
    or through the outbox where the source is another committee's)."""
    event = _home_side(referral, kind, actor=actor)
    step = {
        "source_type": referral.source_type,
        "source_id": referral.source_id,
        "kind": str(kind),
        "home": referral.home.name,
        "referral": referral.pk,
        "page": reverse("homes:referral", args=[referral.pk]),
        "step": event.pk,  # the home's own event: a step is recorded at its source once
        **data,
    }
    here = outbox.current_committee_code()
    if referral.source_committee == here:
        _on_source(step, home_committee=here, actor=actor)
    else:
        outbox.send("homes.referral_step", receiver=referral.source_committee, payload=step)


def _on_source(step: dict, *, home_committee: str, actor=None) -> None:
    case_type = cases.of(step["source_type"])
    item = case_type.model._default_manager.filter(pk=step["source_id"]).first()
    if item is None:  # removed since: nothing to follow
        return
    if timeline.of(item).filter(kind=step["kind"], data__step=step["step"]).exists():
        return  # recorded already
    data = {k: v for k, v in step.items() if k not in ("source_type", "source_id", "kind")}
    case_type.record(item, step["kind"], actor=actor, to=home_committee, **data)


@outbox.handles("homes.referral_step")
def step_in(message: OutboxMessage) -> None:
    """A step of a referral made here, at a youth home of another committee."""
    _on_source(message.payload, home_committee=message.sender)
