"""From scattered cases to common needs (集中性诉求): youths join a public case (我也遇到), and
staff group alike cases and questions into one collective demand, handled as one case. Its
members are every grouped case's youths, their co-signers and the grouped questions' askers;
its report reaches them all and each evaluates once (``helpcases.services``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from casework import routing
from casework import transfer as moving
from core.errors import ServiceError, checked_text
from similarity import service as similarity

from . import services
from .models import OPEN_STATES, CoSigner, GroupedQuestion, HelpCase

State = HelpCase.State
Kind = services.Kind
SOURCE = "helpcases.helpcase"
JOINABLE = (*OPEN_STATES, State.RESOLVED, State.UNRESOLVED)


def join(*, case: HelpCase, youth, details: str = "") -> CoSigner:
    """Another youth has the same need: they join the public case as a co-signer, and are
    told, and evaluate, as its youth is."""
    details = checked_text(details, field="details", limit=500)
    with transaction.atomic():
        case = services._locked(case)
        moving.require_here(case)
        if not case.is_public or case.state not in JOINABLE:
            raise ServiceError("not_joinable", _("This case takes no co-signers."), status=409)
        if youth.pk in services.members(case):
            raise ServiceError("already_joined", _("You are in this case already."), status=409)
        try:
            with transaction.atomic():
                cosigner = CoSigner.objects.create(case=case, youth=youth, details=details)
        except IntegrityError:
            raise ServiceError(
                "already_joined", _("You are in this case already."), status=409
            ) from None
        services.record(case, Kind.JOINED, actor=youth, size=services.size(case))
    return cosigner


def suggestions(case: HelpCase, limit: int = 10) -> list[HelpCase]:
    """Open cases of this committee saying what ``case`` says, best first (the similarity
    service), for staff to group."""
    found = similarity.similar(
        SOURCE, case.title, case.body, limit=limit, exclude=[case.pk], minimum=0.2
    )
    rows = groupable().in_bulk([match.pk for match in found])
    return [rows[match.pk] for match in found if match.pk in rows]


def groupable():
    """Cases that may join a collective demand: open, on their own."""
    return HelpCase.objects.filter(
        state__in=OPEN_STATES, is_collective=False, collective=None, transferred_to=""
    )


def group(
    *, actor, cases: Iterable[HelpCase], questions: Iterable = (), title: str = ""
) -> HelpCase:
    """Staff group open cases (two or more, or one with questions) and questions of this
    committee into one collective demand: it is received, verified, coordinated and resolved
    once, in the first case's queue, and each grouped case follows it."""
    from qa import services as qa_services
    from qa.models import Question

    picked = list(cases)
    asked = list(questions)
    if len(picked) + len(asked) < 2 or not picked:
        raise ServiceError(
            "too_few", _("Group at least one case with another case or a question."), field="cases"
        )
    with transaction.atomic():
        locked = list(
            HelpCase.objects.select_for_update()
            .filter(pk__in=[c.pk for c in picked])
            .order_by("pk")
        )
        if len(locked) != len(picked) or any(
            c.state not in OPEN_STATES or c.is_collective or c.collective_id for c in locked
        ):
            raise ServiceError(
                "not_groupable", _("Only open cases on their own can be grouped."), field="cases"
            )
        for case in locked:
            if not routing.may_work_on(actor, case.team):
                raise ServiceError(
                    "forbidden", _("Only the case's handlers may do this."), status=403
                )
        if GroupedQuestion.objects.filter(question_id__in=[q.pk for q in asked]).exists():
            raise ServiceError(
                "not_groupable",
                _("A question is handled in one collective demand only."),
                field="questions",
            )
        first = locked[0]
        demand = HelpCase.objects.create(
            youth_id=first.youth_id,
            title=checked_text(title or first.title, field="title", limit=services.TITLE_MAX),
            body=first.body,
            place=first.place,
            category_id=first.category_id,
            local_category_id=first.local_category_id,
            designated_id=first.designated_id,
            is_public=first.is_public,
            is_collective=True,
            state=State.RECEIVED,
            team_id=first.team_id,
            assignee_id=first.assignee_id,
            search=first.search,
        )
        for case in locked:
            case.state, case.collective = State.GROUPED, demand
            case.save(update_fields=["state", "collective", "updated_at"])
            services.record(case, Kind.GROUPED, actor=actor, into=demand.pk)
        for question in Question.objects.filter(pk__in=[q.pk for q in asked]):
            GroupedQuestion.objects.create(
                case=demand, question_id=question.pk, asker_id=question.asker_id
            )
            if question.is_open:  # handled in the demand now, out of the question queue
                qa_services.hand_off(
                    question=question,
                    actor=actor,
                    case_id=demand.pk,
                    link=reverse("helpcases:case", args=[demand.pk]),
                )
        services.deadlines.start_clock(demand)
        demand.save(update_fields=["respond_by", "resolve_by", "overdue_at", "updated_at"])
        services.record(
            demand,
            Kind.COLLECTED,
            actor=actor,
            cases=[c.pk for c in locked],
            questions=[q.pk for q in asked],
            size=services.size(demand),
        )
        services.notify_members(demand, "help_grouped")
    return demand
