"""Write paths of a help case: 线上接收诉求 → 线下核实分析 → 协调解决问题 → 及时反馈结果 →
接受青年评价.

Every change is recorded on the case's timeline in the same transaction (``record``). The
queue, the handler, the deadlines and supervision are casework's (``casework``); a case
designating an organisation goes to it. Collective demands are in ``helpcases.collective``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import timeline
from casework import cases, deadlines, moderation, routing, supervision, truth
from casework import transfer as moving
from casework.models import LocalCategory, Member, Team
from core.errors import ServiceError, checked_text
from core.notifications import notify
from franchise import classifier
from franchise.models import Category
from franchise.privacy import mask_personal_data
from ratings import services as ratings
from similarity.documents import search_vector
from tenants import outbox
from timeline.models import Event

from . import transfers
from .models import OPEN_STATES, Action, Evaluation, HelpCase, HelpEvent, Verification

Kind = HelpEvent
State = HelpCase.State

TITLE_MAX = 100
BODY_MAX = 5000
TEXT_MAX = 2000


# ---------------------------------------------------------------- the timeline and telling


def record(case: HelpCase, kind: str, *, actor=None, **data) -> Event:
    """Append an event to the case's timeline (inside the changing transaction)."""
    event = timeline.record(
        case,
        kind,
        actor=actor,
        state=case.state,
        category=case.category_id,
        youth=case.youth_id,
        topic=case.title if kind == Kind.RECEIVED else "",
        data=data,
    )
    if not moving.is_mirrored(data):
        moving.mirror(CASE_TYPE, case, event)
    if case.escalated_at and kind in RESOLVING and not case.is_open:
        supervision.cleared(CASE_TYPE, case)
    return event


RESOLVING = (Kind.RESOLVED, Kind.UNRESOLVED, Kind.CLOSED)


def _title(case: HelpCase) -> str:
    return mask_personal_data(case.title)


def _link(case: HelpCase) -> str:
    return reverse("helpcases:case", args=[case.pk])


def _workbench_link(case: HelpCase) -> str:
    return reverse("helpcases:handle", args=[case.pk])


def members(case: HelpCase) -> set[int]:
    """The youths the case serves: its youth and co-signers; for a collective demand, every
    grouped case's members and every grouped question's asker too."""
    people = {case.youth_id, *case.cosigners.values_list("youth_id", flat=True)}
    if case.is_collective:
        for grouped in case.grouped.all():
            people |= members(grouped)
        people |= set(case.questions.values_list("asker_id", flat=True))
    return people


def size(case: HelpCase) -> int:
    """How many youths share the need: it raises the case's priority."""
    return len(members(case))


def notify_members(case: HelpCase, kind: str, **data) -> None:
    notify(
        members(case),
        kind,
        committee=outbox.current_committee(),
        link=_link(case),
        title=_title(case),
        **data,
    )


def notify_staff(users, case: HelpCase, kind: str, **data) -> None:
    notify(
        users,
        kind,
        committee=outbox.current_committee(),
        link=_workbench_link(case),
        title=_title(case),
        **data,
    )


def _locked(case: HelpCase) -> HelpCase:
    return HelpCase.objects.select_for_update().get(pk=case.pk)


# ---------------------------------------------------------------- submitting


def designatable() -> Any:
    """The organisations a youth may ask to help."""
    return Team.objects.filter(kind=Team.Kind.ORGANISATION, is_listed=True, is_active=True)


def submit(
    *,
    youth,
    title: str,
    body: str = "",
    place: str = "",
    needed_by: date | None = None,
    contact: str = "",
    category: str | None = None,
    designated: int | Team | None = None,
    is_public: bool = False,
    question_id: int | None = None,
) -> HelpCase:
    """A youth asks for help. ``category`` is a standard code or a local sub-category's;
    without it the classifier chooses. ``designated`` is a listed organisation. A sensitive
    term holds the case for review; otherwise it is received and routed at once."""
    title = checked_text(
        title, field="title", limit=TITLE_MAX, required=_("Say what you need help with.")
    )
    body = checked_text(body, field="body", limit=BODY_MAX)
    place = checked_text(place, field="place", limit=200)
    contact = checked_text(contact, field="contact", limit=100)
    if needed_by is not None and needed_by < timezone.localdate():
        raise ServiceError("in_the_past", _("Choose a date from today on."), field="needed_by")
    local = None
    if category:
        local = LocalCategory.objects.filter(code=category, is_active=True).first()
        if local is None and not Category.objects.filter(code=category).exists():
            raise ServiceError("invalid_category", _("Unknown category."), field="category")
    organisation = None
    if designated is not None:
        organisation = designatable().filter(pk=getattr(designated, "pk", designated)).first()
        if organisation is None:
            raise ServiceError(
                "invalid_organisation",
                _("Choose one of the organisations listed here."),
                field="designated",
            )
    standard = (
        local.standard_id if local else (category or classifier.suggest(title, body).category)
    )
    held_for = moderation.screen(title, body, place)
    with transaction.atomic():
        case = HelpCase.objects.create(
            youth=youth,
            title=title,
            body=body,
            place=place,
            needed_by=needed_by,
            contact=contact,
            category_id=standard,
            local_category=local,
            designated=organisation,
            is_public=is_public,
            state=State.PENDING_REVIEW if held_for else State.RECEIVED,
            held_for=held_for,
            question_id=question_id,
            search=search_vector(title, body),
        )
        record(
            case,
            Kind.RECEIVED,
            actor=youth,
            designated=organisation.pk if organisation else None,
            from_question=question_id,
        )
        if held_for:
            record(case, Kind.HELD, terms=held_for)
        else:
            open_case(case)
    return case


def open_case(case: HelpCase) -> None:
    """The case is let in: its deadlines start, and it goes to the designated organisation,
    else by the routing rules; without either it waits in the triage queue."""
    deadlines.start_clock(case)
    case.save(update_fields=["respond_by", "resolve_by", "overdue_at", "updated_at"])
    found = routing.destination(case)
    if found is None:
        notify_staff(routing.cadres_and_admins(), case, "help_queued", team="")
        return
    team, strategy, _rule = found
    _route(case, team=team, member=routing.pick_member(team, strategy))


def _route(case: HelpCase, *, team: Team, member: Member | None, actor=None) -> None:
    case.team, case.assignee_id = team, member.user_id if member else None
    case.save(update_fields=["team", "assignee", "updated_at"])
    if member is not None:
        routing.took_turn(team, member.user_id)
        notify_staff([member.user_id], case, "help_assigned")
    else:
        notify_staff(routing.team_members(team.pk), case, "help_queued", team=team.name)
    record(case, Kind.ROUTED, actor=actor, team=team.name, assignee=case.assignee_id)
    notify_members(case, "help_routed", team=team.name)


def from_question(*, question, actor) -> HelpCase:
    """A question that needs help offline becomes a help case in one action: the asker's
    case, with the question's words and category, linked both ways; the question leaves
    the queue and its page leads the asker to the case."""
    from qa import services as questions

    if not routing.may_work_on(actor, question.team):
        raise ServiceError("forbidden", _("Only the question's handlers may do this."), status=403)
    with transaction.atomic():
        case = submit(
            youth=question.asker,
            title=question.title,
            body=question.body,
            category=question.local_category.code
            if question.local_category
            else question.category_id,
            question_id=question.pk,
        )
        questions.hand_off(question=question, actor=actor, case_id=case.pk, link=_link(case))
    return case


# ---------------------------------------------------------------- staff steps


def _require(case: HelpCase, user, *states: str) -> None:
    moving.require_here(case)
    if not routing.may_work_on(user, case.team):
        raise ServiceError("forbidden", _("Only the case's handlers may do this."), status=403)
    if case.state not in states:
        raise ServiceError("wrong_state", _("This case is not at that step."), status=409)


def _first_response(case: HelpCase, actor) -> dict[str, Any]:
    """The first time staff act on the case: its first-response time."""
    if case.first_response_at is not None:
        return {}
    case.first_response_at = timezone.now()
    waited = case.first_response_at - case.created_at
    return {"first": True, "response_s": max(0, int(waited.total_seconds()))}


def route(*, case: HelpCase, actor, team, assignee=None) -> HelpCase:
    """Pass the case to ``team`` (a member of it, or its queue)."""
    team = routing.active_team(team)
    with transaction.atomic():
        case = _locked(case)
        _require(case, actor, *OPEN_STATES)
        member = None
        if assignee is not None:
            member = routing.member(team, assignee)
            if member is None:
                raise ServiceError(
                    "not_a_member", _("The assignee is not in that team."), field="assignee"
                )
        _route(case, team=team, member=member, actor=actor)
    return case


def claim(*, case: HelpCase, user) -> HelpCase:
    with transaction.atomic():
        case = _locked(case)
        _require(case, user, *OPEN_STATES)
        if case.assignee_id != user.pk:
            case.assignee = user
            case.save(update_fields=["assignee", "updated_at"])
            record(case, Kind.ASSIGNED, actor=user, assignee=user.pk, claimed=True)
    return case


def start_verifying(*, case: HelpCase, actor) -> HelpCase:
    """Staff take the case up and begin the offline verification (线下核实)."""
    with transaction.atomic():
        case = _locked(case)
        _require(case, actor, State.RECEIVED)
        first = _first_response(case, actor)
        case.state = State.VERIFYING
        case.save(update_fields=["state", "first_response_at", "updated_at"])
        record(case, Kind.VERIFYING, actor=actor, **first)
        notify_members(case, "help_verifying")
    return case


def verify(
    *, case: HelpCase, actor, method: str, verified_on: date, findings: str, verdict: str
) -> Verification:
    """Record an offline verification: a genuine need goes on to coordination, one found not
    genuine is closed and the youth told why, one that needs more waits for it."""
    findings = checked_text(
        findings, field="findings", limit=TEXT_MAX, required=_("Write what you found.")
    )
    if method not in Verification.Method.values:
        raise ServiceError("invalid", _("Choose how it was verified."), field="method")
    if verdict not in Verification.Verdict.values:
        raise ServiceError("invalid", _("Choose a verdict."), field="verdict")
    if verified_on > timezone.localdate():
        raise ServiceError(
            "in_the_future", _("A verification is of a day past."), field="verified_on"
        )
    with transaction.atomic():
        case = _locked(case)
        _require(case, actor, State.RECEIVED, State.VERIFYING)
        first = _first_response(case, actor)
        verification = Verification.objects.create(
            case=case,
            method=method,
            verified_on=verified_on,
            findings=findings,
            verdict=verdict,
            staff=actor,
        )
        if verdict == Verification.Verdict.GENUINE:
            case.state = State.COORDINATING
        elif verdict == Verification.Verdict.NOT_GENUINE:
            case.state = State.CLOSED
        else:
            case.state = State.VERIFYING
        case.save(update_fields=["state", "first_response_at", "updated_at"])
        record(case, Kind.VERIFIED, actor=actor, verdict=verdict, method=method, **first)
        if verdict == Verification.Verdict.NOT_GENUINE:
            record(case, Kind.CLOSED, actor=actor, reason="not_genuine")
            notify_members(case, "help_not_genuine")
        elif verdict == Verification.Verdict.NEEDS_MORE:
            notify_members(case, "help_needs_more")
    return verification


def plan_action(
    *,
    case: HelpCase,
    actor,
    description: str,
    organisation: int | Team | None = None,
    resource: str = "",
    due_on: date | None = None,
) -> Action:
    """A step of the coordination (协调解决): an organisation or resource engaged, what will
    be done, by when."""
    description = checked_text(
        description, field="description", limit=500, required=_("Say what will be done.")
    )
    resource = checked_text(resource, field="resource", limit=100)
    team = None
    if organisation is not None:
        active = Team.objects.filter(is_active=True)
        team = active.filter(pk=getattr(organisation, "pk", organisation)).first()
        if team is None:
            raise ServiceError("invalid_team", _("Choose an active team."), field="organisation")
    with transaction.atomic():
        case = _locked(case)
        _require(case, actor, State.COORDINATING)
        action = Action.objects.create(
            case=case,
            organisation=team,
            resource=resource,
            description=description,
            due_on=due_on,
            staff=actor,
        )
        record(
            case,
            Kind.ACTION,
            actor=actor,
            action=action.pk,
            organisation=team.name if team else "",
            due_on=str(due_on or ""),
        )
    return action


def complete_action(*, action: Action, actor) -> Action:
    with transaction.atomic():
        case = _locked(action.case)
        _require(case, actor, State.COORDINATING)
        action = Action.objects.select_for_update().get(pk=action.pk)
        if action.done_at is None:
            action.done_at = timezone.now()
            action.save(update_fields=["done_at"])
            record(case, Kind.ACTION_DONE, actor=actor, action=action.pk)
    return action


def resolve(*, case: HelpCase, actor, is_resolved: bool, reason: str = "") -> HelpCase:
    """Coordination ends: resolved, or not with the reason why."""
    reason = checked_text(
        reason, field="reason", limit=500, required=None if is_resolved else _("Say why not.")
    )
    with transaction.atomic():
        case = _locked(case)
        _require(case, actor, State.COORDINATING)
        case.state = State.RESOLVED if is_resolved else State.UNRESOLVED
        case.resolved_at, case.outcome_reason = timezone.now(), reason
        case.save(update_fields=["state", "resolved_at", "outcome_reason", "updated_at"])
        record(case, Kind.RESOLVED if is_resolved else Kind.UNRESOLVED, actor=actor)
    return case


def report_back(*, case: HelpCase, actor, report: str) -> HelpCase:
    """Tell the youth (every member) what was done (反馈结果); they may then evaluate."""
    report = checked_text(
        report, field="report", limit=TEXT_MAX, required=_("Write what was done.")
    )
    with transaction.atomic():
        case = (
            HelpCase.objects.select_for_update(of=("self",)).select_related("team").get(pk=case.pk)
        )
        _require(case, actor, State.RESOLVED, State.UNRESOLVED)
        now = timezone.now()
        in_time = case.resolve_by is None or now <= case.resolve_by
        first = case.reported_at is None
        case.state, case.report, case.reported_at = State.REPORTED, report, now
        case.save(update_fields=["state", "report", "reported_at", "updated_at"])
        record(
            case,
            Kind.REPORTED,
            actor=actor,
            in_time=in_time,
            first=first,
            members=size(case),
            resolved=case.resolved_at is not None and not case.outcome_reason,
            # An organisation handling it (团内 or 团外) is counted in the figures.
            sector=case.team.sector if case.team else "",
        )
        notify_members(case, "help_reported")
    return case


def transfer(*, case: HelpCase, actor, to: str, note: str = "") -> HelpCase:
    """Move the case to another committee (转接), which handles it from the start; its
    youths are told, and follow it there (``helpcases.transfers``)."""
    moving.require_here(case)
    if not routing.may_work_on(actor, case.team):
        raise ServiceError("forbidden", _("Only the case's handlers may do this."), status=403)
    return moving.transfer(CASE_TYPE, case, actor=actor, to=to, note=note)


# ---------------------------------------------------------------- the youth's evaluation


def evaluate(
    *,
    case: HelpCase,
    youth,
    stars: int,
    is_real: bool,
    is_solved: bool,
    comment: str = "",
    next: str = "",
) -> Evaluation:
    """A member evaluates the help (once a round): was it real, did it solve the problem. An
    unsatisfied member may, once for the case, reopen it or take it to the committee above;
    otherwise the evaluation is final and its stars are the member's rating of the help."""
    comment = checked_text(comment, field="comment", limit=500)
    if next not in Evaluation.Next.values:
        raise ServiceError("invalid", _("Choose what should happen next."), field="next")
    if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 5:
        raise ServiceError("invalid_stars", _("Give 1 to 5 stars."), field="stars")
    satisfied = is_real and is_solved
    if next and satisfied:
        raise ServiceError(
            "satisfied", _("Reopening or escalating is for help that did not work."), field="next"
        )
    with transaction.atomic():
        case = _locked(case)
        moving.require_here(case)
        if youth.pk not in members(case):
            raise ServiceError(
                "not_served", _("Only the youths this case serves evaluate it."), status=403
            )
        if case.state not in (State.REPORTED, State.EVALUATED):
            raise ServiceError("wrong_state", _("This case cannot be evaluated now."), status=409)
        # Once a round, and a member's final word stands (in a collective demand another
        # member may reopen the case after it).
        given = Evaluation.objects.filter(case=case, youth=youth)
        if given.filter(Q(round=case.round) | Q(next="")).exists():
            raise ServiceError(
                "already_evaluated", _("You have evaluated this already."), status=409
            )
        if next and case.round > 1:
            raise ServiceError(
                "once_only", _("This case was reopened once already."), field="next", status=409
            )
        evaluation = Evaluation.objects.create(
            case=case,
            youth=youth,
            round=case.round,
            stars=stars,
            is_real=is_real,
            is_solved=is_solved,
            comment=comment,
            next=next,
        )
        final = not next
        record(
            case,
            Kind.EVALUATED,
            actor=youth,
            real=is_real,
            solved=is_solved,
            stars=stars,
            final=final,
        )
        if final:
            ratings.rate(rater=youth, subject=case, stars=stars, comment=comment, real=is_real)
            if case.state == State.REPORTED:
                case.state = State.EVALUATED
                case.save(update_fields=["state", "updated_at"])
        else:
            _second_round(case, youth, escalate=next == Evaluation.Next.ESCALATE)
    return evaluation


def _second_round(case: HelpCase, youth, *, escalate: bool) -> None:
    """The case is handled again with fresh deadlines; escalated, it goes on the committee
    above's supervision board at once."""
    case.state, case.round = State.COORDINATING, case.round + 1
    case.resolved_at, case.outcome_reason = None, ""
    deadlines.start_clock(case, reopened=True)
    case.save()
    record(case, Kind.REOPENED, actor=youth, escalated=escalate)
    staff = [case.assignee_id] if case.assignee_id else routing.team_members(case.team_id or 0)
    notify_staff(staff or routing.cadres_and_admins(), case, "help_reopened")
    if escalate:
        supervision.escalate(CASE_TYPE, case, reason="youth")


# ---------------------------------------------------------------- moderation


def release(*, case: HelpCase, actor) -> HelpCase:
    with transaction.atomic():
        case = _locked(case)
        _require(case, actor, State.PENDING_REVIEW)
        case.state = State.RECEIVED
        case.save(update_fields=["state", "updated_at"])
        record(case, Kind.RELEASED, actor=actor)
        open_case(case)
    return case


def reject(*, case: HelpCase, actor, reason: str = "") -> HelpCase:
    with transaction.atomic():
        case = _locked(case)
        _require(case, actor, State.PENDING_REVIEW)
        case.state, case.is_public = State.CLOSED, False
        case.save(update_fields=["state", "is_public", "updated_at"])
        record(
            case, Kind.REJECTED, actor=actor, reason=checked_text(reason, field="reason", limit=500)
        )
        notify_members(case, "help_rejected")
    return case


# ---------------------------------------------------------------- registrations


def _waiting():
    return HelpCase.objects.filter(state__in=OPEN_STATES, transferred_to="")


CASE_TYPE = cases.CaseType(
    subject_type="helpcases.helpcase",
    model=HelpCase,
    kinds=cases.Kinds(
        overdue=Kind.OVERDUE,
        escalated=Kind.ESCALATED,
        urged=Kind.URGED,
        transferred_out=Kind.TRANSFERRED_OUT,
        transferred_in=Kind.TRANSFERRED_IN,
    ),
    waiting=_waiting,
    record=record,
    notify_staff=notify_staff,
    title=_title,
    link=_workbench_link,
    unanswered=lambda: _waiting().filter(first_response_at=None),
    transfers=transfers.TRANSFERS,
    referable=cases.Referable(
        youth=lambda case: case.youth_id,
        page=_link,
        thread=lambda case: mask_personal_data(
            "\n".join(part for part in (case.title, case.body, case.place) if part)
        ),
    ),
)

RATEABLE = ratings.Rateable(
    served=members,
    is_ready=lambda case: case.state in (State.REPORTED, State.EVALUATED),
    kind=Kind.RATED,
    record=record,
    handlers=lambda case: {case.assignee_id} - {None},
    term="help",
    verified=lambda case: case,
)


VERIFIABLE = truth.Verifiable(
    title=_title,
    page=_workbench_link,
    category=lambda case: case.category_id,
    details=lambda case: [
        (_("Asked"), timezone.localtime(case.created_at).strftime("%Y-%m-%d")),
        (_("Handled by"), case.team.name if case.team else ""),
        (_("State"), case.get_state_display()),
    ],
    confirmed=Kind.FAKE_CONFIRMED,
    dismissed=Kind.FAKE_DISMISSED,
    record=record,
    flaggers=lambda case: list(
        Evaluation.objects.filter(case=case, is_real=False).values_list("youth_id", flat=True)
    ),
)
