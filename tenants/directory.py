"""Host name → committee, answered from process memory once warm.

Each process keeps the committees it has served. Any change to a committee or a domain
clears this process's copy at once and, when the change commits, bumps a generation counter
in Redis that every other process checks at most every ``CHECK_EVERY_S`` seconds. A warm
request therefore costs no database query and, most of the time, no Redis round trip either.

While Redis fails the process keeps the map it has (and looks up hosts it has not seen in the
database); a change it could not announce is announced once Redis answers, and a process that
could not check starts afresh when it can again.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.db import DatabaseError, transaction
from django_redis import get_redis_connection

from core import redisguard

from .models import Committee, Domain

CHECK_EVERY_S = 2.0
MAX_HOSTS = 20_000  # bounds memory against requests for made-up subdomains


def _generation_key() -> str:
    return f"{settings.CACHES['default']['KEY_PREFIX']}:committee-directory-generation"


class CommitteeDirectory:
    def __init__(self) -> None:
        self._hosts: dict[str, Committee | None] = {}
        # The map before another process's change was heard of: answered while the database
        # cannot be asked, so a restart of PostgreSQL does not make every portal unknown.
        self._stale: dict[str, Committee | None] = {}
        self._generation: int | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()
        self._owes_bump = False  # a change made here that Redis did not hear of yet

    def lookup(self, host: str) -> Committee | None:
        """The committee served at ``host``, or None if no committee has that domain."""
        self._follow_other_processes()
        try:
            return self._hosts[host]
        except KeyError:
            pass
        try:
            domain = Domain.objects.select_related("tenant").filter(domain=host).first()
        except DatabaseError:
            if host in self._stale:
                return self._stale[host]
            raise
        committee = domain.tenant if domain else None
        with self._lock:
            if len(self._hosts) >= MAX_HOSTS:
                self._hosts.clear()
            self._hosts[host] = committee
        return committee

    def invalidate(self) -> None:
        """Forget every host here now, and in every other process once the change commits."""
        self._hosts.clear()
        self._stale = {}
        transaction.on_commit(self._bump)

    def _bump(self) -> None:
        self._hosts.clear()
        try:
            redisguard.call(get_redis_connection("default").incr, _generation_key())
        except redisguard.Skipped:
            self._owes_bump = True

    def _follow_other_processes(self) -> None:
        now = time.monotonic()
        if now - self._checked_at < CHECK_EVERY_S:
            return
        self._checked_at = now
        try:
            redis = get_redis_connection("default")
            if self._owes_bump:
                redisguard.call(redis.incr, _generation_key())
                self._owes_bump = False
            raw = redisguard.call(redis.get, _generation_key())
        except redisguard.Skipped:
            # Keep serving the map we have; whatever Redis says next is taken as new.
            self._generation = None
            return
        generation = int(raw or 0)
        if generation != self._generation:
            with self._lock:
                stale = {**self._stale, **self._hosts}
                self._stale = stale if len(stale) <= MAX_HOSTS else dict(self._hosts)
                self._hosts = {}
            self._generation = generation


directory = CommitteeDirectory()
