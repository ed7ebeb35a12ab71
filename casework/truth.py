"""Truthfulness reviews (真实度复核): when a youth says that something did not happen as
described, the committee above checks it.

A domain registers what may be said not real (``Verifiable``, from its ``AppConfig.ready``):
a help case, a youth-home booking, an activity. A youth's "not real" (a rating with
``real`` false, or an activity's fake report) calls ``flag`` in the domain's transaction. The
flag goes through the outbox to the committee above (the top committee reviews its own),
where every flag of one item is one review for its admins. A review is a case of
``casework``: due by the item's category on the reviewing committee's calendar, flagged
overdue, put on the board above when late and urged from there (督办). The decision comes
back through the outbox: the item's timeline records it (a confirmed flag counts against
the committee in the figures and the assessment's truthfulness), the domain applies it
(``Verifiable.apply``: a fake activity stops counting), and whoever flagged it is told.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Case, QuerySet, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import timeline
from core import access
from core.errors import ServiceError, checked_text
from core.models import Role
from core.notifications import notify
from tenants import outbox
from tenants.models import OutboxMessage

from . import cases, deadlines, routing, supervision
from .models import TruthEvent, TruthReview

State = TruthReview.State
REASONS_KEPT = 20  # the latest reasons a review shows


@dataclass(frozen=True)
class Verifiable:
    """What a domain's item shows its reviewers, and how a decision about it is applied."""

    title: Callable[[Any], str]
    page: Callable[[Any], str]  # its page, a path on its portal
    category: Callable[[Any], str]  # its category's code, for the review's deadlines
    # What the reviewers see besides the reasons: (label, value) pairs (when, where, who).
    details: Callable[[Any], list[tuple[str, Any]]]
    # The item's timeline kinds of the decision, confirmed and dismissed, and how its domain
    # records them: record(item, kind, *, actor=None, **data).
    confirmed: str
    dismissed: str
    record: Callable[..., Any]
    # The accounts that said it was not real: told the decision.
    flaggers: Callable[[Any], Iterable[int | None]]
    # What a confirmation changes on the (locked) item, besides its timeline: (item, at).
    apply: Callable[[Any, datetime], None] = lambda item, at: None


VERIFIABLES: dict[str, Verifiable] = {}


def register(model, verifiable: Verifiable) -> None:
    VERIFIABLES[timeline.label_of(model)] = verifiable


def flag(item, *, reason: str, ref: str) -> None:
    """Send a youth's word that ``item`` did not happen as described to the committee above,
    with the current transaction; ``ref`` names the flag once (``"rating:12"``)."""
    label = timeline.label_of(item)
    verifiable = VERIFIABLES[label]
    outbox.send(
        "casework.truth_flag",
        receiver=supervision.board_of_here(),  # the parent, or the top committee itself
        payload={
            "subject": label,
            "id": item.pk,
            "title": str(verifiable.title(item))[:100],
            "link": verifiable.page(item),
            "category": verifiable.category(item),
            "details": [[str(name), str(value)] for name, value in verifiable.details(item)],
            "reason": reason or _("It did not happen as described."),
            "ref": ref,
        },
    )


@outbox.handles("casework.truth_flag")
def flag_in(message: OutboxMessage) -> None:
    """A flag on an item of a committee below (or of ours, at the top)."""
    data = message.payload
    with transaction.atomic():
        review, made = TruthReview.objects.select_for_update().get_or_create(
            source_committee=message.sender,
            subject_type=data["subject"],
            subject_id=data["id"],
            defaults={
                "title": data["title"],
                "link": data["link"],
                "details": data["details"],
                "category_id": data.get("category") or "other",
            },
        )
        if data["ref"] in {r.get("ref") for r in review.reasons}:
            return  # applied already
        review.reports += 1
        review.reasons = [{"ref": data["ref"], "reason": data["reason"]}, *review.reasons][
            :REASONS_KEPT
        ]
        review.title, review.details = data["title"], data["details"]
        reopened = review.state == State.DISMISSED  # flagged again after a dismissal
        if reopened:
            review.state = State.OPEN
            review.escalated_at = None  # late again, it goes on the board again
        if made or reopened:
            deadlines.start_clock(review, reopened=reopened)
        review.save()
        if made or reopened:
            told = partial(
                notify,
                routing.admins(),
                "truth_flagged",
                committee=outbox.current_committee(),
                link=reverse("casework:truth-reviews"),
                title=data["title"],
            )
            transaction.on_commit(told, robust=True)


def reviews() -> QuerySet[TruthReview]:
    """This committee's reviews, those to decide first, the latest first."""
    return TruthReview.objects.order_by(
        Case(When(state=State.OPEN, then=0), default=1), "-updated_at", "-id"
    )


def may_review(user) -> bool:
    """The admins of this committee (which reviews its children's items)."""
    grant = access.access_to(user, outbox.current_committee())
    return grant.can_write and grant.has(Role.Kind.ADMIN)


def decide(*, review: TruthReview, actor, is_fake: bool, note: str = "") -> TruthReview:
    """Confirm that the item did not happen as described, or dismiss the flags; the
    committee that holds it is told, and applies it."""
    if not may_review(actor):
        raise ServiceError(
            "forbidden", _("Only this committee's admins review these flags."), status=403
        )
    if not isinstance(is_fake, bool):
        raise ServiceError("invalid", _("Say whether it happened as described."), field="is_fake")
    note = checked_text(note, field="note", limit=500)
    now = timezone.now()
    with transaction.atomic():
        review = TruthReview.objects.select_for_update().get(pk=review.pk)
        if review.state != State.OPEN:
            raise ServiceError("decided", _("This review was decided."), status=409)
        review.state = State.CONFIRMED if is_fake else State.DISMISSED
        review.note, review.decided_by, review.decided_at = note, actor, now
        review.save()
        if review.escalated_at:
            supervision.cleared(CASE_TYPE, review)
        _record_on_review(review, TruthEvent.REVIEWED, actor=actor, to=review.source_committee)
        outbox.send(
            "casework.truth_decided",
            receiver=review.source_committee,
            payload={
                "subject": review.subject_type,
                "id": review.subject_id,
                "is_fake": is_fake,
                "note": note,
                "review": review.pk,
                "decided_at": now.isoformat(),
            },
        )
    return review


@outbox.handles("casework.truth_decided")
def decided_in(message: OutboxMessage) -> None:
    """The committee above decided about flags on one of our items."""
    data = message.payload
    verifiable = VERIFIABLES.get(data["subject"])
    if verifiable is None:
        return
    model = _model_of(data["subject"])
    with transaction.atomic():
        item = model.objects.select_for_update().filter(pk=data["id"]).first()
        if item is None:
            return
        kind = verifiable.confirmed if data["is_fake"] else verifiable.dismissed
        if timeline.of(item).filter(kind=kind, data__review=data["review"]).exists():
            return  # applied already
        if data["is_fake"]:
            verifiable.apply(item, outbox.moment(data["decided_at"]))
        verifiable.record(item, kind, review=data["review"], note=data["note"])
        told = partial(
            notify,
            verifiable.flaggers(item),
            "truth_confirmed" if data["is_fake"] else "truth_dismissed",
            committee=outbox.current_committee(),
            link=verifiable.page(item),
            title=str(verifiable.title(item)),
            note=data["note"],
        )
        transaction.on_commit(told, robust=True)


def _model_of(label: str):
    from django.apps import apps

    return apps.get_model(label)


# ---------------------------------------------------------------- as a case of casework


def _record_on_review(review: TruthReview, kind: str, *, actor=None, **data):
    return timeline.record(
        review,
        kind,
        actor=actor,
        state=review.state,
        category=str(review.category_id),
        data={
            "subject": review.subject_type,
            "id": review.subject_id,
            "from": review.source_committee,
            **data,
        },
    )


def _notify_reviewers(users, review: TruthReview, kind: str, **data) -> None:
    notify(
        users,
        kind,
        committee=outbox.current_committee(),
        link=reverse("casework:truth-reviews"),
        title=review.title,
        **data,
    )


CASE_TYPE = cases.CaseType(
    subject_type="casework.truthreview",
    model=TruthReview,
    kinds=cases.Kinds(
        overdue=TruthEvent.OVERDUE, escalated=TruthEvent.ESCALATED, urged=TruthEvent.URGED
    ),
    waiting=lambda: TruthReview.objects.filter(state=State.OPEN),
    record=_record_on_review,
    notify_staff=_notify_reviewers,
    title=lambda review: review.title,
    link=lambda review: reverse("casework:truth-reviews"),
)


# ---------------------------------------------------------------- messages of the old topics
# Queued before the activities' fake-report reviews became truthfulness reviews: applied as
# the new ones, so that none in flight across an upgrade is lost.


@outbox.handles("activities.fake_report")
def _old_report_in(message: OutboxMessage) -> None:
    data = message.payload
    payload = {
        "subject": "activities.activity",
        "id": data["activity"],
        "title": data["title"],
        "link": data["link"],
        "category": data.get("category") or "other",
        "details": [],
        "reason": data["reason"],
        "ref": f"report:{data['report']}",
    }
    flag_in(OutboxMessage(topic=message.topic, sender=message.sender, payload=payload))


@outbox.handles("activities.fake_decided")
def _old_decided_in(message: OutboxMessage) -> None:
    data = message.payload
    payload = {"subject": "activities.activity", "id": data["activity"]}
    payload |= {key: data[key] for key in ("is_fake", "note", "review", "decided_at")}
    decided_in(OutboxMessage(topic=message.topic, sender=message.sender, payload=payload))
