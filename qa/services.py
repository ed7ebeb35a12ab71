"""Write paths of the question loop: 收集梳理 → 筛选分类 → 转接督办 → 反馈归档.

Every change is recorded in the question's timeline in the same transaction (``record``).
A question transferred to another committee is kept in step on both sides by mirroring
its events through the outbox (``casework.transfer``, ``qa.transfers``).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import timeline
from casework import cases, deadlines, moderation, routing, supervision
from casework import transfer as moving
from casework.models import LocalCategory, Member, Team
from core import access
from core.errors import ServiceError, checked_text
from core.images import read_raster
from core.models import Role
from core.notifications import notify
from franchise import classifier
from franchise.models import Category, TrainingExample
from franchise.privacy import mask_personal_data
from ratings import services as ratings
from reactions import services as reactions
from similarity.documents import search_vector
from tenants import outbox
from tenants.models import Committee
from timeline.models import Event

from . import selectors, transfers
from .models import Attachment, Question, QuestionEvent, Reply

TITLE_MAX = 100
BODY_MAX = 5000
Kind = QuestionEvent
State = Question.State


# ---------------------------------------------------------------- the timeline


def record(
    question: Question, kind: str, *, actor=None, reply: Reply | None = None, **data
) -> Event:
    """Append an event to the question's timeline (call inside the changing transaction).
    On a transferred question the event is also sent to the other committee."""
    event = timeline.record(
        question,
        kind,
        actor=actor,
        state=question.state,
        category=question.category_id,
        youth=question.asker_id,
        topic=question.title if kind == Kind.ASKED else "",
        data=data,
    )
    if not moving.is_mirrored(data):
        moving.mirror(CASE_TYPE, question, event, {"reply": transfers.reply_payload(reply)})
    if question.escalated_at and kind in (Kind.ANSWERED, Kind.CLOSED) and not question.is_open:
        _clear_supervision(question)
    return event


def _here() -> Committee:
    return outbox.current_committee()


def _title(question: Question) -> str:
    return mask_personal_data(question.title)


def _link(question: Question) -> str:
    return reverse("qa:question", args=[question.pk])


def _workbench_link(question: Question) -> str:
    return reverse("qa:handle", args=[question.pk])


def notify_asker(question: Question, kind: str, **data) -> None:
    """Tell the asker, on the portal where they asked (a copy transferred in stays quiet:
    the original, which mirrors this change, tells them)."""
    if question.is_transferred_in:
        return
    notify(
        [question.asker_id],
        kind,
        committee=_here(),
        link=_link(question),
        title=_title(question),
        **data,
    )


def notify_staff(users, question: Question, kind: str, **data) -> None:
    notify(
        users,
        kind,
        committee=_here(),
        link=_workbench_link(question),
        title=_title(question),
        **data,
    )


def _locked(question: Question) -> Question:
    """The question re-read under a row lock: two staff acting at once act one by one."""
    return Question.objects.select_for_update().get(pk=question.pk)


# ---------------------------------------------------------------- asking


def _check_images(files) -> list[tuple[bytes, str, str]]:
    """(content, MIME type, extension) of each uploaded image, or a refusal."""
    files = list(files or [])
    if len(files) > settings.ATTACHMENTS_PER_QUESTION:
        raise ServiceError(
            "too_many_files",
            _("Attach at most %(n)s images.") % {"n": settings.ATTACHMENTS_PER_QUESTION},
            field="attachments",
        )
    checked = []
    for upload in files:
        if upload.size > settings.ATTACHMENT_MAX_BYTES:
            raise ServiceError(
                "file_too_large", _("Each image must be under 5 MB."), field="attachments"
            )
        image = read_raster(upload)
        if image is None:
            raise ServiceError(
                "invalid_file", _("Attach JPEG, PNG, GIF or WebP images."), field="attachments"
            )
        checked.append((image.content, image.content_type, image.extension))
    return checked


def ask_question(
    *,
    asker,
    title: str,
    body: str = "",
    category: str | None = None,
    is_anonymous: bool = False,
    is_public: bool = True,
    attachments=(),
    offered: int | None = None,
    designated: Team | None = None,
) -> Question:
    """A youth asks. ``category`` is a standard code or one of this committee's local
    sub-categories; without it the classifier chooses. A sensitive term holds the question
    for review; otherwise it is routed at once, to ``designated`` when the youth asked a
    team (a youth home's staff: the caller checks the youth may ask it), else by the rules.
    ``offered`` is the answered question whose answer the youth was offered as the same
    question and asked anyway: the timeline's ``asked`` event notes it (an id that is no
    question here is left out)."""
    title = checked_text(
        title, field="title", limit=TITLE_MAX, required=_("A question needs a title.")
    )
    body = (body or "").strip()
    if len(body) > BODY_MAX:
        raise ServiceError("too_long", _("Keep the details under 5,000 characters."), field="body")
    local = None
    if category:
        local = LocalCategory.objects.filter(code=category, is_active=True).first()
        if local is None and not Category.objects.filter(code=category).exists():
            raise ServiceError("invalid_category", _("Unknown category."), field="category")
    images = _check_images(attachments)
    suggestion = classifier.suggest(title, body)
    held_for = moderation.screen(title, body)
    with transaction.atomic():
        question = Question.objects.create(
            asker=asker,
            title=title,
            body=body,
            category_id=local.standard_id if local else (category or suggestion.category),
            local_category=local,
            suggested_category=suggestion.category,
            suggested_confidence=suggestion.confidence,
            is_anonymous=is_anonymous,
            is_public=is_public,
            state=State.PENDING_REVIEW if held_for else State.NEW,
            held_for=held_for,
            search=search_vector(title, body),
            designated=designated,
        )
        for content, content_type, extension in images:
            attachment = Attachment(question=question, content_type=content_type, size=len(content))
            attachment.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=True)
        record(
            question,
            Kind.ASKED,
            actor=asker,
            suggested=suggestion.category,
            confidence=suggestion.confidence,
            chosen_by_asker=bool(category),
            **_offered(offered),
        )
        if held_for:
            record(question, Kind.HELD, terms=held_for)
        else:
            open_question(question)
    return question


def _offered(offered: int | None) -> dict[str, Any]:
    if offered is None or not Question.objects.filter(pk=offered).exists():
        return {}
    return {"offered": offered}


def take_existing_answer(*, question: Question, youth=None) -> tuple[Event, bool]:
    """A youth about to ask what ``question`` already asked takes its answer instead of
    asking (a deflection): recorded on ``question``'s timeline, with the youth as actor when
    signed in. ``question`` must be published with a published answer. A signed-in youth's
    deflection of one question is recorded once, however often they take it: (the event,
    whether it was recorded now)."""
    if selectors.answered_question(question.pk) is None:
        raise ServiceError(
            "not_answered", _("This question has no published answer to take."), field="question"
        )
    actor = youth if getattr(youth, "is_authenticated", False) else None
    with transaction.atomic():
        question = _locked(question)
        if actor is not None:
            taken = question.timeline.filter(kind=Kind.DEFLECTED, actor_id=actor.pk).first()
            if taken is not None:
                return taken, False
        return record(question, Kind.DEFLECTED, actor=actor), True


# ---------------------------------------------------------------- deadlines and routing


def open_question(question: Question) -> None:
    """A question is let in: its deadlines start and it goes to the team the youth asked,
    else by the rules."""
    deadlines.start_clock(question)
    question.save(update_fields=["respond_by", "resolve_by", "overdue_at", "updated_at"])
    found = routing.destination(question)
    if found is not None:  # else it waits in triage
        team, strategy, rule = found
        why = {"rule": rule.pk} if rule is not None else {"designated": True}
        _route(question, team=team, assignee=routing.pick_member(team, strategy), **why)


def route_by_rules(question: Question, *, actor=None) -> Question:
    """Send the question to the team its category's rule names; without a rule it waits in
    the triage queue."""
    rule = routing.rule_for(
        category=question.category_id, local_category=question.local_category_id
    )
    if rule is None:
        if question.team_id or question.state != State.NEW:
            question.team, question.assignee, question.state = None, None, State.NEW
            question.save(update_fields=["team", "assignee", "state", "updated_at"])
        return question
    assignee = routing.pick_member(rule.team, rule.strategy)
    return _route(question, team=rule.team, assignee=assignee, actor=actor, rule=rule.pk)


def _route(
    question: Question, *, team: Team, assignee: Member | None, actor=None, **data
) -> Question:
    question.team = team
    question.assignee_id = assignee.user_id if assignee else None
    question.state = State.ROUTED
    question.save(update_fields=["team", "assignee", "state", "updated_at"])
    if assignee is not None:
        routing.took_turn(team, assignee.user_id)
    record(
        question,
        Kind.ROUTED,
        actor=actor,
        team=team.name,
        assignee=question.assignee_id,
        **data,
    )
    notify_asker(question, "routed", team=team.name)
    if assignee is not None:
        notify_staff([assignee.user_id], question, "assigned")
    else:
        notify_staff(routing.team_members(team.pk), question, "queued", team=team.name)
    return question


# ---------------------------------------------------------------- staff actions


def require_open(question: Question) -> None:
    moving.require_here(question)
    if question.state not in (State.NEW, State.ROUTED):
        raise ServiceError("not_open", _("This question is not waiting for staff."), status=409)


def route(*, question: Question, actor, team, assignee=None) -> Question:
    """Re-route (转接) within the committee: to ``team``, to one of its members or its queue."""
    team = routing.active_team(team)
    with transaction.atomic():
        question = _locked(question)
        require_open(question)
        member = None
        if assignee is not None:
            member = routing.member(team, assignee)
            if member is None:
                raise ServiceError(
                    "not_a_member", _("The assignee is not in that team."), field="assignee"
                )
        return _route(question, team=team, assignee=member, actor=actor)


def claim(*, question: Question, user) -> Question:
    """A member takes a question from the team's queue."""
    with transaction.atomic():
        question = _locked(question)
        require_open(question)
        if question.team_id is None:
            raise ServiceError("not_routed", _("Route the question to a team first."), status=409)
        if not routing.may_work_on(user, question.team):
            raise ServiceError(
                "not_a_member", _("Only the team's members may claim it."), status=403
            )
        if question.assignee_id == user.pk:
            return question
        question.assignee = user
        question.save(update_fields=["assignee", "updated_at"])
        routing.took_turn(question.team_id, user.pk)
        record(question, Kind.ASSIGNED, actor=user, assignee=user.pk, claimed=True)
    return question


def assign(*, question: Question, actor, assignee) -> Question:
    """A cadre, an admin or the team's supervisor hands a question to a team member."""
    with transaction.atomic():
        question = _locked(question)
        require_open(question)
        team = question.team
        if team is None:
            raise ServiceError("not_routed", _("Route the question to a team first."), status=409)
        if not routing.may_assign(actor, team):
            raise ServiceError(
                "forbidden", _("Only a cadre or the supervisor assigns."), status=403
            )
        user_id = getattr(assignee, "pk", assignee)
        if routing.member(team, user_id) is None:
            raise ServiceError(
                "not_a_member", _("The assignee is not in that team."), field="assignee"
            )
        question.assignee_id = user_id
        question.save(update_fields=["assignee", "updated_at"])
        record(question, Kind.ASSIGNED, actor=actor, assignee=user_id)
        notify_staff([user_id], question, "assigned")
    return question


def reclassify(*, question: Question, actor, category: str) -> Question:
    """Staff correct the category (a standard code or a local sub-category). The correction
    is a labelled example for the next training run; a question still in triage is then
    routed by the new category's rule."""
    local = LocalCategory.objects.filter(code=category, is_active=True).first()
    standard = local.standard_id if local else category
    if local is None and not Category.objects.filter(code=category).exists():
        raise ServiceError("invalid_category", _("Unknown category."), field="category")
    with transaction.atomic():
        question = _locked(question)
        moving.require_here(question)
        before = question.category_id
        question.category_id, question.local_category = standard, local
        question.save(update_fields=["category", "local_category", "updated_at"])
        record(
            question,
            Kind.CLASSIFIED,
            actor=actor,
            before=before,
            local=local.code if local else "",
        )
        if before != standard:
            TrainingExample.objects.create(
                title=question.title,
                body=question.body,
                category_id=standard,
                committee_code=_here().code,
            )
        if question.state == State.NEW and question.team_id is None:
            route_by_rules(question, actor=actor)
    return question


def transfer(*, question: Question, actor, to: str, note: str = "") -> Question:
    """Transfer (转接) to another committee: it joins that committee's queue with its
    timeline; the asker keeps following it here."""
    return moving.transfer(CASE_TYPE, question, actor=actor, to=to, note=note)


# ---------------------------------------------------------------- replies


def _answerer(user, question: Question) -> tuple[str, str]:
    """(author kind, organisation) of ``user`` answering here."""
    here = _here()
    if question.team_id:
        member = routing.member(question.team_id, user)
        if member is not None:
            return member.kind, member.organisation or here.title
    grant = access.access_to(user, here)
    if grant.has(Role.Kind.CADRE, Role.Kind.ADMIN):
        return Reply.AuthorKind.CADRE, here.title
    if grant.has(Role.Kind.EXPERT):
        return Reply.AuthorKind.EXPERT, ""
    if grant.has(Role.Kind.ORG_MEMBER):
        return Reply.AuthorKind.ORGANISATION, ""
    return Reply.AuthorKind.PEER, ""


def answer(*, question: Question, author, body: str) -> Reply:
    """An answer. Staff answer questions waiting here (it becomes answered); any other youth
    may add a peer answer (青帮青) to a public question. Both are screened like questions."""
    body = checked_text(body, field="body", limit=BODY_MAX, required=_("Write an answer."))
    kind, organisation = _answerer(author, question)
    held_for = moderation.screen(body)
    with transaction.atomic():
        question = _locked(question)
        if kind == Reply.AuthorKind.PEER:
            if question.asker_id == author.pk:
                raise ServiceError("own_question", _("Use a follow-up on your own question."))
            if not question.is_public or question.state in (State.NEW, State.PENDING_REVIEW):
                raise ServiceError("not_open", _("This question takes no answers."), status=409)
        else:
            moving.require_here(question)
            if question.state in (State.PENDING_REVIEW, State.CLOSED):
                raise ServiceError("not_open", _("This question takes no answers."), status=409)
        reply = Reply.objects.create(
            question=question,
            author=author,
            author_kind=kind,
            organisation=organisation,
            body=body,
            state=Reply.State.PENDING_REVIEW if held_for else Reply.State.PUBLISHED,
            held_for=held_for,
        )
        if held_for:
            record(
                question, Kind.HELD, actor=author, reply=reply, terms=held_for, reply_id=reply.pk
            )
        else:
            _publish(question, reply)
    return reply


def _publish(question: Question, reply: Reply) -> None:
    """A reply goes public: an answer by staff answers the question; a follow-up reopens it."""
    if reply.kind == Reply.Kind.FOLLOW_UP:
        if reopen(question):
            question.save(
                update_fields=["state", "respond_by", "resolve_by", "overdue_at", "updated_at"]
            )
            record(question, Kind.REOPENED, actor=reply.author_id, reply=reply, reply_id=reply.pk)
        else:
            record(
                question, Kind.FOLLOWED_UP, actor=reply.author_id, reply=reply, reply_id=reply.pk
            )
        staff = [question.assignee_id] if question.assignee_id else []
        if not staff and question.team_id:
            staff = routing.team_members(question.team_id)
        notify_staff(staff, question, "follow_up")
        return
    by_staff = reply.author_kind != Reply.AuthorKind.PEER
    first = {}
    if by_staff and question.state in (State.NEW, State.ROUTED):
        question.state = State.ANSWERED
        if question.first_answered_at is None:
            question.first_answered_at = reply.created_at
            waited = question.first_answered_at - question.created_at
            first = {"first": True, "response_s": max(0, int(waited.total_seconds()))}
        question.save(update_fields=["state", "first_answered_at", "updated_at"])
    record(
        question,
        Kind.ANSWERED,
        actor=reply.author_id,
        reply=reply,
        reply_id=reply.pk,
        by=reply.author_kind,
        **first,
    )
    notify_asker(question, "answered")


def reopen(question: Question) -> bool:
    """Send an answered or solved question back to its team's queue (triage without one)
    with fresh deadlines; whether it was reopened. The caller saves it."""
    if question.state not in (State.ANSWERED, State.SOLVED):
        return False
    question.state = State.ROUTED if question.team_id else State.NEW
    if question.is_open:
        deadlines.start_clock(question, reopened=True)
    return True


def follow_up(*, question: Question, asker, body: str) -> Reply:
    """The asker asks more: the question goes back to its team's queue."""
    body = checked_text(body, field="body", limit=BODY_MAX, required=_("Write your follow-up."))
    if question.asker_id != asker.pk:
        raise ServiceError("not_asker", _("Only the asker may follow up."), status=403)
    held_for = moderation.screen(body)
    with transaction.atomic():
        question = _locked(question)
        if question.state in (State.PENDING_REVIEW, State.CLOSED):
            raise ServiceError("not_open", _("This question takes no follow-ups."), status=409)
        reply = Reply.objects.create(
            question=question,
            kind=Reply.Kind.FOLLOW_UP,
            author=asker,
            author_kind=Reply.AuthorKind.ASKER,
            body=body,
            state=Reply.State.PENDING_REVIEW if held_for else Reply.State.PUBLISHED,
            held_for=held_for,
        )
        if held_for:
            record(question, Kind.HELD, actor=asker, reply=reply, terms=held_for, reply_id=reply.pk)
        else:
            _publish(question, reply)
    return reply


def dislike(*, reply: Reply, user) -> Reply:
    """The asker marks an answer unhelpful (the dislike button)."""
    with transaction.atomic():
        question = _locked(reply.question)
        if question.asker_id != user.pk:
            raise ServiceError("not_asker", _("Only the asker may mark answers."), status=403)
        if reply.kind != Reply.Kind.ANSWER or reply.state != Reply.State.PUBLISHED:
            raise ServiceError("not_an_answer", _("Only published answers can be marked."))
        if not reply.is_unhelpful:
            reply.is_unhelpful = True
            reply.save(update_fields=["is_unhelpful"])
            record(question, Kind.DISLIKED, actor=user, reply_ref=reply_ref(reply))
    return reply


def reply_ref(reply: Reply) -> str:
    """The reply's name on every committee that holds it."""
    return reply.origin_ref or f"{_here().code}:{reply.pk}"


# ---------------------------------------------------------------- closing the loop


def solve(*, question: Question, asker) -> Question:
    """The asker says the answer solved it."""
    with transaction.atomic():
        question = _locked(question)
        if question.asker_id != asker.pk:
            raise ServiceError("not_asker", _("Only the asker may mark it solved."), status=403)
        if question.state != State.ANSWERED:
            raise ServiceError(
                "not_answered", _("Only an answered question can be solved."), status=409
            )
        question.state, question.solved_at = State.SOLVED, timezone.now()
        question.save(update_fields=["state", "solved_at", "updated_at"])
        record(question, Kind.SOLVED, actor=asker)
    return question


def rate(*, question: Question, rater, stars: int, comment: str = "") -> Question:
    """The asker rates the help they got (once)."""
    with transaction.atomic():
        question = _locked(question)
        ratings.rate(rater=rater, subject=question, stars=stars, comment=comment)
    return question


def close(*, question: Question, actor, reason: str = "") -> Question:
    """Staff close a question that needs nothing more (a duplicate, no reply from the asker)."""
    with transaction.atomic():
        question = _locked(question)
        moving.require_here(question)
        if question.state == State.CLOSED:
            return question
        question.state = State.CLOSED
        question.save(update_fields=["state", "updated_at"])
        record(question, Kind.CLOSED, actor=actor, reason=reason[:500])
        notify_asker(question, "closed")
    return question


def hand_off(*, question: Question, actor, case_id: int, link: str) -> Question:
    """The question needs help offline and goes on as a help case (``link`` its page): it
    leaves the queue, and its page and timeline lead the asker there (call inside the
    transaction that made the case)."""
    question = _locked(question)
    require_open(question)
    question.state = State.CLOSED
    question.save(update_fields=["state", "updated_at"])
    record(question, Kind.HANDED_OFF, actor=actor, help_case=case_id, link=link)
    notify_asker(question, "handed_off")
    return question


# ---------------------------------------------------------------- moderation


def release(*, question: Question | None = None, reply: Reply | None = None, actor) -> None:
    """A reviewer lets a held question or reply through."""
    with transaction.atomic():
        if reply is not None:
            question = _locked(reply.question)
            reply = Reply.objects.select_for_update().get(pk=reply.pk)
            if reply.state != Reply.State.PENDING_REVIEW:
                raise ServiceError("not_held", _("This is not waiting for review."), status=409)
            reply.state = Reply.State.PUBLISHED
            reply.save(update_fields=["state"])
            record(question, Kind.RELEASED, actor=actor, reply_id=reply.pk)
            _publish(question, reply)
            return
        assert question is not None
        question = _locked(question)
        if question.state != State.PENDING_REVIEW:
            raise ServiceError("not_held", _("This is not waiting for review."), status=409)
        question.state = State.NEW
        question.save(update_fields=["state", "updated_at"])
        record(question, Kind.RELEASED, actor=actor)
        notify_asker(question, "released")
        open_question(question)


def reject(
    *, question: Question | None = None, reply: Reply | None = None, actor, reason: str = ""
) -> None:
    """A reviewer refuses a held question (closed and never public) or reply."""
    with transaction.atomic():
        if reply is not None:
            question = _locked(reply.question)
            reply = Reply.objects.select_for_update().get(pk=reply.pk)
            if reply.state != Reply.State.PENDING_REVIEW:
                raise ServiceError("not_held", _("This is not waiting for review."), status=409)
            reply.state = Reply.State.REJECTED
            reply.save(update_fields=["state"])
            record(question, Kind.REJECTED, actor=actor, reply_id=reply.pk, reason=reason[:500])
            return
        assert question is not None
        question = _locked(question)
        if question.state != State.PENDING_REVIEW:
            raise ServiceError("not_held", _("This is not waiting for review."), status=409)
        question.state, question.is_public = State.CLOSED, False
        question.save(update_fields=["state", "is_public", "updated_at"])
        record(question, Kind.REJECTED, actor=actor, reason=reason[:500])
        notify_asker(question, "rejected")


# ---------------------------------------------------------------- supervision (督办)


def answerers(question: Question) -> set[int]:
    """The accounts whose published answers the asker rates: staff, not fellow youths."""
    return set(
        question.replies.filter(kind=Reply.Kind.ANSWER, state=Reply.State.PUBLISHED)
        .exclude(author_kind__in=(Reply.AuthorKind.PEER, Reply.AuthorKind.ASKER))
        .values_list("author_id", flat=True)
    )


RATEABLE = ratings.Rateable(
    served=lambda question: {question.asker_id},
    is_ready=lambda question: question.state in (State.ANSWERED, State.SOLVED),
    kind=Kind.RATED,
    record=record,
    handlers=lambda question: {question.assignee_id} - {None},
    term="answers",
    credited=lambda question: answerers(question) or {question.assignee_id} - {None},
)

REACTABLE = reactions.Reactable(
    kinds=frozenset({reactions.Kind.LIKE, reactions.Kind.ROAST}),
    authors=lambda question: {question.asker_id},
    record=record,
    is_shown=selectors.is_published,
)
# Answers: other youths mark them helpful; anyone may say one did not help (the asker's own
# dislike is ``Reply.is_unhelpful``, kept with the question).
REPLY_REACTABLE = reactions.Reactable(
    kinds=frozenset({reactions.Kind.HELPFUL, reactions.Kind.DISLIKE}),
    authors=lambda reply: {reply.author_id},
    record=lambda reply, kind, *, actor, **data: record(
        reply.question, kind, actor=actor, reply=reply, **data
    ),
    is_shown=lambda reply: (
        reply.kind == Reply.Kind.ANSWER
        and reply.state == Reply.State.PUBLISHED
        and selectors.is_published(reply.question)
    ),
)

CASE_TYPE = cases.CaseType(
    subject_type="qa.question",
    model=Question,
    kinds=cases.Kinds(
        overdue=Kind.OVERDUE,
        escalated=Kind.ESCALATED,
        urged=Kind.URGED,
        transferred_out=Kind.TRANSFERRED_OUT,
        transferred_in=Kind.TRANSFERRED_IN,
    ),
    waiting=selectors.waiting,
    record=record,
    notify_staff=notify_staff,
    title=_title,
    link=_workbench_link,
    transfers=transfers.TRANSFERS,
    referable=cases.Referable(
        youth=lambda question: question.asker_id,
        page=_link,
        thread=lambda question: mask_personal_data(f"{question.title}\n{question.body}".strip()),
    ),
)


def _clear_supervision(question: Question) -> None:
    supervision.cleared(CASE_TYPE, question)
