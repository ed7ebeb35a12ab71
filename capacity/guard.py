"""The one way places of a ``Pool`` are taken and given back.

Each change is a single conditional ``UPDATE … WHERE taken + held + n <= capacity``: PostgreSQL
takes the row's lock, and a second writer waiting on it re-reads the row once the first
commits and finds the places gone, so concurrent takers never share the last place. No
database extension, no advisory lock, no read before the write. A group (``places`` > 1)
gets all its places or none."""

from __future__ import annotations

from django.db.models import F

from .models import Pool


def _rows(pool: Pool):
    return type(pool)._default_manager.filter(pk=pool.pk)


def take(pool: Pool, places: int = 1) -> bool:
    """Take ``places`` free places of ``pool``; whether they were free (and are now taken)."""
    if places < 1:
        raise ValueError("take at least one place")
    return (
        _rows(pool)
        .filter(capacity__gte=F("taken") + F("held") + places)
        .update(taken=F("taken") + places)
        == 1
    )


def give_back(pool: Pool, places: int = 1) -> None:
    """``places`` taken are free again (a cancellation, a no-show released)."""
    _rows(pool).filter(taken__gte=places).update(taken=F("taken") - places)


def hold(pool: Pool, places: int) -> bool:
    """Hold ``places`` free places for a youth offered them; whether they were free."""
    return (
        _rows(pool)
        .filter(capacity__gte=F("taken") + F("held") + places)
        .update(held=F("held") + places)
        == 1
    )


def take_held(pool: Pool, places: int) -> bool:
    """The youth offered ``places`` takes them; whether they were still held."""
    return (
        _rows(pool)
        .filter(held__gte=places)
        .update(held=F("held") - places, taken=F("taken") + places)
        == 1
    )


def release_held(pool: Pool, places: int) -> None:
    """An offer lapsed or was declined: its places are free again."""
    _rows(pool).filter(held__gte=places).update(held=F("held") - places)


def free(pool: Pool) -> int:
    """The places free now, read from the database."""
    row = _rows(pool).values("capacity", "taken", "held").get()
    return max(row["capacity"] - row["taken"] - row["held"], 0)
