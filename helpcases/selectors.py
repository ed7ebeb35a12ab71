"""Read paths of help cases: a youth's cases, the public ones, the staff queue, what a viewer
may see of one case."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from casework.models import Member
from core import access
from core.models import Role
from tenants import outbox

from . import services
from .models import OPEN_STATES, CoSigner, HelpCase

State = HelpCase.State
HIDDEN = (State.PENDING_REVIEW,)


def cases_of(user) -> QuerySet[HelpCase]:
    """The cases ``user`` asked for or joined, newest first."""
    joined = CoSigner.objects.filter(case=OuterRef("pk"), youth=user)
    return (
        HelpCase.objects.filter(Q(youth=user) | Exists(joined))
        .filter(is_collective=False)
        .order_by("-created_at")
    )


def public_cases() -> QuerySet[HelpCase]:
    """The cases whose youths let others read them (and so join them), newest first."""
    return (
        HelpCase.objects.filter(is_public=True, collective=None, transferred_to="")
        .exclude(state__in=HIDDEN)
        .select_related("category")
        .order_by("-created_at")
    )


def with_size(cases: QuerySet[HelpCase]) -> QuerySet[HelpCase]:
    """Each case with ``joined`` (co-signers, grouped cases and questions): its priority."""
    return cases.annotate(
        joined=Count("cosigners", distinct=True)
        + Count("grouped", distinct=True)
        + Count("questions", distinct=True)
    )


def _every_team(grant: access.Access) -> bool:
    return grant.has(Role.Kind.CADRE, Role.Kind.ADMIN) or not grant.can_write


def queue(user) -> QuerySet[HelpCase]:
    """The cases waiting for staff that ``user`` works on (every one for cadres, admins and
    readers from above; their teams' and their own for members), the largest first, then
    the oldest deadline."""
    grant = access.access_to(user, outbox.current_committee())
    waiting = HelpCase.objects.filter(
        state__in=(*OPEN_STATES, State.PENDING_REVIEW), transferred_to=""
    )
    if not _every_team(grant):
        teams = Member.objects.filter(user=user, is_active=True).values("team_id")
        waiting = waiting.filter(Q(team_id__in=teams) | Q(assignee=user))
    return (
        with_size(waiting)
        .select_related("team", "category")
        .order_by(F("joined").desc(), F("resolve_by").asc(nulls_last=True), "id")
    )


@dataclass(frozen=True)
class Rights:
    is_member: bool  # a youth this case serves
    is_staff: bool  # this committee's staff: may act on it
    reads_from_above: bool
    sees_details: bool  # what, where, the details (masked unless member or staff)
    sees_contact: bool  # the youth's name and contact


def rights_over(case: HelpCase, user) -> Rights | None:
    """What ``user`` may see of ``case``; None when it is not theirs to see."""
    grant = access.access_to(user, outbox.current_committee())
    is_member = getattr(user, "is_authenticated", False) and user.pk in services.members(case)
    is_staff = grant.can_write
    if not (is_member or grant.can_read or (case.is_public and case.state not in HIDDEN)):
        return None
    return Rights(
        is_member=bool(is_member),
        is_staff=is_staff,
        reads_from_above=grant.can_read and not grant.can_write,
        sees_details=bool(is_member or grant.can_read or case.is_public),
        sees_contact=bool(is_staff or (is_member and case.youth_id == user.pk)),
    )
