"""Reports of fake activities (虚假活动举报).

A participant, or anyone with an account, reports an activity. The report goes through the
outbox to the committee above (the central office reviews its own), where its admins see
every report of that activity as one review and confirm or dismiss it. A review is a case
of ``casework``: due by the activity's category on the reviewing committee's calendar, flagged
overdue, put on the board of the committee above when late and urged from there (督办), as
every handled item is. The decision comes back: a confirmed fake is marked on the activity's
page, and it no longer counts for the influence index (``services.uncount``) nor in the
figures."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import timeline
from casework import cases, deadlines, routing, supervision
from core import access
from core.errors import ServiceError, checked_text
from core.models import Role
from core.notifications import notify
from tenants import outbox
from tenants.models import OutboxMessage

from . import campaigns
from .models import Activity, ActivityEvent, FakeReport, FakeReview, Registration
from .services import page_of, record, tell_later

Kind = ActivityEvent
State = FakeReview.State
REASONS_KEPT = 20  # the latest reasons a review shows


def reviewer_of(committee) -> str:
    """The committee that reviews reports of ``committee``'s activities: its parent, or
    itself at the top."""
    return committee.parent.code if committee.parent_id else committee.code


def report(*, activity: Activity, reporter, reason: str) -> FakeReport:
    """``reporter`` says the activity was fake or not as published; once an account."""
    reason = checked_text(
        reason, field="reason", limit=500, required=_("Say what was fake about it.")
    )
    if activity.state != Activity.State.PUBLISHED:
        raise ServiceError("cancelled", _("This activity was cancelled."), status=409)
    here = outbox.current_committee()
    try:
        with transaction.atomic():
            made = FakeReport.objects.create(activity=activity, reporter=reporter, reason=reason)
            record(made, Kind.REPORTED, activity=activity, actor=reporter)
            outbox.send(
                "activities.fake_report",
                receiver=reviewer_of(here),
                payload={
                    "activity": activity.pk,
                    "title": activity.title,
                    "link": page_of(activity),
                    "reason": reason,
                    "report": made.pk,
                    "category": activity.category_id,
                    "details": {
                        "starts_at": activity.starts_at.isoformat(),
                        "place": activity.place,
                        "organiser": activity.organiser.name if activity.organiser else "",
                        "registrations": activity.registrations.filter(
                            state=Registration.State.REGISTERED
                        ).count(),
                        "photos": activity.photos.count(),
                    },
                },
            )
    except IntegrityError:
        raise ServiceError(
            "already_reported", _("You have reported this activity already."), status=409
        ) from None
    return made


@outbox.handles("activities.fake_report")
def report_in(message: OutboxMessage) -> None:
    """A report of an activity of a committee below (or of ours, at the top)."""
    data = message.payload
    with transaction.atomic():
        review, made = FakeReview.objects.select_for_update().get_or_create(
            source_committee=message.sender,
            activity_id=data["activity"],
            defaults={
                "title": data["title"],
                "link": data["link"],
                "details": data["details"],
                "category_id": data.get("category", "other"),
            },
        )
        if data["report"] in {r.get("report") for r in review.reasons}:
            return  # applied already
        review.reports += 1
        review.reasons = [{"report": data["report"], "reason": data["reason"]}, *review.reasons][
            :REASONS_KEPT
        ]
        review.details = data["details"]
        reopened = review.state == State.DISMISSED  # reported again after a dismissal
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
                "activity_reported",
                committee=outbox.current_committee(),
                link=reverse("activities:reviews"),
                title=data["title"],
            )
            transaction.on_commit(told, robust=True)


def may_review(user) -> bool:
    """The admins of this committee (which reviews its children's activities)."""
    grant = access.access_to(user, outbox.current_committee())
    return grant.can_write and grant.has(Role.Kind.ADMIN)


def decide(*, review: FakeReview, actor, is_fake: bool, note: str = "") -> FakeReview:
    """Confirm the activity was fake, or dismiss the reports; the committee that ran it is
    told, and applies it."""
    if not may_review(actor):
        raise ServiceError(
            "forbidden", _("Only this committee's admins review reports."), status=403
        )
    if not isinstance(is_fake, bool):
        raise ServiceError("invalid", _("Say whether it was fake."), field="is_fake")
    note = checked_text(note, field="note", limit=500)
    now = timezone.now()
    with transaction.atomic():
        review = FakeReview.objects.select_for_update().get(pk=review.pk)
        if review.state != State.OPEN:
            raise ServiceError("decided", _("This review was decided."), status=409)
        review.state = State.CONFIRMED if is_fake else State.DISMISSED
        review.note, review.decided_by, review.decided_at = note, actor, now
        review.save()
        if review.escalated_at:
            supervision.cleared(CASE_TYPE, review)
        timeline.record(
            review,
            Kind.REVIEWED,
            actor=actor,
            state=review.state,
            category=str(review.category_id),
            data={"to": review.source_committee, "activity": review.activity_id},
        )
        outbox.send(
            "activities.fake_decided",
            receiver=review.source_committee,
            payload={
                "activity": review.activity_id,
                "is_fake": is_fake,
                "note": note,
                "review": review.pk,
                "decided_at": now.isoformat(),
            },
        )
    return review


@outbox.handles("activities.fake_decided")
def decided_in(message: OutboxMessage) -> None:
    """The committee above decided about reports of one of our activities."""
    data = message.payload
    with transaction.atomic():
        activity = Activity.objects.select_for_update().filter(pk=data["activity"]).first()
        if activity is None:
            return
        kind = Kind.FAKE_CONFIRMED if data["is_fake"] else Kind.FAKE_DISMISSED
        if timeline.of(activity).filter(kind=kind, data__review=data["review"]).exists():
            return  # applied already
        reporters = list(activity.reports.values_list("reporter_id", flat=True))
        if data["is_fake"]:
            apply_fake(activity, at=outbox.moment(data["decided_at"]))
        record(activity, kind, activity=activity, review=data["review"], note=data["note"])
        tell_later(
            reporters,
            "activity_report_confirmed" if data["is_fake"] else "activity_report_dismissed",
            activity,
            note=data["note"],
        )


def apply_fake(activity: Activity, *, at: datetime) -> None:
    """Mark the (locked) activity fake, and take back its count for the index."""
    from .services import uncount

    if activity.fake_confirmed_at is not None:
        return
    activity.fake_confirmed_at = at
    activity.save(update_fields=["fake_confirmed_at"])
    uncount(activity)
    campaigns.list_activity(activity)


# ---------------------------------------------------------------- as a case of casework


def _record_on_review(review: FakeReview, kind: str, *, actor=None, **data):
    return timeline.record(
        review,
        kind,
        actor=actor,
        state=review.state,
        category=str(review.category_id),
        data={"activity": review.activity_id, "from": review.source_committee, **data},
    )


def _notify_reviewers(users, review: FakeReview, kind: str, **data) -> None:
    notify(
        users,
        kind,
        committee=outbox.current_committee(),
        link=reverse("activities:reviews"),
        title=review.title,
        **data,
    )


CASE_TYPE = cases.CaseType(
    subject_type="activities.fakereview",
    model=FakeReview,
    kinds=cases.Kinds(
        overdue=Kind.REVIEW_OVERDUE, escalated=Kind.REVIEW_ESCALATED, urged=Kind.REVIEW_URGED
    ),
    waiting=lambda: FakeReview.objects.filter(state=State.OPEN),
    record=_record_on_review,
    notify_staff=_notify_reviewers,
    title=lambda review: review.title,
    link=lambda review: reverse("activities:reviews"),
)
