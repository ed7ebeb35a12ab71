"""Read paths of youth homes."""

from __future__ import annotations

from django.db.models import QuerySet

from capacity.models import Waiter

from .models import Booking, Slot


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
