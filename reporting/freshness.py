"""Which version of the figures is current: a counter in Redis that every shipped batch moves
on. Reads computed from the figures are cached under it, so the console answers from memory
until the next batch, and never longer (losing Redis only costs a recount)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django_redis import get_redis_connection

KEY = "figures:generation"


def _key() -> str:
    return f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:{KEY}"


def generation() -> int:
    return int(get_redis_connection("default").get(_key()) or 0)


def moved_on() -> None:
    """The figures are changing: now, and again once the change is committed (a read made
    in between must not outlive it)."""
    redis = get_redis_connection("default")
    redis.incr(_key())
    transaction.on_commit(lambda: redis.incr(_key()))
