"""Write paths of the rollup that pages call."""

from __future__ import annotations

import hashlib

from django.db import connection
from django.utils import timezone

from core.access import Access
from core.addresses import client_ip
from tenants.models import Committee

from .metrics import local_day


def visitor_of(request) -> str:
    """Who is visiting: the account, else a hash of the session or of address and browser."""
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    session = getattr(request, "session", None)
    raw = (session.session_key if session is not None else None) or "{}|{}".format(
        client_ip(request), request.META.get("HTTP_USER_AGENT", "")
    )
    return "a" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def record_visit(
    request, *, committee: Committee, grant: Access, post_type: str, post_id: int, category: str
) -> None:
    """Count a visit to a post: once per visitor, post and day, never a staff member's.
    One insert that does nothing when the visit is already known."""
    if grant.can_read:
        return
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO public.reporting_postvisit"
            " (committee_id, post_type, post_id, category, visitor, day, at, is_shipped)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, false) ON CONFLICT DO NOTHING",
            [committee.pk, post_type, post_id, category, visitor_of(request), local_day(now), now],
        )
