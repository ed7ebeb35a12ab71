import pytest
from django.conf import settings
from django_redis import get_redis_connection


def _clear_rate_counters() -> None:
    redis = get_redis_connection("default")
    keys = list(redis.scan_iter(match=f"{settings.CACHES['default']['KEY_PREFIX']}:rate:*"))
    if keys:
        redis.delete(*keys)


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    """Failed logins and codes are counted per client address too (127.0.0.1 for every test
    client): start each test with no counts, and leave none behind for other tests."""
    _clear_rate_counters()
    yield
    _clear_rate_counters()
