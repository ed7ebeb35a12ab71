"""Who handles an item: the routing rule of its category, a member chosen by the rule's
strategy, and who may work on a team's items."""

from __future__ import annotations

from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core import access
from core.errors import ServiceError
from core.models import Role
from tenants import outbox

from . import cases
from .models import Member, RoutingRule, Team


def rule_for(*, category: str, local_category: int | None = None) -> RoutingRule | None:
    """The rule for a local sub-category, else for its standard category."""
    rules = RoutingRule.objects.select_related("team").filter(team__is_active=True)
    if local_category:
        rule = rules.filter(local_category_id=local_category).first()
        if rule is not None:
            return rule
    return rules.filter(category_id=category, local_category=None).first()


def destination(item) -> tuple[Team, str, RoutingRule | None] | None:
    """Where a new item goes: to the team its youth designated (when it still serves), to
    its least-loaded member; else by the rule for its category, with the rule's strategy.
    None: it waits in the triage queue."""
    team = getattr(item, "designated", None)
    if team is not None and team.is_active:
        return team, RoutingRule.Strategy.LEAST_LOADED, None
    rule = rule_for(category=item.category_id, local_category=item.local_category_id)
    if rule is None:
        return None
    return rule.team, rule.strategy, rule


def _open_load():
    """Each member's open items across every domain, counted through the (assignee, state)
    indexes: no team's history is read."""
    total = Value(0, output_field=IntegerField())
    for case_type in cases.registered():
        load = (
            case_type.waiting()
            .filter(assignee_id=OuterRef("user_id"))
            .order_by()
            .values("assignee_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        total = total + Coalesce(Subquery(load), 0)
    return total


def pick_member(team: Team, strategy: str) -> Member | None:
    """The member the strategy hands the next item to (none for the queue strategy)."""
    if strategy == RoutingRule.Strategy.QUEUE:
        return None
    members = Member.objects.filter(team=team, is_active=True)
    oldest_turn = F("last_assigned_at").asc(nulls_first=True)
    if strategy == RoutingRule.Strategy.LEAST_LOADED:
        return members.annotate(load=_open_load()).order_by("load", oldest_turn, "id").first()
    return members.order_by(oldest_turn, "id").first()


def took_turn(team: Team | int | None, user_id: int) -> None:
    """The member was just given an item (round robin and ties go to the others first)."""
    Member.objects.filter(team=team, user_id=user_id).update(last_assigned_at=timezone.now())


def member(team: Team | int | None, user) -> Member | None:
    if team is None:
        return None
    return Member.objects.filter(
        team=team, user_id=getattr(user, "pk", user), is_active=True
    ).first()


def team_members(team_id: int) -> list[int]:
    return list(
        Member.objects.filter(team_id=team_id, is_active=True).values_list("user_id", flat=True)
    )


def _holding(*kinds: str) -> list[int]:
    return list(
        Role.objects.filter(committee=outbox.current_committee(), kind__in=kinds).values_list(
            "user_id", flat=True
        )
    )


def cadres_and_admins() -> list[int]:
    """The accounts holding a cadre or admin role in this committee."""
    return _holding(Role.Kind.CADRE, Role.Kind.ADMIN)


def admins() -> list[int]:
    """The accounts holding an admin role in this committee."""
    return _holding(Role.Kind.ADMIN)


def may_work_on(user, team: Team | None) -> bool:
    """Cadres and admins work on every queue; experts and organisations on their teams'."""
    grant = access.access_to(user, outbox.current_committee())
    if grant.has(Role.Kind.CADRE, Role.Kind.ADMIN):
        return True
    return bool(grant.can_write and member(team, user) is not None)


def may_assign(user, team: Team | None) -> bool:
    """A cadre, an admin or the team's supervisor hands items to members."""
    if team is not None and team.supervisor_id == user.pk:
        return True
    return access.access_to(user, outbox.current_committee()).has(Role.Kind.CADRE, Role.Kind.ADMIN)


def active_team(team, *, field: str = "team") -> Team:
    found = team if isinstance(team, Team) else Team.objects.filter(pk=team).first()
    if found is None or not found.is_active:
        raise ServiceError("invalid_team", _("Choose an active team."), field=field)
    return found


def responsible(item) -> list[int]:
    """Who answers for a late item: its assignee and its team's supervisor, else the
    committee's cadres and admins."""
    team = item.team
    people = [p for p in (item.assignee_id, team.supervisor_id if team else None) if p]
    return people or cadres_and_admins()
