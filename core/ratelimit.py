"""Counting events per key in a time window, in Redis, the same for every committee's domain.

While Redis fails the counts are kept in this process instead (``core.redisguard``): the
limits still hold, per process, rather than failing open or failing the request."""

from django.conf import settings
from django_redis import get_redis_connection

from .redisguard import guarded, local_counter


def _key(name: str) -> str:
    return f"{settings.CACHES['default']['KEY_PREFIX']}:rate:{name}"


@guarded(local_counter.count)
def count(name: str) -> int:
    return int(get_redis_connection("default").get(_key(name)) or 0)


@guarded(local_counter.hit)
def hit(name: str, window_s: int) -> int:
    """Count one event; the count expires ``window_s`` after the first event."""
    redis = get_redis_connection("default")
    key = _key(name)
    pipe = redis.pipeline()
    # SET NX starts the window once; INCR keeps its expiry (works on Redis 6.2 and 7).
    pipe.set(key, 0, ex=window_s, nx=True)
    pipe.incr(key)
    return int(pipe.execute()[1])


@guarded(local_counter.remaining_s)
def remaining_s(name: str) -> int:
    """Seconds until the count of ``name`` expires (0 when there is none)."""
    return max(int(get_redis_connection("default").ttl(_key(name))), 0)


@guarded(local_counter.reset)
def reset(name: str) -> None:
    get_redis_connection("default").delete(_key(name))
