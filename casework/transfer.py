"""Moving an item to another committee (转接), for every case type.

The item leaves this committee's queues and goes through the outbox, with its timeline, to
the receiving committee, which makes its own copy and handles it; the item stays here, marked
``transferred_to``, and is followed here. From then on each event recorded on either copy is
mirrored to the other (``mirror``), so both timelines tell the same story; an item passed on
again (A → B → C) is kept in step through the committee in the middle. Copied events carry
their origin (``Event.origin``): a message applied twice copies nothing twice, and the rollup
counts each event only where it happened.

A domain takes part by giving its case type a ``cases.Transfers``: what its item carries to
the receiver, how the receiver makes and opens its copy, and what a mirrored event changes.
"""

from __future__ import annotations

from typing import cast

from django.db import transaction
from django.utils.translation import gettext as _

import timeline
from core.errors import ServiceError
from tenants import outbox
from tenants.models import Committee, OutboxMessage
from timeline.models import Event

from . import cases, supervision
from .models import Handled


def _here() -> str:
    return outbox.current_committee_code()


def _name(code: str) -> str:
    # Named as people know it; the code stands in only if the committee is gone.
    name = Committee.objects.filter(code=code).values_list("name", flat=True).first()
    return name or code


def require_here(item) -> None:
    """Refuse to act on an item that was moved on: it is handled where it went."""
    if item.transferred_to:
        raise ServiceError(
            "transferred",
            _("This was transferred to %(name)s and is handled there.")
            % {"name": _name(item.transferred_to)},
            status=409,
        )


def target_of(code: str) -> Committee:
    target = Committee.objects.filter(code=code).first()
    if target is None or target.is_suspended or target.code == _here():
        raise ServiceError("invalid_committee", _("Choose another active committee."), field="to")
    return target


def transfer(case_type: cases.CaseType, item, *, actor, to: str, note: str = ""):
    """Move ``item`` to the committee ``to``; returns the item as it is left here."""
    moves = _moves(case_type)
    target = target_of(to)
    with transaction.atomic():
        item = case_type.model._default_manager.select_for_update().get(pk=item.pk)
        require_here(item)
        moves.check(item)
        if item.origin_committee == target.code:
            raise ServiceError(
                "invalid_committee",
                _("It came from there; handle it here or close it."),
                field="to",
            )
        item.team, item.assignee = None, None
        item.save(update_fields=["team", "assignee", "updated_at"])
        # Recorded before the item names its receiver: the event goes with the history.
        case_type.record(
            item, case_type.kinds.transferred_out, actor=actor, to=target.code, note=note[:500]
        )
        payload = {
            "type": case_type.subject_type,
            "origin_id": item.pk,
            "item": moves.export(item),
            "timeline": [event_payload(e) for e in timeline.of(item).order_by("id")],
        }
        item.transferred_to = target.code
        item.save(update_fields=["transferred_to", "updated_at"])
        outbox.send("casework.transfer", receiver=target.code, payload=payload)
        if item.escalated_at:
            supervision.cleared(case_type, item)
        moves.moved(item, target)
    return item


def mirror(case_type: cases.CaseType, item, event: Event, extra: dict | None = None) -> None:
    """Send an event just recorded on ``item`` to every other committee holding a copy (call
    from the domain's ``record``, in the changing transaction). ``extra`` is what the other
    copies need besides the event (a published answer, say)."""
    for peer in item.peers:
        _send_mirror(case_type, item, peer, event_payload(event), extra or {})


def is_mirrored(data: dict) -> bool:
    """Whether an event's data says it was copied from another committee."""
    return "mirrored_from" in data


def event_payload(event: Event) -> dict:
    return {
        # Its name on every committee that copies it (Event.origin).
        "ref": event.origin or f"{_here()}:{event.pk}",
        "kind": event.kind,
        "actor_id": event.actor_id,
        "youth_id": event.youth_id,
        "state": event.state,
        "category": event.category,
        "data": event.data,
        "at": event.at.isoformat(),
    }


def _address(item, receiver: str) -> dict:
    """How ``receiver`` finds its copy of ``item``."""
    if receiver == item.origin_committee:
        return {"id": item.origin_id}
    return {"origin": _here(), "origin_id": item.pk}


def _send_mirror(case_type: cases.CaseType, item, peer: str, event: dict, extra: dict) -> None:
    outbox.send(
        "casework.mirror",
        receiver=peer,
        payload={
            "type": case_type.subject_type,
            "to": {code: _address(item, code) for code in item.peers},
            "event": event,
            "extra": extra,
        },
    )


def _moves(case_type: cases.CaseType) -> cases.Transfers:
    if case_type.transfers is None:
        raise ServiceError("not_transferable", _("This cannot be transferred."), status=409)
    return case_type.transfers


def _copy_event(case_type: cases.CaseType, item, data: dict, sender: str) -> Event:
    return timeline.record(
        item,
        data["kind"],
        actor=data["actor_id"],
        state=item.state,
        category=item.category_id,
        youth=data["youth_id"],
        data={**data["data"], "mirrored_from": sender},
        at=outbox.moment(data["at"]),
        origin=data.get("ref", ""),  # messages sent before events were named carry none
    )


# ---------------------------------------------------------------- arriving (the outbox)


def receive_transfer(data: dict, sender: str) -> None:
    """An item transferred here: it joins this committee's queues with its history."""
    case_type = cases.of(data["type"])
    model, moves = case_type.model, _moves(case_type)
    if model._default_manager.filter(origin_committee=sender, origin_id=data["origin_id"]).exists():
        return
    item = moves.receive(data["item"], origin_committee=sender, origin_id=data["origin_id"])
    for event in data["timeline"]:
        _copy_event(case_type, item, event, sender)
    case_type.record(item, case_type.kinds.transferred_in, origin=sender)
    moves.opened(item)


def receive_mirror(data: dict, sender: str) -> None:
    """An event of an item this committee also holds, recorded on another committee."""
    case_type = cases.of(data["type"])
    address = data["to"][_here()]
    if "id" in address:
        found = case_type.model._default_manager.filter(pk=address["id"])
    else:
        found = case_type.model._default_manager.filter(
            origin_committee=address["origin"], origin_id=address["origin_id"]
        )
    item = cast(Handled, found.select_for_update().get())
    event, extra = data["event"], data.get("extra") or {}
    if event.get("ref") and Event.objects.filter(origin=event["ref"]).exists():
        return  # applied already: what the event changed came with it
    _moves(case_type).apply(item, event, extra)
    _copy_event(case_type, item, event, sender)
    # An item passed on again (A → B → C): B passes each side's events to the other.
    for peer in item.peers:
        if peer != sender:
            _send_mirror(case_type, item, peer, event, extra)


@outbox.handles("casework.transfer")
def transfer_in(message: OutboxMessage) -> None:
    receive_transfer(message.payload, message.sender)


@outbox.handles("casework.mirror")
def mirror_in(message: OutboxMessage) -> None:
    receive_mirror(message.payload, message.sender)
