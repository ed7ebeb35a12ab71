"""DRF throttles for the endpoints anyone may call: per scope and per client, counted in Redis
(``core.ratelimit``) for every committee's domain at once."""

from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from core import ratelimit
from core.addresses import client_ip

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """DRF's notation: ``"120/min"`` is (120, 60)."""
    number, period = rate.split("/")
    return int(number), _PERIODS[period[0]]


class ScopedAddressThrottle(BaseThrottle):
    """At most the rate of the view's ``throttle_scope`` (a scope, or a scope per method) in
    ``DEFAULT_THROTTLE_RATES``: per account when signed in, else per trusted client address
    (``core.addresses.client_ip``, not a forwarded header anyone can write)."""

    def __init__(self) -> None:
        self._wait: float | None = None

    @staticmethod
    def scope_of(request, view) -> str | None:
        scope = getattr(view, "throttle_scope", None)
        if isinstance(scope, dict):
            return scope.get(request.method)
        return scope

    def allow_request(self, request, view) -> bool:
        scope = self.scope_of(request, view)
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope) if scope else None
        if not isinstance(rate, str):
            return True
        allowed, window_s = parse_rate(rate)
        user = getattr(request, "user", None)
        who = f"user:{user.pk}" if user is not None and user.is_authenticated else None
        name = f"throttle:{scope}:{who or 'ip:' + client_ip(request)}"
        if ratelimit.hit(name, window_s) <= allowed:
            return True
        self._wait = ratelimit.remaining_s(name) or window_s
        return False

    def wait(self) -> float | None:
        return self._wait
