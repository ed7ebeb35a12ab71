"""The offline service (O2O) on the pages of questions and help cases: the one action that
sends a youth to a youth home, and the steps that followed."""

from typing import Any

from django import template
from django.urls import reverse

import timeline
from casework import cases
from core.links import on_portal

from .. import referrals, selectors
from ..models import HomeEvent, YouthHome

register = template.Library()

STEPS = [kind for kind in HomeEvent.values if kind.startswith("homes.referr")]


def steps_of(request, item) -> list[dict]:
    """The offline steps on ``item``'s timeline, each with a link to the referral at the
    home (on its committee's portal)."""
    found = []
    for event in timeline.of(item).filter(kind__in=STEPS).order_by("at", "id"):
        data = event.data
        link = on_portal(request, data["to"], data["page"]) if data.get("page") else ""
        found.append(
            {
                "at": event.at,
                "label": HomeEvent(event.kind).label,
                "home": data.get("home", ""),
                "when": data.get("at", ""),
                "link": link,
            }
        )
    return found


@register.inclusion_tag("homes/offline_steps.html", takes_context=True)
def offline_steps(context, item):
    return {"steps": steps_of(context["request"], item)}


@register.inclusion_tag("homes/refer.html", takes_context=True)
def offline_box(context, subject_type: str, item):
    """Homes suggested for the item's category (or found by ``home_find``), the coming free
    times of this committee's own, and the form that sends the youth."""
    request = context["request"]
    find = request.GET.get("home_find", "").strip()[:50]
    suggested = referrals.suggest(item.category_id, find=find)
    here = request.committee
    own = {
        home.pk: home
        for home in YouthHome.objects.filter(
            pk__in=[x.home_id for x in suggested if x.committee_id == here.pk]
        )
    }
    for listing in suggested:
        home = own.get(listing.home_id) if listing.committee_id == here.pk else None
        shown: Any = listing  # what the template shows of it besides its fields
        shown.slots = (
            [slot for slot in selectors.upcoming_slots(home) if slot.free][:20] if home else []
        )
        shown.is_here = home is not None
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "suggested": suggested,
        "find": find,
        "action": reverse("homes:refer", args=[subject_type, item.pk]),
        "may_refer": cases.of(subject_type).referable is not None,
        "steps": steps_of(request, item),
    }
