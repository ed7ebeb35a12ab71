"""A help case as a viewer may see it (``selectors.rights_over``), for pages and the API
alike: the public tracking page reads it masked, without the youth's name or contact, and the
details only when the youth allowed it. Nothing masked is assigned back to the model."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from franchise.privacy import mask_personal_data
from timeline import kinds

from .models import HelpCase, HelpEvent
from .selectors import Rights

Kind = HelpEvent
# What the public tracking page shows of each step; the rest (who was assigned, notes of a
# supervising committee, overdue flags) is for staff.
PUBLIC_STEPS = (
    Kind.RECEIVED,
    Kind.ROUTED,
    Kind.VERIFYING,
    Kind.VERIFIED,
    Kind.ACTION,
    Kind.ACTION_DONE,
    Kind.RESOLVED,
    Kind.UNRESOLVED,
    Kind.REPORTED,
    Kind.EVALUATED,
    Kind.REOPENED,
    Kind.ESCALATED,
    Kind.JOINED,
    Kind.GROUPED,
    Kind.COLLECTED,
    Kind.CLOSED,
    Kind.URGED,
)


@dataclass(frozen=True)
class Step:
    kind: str
    label: str
    at: datetime
    note: str


@dataclass(frozen=True)
class Shown:
    case: HelpCase
    title: str
    body: str
    place: str
    youth: str
    contact: str
    report: str
    outcome_reason: str
    steps: list[Step]


def _note(kind: str, data: dict, *, staff: bool) -> str:
    if kind == Kind.ROUTED:
        return data.get("team", "")
    if kind == Kind.VERIFIED:
        return _("verdict: %(verdict)s") % {"verdict": _verdict(data.get("verdict", ""))}
    if kind == Kind.ACTION:
        return data.get("organisation", "")
    if kind == Kind.ESCALATED and data.get("level", 1) > 1:
        return _("%(n)s levels up") % {"n": data["level"]}
    if kind == Kind.URGED:
        return data.get("by", "") + ("：" + data.get("note", "") if staff else "")
    if kind == Kind.EVALUATED:
        return "★" * int(data.get("stars", 0))
    return ""


def _verdict(value: str) -> str:
    from .models import Verification

    return str(dict(Verification.Verdict.choices).get(value, value))


def shown(case: HelpCase, rights: Rights, *, steps: bool = True) -> Shown:
    """``case`` for a viewer with ``rights``; its steps too unless ``steps`` is false (a
    list shows none: no timeline is read)."""
    unmasked = rights.is_member or rights.is_staff

    def text(value: str) -> str:
        return value if unmasked else mask_personal_data(value)

    events = case.timeline.order_by("at", "id") if steps else case.timeline.none()
    if not rights.is_staff and not rights.reads_from_above:
        events = events.filter(kind__in=PUBLIC_STEPS)
    shown_steps = [
        Step(
            e.kind,
            kinds.label(e.kind),
            e.at,
            text(_note(e.kind, e.data, staff=rights.is_staff or rights.reads_from_above)),
        )
        for e in events
    ]
    details = rights.sees_details
    return Shown(
        case=case,
        title=text(case.title),
        body=text(case.body) if details else "",
        place=text(case.place) if details else "",
        youth=str(case.youth) if rights.sees_contact else _("A youth"),
        contact=case.contact if rights.sees_contact else "",
        report=text(case.report),
        outcome_reason=text(case.outcome_reason),
        steps=shown_steps,
    )
