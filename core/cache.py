"""The cache: Redis, and this process's memory while Redis fails.

While Redis is down or hangs (``core.redisguard``), the Django cache API is answered from a
local-memory cache of the same keys: reads miss and fall through to the database, and what
counts through the cache (DRF's throttles) keeps counting in this process instead of failing
open. When Redis answers again the shared cache is used again; what was kept locally is left
to expire.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache

from . import redisguard

# The Django cache API; each is answered locally while Redis fails.
METHODS = (
    "get",
    "set",
    "add",
    "delete",
    "get_many",
    "set_many",
    "delete_many",
    "incr",
    "decr",
    "has_key",
    "touch",
    "clear",
)


class FallbackRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        local = {k: v for k, v in params.items() if k not in ("BACKEND", "LOCATION", "OPTIONS")}
        local["OPTIONS"] = {"MAX_ENTRIES": 10_000}
        self.local = LocMemCache(f"fallback-{id(self)}", local)


def _guarded(name: str):
    shared = getattr(RedisCache, name)

    def method(self: FallbackRedisCache, *args, **kwargs):
        try:
            return redisguard.call(shared, self, *args, **kwargs)
        except redisguard.Skipped:
            return getattr(self.local, name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = shared.__doc__
    return method


for _name in METHODS:
    setattr(FallbackRedisCache, _name, _guarded(_name))
