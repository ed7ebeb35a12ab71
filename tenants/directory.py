"""Host name → committee, answered from process memory once warm.

Each process keeps the committees it has served. Any change to a committee or a domain
clears this process's copy at once and, when the change commits, bumps a generation counter
in Redis that every other process checks at most every ``CHECK_EVERY_S`` seconds. A warm
request therefore costs no database query and, most of the time, no Redis round trip either.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.db import transaction
from django_redis import get_redis_connection

from .models import Committee, Domain

CHECK_EVERY_S = 2.0
MAX_HOSTS = 20_000  # bounds memory against requests for made-up subdomains


def _generation_key() -> str:
    return f"{settings.CACHES['default']['KEY_PREFIX']}:committee-directory-generation"


class CommitteeDirectory:
    def __init__(self) -> None:
        self._hosts: dict[str, Committee | None] = {}
        self._generation: int | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def lookup(self, host: str) -> Committee | None:
        """The committee served at ``host``, or None if no committee has that domain."""
        self._follow_other_processes()
        try:
            return self._hosts[host]
        except KeyError:
            pass
        domain = Domain.objects.select_related("tenant").filter(domain=host).first()
        committee = domain.tenant if domain else None
        with self._lock:
            if len(self._hosts) >= MAX_HOSTS:
                self._hosts.clear()
            self._hosts[host] = committee
        return committee

    def invalidate(self) -> None:
        """Forget every host here now, and in every other process once the change commits."""
        self._hosts.clear()
        transaction.on_commit(self._bump)

    def _bump(self) -> None:
        self._hosts.clear()
        get_redis_connection("default").incr(_generation_key())

    def _follow_other_processes(self) -> None:
        now = time.monotonic()
        if now - self._checked_at < CHECK_EVERY_S:
            return
        self._checked_at = now
        raw = get_redis_connection("default").get(_generation_key())
        generation = int(raw or 0)
        if generation != self._generation:
            self._hosts.clear()
            self._generation = generation


directory = CommitteeDirectory()
