"""Addresses across portals: every committee's portal is ``<code>.<BASE_DOMAIN>``."""

from __future__ import annotations

from django.conf import settings


def on_portal(request, code: str, path: str) -> str:
    """``path`` on committee ``code``'s portal: as it is on this portal, a full address on
    another (same scheme and port as the request)."""
    here = getattr(request, "committee", None)
    if not path or (here is not None and here.code == code):
        return path
    host = f"{code}.{settings.BASE_DOMAIN}"
    port = request.get_port()
    if port not in ("80", "443"):
        host = f"{host}:{port}"
    return f"{request.scheme}://{host}{path}"
