"""Suggestions through 吐槽我们: submitted by a youth, answered by the committee's cadres and
admins, adopted with what changed, and listed in the weekly announcement.

A suggestion is a case of ``casework``: its first answer is due on the committee's calendar
(the "other" category's windows); unanswered past it, it is flagged overdue, and past its
resolution window it goes on the committee above's supervision board until answered.

A suggestion about the platform as a whole goes to the central office through the outbox:
its copy there is the central office's case, and the answer and the change come back to
the youth's portal (mirrored, so each is counted once, where it happened).

Every Monday from 09:00 (``announce``, run hourly by beat in every committee) the committee
publishes a notice of what it adopted the week before, once a week, and tells each youth
whose suggestion is in it; a week with nothing adopted has no notice."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import timeline
from casework import cases, deadlines, routing, supervision
from core import access
from core.errors import ServiceError, checked_text
from core.models import Role
from core.notifications import notify
from portal import services as notices
from portal.presenters import excerpt
from tenants import outbox
from tenants.models import OutboxMessage

from .models import (
    ANSWER_MAX,
    BODY_MAX,
    CHANGE_MAX,
    Announcement,
    Suggestion,
    SuggestionEvent,
)

Kind = SuggestionEvent
State = Suggestion.State
ANNOUNCE_FROM_HOUR = 9  # on Monday, local time
TITLE_CHARS = 40  # of the suggestion, in notifications and on the supervision board
ANSWER_IN_NOTICE_CHARS = 80  # of the answer, in the youth's notification


def may_handle(user) -> bool:
    """The committee's cadres and admins answer and adopt suggestions."""
    grant = access.access_to(user, outbox.current_committee())
    return grant.can_write and grant.has(Role.Kind.CADRE, Role.Kind.ADMIN)


def _refuse_unless_handler(user) -> None:
    if not may_handle(user):
        raise ServiceError(
            "forbidden", _("Only the committee's cadres and admins do this."), status=403
        )


def record(suggestion: Suggestion, kind: str, *, actor=None, **data):
    return timeline.record(
        suggestion,
        kind,
        actor=actor,
        state=suggestion.state,
        category=str(suggestion.category_id),
        youth=suggestion.youth_id,
        data=data,
    )


def title_of(suggestion: Suggestion) -> str:
    return excerpt(suggestion.body, TITLE_CHARS)


def _staff_link(suggestion: Suggestion) -> str:
    return reverse("suggestions:workbench") + f"#suggestion-{suggestion.pk}"


def _for_staff(suggestion: Suggestion) -> dict:
    """Where staff's notifications of ``suggestion`` point and what they call it."""
    return {
        "committee": outbox.current_committee(),
        "link": _staff_link(suggestion),
        "title": title_of(suggestion),
    }


def notify_staff(users, suggestion: Suggestion, kind: str, **data) -> None:
    notify(users, kind, **_for_staff(suggestion), **data)


def _locked_here(suggestion: Suggestion) -> Suggestion:
    """The suggestion under a row lock; refused if it was sent to the central office."""
    found = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if found.transferred_to:
        raise ServiceError("sent_up", _("The central office answers this suggestion."), status=409)
    return found


def _root_code() -> str:
    here = outbox.current_committee()
    return (here.ancestor_codes or [here.code])[0]


def _tell_admins(suggestion: Suggestion) -> None:
    # Made now: the commit may come back in another schema (the outbox's delivery).
    told = partial(notify, routing.admins(), "suggestion_received", **_for_staff(suggestion))
    transaction.on_commit(told, robust=True)


def submit(*, youth, body: str, about: str = Suggestion.About.COMMITTEE) -> Suggestion:
    """``youth`` tells the committee (or, ``about`` the platform, the central office) what
    is wrong or could be better; the admins who answer for it are told."""
    body = checked_text(
        body, field="body", limit=BODY_MAX, required=_("Say what you want to tell us.")
    )
    if about not in Suggestion.About.values:
        raise ServiceError("invalid", _("Say what it is about."), field="about")
    root = _root_code()
    sent_up = about == Suggestion.About.PLATFORM and root != outbox.current_committee_code()
    with transaction.atomic():
        suggestion = Suggestion(youth=youth, body=body, about=about)
        if sent_up:
            suggestion.transferred_to = root  # the central office answers it
        else:
            deadlines.start_clock(suggestion)
        suggestion.save()
        record(suggestion, Kind.SUBMITTED, actor=youth, about=about)
        if sent_up:
            outbox.send(
                "suggestions.platform",
                receiver=root,
                payload={"id": suggestion.pk, "youth": youth.pk, "body": body},
            )
        else:
            _tell_admins(suggestion)
    return suggestion


@outbox.handles("suggestions.platform")
def platform_in(message: OutboxMessage) -> None:
    """A suggestion about the platform from a portal below: the central office's case."""
    data = message.payload
    with transaction.atomic():
        copy, made = Suggestion.objects.get_or_create(
            origin_committee=message.sender,
            origin_id=data["id"],
            defaults={
                "youth_id": data["youth"],
                "body": data["body"],
                "about": Suggestion.About.PLATFORM,
            },
        )
        if not made:
            return  # applied already
        deadlines.start_clock(copy)
        copy.save()
        record(copy, Kind.SUBMITTED, mirrored_from=message.sender, about=copy.about)
        _tell_admins(copy)


def _send_back(suggestion: Suggestion) -> None:
    """The central office's answer or change to a suggestion from below, to its portal."""
    if suggestion.origin_id is None:
        return
    outbox.send(
        "suggestions.reply",
        receiver=suggestion.origin_committee,
        payload={
            "id": suggestion.origin_id,
            "state": suggestion.state,
            "answer": suggestion.answer,
            "answered_at": suggestion.answered_at.isoformat() if suggestion.answered_at else "",
            "change": suggestion.change,
            "adopted_at": suggestion.adopted_at.isoformat() if suggestion.adopted_at else "",
        },
    )


@outbox.handles("suggestions.reply")
def reply_in(message: OutboxMessage) -> None:
    """The central office answered, or adopted, a suggestion written here."""
    data = message.payload
    with transaction.atomic():
        suggestion = Suggestion.objects.select_for_update().filter(pk=data["id"]).first()
        if suggestion is None or suggestion.state == data["state"]:
            return  # gone, or applied already
        first_answer = suggestion.state == State.OPEN
        suggestion.state, suggestion.answer = data["state"], data["answer"]
        suggestion.change = data["change"]
        suggestion.answered_at = outbox.moment(data["answered_at"]) if data["answered_at"] else None
        suggestion.adopted_at = outbox.moment(data["adopted_at"]) if data["adopted_at"] else None
        suggestion.save()
        kind = Kind.ADOPTED if suggestion.state == State.ADOPTED else Kind.ANSWERED
        record(suggestion, kind, mirrored_from=message.sender)
        if first_answer:
            _tell_answered(suggestion)


def _tell_answered(suggestion: Suggestion) -> None:
    transaction.on_commit(
        partial(
            notify,
            [suggestion.youth_id],
            "suggestion_answered",
            committee=outbox.current_committee(),
            link=reverse("suggestions:roast") + f"#suggestion-{suggestion.pk}",
            answer=excerpt(suggestion.answer, ANSWER_IN_NOTICE_CHARS),
        ),
        robust=True,
    )


def answer(*, suggestion: Suggestion, actor, text: str) -> Suggestion:
    """Answer the youth (once); it clears the suggestion from any board above."""
    _refuse_unless_handler(actor)
    text = checked_text(text, field="answer", limit=ANSWER_MAX, required=_("Write the answer."))
    with transaction.atomic():
        suggestion = _locked_here(suggestion)
        if suggestion.state != State.OPEN:
            raise ServiceError("answered", _("This suggestion was answered already."), status=409)
        now = timezone.now()
        suggestion.state, suggestion.answer = State.ANSWERED, text
        suggestion.answered_by, suggestion.answered_at = actor, now
        suggestion.save()
        record(
            suggestion,
            Kind.ANSWERED,
            actor=actor,
            seconds=int((now - suggestion.created_at).total_seconds()),
        )
        if suggestion.escalated_at:
            supervision.cleared(CASE_TYPE, suggestion)
        if suggestion.origin_id is None:
            _tell_answered(suggestion)
        _send_back(suggestion)  # its portal tells the youth
    return suggestion


def adopt(*, suggestion: Suggestion, actor, change: str) -> Suggestion:
    """Mark an answered suggestion adopted, saying what changed: it goes in the next weekly
    announcement."""
    _refuse_unless_handler(actor)
    change = checked_text(
        change, field="change", limit=CHANGE_MAX, required=_("Say what was changed.")
    )
    with transaction.atomic():
        suggestion = _locked_here(suggestion)
        if suggestion.state == State.OPEN:
            raise ServiceError(
                "not_answered", _("Answer the youth before adopting it."), status=409
            )
        if suggestion.state == State.ADOPTED:
            raise ServiceError("adopted", _("This suggestion was adopted already."), status=409)
        suggestion.state, suggestion.change = State.ADOPTED, change
        suggestion.adopted_by, suggestion.adopted_at = actor, timezone.now()
        suggestion.save()
        record(suggestion, Kind.ADOPTED, actor=actor, change=change)
        _send_back(suggestion)
    return suggestion


# ---------------------------------------------------------------- the weekly announcement


def week_start(moment: datetime) -> date:
    """The Monday of the (local) week ``moment`` falls in."""
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def announce(*, now: datetime | None = None) -> Announcement | None:
    """Publish last week's announcement if it is due and not published yet: from Monday
    09:00, the changes adopted before this week began that no announcement listed, as one
    notice; each of their youths is told. None when nothing is due."""
    now = now or timezone.now()
    this_week = week_start(now)
    local = timezone.localtime(now)
    if local.date() == this_week and local.hour < ANNOUNCE_FROM_HOUR:
        return None
    last_week = this_week - timedelta(days=7)
    with transaction.atomic():
        if Announcement.objects.filter(week=last_week).exists():
            return None
        adopted = list(
            Suggestion.objects.select_for_update()
            .filter(state=State.ADOPTED, announcement=None, adopted_at__lt=_midnight(this_week))
            .order_by("adopted_at", "pk")
        )
        if not adopted:
            return None
        end = this_week - timedelta(days=1)
        notice = notices.post_notice(
            author=adopted[-1].adopted_by,
            title=_("What we changed from your suggestions, %(start)s to %(end)s")
            % {"start": f"{last_week:%m-%d}", "end": f"{end:%m-%d}"},
            body="\n".join(
                [_("We took up these suggestions from youths:")]
                + [f"· {s.change}" for s in adopted]
                + [_("Thank you. Keep telling us through “roast us”.")]
            ),
        )
        made = Announcement.objects.create(week=last_week, notice=notice)
        link = reverse("portal:notice", args=[notice.pk])
        for suggestion in adopted:
            suggestion.announcement = made
            suggestion.save(update_fields=["announcement", "updated_at"])
            record(suggestion, Kind.ANNOUNCED, notice=notice.pk)
            transaction.on_commit(
                partial(
                    notify,
                    [suggestion.youth_id],
                    "suggestion_announced",
                    committee=outbox.current_committee(),
                    link=link,
                    change=suggestion.change,
                ),
                robust=True,
            )
    return made


# ---------------------------------------------------------------- as a case of casework

CASE_TYPE = cases.CaseType(
    subject_type="suggestions.suggestion",
    model=Suggestion,
    kinds=cases.Kinds(overdue=Kind.OVERDUE, escalated=Kind.ESCALATED, urged=Kind.URGED),
    waiting=lambda: Suggestion.objects.filter(state=State.OPEN, transferred_to=""),
    record=record,
    notify_staff=notify_staff,
    title=title_of,
    link=_staff_link,
)
