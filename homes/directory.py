"""The committee's homes in the national directory (``franchise.HomeListing``): written in
the transaction that changes a home, so the maps of a subtree and of the nation, and the
homes suggested for an offline service, never see a home the committee does not have."""

from __future__ import annotations

import hashlib
import math

from django.core.cache import cache
from django.db.models import Avg, Count, FloatField, Max
from django.db.models.functions import Cast, Floor

from franchise.models import HomeListing
from tenants import outbox

from . import standard
from .models import YouthHome


def sync(home: YouthHome) -> HomeListing:
    """Write ``home``'s row of the directory as the home is now."""
    categories = sorted(
        set(home.services.filter(is_active=True).values_list("category_id", flat=True))
    )
    measured = standard.measure(home)
    listing, _created = HomeListing.objects.update_or_create(
        committee=outbox.current_committee(),
        home_id=home.pk,
        defaults={
            "name": home.name,
            "address": home.address,
            "district": home.district,
            "latitude": home.latitude,
            "longitude": home.longitude,
            "categories": categories,
            "is_published": home.is_published,
            "meets_standard": measured.meets_standard,
            "standard_version": measured.version,
            "awaiting_check": measured.awaiting_check,
        },
    )
    return listing


def resync_all() -> int:
    """Write every home of the committee again (after a new standard comes into force)."""
    homes = YouthHome.objects.all()
    for home in homes:
        sync(home)
    return len(homes)


# ---------------------------------------------------------------- the maps

POINTS_MAX = 2000  # beyond this many homes in view, the map shows them counted by area
GRID = 24  # areas across the view when counted


CACHE_S = 300  # an answer is kept this long at most; any change to the directory renews it


def map_data(*, path: str | None, category: str = "", bbox: tuple | None = None) -> dict:
    """The published homes in view for the service map: of the subtree at ``path`` (the
    nation when None), offering ``category``, inside ``bbox`` (west, south, east, north).
    Up to ``POINTS_MAX`` homes come as points; more are counted in a grid of areas across the
    view (``cells``), so the map of the nation shows every home without sending each.

    Answers are cached under the directory's latest change (an index lookup): the map every
    page opens with is one cache read until a home changes."""
    latest = HomeListing.objects.aggregate(latest=Max("updated_at"))["latest"]
    view = ",".join(f"{edge:.4f}" for edge in bbox) if bbox else ""
    key = hashlib.sha1(f"{latest}|{path}|{category}|{view}".encode()).hexdigest()
    found = cache.get(f"homes-map:{key}")
    if found is None:
        found = _map_data(path=path, category=category, bbox=bbox)
        cache.set(f"homes-map:{key}", found, CACHE_S)
    return found


def _map_data(*, path: str | None, category: str, bbox: tuple | None) -> dict:
    listings = HomeListing.objects.filter(is_published=True)
    if path:
        listings = listings.filter(committee__path__startswith=path)
    if category:
        listings = listings.filter(categories__contains=[category])
    if bbox:
        west, south, east, north = bbox
        listings = listings.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )
    total = listings.count()
    if total <= POINTS_MAX:
        rows = listings.order_by("id").values_list(
            "home_id", "name", "latitude", "longitude", "committee__code", "meets_standard"
        )
        points = [
            {
                "id": pk,
                "name": name,
                "lat": float(lat),
                "lng": float(lng),
                "committee": code,
                "meets_standard": meets,
            }
            for pk, name, lat, lng, code, meets in rows
        ]
        return {"total": total, "points": points, "cells": []}
    west, south, east, north = bbox or (73.0, 3.0, 136.0, 54.0)  # China
    # A power of two of degrees: areas keep their edges as the view moves.
    step = 2.0 ** round(math.log2(max((north - south) / GRID, (east - west) / GRID, 0.01)))
    cells = (
        listings.annotate(
            row=Floor(Cast("latitude", FloatField()) / step),
            column=Floor(Cast("longitude", FloatField()) / step),
        )
        .values("row", "column")
        .annotate(
            count=Count("id"),
            lat=Avg(Cast("latitude", FloatField())),
            lng=Avg(Cast("longitude", FloatField())),
        )
        .order_by("row", "column")
    )
    return {
        "total": total,
        "points": [],
        "cells": [
            {"lat": float(c["lat"]), "lng": float(c["lng"]), "count": c["count"]} for c in cells
        ],
    }
