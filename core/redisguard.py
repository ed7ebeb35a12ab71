"""Redis, used so that the platform carries on without it.

PostgreSQL holds the truth; Redis carries caches, limits and tasks. Every Redis client has short
timeouts (``REDIS_TIMEOUT_S`` in settings), and after a client fails this process skips Redis
for ``REDIS_RETRY_AFTER_S`` seconds instead of waiting on it again for every request: a hung
Redis costs one short wait per process every few seconds, not one per request.

``guarded(fallback)`` turns a function that talks to Redis into one that answers
``fallback(*args)`` while Redis is failing; ``LocalCounter`` is the in-process fallback of
counters (rate limits); ``status()`` says what ``/healthz`` should report.
"""

from __future__ import annotations

import functools
import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.conf import settings
from django_redis.exceptions import ConnectionInterrupted
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

# What a client raises when Redis is down, hangs or went away (not a programming error).
FAILURES: tuple[type[BaseException], ...] = (
    RedisConnectionError,
    RedisTimeoutError,
    ConnectionInterrupted,
    KombuOperationalError,
    socket.timeout,
    ConnectionError,
)

_lock = threading.Lock()
_skip_until = 0.0
_failed_at: float | None = None
_last_error = ""


def retry_after_s() -> float:
    return float(getattr(settings, "REDIS_RETRY_AFTER_S", 5.0))


def is_skipped() -> bool:
    """Whether Redis failed so recently that this process should not wait on it now."""
    return time.monotonic() < _skip_until


def failed(exc: BaseException) -> None:
    """Record that Redis failed: skip it in this process for the next few seconds."""
    global _skip_until, _failed_at, _last_error
    with _lock:
        first = _failed_at is None
        _skip_until = time.monotonic() + retry_after_s()
        if first:
            _failed_at = time.time()
        _last_error = type(exc).__name__
    if first:
        log.warning("Redis is failing (%s); carrying on without it", _last_error)


def succeeded() -> None:
    global _failed_at
    if _failed_at is not None:
        with _lock:
            _failed_at = None
        log.warning("Redis answers again")


def status() -> str:
    """``ok``, or what failed and since when (this process's view)."""
    if _failed_at is None:
        return "ok"
    since = time.strftime("%H:%M:%S", time.localtime(_failed_at))
    return f"error: {_last_error} since {since}"


class Skipped(Exception):
    """Redis is not asked: it failed a moment ago."""


P = ParamSpec("P")
R = TypeVar("R")


def call(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """``function(...)``, or ``Skipped`` at once while Redis is skipped or when it fails now."""
    if is_skipped():
        raise Skipped
    try:
        result = function(*args, **kwargs)
    except FAILURES as exc:
        failed(exc)
        raise Skipped from exc
    succeeded()
    return result


def guarded(fallback: Callable[P, R]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a function that uses Redis: while Redis fails, ``fallback`` answers instead."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return call(function, *args, **kwargs)
            except Skipped:
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


class LocalCounter:
    """Counters with a window, in this process's memory: the fallback of ``core.ratelimit``
    while Redis fails, so limits still hold (per process) instead of failing open."""

    MAX_KEYS = 100_000

    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def _live(self, name: str, now: float) -> tuple[int, float] | None:
        found = self._counts.get(name)
        if found is None or found[1] <= now:
            self._counts.pop(name, None)
            return None
        return found

    def count(self, name: str) -> int:
        with self._lock:
            found = self._live(name, time.monotonic())
            return found[0] if found else 0

    def hit(self, name: str, window_s: int) -> int:
        now = time.monotonic()
        with self._lock:
            if len(self._counts) >= self.MAX_KEYS:
                self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
            found = self._live(name, now)
            counted, expires_at = found if found else (0, now + window_s)
            self._counts[name] = (counted + 1, expires_at)
            return counted + 1

    def remaining_s(self, name: str) -> int:
        now = time.monotonic()
        with self._lock:
            found = self._live(name, now)
            return max(int(found[1] - now), 0) if found else 0

    def reset(self, name: str) -> None:
        with self._lock:
            self._counts.pop(name, None)


local_counter = LocalCounter()


def nothing(*args, **kwargs) -> None:
    """The fallback of writes that may be lost (a cache generation, a wake-up)."""
    return None


def reset() -> None:
    """Forget past failures (tests)."""
    global _skip_until, _failed_at, _last_error
    with _lock:
        _skip_until, _failed_at, _last_error = 0.0, None, ""


def publish(task, *args, **kwargs) -> bool:
    """Send the Celery ``task`` unless Redis is failing; whether it was sent. Callers only send
    what a beat sweep does anyway, so a task not sent now is done a little later, and the
    request that caused it succeeds."""
    try:
        call(task.delay, *args, **kwargs)
    except Skipped:
        log.info("Redis is failing: %s left to the next sweep", task.name)
        return False
    return True
