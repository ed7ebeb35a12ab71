"""How a question moves to another committee (``casework.transfer``): what it carries (its
published answers), how the receiving committee opens its copy, and what an event mirrored
from the other copy changes here. The asker keeps following it where they asked.

``qa.services`` names these in its case type, so they read it only when called."""

from __future__ import annotations

from casework import cases, routing
from casework import transfer as moving
from tenants import outbox
from tenants.models import OutboxMessage

from .models import Question, QuestionEvent, Reply

Kind = QuestionEvent


def _here_code() -> str:
    return outbox.current_committee_code()


def reply_payload(reply: Reply | None) -> dict | None:
    """A published answer for the other copies (they show only published ones)."""
    from . import services

    if reply is None or reply.state != Reply.State.PUBLISHED:
        return None
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


def export(question: Question) -> dict:
    return {
        "asker_id": question.asker_id,
        "title": question.title,
        "body": question.body,
        "category": question.category_id,
        "suggested_category": question.suggested_category,
        "suggested_confidence": question.suggested_confidence,
        "is_anonymous": question.is_anonymous,
        "is_public": question.is_public,
        "created_at": question.created_at.isoformat(),
        "replies": [
            reply_payload(r)
            for r in question.replies.filter(state=Reply.State.PUBLISHED).order_by("id")
        ],
    }


def receive(data: dict, *, origin_committee: str, origin_id: int) -> Question:
    from . import services

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
        origin_committee=origin_committee,
        origin_id=origin_id,
    )
    for reply in data["replies"]:
        _copy_reply(question, reply)
    return question


def opened(question: Question) -> None:
    """The copy joins this committee's queue: by the rules, else in triage."""
    from . import services

    services.open_question(question)
    if question.team_id is None:
        services.notify_staff(
            routing.cadres_and_admins(), question, "queued", team=str(outbox.current_committee())
        )


def check(question: Question) -> None:
    from . import services

    services.require_open(question)


def moved(question: Question, target) -> None:
    from . import services

    services.notify_asker(question, "transferred", where=target.title)


def apply(question: Question, event: dict, extra: dict) -> None:
    """What an event recorded on the other copy changes here, and who is told."""
    from . import services

    kind = event["kind"]
    if extra.get("reply"):
        _copy_reply(question, extra["reply"])
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
    if kind == Kind.ANSWERED and event["data"].get("by") != Reply.AuthorKind.PEER:
        services.notify_asker(question, "answered")
    elif kind == Kind.CLOSED:
        services.notify_asker(question, "closed")
    elif kind in (Kind.REOPENED, Kind.FOLLOWED_UP) and question.is_open:
        staff = [question.assignee_id] if question.assignee_id else []
        services.notify_staff(staff, question, "follow_up")


TRANSFERS = cases.Transfers(
    export=export, receive=receive, opened=opened, apply=apply, check=check, moved=moved
)


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


def _mark_disliked(ref: str) -> None:
    if ref.startswith(f"{_here_code()}:"):
        Reply.objects.filter(pk=int(ref.split(":", 1)[1])).update(is_unhelpful=True)
    else:
        Reply.objects.filter(origin_ref=ref).update(is_unhelpful=True)


# ---------------------------------------------------------------- messages of the old shape
# Sent before transfers were casework's, still delivered after an upgrade.


def _old_event(data: dict, asker_id: int | None) -> dict:
    # Messages sent before kinds were namespaced name them bare ("answered").
    kind = data["kind"] if "." in data["kind"] else f"qa.{data['kind']}"
    return {**data, "kind": kind, "youth_id": data.get("youth_id", asker_id)}


@outbox.handles("qa.transfer")
def old_transfer(message: OutboxMessage) -> None:
    data = message.payload
    moving.receive_transfer(
        {
            "type": "qa.question",
            "origin_id": data["origin_id"],
            "item": data,
            "timeline": [_old_event(e, data["asker_id"]) for e in data["timeline"]],
        },
        message.sender,
    )


@outbox.handles("qa.mirror")
def old_mirror(message: OutboxMessage) -> None:
    data = message.payload
    address = data["to"][_here_code()]
    if "id" in address:
        asker = Question.objects.filter(pk=address["id"])
    else:
        asker = Question.objects.filter(
            origin_committee=address["origin"], origin_id=address["origin_id"]
        )
    moving.receive_mirror(
        {
            "type": "qa.question",
            "to": data["to"],
            "event": _old_event(data["event"], asker.values_list("asker_id", flat=True).first()),
            "extra": {"reply": data.get("reply")},
        },
        message.sender,
    )
