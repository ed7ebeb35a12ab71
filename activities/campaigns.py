"""Campaigns here: receiving one from above (once, through the outbox), publishing
activities under it, and the campaign's national listing of this committee's activities
and entries (``franchise.CampaignListing``), written in the transaction that changes them."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.urls import reverse

from casework import routing
from core.notifications import notify
from franchise.models import Campaign, CampaignListing
from tenants import outbox
from tenants.models import OutboxMessage

from .models import Activity, Entry, ReceivedCampaign


@outbox.handles("activities.campaign")
def campaign_in(message: OutboxMessage) -> None:
    """A campaign launched above: the committee's admins and cadres are told, once."""
    code = message.payload["campaign"]
    _received, made = ReceivedCampaign.objects.get_or_create(code=code)
    if not made:
        return
    campaign = Campaign.objects.filter(code=code).first()
    here = outbox.current_committee()
    told = partial(
        notify,
        routing.cadres_and_admins(),
        "campaign_received",
        committee=here,
        link=reverse("reporting:campaign", args=[code]),
        title=campaign.title if campaign else code,
    )
    transaction.on_commit(told, robust=True)


def received() -> list[Campaign]:
    """The campaigns this committee received, the latest first."""
    codes = ReceivedCampaign.objects.values_list("code", flat=True)
    return list(Campaign.objects.filter(code__in=list(codes)).order_by("-starts_on", "-id"))


def list_activity(activity: Activity) -> None:
    """Write the activity's row of its campaign's national listing, as it is now."""
    if not activity.campaign:
        return
    campaign = Campaign.objects.filter(code=activity.campaign).first()
    if campaign is None:
        return
    CampaignListing.objects.update_or_create(
        committee=outbox.current_committee(),
        kind=CampaignListing.Kind.ACTIVITY,
        item_id=activity.pk,
        defaults={
            "campaign": campaign,
            "title": activity.title,
            "detail": activity.place[:200],
            "link": reverse("activities:activity", args=[activity.pk]),
            "starts_at": activity.starts_at,
            "is_shown": activity.state == Activity.State.PUBLISHED
            and activity.fake_confirmed_at is None,
        },
    )


def list_entry(entry: Entry) -> None:
    """Write an entry's row of its campaign's national listing."""
    activity = entry.ballot.activity
    campaign = (
        Campaign.objects.filter(code=activity.campaign).first() if activity.campaign else None
    )
    if campaign is None:
        return
    CampaignListing.objects.update_or_create(
        committee=outbox.current_committee(),
        kind=CampaignListing.Kind.ENTRY,
        item_id=entry.pk,
        defaults={
            "campaign": campaign,
            "title": entry.title,
            "detail": (entry.squad.name if entry.squad else activity.title)[:200],
            "link": reverse("activities:ballot", args=[entry.ballot_id]),
            "starts_at": activity.starts_at,
            "is_shown": not entry.is_withdrawn,
        },
    )
