"""The committee's homes in the national directory (``franchise.HomeListing``): written in
the transaction that changes a home, so the maps of a subtree and of the nation, and the
homes suggested for an offline service, never see a home the committee does not have."""

from __future__ import annotations

from django.db.models import Avg, Count, FloatField
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


def map_data(*, path: str | None, category: str = "", bbox: tuple | None = None) -> dict:
    """The published homes in view for the service map: of the subtree at ``path`` (the
    nation when None), offering ``category``, inside ``bbox`` (west, south, east, north).
    Up to ``POINTS_MAX`` homes come as points; more are counted in a grid of areas across the
    view (``cells``), so the map of the nation shows every home without sending each."""
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
    step = max((north - south) / GRID, (east - west) / GRID, 0.01)
    cells = (
        listings.annotate(
            row=Floor(Cast("latitude", FloatField()) / step),
            column=Floor(Cast("longitude", FloatField()) / step),
        )
        .values("row", "column")
        .annotate(count=Count("id"), lat=Avg("latitude"), lng=Avg("longitude"))
        .order_by("row", "column")
    )
    return {
        "total": total,
        "points": [],
        "cells": [
            {"lat": float(c["lat"]), "lng": float(c["lng"]), "count": c["count"]} for c in cells
        ],
    }
