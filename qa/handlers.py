"""What arrives from other committees through the outbox: a transferred question and the
events of a question transferred between committees."""

from __future__ import annotations

import timeline
from casework import routing
from tenants import outbox
from tenants.models import OutboxMessage
from timeline.models import Event

from . import services
from .models import Question, QuestionEvent, Reply

Kind = QuestionEvent


def _here_code() -> str:
    return outbox.current_committee_code()


def _event(event: Event) -> dict:
    return {
        # Its name on every committee that copies it (Event.origin).
        "ref": event.origin or f"{_here_code()}:{event.pk}",
        "kind": event.kind,
        "actor_id": event.actor_id,
        "state": event.state,
        "category": event.category,
        "data": event.data,
        "at": event.at.isoformat(),
    }


def _reply(reply: Reply) -> dict:
    return {
        "ref": services.reply_ref(reply),
        "kind": reply.kind,
        "author_id": reply.author_id,
        "author_kind": reply.author_kind,
        "organisation": reply.organisation,
        "body": reply.body,
        "is_unhelpful": reply.is_unhelpful,
        "created_at": reply.created_at.isoformat(),
    }


def _address(question: Question, receiver: str) -> dict:
    """How ``receiver`` finds its copy of ``question``."""
    if receiver == question.origin_committee:
        return {"id": question.origin_question_id}
    return {"origin": _here_code(), "origin_id": question.pk}


def mirror_payload(question: Question, event: Event, reply: Reply | None) -> dict:
    published = reply is not None and reply.state == Reply.State.PUBLISHED
    return {
        "to": {peer: _address(question, peer) for peer in question.peers},
        "event": _event(event),
        "reply": _reply(reply) if published and reply is not None else None,
    }


def transfer_payload(question: Question) -> dict:
    return {
        "origin_id": question.pk,
        "asker_id": question.asker_id,
        "title": question.title,
        "body": question.body,
        "category": question.category_id,
        "suggested_category": question.suggested_category,
        "suggested_confidence": question.suggested_confidence,
        "is_anonymous": question.is_anonymous,
        "is_public": question.is_public,
        "created_at": question.created_at.isoformat(),
        "timeline": [_event(e) for e in question.timeline.order_by("id")],
        "replies": [
            _reply(r) for r in question.replies.filter(state=Reply.State.PUBLISHED).order_by("id")
        ],
    }


def _copy_reply(question: Question, data: dict) -> Reply | None:
    if data["ref"].startswith(f"{_here_code()}:"):
        return Reply.objects.filter(pk=int(data["ref"].split(":", 1)[1])).first()
    reply, _created = Reply.objects.get_or_create(
        origin_ref=data["ref"],
        defaults={
            "question": question,
            "kind": data["kind"],
            "author_id": data["author_id"],
            "author_kind": data["author_kind"],
            "organisation": data["organisation"],
            "body": data["body"],
            "is_unhelpful": data["is_unhelpful"],
            "created_at": outbox.moment(data["created_at"]),
        },
    )
    return reply


def _copy_event(question: Question, data: dict, sender: str) -> Event:
    # Messages sent before kinds were namespaced name them bare ("answered").
    kind = data["kind"] if "." in data["kind"] else f"qa.{data['kind']}"
    return timeline.record(
        question,
        kind,
        actor=data["actor_id"],
        state=question.state,
        category=question.category_id,
        youth=question.asker_id,
        data={**data["data"], "mirrored_from": sender},
        at=outbox.moment(data["at"]),
        origin=data.get("ref", ""),  # messages sent before events were named carry none
    )


@outbox.handles("qa.transfer")
def transfer_in(message: OutboxMessage) -> None:
    """A question transferred here: it joins this committee's queue with its history."""
    data = message.payload
    if Question.objects.filter(
        origin_committee=message.sender, origin_question_id=data["origin_id"]
    ).exists():
        return
    question = Question.objects.create(
        asker_id=data["asker_id"],
        title=data["title"],
        body=data["body"],
        category_id=data["category"],
        suggested_category=data["suggested_category"],
        suggested_confidence=data["suggested_confidence"],
        is_anonymous=data["is_anonymous"],
        is_public=data["is_public"],
        state=Question.State.NEW,
        search=services.search_vector(data["title"], data["body"]),
        created_at=outbox.moment(data["created_at"]),
        origin_committee=message.sender,
        origin_question_id=data["origin_id"],
    )
    for reply in data["replies"]:
        _copy_reply(question, reply)
    for event in data["timeline"]:
        _copy_event(question, event, message.sender)
    services.record(question, Kind.TRANSFERRED_IN, origin=message.sender)
    services.open_question(question)
    if question.team_id is None:
        services.notify_staff(
            routing.cadres_and_admins(), question, "queued", team=str(outbox.current_committee())
        )


@outbox.handles("qa.mirror")
def mirror(message: OutboxMessage) -> None:
    """An event of a question this committee also holds, recorded on another committee."""
    data = message.payload
    address = data["to"][_here_code()]
    if "id" in address:
        found = Question.objects.filter(pk=address["id"])
    else:
        found = Question.objects.filter(
            origin_committee=address["origin"], origin_question_id=address["origin_id"]
        )
    question = found.select_for_update().get()
    event = data["event"]
    if event.get("ref") and Event.objects.filter(origin=event["ref"]).exists():
        return  # applied already: the event, the reply and the state change came with it
    kind = event["kind"]
    reply = _copy_reply(question, data["reply"]) if data["reply"] else None
    if kind == Kind.DISLIKED:
        _mark_disliked(event["data"].get("reply_ref", ""))
    question.category_id = event["category"]
    if kind == Kind.REOPENED:
        services.reopen(question)
    elif kind != Kind.FOLLOWED_UP:
        question.state = event["state"]
    if kind == Kind.SOLVED:
        question.solved_at = outbox.moment(event["at"])
    if question.state == Question.State.ANSWERED and question.first_answered_at is None:
        question.first_answered_at = outbox.moment(event["at"])
    question.save()
    copied = _copy_event(question, event, message.sender)
    # A question passed on again (A → B → C): B passes each side's events to the other.
    for peer in question.peers:
        if peer != message.sender:
            outbox.send(
                "qa.mirror",
                receiver=peer,
                payload={**mirror_payload(question, copied, reply), "event": event},
            )
    if kind == Kind.ANSWERED and event["data"].get("by") != Reply.AuthorKind.PEER:
        services.notify_asker(question, "answered")
    elif kind == Kind.CLOSED:
        services.notify_asker(question, "closed")
    elif kind in (Kind.REOPENED, Kind.FOLLOWED_UP) and question.is_open:
        staff = [question.assignee_id] if question.assignee_id else []
        services.notify_staff(staff, question, "follow_up")


def _mark_disliked(ref: str) -> None:
    if ref.startswith(f"{_here_code()}:"):
        Reply.objects.filter(pk=int(ref.split(":", 1)[1])).update(is_unhelpful=True)
    else:
        Reply.objects.filter(origin_ref=ref).update(is_unhelpful=True)
