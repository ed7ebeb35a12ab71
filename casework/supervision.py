"""Supervision (督办) up the committee tree, for every registered kind of item.

An item waiting past its first-response deadline is flagged overdue and its responsible
staff are told. Past its resolution deadline it goes on the parent committee's board. An
item still unresolved when the board's own resolution window has passed (counted on that
board's calendar) goes on to the board above, and so on to the root. A board member urges
(催办) an item with a note: it reaches the item's handlers and its timeline. Resolving the
item clears it from every board it reached. Boards and items live in different schemas:
every step between them is an outbox message.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import timeline
from core.errors import ServiceError
from core.notifications import notify
from tenants import outbox
from tenants.models import Committee, OutboxMessage

from . import cases, deadlines, routing
from .models import SupervisionItem

NOTE_MAX = 500


def _here() -> Committee:
    return outbox.current_committee()


def _parent_code(committee: Committee) -> str | None:
    parents = committee.ancestor_codes
    return parents[-1] if parents else None


def board_of_here() -> str:
    """Whose board a late item of this committee goes on: the parent's (the root's own)."""
    here = _here()
    return _parent_code(here) or here.code


# ---------------------------------------------------------------- the sweep


def sweep(now: datetime | None = None) -> dict[str, int]:
    """Flag overdue items, put late ones on the parent's board and pass board items still
    unresolved past their due time to the board above. Each step happens once."""
    now = now or timezone.now()
    counts = {"overdue": 0, "escalated": 0, "forwarded": 0}
    for case_type in cases.registered():
        counts["overdue"] += _flag_overdue(case_type, now)
        counts["escalated"] += _escalate(case_type, now)
    counts["forwarded"] = _forward(now)
    return counts


def _locked(items, pk: int):
    """The item re-read under a row lock if it is still among ``items``."""
    return items.select_for_update(of=("self",)).select_related("team").filter(pk=pk).first()


def _flag_overdue(case_type: cases.CaseType, now: datetime) -> int:
    flagged = 0
    late = case_type.awaiting_response().filter(overdue_at=None, respond_by__lt=now)
    for pk in late.values_list("pk", flat=True):
        with transaction.atomic():
            item = _locked(case_type.awaiting_response(), pk)
            if item is None or item.overdue_at is not None:
                continue
            item.overdue_at = now
            item.save(update_fields=["overdue_at", "updated_at"])
            case_type.record(item, case_type.kinds.overdue, due=str(item.respond_by))
            case_type.notify_staff(routing.responsible(item), item, "overdue")
            flagged += 1
    return flagged


def _escalate(case_type: cases.CaseType, now: datetime) -> int:
    escalated = 0
    late = case_type.waiting().filter(escalated_at=None, resolve_by__lt=now)
    for pk in late.values_list("pk", flat=True):
        with transaction.atomic():
            item = _locked(case_type.waiting(), pk)
            if item is None or item.escalated_at is not None:
                continue
            escalate(case_type, item, now=now)
            escalated += 1
    return escalated


def escalate(case_type: cases.CaseType, item, *, now: datetime | None = None, **data) -> None:
    """Put ``item`` on the parent committee's board now (inside the changing transaction):
    past its resolution deadline, or at the request of the youth it serves."""
    now = now or timezone.now()
    item.escalated_at = now
    item.save(update_fields=["escalated_at", "updated_at"])
    board = board_of_here()
    case_type.record(
        item, case_type.kinds.escalated, to=board, due=str(item.resolve_by), level=1, **data
    )
    here = _here()
    outbox.send(
        "casework.supervision",
        receiver=board,
        payload={
            "committee_code": here.code,
            "committee_name": here.title,
            "subject_type": case_type.subject_type,
            "subject_id": item.pk,
            "link": case_type.link(item),
            "title": case_type.title(item),
            "category": item.category_id,
            "team": item.team.name if item.team else "",
            "escalated_at": now.isoformat(),
            "level": 1,
            "via": "",
        },
    )
    case_type.notify_staff(routing.responsible(item), item, "escalated", where=here.title)


def _forward(now: datetime) -> int:
    """Board items unresolved past their due time go on to the board above."""
    here = _here()
    parent = _parent_code(here)
    if parent is None:
        return 0
    forwarded = 0
    late = SupervisionItem.objects.filter(resolved_at=None, forwarded_to="", due_at__lt=now)
    for pk in late.values_list("pk", flat=True):
        with transaction.atomic():
            item = SupervisionItem.objects.select_for_update().filter(pk=pk).first()
            if item is None or item.resolved_at or item.forwarded_to:
                continue
            item.forwarded_to = parent
            item.save(update_fields=["forwarded_to"])
            outbox.send(
                "casework.supervision",
                receiver=parent,
                payload={
                    **_item_payload(item),
                    "escalated_at": now.isoformat(),
                    "level": item.level + 1,
                    "via": here.code,
                },
            )
            outbox.send(
                "casework.escalated_further",
                receiver=item.committee_code,
                payload={
                    "subject_type": item.subject_type,
                    "subject_id": item.subject_id,
                    "to": parent,
                    "level": item.level + 1,
                },
            )
            forwarded += 1
    return forwarded


def _item_payload(item: SupervisionItem) -> dict:
    return {
        "committee_code": item.committee_code,
        "committee_name": item.committee_name,
        "subject_type": item.subject_type,
        "subject_id": item.subject_id,
        "link": item.link,
        "title": item.title,
        "category": item.category,
        "team": item.team,
    }


def cleared(case_type: cases.CaseType, item) -> None:
    """The item is resolved or handed on (call inside the changing transaction): it leaves
    every board it reached."""
    outbox.send(
        "casework.supervision_cleared",
        receiver=board_of_here(),
        payload={
            "committee_code": _here().code,
            "subject_type": case_type.subject_type,
            "subject_id": item.pk,
        },
    )


# ---------------------------------------------------------------- urging (催办)


def urge(*, item: SupervisionItem, actor, note: str) -> SupervisionItem:
    """A member of the board's committee presses the handlers of an item with a note."""
    note = (note or "").strip()
    if not note:
        raise ServiceError("required", _("Say what you expect of the handlers."), field="note")
    if len(note) > NOTE_MAX:
        raise ServiceError(
            "too_long", _("Keep it under %(n)s characters.") % {"n": NOTE_MAX}, field="note"
        )
    with transaction.atomic():
        item = SupervisionItem.objects.select_for_update().get(pk=item.pk)
        if item.resolved_at is not None:
            raise ServiceError("resolved", _("This item is resolved already."), status=409)
        item.urge_count += 1
        item.last_urged_at = timezone.now()
        item.save(update_fields=["urge_count", "last_urged_at"])
        here = _here()
        outbox.send(
            "casework.urge",
            receiver=item.committee_code,
            payload={
                "subject_type": item.subject_type,
                "subject_id": item.subject_id,
                "note": note,
                "by": here.title,
                "by_code": here.code,
                "actor_id": actor.pk,
            },
        )
    return item


# ---------------------------------------------------------------- arriving by the outbox


@outbox.handles("casework.supervision")
def on_board(message: OutboxMessage) -> None:
    """An item from below goes on this board; it is due here after this committee's own
    resolution window for its category. An item resolved here before and escalated again
    since (a youth unsatisfied with the result) is back on the board."""
    data = message.payload
    arrived = outbox.moment(data["escalated_at"])
    item, created = SupervisionItem.objects.select_for_update().get_or_create(
        committee_code=data["committee_code"],
        subject_type=data.get("subject_type", "qa.question"),
        subject_id=data.get("subject_id", data.get("question_id")),
        defaults={
            "committee_name": data["committee_name"],
            "link": data.get("link", ""),
            "title": data["title"],
            "category": data["category"],
            "team": data["team"],
            "escalated_at": arrived,
            "level": data.get("level", 1),
            "via": data.get("via", ""),
            "due_at": _board_due(arrived, data["category"]),
        },
    )
    if not created and item.resolved_at is not None and arrived > item.resolved_at:
        item.escalated_at, item.resolved_at, item.forwarded_to = arrived, None, ""
        item.due_at = _board_due(arrived, data["category"])
        item.save(update_fields=["escalated_at", "resolved_at", "forwarded_to", "due_at"])
        created = True
    if created:
        notify(
            routing.cadres_and_admins(),
            "escalated",
            committee=_here(),
            link=reverse("casework:supervision"),
            title=item.title,
            where=item.committee_name,
        )


def _board_due(arrived: datetime, category: str) -> datetime | None:
    if _parent_code(_here()) is None:
        return None  # the root's board goes nowhere further
    return deadlines.due(arrived, deadlines.windows_for(category).resolution_s)


@outbox.handles("casework.supervision_cleared")
def on_cleared(message: OutboxMessage) -> None:
    data = message.payload
    subject_type = data.get("subject_type", "qa.question")
    subject_id = data.get("subject_id", data.get("question_id"))
    item = (
        SupervisionItem.objects.select_for_update()
        .filter(committee_code=data["committee_code"], subject_type=subject_type)
        .filter(subject_id=subject_id, resolved_at=None)
        .first()
    )
    if item is None:
        return
    item.resolved_at = timezone.now()
    item.save(update_fields=["resolved_at"])
    if item.forwarded_to:
        outbox.send("casework.supervision_cleared", receiver=item.forwarded_to, payload=data)


# Messages queued before supervision was shared by every domain.
outbox.handles("qa.supervision")(on_board)
outbox.handles("qa.supervision_cleared")(on_cleared)


@outbox.handles("casework.urge")
def on_urged(message: OutboxMessage) -> None:
    """A board above urges one of this committee's items: on its timeline, and its
    handlers are told with the note."""
    data = message.payload
    case_type = cases.of(data["subject_type"])
    item = (
        case_type.model._default_manager.select_related("team")
        .filter(pk=data["subject_id"])
        .first()
    )
    ref = f"{message.sender}:{message.pk}"
    if item is None or _recorded(item, case_type.kinds.urged, urge_ref=ref):
        return
    case_type.record(
        item,
        case_type.kinds.urged,
        actor=data["actor_id"],
        note=data["note"],
        by=data["by"],
        by_code=data["by_code"],
        urge_ref=ref,
    )
    case_type.notify_staff(
        routing.responsible(item), item, "urged", where=data["by"], note=data["note"]
    )


@outbox.handles("casework.escalated_further")
def on_escalated_further(message: OutboxMessage) -> None:
    """An item of this committee went on to a board higher up: on its timeline."""
    data = message.payload
    case_type = cases.of(data["subject_type"])
    item = case_type.model._default_manager.filter(pk=data["subject_id"]).first()
    level = data["level"]
    if item is not None and not _recorded(item, case_type.kinds.escalated, level=level):
        case_type.record(item, case_type.kinds.escalated, to=data["to"], level=level)


def _recorded(item, kind: str, **data) -> bool:
    """Whether the item's timeline has this event already (a message applied again)."""
    return timeline.of(item).filter(kind=kind, data__contains=data).exists()
