"""Read paths of youth homes."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import ASin, Cast, Cos, Power, Radians, Sin, Sqrt
from django.utils import timezone

from capacity.models import Waiter
from ratings.models import Rating
from timeline.models import Event

from .models import Booking, HomeEvent, Referral, Service, Slot, YouthHome


def bookings_of(user) -> QuerySet[Booking]:
    """The youth's bookings here, the latest slot first."""
    return (
        Booking.objects.filter(youth=user)
        .select_related("slot__service__home")
        .order_by("-slot__starts_at", "-id")
    )


def places_in_line(user) -> QuerySet[Waiter]:
    """Where the youth waits (or is offered places) for a slot here."""
    return Waiter.objects.filter(
        youth=user,
        pool_type=Slot._meta.label_lower,
        state__in=[Waiter.State.WAITING, Waiter.State.OFFERED],
    ).order_by("id")


def slots_by_id(ids) -> dict[int, Slot]:
    return {s.pk: s for s in Slot.objects.filter(pk__in=ids).select_related("service__home")}


# ---------------------------------------------------------------- finding homes

EARTH_RADIUS_KM = 6371.0088
# Of latitude, and of longitude at the equator, on the same sphere as the distance; the box
# is drawn half a percent wider so that no home inside the radius falls outside it.
KM_PER_DEGREE = 2 * math.pi * EARTH_RADIUS_KM / 360
BOX_MARGIN = 1.005


def published():
    return YouthHome.objects.filter(is_published=True)


def with_services(homes):
    """``homes`` with their active services, in the order they were added, and photos."""
    return homes.prefetch_related(
        Prefetch("services", queryset=Service.objects.filter(is_active=True).order_by("id")),
        "photos",
    )


def near(latitude: float, longitude: float, radius_km: float):
    """Published homes within ``radius_km`` of the point, nearest first, each annotated with
    ``distance_km`` (great-circle). A bounding box on the position index narrows the rows,
    then the haversine formula in SQL measures them: no extension needed."""
    dlat = BOX_MARGIN * radius_km / KM_PER_DEGREE
    dlng = dlat / max(math.cos(math.radians(latitude)), 0.01)
    lat, lng = Radians(F("latitude")), Radians(F("longitude"))
    lat0, lng0 = math.radians(latitude), math.radians(longitude)
    haversine = Power(Sin((lat - Value(lat0)) / 2), 2) + Cos(lat) * Value(math.cos(lat0)) * Power(
        Sin((lng - Value(lng0)) / 2), 2
    )
    distance = ExpressionWrapper(
        Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(haversine)), output_field=FloatField()
    )
    return (
        published()
        .filter(
            latitude__range=(latitude - dlat, latitude + dlat),
            longitude__range=(longitude - dlng, longitude + dlng),
        )
        .annotate(distance_km=distance)
        .filter(distance_km__lte=radius_km)
        .order_by("distance_km", "id")
    )


def serving(homes, category: str):
    """The homes with an active service in ``category``."""
    return homes.filter(services__category_id=category, services__is_active=True).distinct()


def open_now(homes, now: datetime | None = None):
    """The homes with a slot running now."""
    now = now or timezone.now()
    running = Slot.objects.filter(
        service__home=OuterRef("pk"), is_cancelled=False, starts_at__lte=now, ends_at__gt=now
    )
    return homes.filter(Exists(running))


def found_by(query: dict):
    """The published homes a search asks for (``api.serializers.NearQuery``'s fields): near a
    point nearest first, else by name; by category of service; open now."""
    if "lat" in query:
        homes = near(query["lat"], query["lng"], query["radius_km"])
    else:
        homes = published().order_by("name", "id")
    if query["category"]:
        homes = serving(homes, query["category"])
    if query["open_now"]:
        homes = open_now(homes)
    return homes


def upcoming_slots(home: YouthHome, *, service: int | None = None, days: int = 14):
    """The home's slots still to start within ``days``, soonest first."""
    now = timezone.now()
    slots = Slot.objects.filter(
        service__home=home,
        service__is_active=True,
        is_cancelled=False,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=days),
    )
    if service is not None:
        slots = slots.filter(service_id=service)
    return slots.select_related("service").order_by("starts_at", "id")


def todays_bookings(home: YouthHome, day: date | None = None):
    """The bookings of the home's slots on ``day`` (today), by slot and then by name."""
    day = day or timezone.localdate()
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, zone)
    return (
        Booking.objects.filter(
            slot__service__home=home,
            slot__starts_at__gte=start,
            slot__starts_at__lt=start + timedelta(days=1),
        )
        .exclude(state=Booking.State.CANCELLED)
        .select_related("slot__service")
        .order_by("slot__starts_at", "id")
    )


def satisfaction(home: YouthHome) -> dict:
    """Youths' ratings of the home's services: how many and their mean stars, and how many
    said it did not happen as described; staff ratings left out, as in the figures."""
    rated = Event.objects.filter(kind=HomeEvent.RATED, data__home=home.pk).exclude(data__staff=True)
    found = rated.aggregate(ratings=Count("id"), stars=Avg(Cast(KT("data__stars"), IntegerField())))
    found["not_as_described"] = rated.filter(data__real=False).count()
    return found


def rated_ids(user, bookings) -> set[int]:
    """Which of ``bookings`` the youth has rated."""
    return set(
        Rating.objects.filter(
            subject_type=Booking._meta.label_lower,
            subject_id__in=[b.pk for b in bookings],
            rater=user,
        ).values_list("subject_id", flat=True)
    )


def referrals_to(home: YouthHome):
    """Youths sent to ``home`` from questions and help cases, those awaiting a time first."""
    return (
        Referral.objects.filter(home=home)
        .select_related("home", "slot__service__home")
        .order_by(
            Case(When(state=Referral.State.REQUESTED, then=0), default=1), "-created_at", "-id"
        )
    )


def referrals_of(youth):
    """What ``youth`` was sent to this committee's homes for, newest first."""
    return (
        Referral.objects.filter(youth=youth)
        .select_related("home", "slot__service__home")
        .order_by("-created_at", "-id")
    )


def waitlists(home: YouthHome) -> list[dict]:
    """The home's coming slots with youths waiting for a place: how many wait, how many are
    offered a place now, for its staff."""
    slots = {slot.pk: slot for slot in upcoming_slots(home)}
    counts = (
        Waiter.objects.filter(
            pool_type=Slot._meta.label_lower,
            pool_id__in=list(slots),
            state__in=[Waiter.State.WAITING, Waiter.State.OFFERED],
        )
        .values("pool_id", "state")
        .annotate(n=Count("id"))
    )
    found: dict[int, dict] = {}
    for row in counts:
        entry = found.setdefault(
            row["pool_id"], {"slot": slots[row["pool_id"]], "waiting": 0, "offered": 0}
        )
        entry["waiting" if row["state"] == Waiter.State.WAITING else "offered"] += row["n"]
    return sorted(found.values(), key=lambda entry: entry["slot"].starts_at)
