"""Waitlists (候补) for any pool: when places free, the first youth in line is offered them,
they are held for a while, and then they are the youth's or pass to the next.

A domain registers a ``Line`` for its pool model in its ``AppConfig.ready()``: how long an
offer holds, what to tell the youth, and what accepting makes (a booking, a registration).
Freeing places (``guard.give_back``, an offer lapsing or declined) is followed by
``offer_next``; beat's ``capacity.tasks.lapse_offers`` ends the offers whose time is up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ServiceError

from . import guard
from .models import Pool, Waiter

State = Waiter.State


@dataclass(frozen=True)
class Line:
    """How one kind of pool runs its waitlist."""

    model: type[Pool]
    hold_s: int  # how long an offer holds its places
    # Each is given the domain's own pool row (a ``Pool`` subclass).
    is_open: Callable[[Any], bool]  # whether the pool still takes youths (not started, say)
    offered: Callable[[Waiter, Any], None]  # tell the youth, after the commit
    accepted: Callable[[Waiter, Any], Any]  # the places are the youth's now: book them
    lapsed: Callable[[Waiter, Any], None] = lambda waiter, pool: None
    # When the pool stops taking youths (registration closes, the slot starts): no offer
    # holds past it.
    closes_at: Callable[[Any], datetime | None] = lambda pool: None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


_lines: dict[str, Line] = {}


def register(line: Line) -> None:
    _lines[line.label] = line


def line_of(pool_type: str) -> Line:
    return _lines[pool_type]


def _pool(waiter: Waiter) -> Pool:
    return line_of(waiter.pool_type).model._default_manager.get(pk=waiter.pool_id)


def waiting(pool: Pool):
    """The youths in line for ``pool``, first first (those offered places included)."""
    return Waiter.objects.filter(
        pool_type=pool._meta.label_lower,
        pool_id=pool.pk,
        state__in=[State.WAITING, State.OFFERED],
    ).order_by("id")


def join(pool: Pool, *, youth, places: int = 1, data: dict | None = None) -> Waiter:
    """``youth`` joins the line for ``places`` of ``pool``; offered them at once if free."""
    line = line_of(pool._meta.label_lower)
    if not line.is_open(pool):
        raise ServiceError("closed", _("This no longer takes bookings."), status=409)
    try:
        with transaction.atomic():
            waiter = Waiter.objects.create(
                pool_type=line.label,
                pool_id=pool.pk,
                youth=youth,
                places=places,
                data=data or {},
            )
    except IntegrityError:
        raise ServiceError(
            "already_waiting", _("You are on the waitlist already."), status=409
        ) from None
    offer_next(pool)
    waiter.refresh_from_db()
    return waiter


def offer_next(pool: Pool, *, now: datetime | None = None) -> list[Waiter]:
    """Offer the free places of ``pool`` to the youths first in line, in order: a youth
    wanting more places than are free waits, and so do those behind (no one jumps the
    line). A pool that takes no one now lets its line go."""
    line, now = line_of(pool._meta.label_lower), now or timezone.now()
    offered: list[Waiter] = []
    with transaction.atomic():
        queue = waiting(pool).filter(state=State.WAITING).select_for_update(skip_locked=True)
        if not line.is_open(pool):
            _let_go(pool, now=now)
            return offered
        until = now + timedelta(seconds=line.hold_s)
        closes = line.closes_at(pool)
        if closes is not None:
            until = min(until, closes)
        for waiter in queue:
            if not guard.hold(pool, waiter.places):
                break
            waiter.state, waiter.offered_until = State.OFFERED, until
            waiter.save(update_fields=["state", "offered_until"])
            offered.append(waiter)
            transaction.on_commit(partial(line.offered, waiter, pool), robust=True)
    return offered


def _let_go(pool: Pool, *, now: datetime) -> None:
    """The pool takes no one now: everyone in line leaves it, and the places held for
    those offered them are free again."""
    for waiter in waiting(pool).select_for_update():
        if waiter.state == State.OFFERED:
            guard.release_held(pool, waiter.places)
        waiter.state, waiter.decided_at = State.EXPIRED, now
        waiter.save(update_fields=["state", "decided_at"])


def _locked(waiter: Waiter) -> Waiter:
    return Waiter.objects.select_for_update().get(pk=waiter.pk)


def accept(waiter: Waiter, *, youth, now: datetime | None = None) -> Any:
    """The youth offered places takes them; returns what the domain made of them."""
    now = now or timezone.now()
    with transaction.atomic():
        waiter = _locked(waiter)
        if waiter.youth_id != youth.pk:
            raise ServiceError("forbidden", _("This offer is someone else's."), status=403)
        if waiter.state != State.OFFERED or (waiter.offered_until or now) <= now:
            raise ServiceError("no_offer", _("This offer has passed."), status=409)
        pool = _pool(waiter)
        if not line_of(waiter.pool_type).is_open(pool):
            raise ServiceError("closed", _("This no longer takes bookings."), status=409)
        if not guard.take_held(pool, waiter.places):  # cannot happen while the hold stands
            raise ServiceError("no_offer", _("This offer has passed."), status=409)
        waiter.state, waiter.decided_at = State.ACCEPTED, now
        waiter.save(update_fields=["state", "decided_at"])
        return line_of(waiter.pool_type).accepted(waiter, pool)


def leave(waiter: Waiter, *, youth, now: datetime | None = None) -> Waiter:
    """The youth leaves the line (declining an offer frees its places for the next)."""
    now = now or timezone.now()
    with transaction.atomic():
        waiter = _locked(waiter)
        if waiter.youth_id != youth.pk:
            raise ServiceError("forbidden", _("This is someone else's place in line."), status=403)
        if waiter.state not in (State.WAITING, State.OFFERED):
            raise ServiceError("not_waiting", _("You are no longer on this waitlist."), status=409)
        was_offered = waiter.state == State.OFFERED
        waiter.state, waiter.decided_at = State.LEFT, now
        waiter.save(update_fields=["state", "decided_at"])
        if was_offered:
            pool = _pool(waiter)
            guard.release_held(pool, waiter.places)
            offer_next(pool, now=now)
    return waiter


def lapse_offers(*, now: datetime | None = None) -> int:
    """End the offers whose time is up: their places pass to the next in line. Returns how
    many lapsed."""
    now, count = now or timezone.now(), 0
    with transaction.atomic():
        due = Waiter.objects.filter(state=State.OFFERED, offered_until__lte=now)
        for waiter in due.select_for_update(skip_locked=True).order_by("id"):
            pool = _pool(waiter)
            guard.release_held(pool, waiter.places)
            waiter.state, waiter.decided_at = State.EXPIRED, now
            waiter.save(update_fields=["state", "decided_at"])
            line = line_of(waiter.pool_type)
            transaction.on_commit(partial(line.lapsed, waiter, pool), robust=True)
            offer_next(pool, now=now)
            count += 1
    return count
