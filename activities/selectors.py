"""Read paths of activities."""

from __future__ import annotations

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from capacity import waitlist
from capacity.models import Waiter
from ratings.models import Rating

from .models import (
    Activity,
    ActivityPhoto,
    CheckIn,
    Registration,
    Squad,
    SquadMember,
)

REGISTERED = Registration.State.REGISTERED


def listed(*, category: str | None = None, when: str = "upcoming") -> QuerySet[Activity]:
    """Published activities: those not ended yet, soonest first (``when="upcoming"``), or
    those ended, latest first (``"past"``)."""
    now = timezone.now()
    found = Activity.objects.filter(state=Activity.State.PUBLISHED).select_related("organiser")
    if category:
        found = found.filter(category_id=category)
    if when == "past":
        return found.filter(ends_at__lte=now).order_by("-ends_at", "-id")
    return found.filter(ends_at__gt=now).order_by("starts_at", "id")


MAP_POINTS = 2000


def on_map(*, category: str | None = None) -> dict:
    """The coming activities with a venue as the map draws them: points (the soonest
    ``MAP_POINTS``), no areas, and how many there are."""
    found = listed(category=category).filter(latitude__isnull=False, longitude__isnull=False)
    rows = list(found.values("pk", "title", "latitude", "longitude")[:MAP_POINTS])
    return {
        "points": [
            {
                "lat": float(row["latitude"] or 0),  # filtered: never empty
                "lng": float(row["longitude"] or 0),
                "name": row["title"],
                "url": reverse("activities:activity", args=[row["pk"]]),
            }
            for row in rows
        ],
        "cells": [],
        "total": found.count(),
    }


def visible() -> QuerySet[Activity]:
    """Every activity a youth may open (a cancelled one says so)."""
    return Activity.objects.select_related("organiser")


def managed() -> QuerySet[Activity]:
    """The committee's activities for its staff, the latest first."""
    return Activity.objects.select_related("organiser").order_by("-starts_at", "-id")


def registrations_of(user) -> QuerySet[Registration]:
    """The youth's registrations here, the latest activity first, with whether they
    checked in."""
    return (
        Registration.objects.filter(youth=user)
        .select_related("activity", "squad")
        .annotate(has_checked_in=Exists(CheckIn.objects.filter(registration=OuterRef("pk"))))
        .order_by("-activity__starts_at", "-id")
    )


def registration_of(activity: Activity, user) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Registration.objects.filter(activity=activity, youth=user, state=REGISTERED)
        .select_related("squad")
        .first()
    )


def team_of(activity: Activity, user) -> Squad | None:
    """The team the youth is in for the activity, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    member = (
        SquadMember.objects.filter(activity=activity, youth=user).select_related("squad").first()
    )
    return member.squad if member else None


def places_in_line(user) -> QuerySet[Waiter]:
    """Where the youth (or their team, through its captain) waits for an activity here."""
    return Waiter.objects.filter(
        youth=user,
        pool_type=Activity._meta.label_lower,
        state__in=[Waiter.State.WAITING, Waiter.State.OFFERED],
    ).order_by("id")


def line_of(activity: Activity, user) -> Waiter | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return places_in_line(user).filter(pool_id=activity.pk).first()


def participants(activity: Activity) -> QuerySet[Registration]:
    """The activity's registrations in the order made, each with its check-in."""
    return (
        Registration.objects.filter(activity=activity)
        .select_related("squad", "check_in")
        .order_by("state", "squad_id", "id")
    )


def teams(activity: Activity) -> QuerySet[Squad]:
    return (
        Squad.objects.filter(activity=activity)
        .exclude(state=Squad.State.DISBANDED)
        .annotate(size=Count("members"))
        .order_by("name")
    )


def shown_photos(activity: Activity) -> QuerySet[ActivityPhoto]:
    return activity.photos.filter(is_selected=True)


def figures(activity: Activity) -> dict:
    """What the organisers see of it: registrations, teams, check-ins, photos, ratings."""
    regs = activity.registrations.aggregate(
        registered=Count("id", filter=Q(state=REGISTERED)),
        checked_in=Count("check_in"),
    )
    rated = Rating.objects.filter(
        subject_type=Registration._meta.label_lower,
        subject_id__in=activity.registrations.values("pk"),
    ).aggregate(n=Count("id"), mean=Avg("stars"))
    return {
        **regs,
        "teams": activity.squads.filter(state=Squad.State.REGISTERED).count(),
        "waiting": waitlist.waiting(activity).count(),
        "photos": activity.photos.count(),
        "ratings": rated["n"],
        "stars": round(rated["mean"], 1) if rated["mean"] is not None else None,
    }


def rated_ids(user, registrations) -> set[int]:
    return set(
        Rating.objects.filter(
            subject_type=Registration._meta.label_lower,
            subject_id__in=[r.pk for r in registrations],
            rater=user,
        ).values_list("subject_id", flat=True)
    )


def staff_accounts():
    """The committee's staff (cadres, experts, organisations' members), for a panel."""
    from core.models import Role, User
    from tenants import outbox

    ids = Role.objects.filter(committee=outbox.current_committee()).values("user_id")
    return User.objects.filter(pk__in=ids).order_by("name", "id")
