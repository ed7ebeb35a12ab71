"""Which version of the figures is current: a counter in Redis that every shipped batch moves
on. Reads computed from the figures are cached under it, so the console answers from memory
until the next batch, and never longer (losing Redis only costs a recount: while it fails,
each read is given a generation of its own, so reads fall through to the figures)."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import transaction
from django_redis import get_redis_connection

from core.redisguard import guarded, nothing

KEY = "figures:generation"


def _key() -> str:
    return f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:{KEY}"


@guarded(lambda: -time.monotonic_ns())
def generation() -> int:
    return int(get_redis_connection("default").get(_key()) or 0)


def moved_on() -> None:
    """The figures are changing: now, and again once the change is committed (a read made
    in between must not outlive it)."""
    _incr()
    transaction.on_commit(_incr)


@guarded(nothing)
def _incr() -> None:
    get_redis_connection("default").incr(_key())
