"""The client's address, as the per-address limits and the visit counts need it.

Behind a reverse proxy the peer (REMOTE_ADDR) is the proxy, and the client is named in
``X-Forwarded-For``, which anyone can also send: it is believed only from the proxies listed in
``TRUSTED_PROXIES``, and then read from the right, where the proxies appended what they saw.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# The address of the request being served, for a write deep in a domain that keeps where it
# came from (a rating, for the standard score's one-address check); "" outside a request.
_client: ContextVar[str] = ContextVar("yv_client_address", default="")


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address) -> bool:
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str:
    """The peer's address unless the peer is a trusted proxy; then the right-most address in
    ``X-Forwarded-For`` that is not a trusted proxy (the left-most when all are). An entry that
    is no address ends the walk: what lies left of it was not written by a trusted proxy."""
    peer = request.META.get("REMOTE_ADDR", "")
    address = _parse(peer)
    if address is None or not _is_trusted(address):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",")):
        hop = _parse(entry)
        if hop is None:
            break
        address = hop
        if not _is_trusted(hop):
            break
    return str(address)


def current_client() -> str:
    """The address of the request being served ("" in a task or the shell)."""
    return _client.get()


@contextmanager
def serving(address: str) -> Iterator[None]:
    """Serve one request from ``address`` (``core.middleware.RequestContextMiddleware``)."""
    token = _client.set(address)
    try:
        yield
    finally:
        _client.reset(token)
