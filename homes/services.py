"""Write paths of youth homes: slots from the schedules, booking (预约) through the one
capacity guard, the waitlist, cancellation, check-in at the home and no-shows.

Every change is recorded on the booking's timeline in the same transaction (``record``)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import cast

from django.core import signing
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import timeline
from capacity import guard, waitlist
from capacity.models import Waiter
from casework import calendar, routing, truth
from casework.models import Member, Team
from core.errors import ServiceError, checked_text
from core.images import checked_upload
from core.notifications import notify
from ratings import services as ratings
from ratings.models import Rating
from tenants import outbox
from timeline.models import Event

from . import directory, referrals
from .models import Booking, HomeEvent, HomePhoto, Schedule, Service, Slot, YouthHome

Kind = HomeEvent
State = Booking.State

DAYS_AHEAD = 14  # slots are made this many days ahead
CANCEL_BEFORE = timedelta(hours=2)  # a booking may be cancelled until this long before
CHECK_IN_FROM = timedelta(minutes=30)  # a youth may be checked in from this long before
NO_SHOW_AFTER = timedelta(minutes=15)  # a booking not checked in this long after the start
OFFER_HOLD_S = 2 * 3600  # a waitlist offer holds its places this long
REMIND_BEFORE = timedelta(hours=3)  # youths are reminded of a booking this long before


def record(subject, kind: str, *, slot: Slot, youth, actor=None, **data) -> Event:
    """Append an event to the timeline of a booking (or of a place in line), in the changing
    transaction."""
    return timeline.record(
        subject,
        kind,
        actor=actor,
        state=getattr(subject, "state", ""),
        category=slot.service.category_id,
        youth=youth,
        data={"home": slot.service.home_id, "slot": slot.pk, **data},
    )


def _mine_link() -> str:
    return reverse("homes:mine")


# ---------------------------------------------------------------- homes


def open_home(
    *,
    name: str,
    address: str,
    latitude,
    longitude,
    district: str = "",
    opening_hours: str = "",
    contact: str = "",
    description: str = "",
    staff=(),
) -> YouthHome:
    """A new youth home of this committee, with the team (a League organisation) whose
    members are its staff: they check youths in and answer what youths ask the home."""
    name = checked_text(name, field="name", limit=60, required=_("Name the youth home."))
    if Team.objects.filter(name=name).exists():
        raise ServiceError("taken", _("A team of this committee has this name."), field="name")
    with transaction.atomic():
        team = Team.objects.create(
            name=name,
            kind=Team.Kind.ORGANISATION,
            sector=Team.Sector.LEAGUE,
            description=_("Youth home"),
            contact=contact[:100],
        )
        for user in staff:
            Member.objects.create(team=team, user=user, kind=Member.Kind.CADRE, organisation=name)
        home = YouthHome.objects.create(
            team=team,
            name=name,
            address=checked_text(
                address, field="address", limit=200, required=_("Give the address.")
            ),
            latitude=latitude,
            longitude=longitude,
            district=district,
            opening_hours=opening_hours,
            contact=contact,
            description=description,
        )
        directory.sync(home)
    return home


HOME_FIELDS = ("address", "district", "opening_hours", "contact", "description", "is_published")


def change_home(*, home: YouthHome, **fields) -> YouthHome:
    """Change a home's details (its name stays its team's), or publish or withdraw it."""
    unknown = set(fields) - {*HOME_FIELDS, "latitude", "longitude"}
    if unknown:
        raise ValueError(f"not a home's field: {sorted(unknown)}")
    if "address" in fields:
        fields["address"] = checked_text(
            fields["address"], field="address", limit=200, required=_("Give the address.")
        )
    for name, value in fields.items():
        setattr(home, name, value)
    with transaction.atomic():
        home.save()
        directory.sync(home)
    return home


PHOTOS_MAX = 6  # photos a home shows


def add_photo(*, home: YouthHome, upload, caption: str = "") -> HomePhoto:
    """A picture of the home, checked to be one (``core.images``), under a new name."""
    caption = checked_text(caption, field="caption", limit=100)
    image = checked_upload(upload, field="image")
    if home.photos.count() >= PHOTOS_MAX:
        raise ServiceError(
            "too_many", _("At most %(n)s photos a home.") % {"n": PHOTOS_MAX}, field="image"
        )
    photo = HomePhoto(home=home, caption=caption)
    photo.image.save(
        f"{uuid.uuid4().hex}.{image.extension}", ContentFile(image.content), save=False
    )
    photo.save()
    return photo


def remove_photo(*, photo: HomePhoto) -> None:
    photo.image.delete(save=False)
    photo.delete()


def add_service(
    *, home: YouthHome, name: str, category: str, description: str = "", group_max: int = 1
) -> Service:
    """A service the home offers, in a standard category."""
    from franchise.models import Category

    name = checked_text(name, field="name", limit=100, required=_("Name the service."))
    if not Category.objects.filter(code=category).exists():
        raise ServiceError("invalid_category", _("Choose a category."), field="category")
    if not isinstance(group_max, int) or not 1 <= group_max <= 20:
        raise ServiceError("invalid", _("Between 1 and 20 people a booking."), field="group_max")
    with transaction.atomic():
        service = Service.objects.create(
            home=home,
            name=name,
            category_id=category,
            description=description,
            group_max=group_max,
        )
        directory.sync(home)
    return service


def add_schedule(
    *,
    service: Service,
    weekday: int,
    starts,
    ends,
    capacity: int,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> Schedule:
    """A weekly opening of ``service``; its slots of the coming days are made at once."""
    valid_from = valid_from or timezone.localdate()
    if not 0 <= weekday <= 6:
        raise ServiceError("invalid", _("Choose a day of the week."), field="weekday")
    if ends <= starts:
        raise ServiceError("invalid", _("It must end after it starts."), field="ends")
    if capacity < 1:
        raise ServiceError("invalid", _("At least one place."), field="capacity")
    if valid_until is not None and valid_until < valid_from:
        raise ServiceError("invalid", _("It must end after it starts."), field="valid_until")
    with transaction.atomic():
        schedule = Schedule.objects.create(
            service=service,
            weekday=weekday,
            starts=starts,
            ends=ends,
            capacity=capacity,
            valid_from=valid_from,
            valid_until=valid_until,
        )
        make_slots()
    return schedule


def end_schedule(*, schedule: Schedule) -> Schedule:
    """The schedule makes no more slots; its coming slots nobody booked go, booked ones
    stay (their youths come as booked)."""
    with transaction.atomic():
        schedule.valid_until = timezone.localdate() - timedelta(days=1)
        schedule.save(update_fields=["valid_until"])
        Slot.objects.filter(
            schedule=schedule, starts_at__gt=timezone.now(), taken=0, held=0, bookings=None
        ).delete()
    return schedule


# ---------------------------------------------------------------- slots


def make_slots(*, today: date | None = None, days: int = DAYS_AHEAD) -> int:
    """Make the slots of every active service's schedules for the coming ``days``, skipping
    the committee's days off (public holidays and its own); slots already made stay as they
    are. Returns how many were made."""
    today = today or timezone.localdate()
    working = calendar.here()
    zone = timezone.get_current_timezone()
    made: list[Slot] = []
    schedules = Schedule.objects.filter(
        service__is_active=True, service__home__is_published=True
    ).select_related("service")
    for schedule in schedules:
        for offset in range(days):
            day = today + timedelta(days=offset)
            if day.weekday() != schedule.weekday or day in working.days_off:
                continue
            if day < schedule.valid_from or (schedule.valid_until and day > schedule.valid_until):
                continue
            made.append(
                Slot(
                    service=schedule.service,
                    schedule=schedule,
                    starts_at=datetime.combine(day, schedule.starts, zone),
                    ends_at=datetime.combine(day, schedule.ends, zone),
                    capacity=schedule.capacity,
                )
            )
    window = Slot.objects.filter(
        starts_at__gte=datetime.combine(today, time.min, zone),
        starts_at__lt=datetime.combine(today + timedelta(days=days), time.min, zone),
    )
    before = window.count()
    Slot.objects.bulk_create(made, ignore_conflicts=True)
    return window.count() - before


def is_bookable(slot: Slot, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    service = slot.service
    return (
        not slot.is_cancelled
        and now < slot.starts_at
        and service.is_active
        and service.home.is_published
    )


def _check_request(slot: Slot, youth, places: int) -> None:
    if not is_bookable(slot):
        raise ServiceError("closed", _("This slot no longer takes bookings."), status=409)
    if not isinstance(places, int) or not 1 <= places <= slot.service.group_max:
        raise ServiceError(
            "invalid_places",
            _("Book 1 to %(most)s places.") % {"most": slot.service.group_max},
            field="places",
        )
    refuse_second_booking(slot, youth)


def refuse_second_booking(slot: Slot, youth) -> None:
    """A youth holds one booking of a slot (the unique constraint backs it at the same
    moment)."""
    if Booking.objects.filter(
        slot=slot, youth=youth, state__in=[State.CONFIRMED, State.ATTENDED]
    ).exists():
        raise ServiceError("already_booked", _("You have booked this slot already."), status=409)


def new_booking(slot: Slot, *, youth_id: int, places: int, kind: str, actor=None, note="", **data):
    """The booking of places already taken for it, on its timeline; the youth is told once
    committed (a failure to tell does not undo nor hide the booking)."""
    booking = Booking.objects.create(slot=slot, youth_id=youth_id, places=places, note=note)
    record(booking, kind, slot=slot, youth=youth_id, actor=actor, places=places, **data)
    transaction.on_commit(partial(_told, booking, "home_booked"), robust=True)
    return booking


# ---------------------------------------------------------------- booking


def book(*, slot: Slot, youth, places: int = 1, note: str = "") -> Booking:
    """``youth`` books ``places`` of ``slot`` (a small group books together: all its places
    or none). A full slot refuses with ``full``: the youth may join its waitlist."""
    note = checked_text(note, field="note", limit=200)
    slot = Slot.objects.select_related("service__home").get(pk=slot.pk)
    _check_request(slot, youth, places)
    try:
        with transaction.atomic():
            if not guard.take(slot, places):
                raise ServiceError(
                    "full", _("This slot is full: join its waitlist to be told."), status=409
                )
            booking = new_booking(
                slot, youth_id=youth.pk, places=places, kind=Kind.BOOKED, actor=youth, note=note
            )
    except IntegrityError:  # a second request of the same youth's, at the same moment
        raise ServiceError(
            "already_booked", _("You have booked this slot already."), status=409
        ) from None
    return booking


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%m-%d %H:%M")


def _tell(youth_id: int, slot: Slot, kind: str, **data) -> None:
    """Tell a youth about their place in ``slot`` (the texts pick what they name)."""
    notify(
        [youth_id],
        kind,
        committee=outbox.current_committee(),
        link=_mine_link(),
        home=slot.service.home.name,
        service=slot.service.name,
        at=_when(slot.starts_at),
        **data,
    )


def _told(booking: Booking, kind: str) -> None:
    _tell(booking.youth_id, booking.slot, kind)


def join_waitlist(*, slot: Slot, youth, places: int = 1) -> Waiter:
    """``youth`` waits for ``places`` of a full slot; offered them in turn when they free."""
    slot = Slot.objects.select_related("service__home").get(pk=slot.pk)
    _check_request(slot, youth, places)
    with transaction.atomic():
        waiter = waitlist.join(slot, youth=youth, places=places)
        record(waiter, Kind.WAITLISTED, slot=slot, youth=youth, actor=youth, places=places)
    return waiter


def _promoted(waiter: Waiter, slot: Slot) -> Booking:
    """A youth offered places from the waitlist took them: their booking (waitlist.Line)."""
    return new_booking(slot, youth_id=waiter.youth_id, places=waiter.places, kind=Kind.PROMOTED)


def _offered(waiter: Waiter, slot: Slot) -> None:
    # Set by the waitlist before it tells.
    _tell(waiter.youth_id, slot, "home_offer", until=_when(cast(datetime, waiter.offered_until)))


def _lapsed(waiter: Waiter, slot: Slot) -> None:
    _tell(waiter.youth_id, slot, "home_offer_lapsed")


def _open_for_waiters(slot: Slot) -> bool:
    return is_bookable(Slot.objects.select_related("service__home").get(pk=slot.pk))


LINE = waitlist.Line(
    model=Slot,
    hold_s=OFFER_HOLD_S,
    is_open=_open_for_waiters,
    offered=_offered,
    accepted=_promoted,
    lapsed=_lapsed,
    closes_at=lambda slot: slot.starts_at,
)


def accept_offer(*, waiter: Waiter, youth) -> Booking:
    """The youth takes the places the waitlist offered them."""
    return waitlist.accept(waiter, youth=youth)


def cancel(*, booking: Booking, youth) -> Booking:
    """The youth cancels, until ``CANCEL_BEFORE`` the slot starts: the places go to the
    waitlist's next youth."""
    now = timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
        if booking.youth_id != youth.pk:
            raise ServiceError("forbidden", _("This booking is someone else's."), status=403)
        if booking.state != State.CONFIRMED:
            raise ServiceError("wrong_state", _("This booking cannot be cancelled."), status=409)
        if now > booking.slot.starts_at - CANCEL_BEFORE:
            raise ServiceError(
                "too_late",
                _("Bookings can be cancelled until two hours before the start."),
                status=409,
            )
        booking.state, booking.cancelled_at = State.CANCELLED, now
        booking.save(update_fields=["state", "cancelled_at"])
        guard.give_back(booking.slot, booking.places)
        record(booking, Kind.CANCELLED, slot=booking.slot, youth=youth, actor=youth)
        referrals.outcome(booking)
        waitlist.offer_next(booking.slot, now=now)
    return booking


# ---------------------------------------------------------------- at the home


def may_check_in(user, home: YouthHome) -> bool:
    """The home's staff (its team's members) and the committee's cadres and admins."""
    return routing.may_work_on(user, home.team)


def check_in(*, code: str, actor, now: datetime | None = None) -> Booking:
    """Check a youth in by their booking's code, from ``CHECK_IN_FROM`` the start to the
    end. Scanning a code twice is harmless: the booking stays checked in once."""
    now = now or timezone.now()
    code = (code or "").strip().upper()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("slot__service__home__team")
            .filter(code=code)
            .first()
        )
        if booking is None:
            raise ServiceError("unknown_code", _("No booking has this code."), field="code")
        if not may_check_in(actor, booking.slot.service.home):
            raise ServiceError("forbidden", _("Only the home's staff check youths in."), status=403)
        return _checked_in(booking, actor=actor, now=now)


def home_code(home: YouthHome) -> str:
    """What the home's own QR code at its door carries: youths scan it to check themselves
    in. Signed for this committee and home; it does not change, so it can be printed."""
    return signing.dumps(home.pk, salt=f"homes.arrive.{outbox.current_committee_code()}")


def arrive(*, home: YouthHome, code: str, youth, now: datetime | None = None) -> Booking:
    """The youth scanned the home's code at its door: their booking there now is checked
    in (the same as a scan by staff; twice is harmless)."""
    now = now or timezone.now()
    salt = f"homes.arrive.{outbox.current_committee_code()}"
    try:
        signed = signing.loads(code or "", salt=salt)
    except signing.BadSignature:
        signed = None
    if signed != home.pk:
        raise ServiceError("unknown_code", _("This is not this home's code."), field="code")
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("slot__service__home")
            .filter(
                youth=youth,
                slot__service__home=home,
                state__in=[State.CONFIRMED, State.NO_SHOW, State.ATTENDED],
                slot__starts_at__lte=now + CHECK_IN_FROM,
                slot__ends_at__gte=now,
            )
            .order_by("slot__starts_at")
            .first()
        )
        if booking is None:
            raise ServiceError(
                "no_booking", _("You have no booking here at this time."), status=409
            )
        return _checked_in(booking, actor=youth, now=now)


def _checked_in(booking: Booking, *, actor, now: datetime) -> Booking:
    """Check the (locked) booking in, by staff or by the youth at the door."""
    slot = booking.slot
    if booking.state == State.ATTENDED:
        return booking
    if booking.state == State.CANCELLED:
        raise ServiceError("cancelled", _("This booking was cancelled."), status=409)
    if not slot.starts_at - CHECK_IN_FROM <= now <= slot.ends_at:
        raise ServiceError(
            "not_now", _("This booking is for %(at)s.") % {"at": _when(slot.starts_at)}, status=409
        )
    # Late, but here: the places released for walk-ins come back if they are free.
    if booking.state == State.NO_SHOW and not guard.take(slot, booking.places):
        raise ServiceError("released", _("This booking's places were released."), status=409)
    booking.state, booking.checked_in_at, booking.checked_in_by = State.ATTENDED, now, actor
    booking.save(update_fields=["state", "checked_in_at", "checked_in_by"])
    record(booking, Kind.ATTENDED, slot=slot, youth=booking.youth_id, actor=actor)
    referrals.outcome(booking)
    return booking


def remind(*, now: datetime | None = None) -> int:
    """Remind each youth of a booking starting within ``REMIND_BEFORE``, once. Returns how
    many were reminded."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Booking.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("slot__service__home")
            .filter(
                state=State.CONFIRMED,
                reminded_at=None,
                slot__starts_at__gt=now,
                slot__starts_at__lte=now + REMIND_BEFORE,
            )
        )
        Booking.objects.filter(pk__in=[b.pk for b in due]).update(reminded_at=now)
        for booking in due:
            transaction.on_commit(partial(_told, booking, "home_reminder"), robust=True)
    return len(due)


def release_no_shows(*, now: datetime | None = None) -> int:
    """Bookings not checked in ``NO_SHOW_AFTER`` the start are no-shows: their places are
    released for youths who walk in. Returns how many."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        late = (
            Booking.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("slot__service")
            .filter(state=State.CONFIRMED, slot__starts_at__lte=now - NO_SHOW_AFTER)
        )
        for booking in late:
            booking.state = State.NO_SHOW
            booking.save(update_fields=["state"])
            guard.give_back(booking.slot, booking.places)
            record(booking, Kind.NO_SHOW, slot=booking.slot, youth=booking.youth_id)
            referrals.outcome(booking)
            count += 1
    return count


# ---------------------------------------------------------------- consultation


def consult(*, home: YouthHome, youth, title: str, body: str = "", category: str | None = None):
    """A youth asks the home a question (咨询): a question of the committee's question loop,
    which goes to the home's staff (its team) and is answered, followed and rated there."""
    from qa import services as questions

    if not home.is_published or not home.team.is_active:
        raise ServiceError("closed", _("This youth home takes no questions now."), status=409)
    if category is None:
        category = (
            home.services.filter(is_active=True).values_list("category_id", flat=True).first()
        )
    with transaction.atomic():
        question = questions.ask_question(
            asker=youth, title=title, body=body, category=category, designated=home.team
        )
        timeline.record(
            question,
            Kind.CONSULTED,
            actor=youth,
            category=question.category_id,
            youth=youth,
            data={"home": home.pk},
        )
    return question


# ---------------------------------------------------------------- the youth's judgement


def _record_rating(booking: Booking, kind: str, *, actor, **data) -> Event:
    return record(booking, kind, slot=booking.slot, youth=booking.youth_id, actor=actor, **data)


RATEABLE = ratings.Rateable(
    served=lambda booking: {booking.youth_id},
    is_ready=lambda booking: booking.state == State.ATTENDED,
    kind=Kind.RATED,
    record=_record_rating,
    # Who checked the youth in (not the youth, who may check themselves in at the door).
    handlers=lambda booking: {booking.checked_in_by_id} - {None, booking.youth_id},
    term="bookings",
    team=lambda booking: booking.slot.service.home.team,
    verified=lambda booking: booking,
)


def _booking_title(booking: Booking) -> str:
    service = booking.slot.service
    return f"{service.name} · {service.home.name}"


VERIFIABLE = truth.Verifiable(
    title=_booking_title,
    page=lambda booking: reverse("homes:home", args=[booking.slot.service.home_id]),
    category=lambda booking: booking.slot.service.category_id,
    details=lambda booking: [
        (_("When"), _when(booking.slot.starts_at)),
        (_("Where"), booking.slot.service.home.address),
        (_("Checked in by"), str(booking.checked_in_by) if booking.checked_in_by else ""),
    ],
    confirmed=Kind.FAKE_CONFIRMED,
    dismissed=Kind.FAKE_DISMISSED,
    record=lambda booking, kind, **data: record(
        booking, kind, slot=booking.slot, youth=booking.youth_id, **data
    ),
    flaggers=lambda booking: [booking.youth_id],
)


def rate(*, booking: Booking, youth, stars: int, is_real: bool, comment: str = "") -> Rating:
    """After attending, the youth rates the service, once a booking, and says whether it
    happened as described (真实度)."""
    if not isinstance(is_real, bool):
        raise ServiceError("invalid", _("Say whether it happened as described."), field="is_real")
    booking = Booking.objects.select_related("slot__service").get(pk=booking.pk)
    return ratings.rate(rater=youth, subject=booking, stars=stars, comment=comment, real=is_real)
