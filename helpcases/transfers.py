"""How a help case moves to another committee (``casework.transfer``), say when the need is
in another city: the receiving committee makes its own copy with the youth and co-signers
and handles it from the start (verification, coordination, the report back); the youths
follow it and evaluate it there. The case stays here, marked transferred, and each step the
other committee takes is mirrored onto it.

``helpcases.services`` names these in its case type, so they read it only when called."""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework import cases
from core.errors import ServiceError
from tenants import outbox

from .models import OPEN_STATES, CoSigner, HelpCase, HelpEvent

Kind = HelpEvent


def export(case: HelpCase) -> dict:
    return {
        "youth_id": case.youth_id,
        "title": case.title,
        "body": case.body,
        "place": case.place,
        "needed_by": case.needed_by.isoformat() if case.needed_by else None,
        "contact": case.contact,
        "category": case.category_id,
        "is_public": case.is_public,
        "created_at": case.created_at.isoformat(),
        "cosigners": [
            {"youth_id": c.youth_id, "details": c.details, "at": c.created_at.isoformat()}
            for c in case.cosigners.order_by("id")
        ],
    }


def receive(data: dict, *, origin_committee: str, origin_id: int) -> HelpCase:
    from . import services

    case = HelpCase.objects.create(
        youth_id=data["youth_id"],
        title=data["title"],
        body=data["body"],
        place=data["place"],
        needed_by=data["needed_by"],
        contact=data["contact"],
        category_id=data["category"],
        is_public=data["is_public"],
        state=HelpCase.State.RECEIVED,
        search=services.search_vector(data["title"], data["body"]),
        created_at=outbox.moment(data["created_at"]),
        origin_committee=origin_committee,
        origin_id=origin_id,
    )
    CoSigner.objects.bulk_create(
        CoSigner(
            case=case,
            youth_id=c["youth_id"],
            details=c["details"],
            created_at=outbox.moment(c["at"]),
        )
        for c in data["cosigners"]
    )
    return case


def opened(case: HelpCase) -> None:
    """The copy joins this committee's queues: its deadlines start, routed by the rules."""
    from . import services

    services.open_case(case)


def check(case: HelpCase) -> None:
    if case.state not in OPEN_STATES:
        raise ServiceError(
            "wrong_state", _("Only a case still being handled can be transferred."), status=409
        )
    if case.is_collective:
        raise ServiceError(
            "collective",
            _("A collective demand is handled where its cases and questions are."),
            status=409,
        )


def moved(case: HelpCase, target) -> None:
    from . import services

    services.notify_members(case, "help_transferred", where=target.title)


def apply(case: HelpCase, event: dict, extra: dict) -> None:
    """A step the other committee took: this copy shows where the case stands."""
    at = outbox.moment(event["at"])
    case.state, case.category_id = event["state"], event["category"]
    if event["kind"] in (Kind.RESOLVED, Kind.UNRESOLVED):
        case.resolved_at = at
    elif event["kind"] == Kind.REPORTED:
        case.reported_at = at
    elif event["kind"] == Kind.REOPENED:
        case.round += 1
    case.save()


TRANSFERS = cases.Transfers(
    export=export, receive=receive, opened=opened, apply=apply, check=check, moved=moved
)
