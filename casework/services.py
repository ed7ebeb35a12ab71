"""Write paths of a committee's casework set-up: members, rules, deadlines, calendar
amendments and each team's ready answers (常用回复)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import access
from core.errors import ServiceError, checked_text
from core.models import Role
from tenants import outbox

from . import selectors
from .models import Deadline, LocalCategory, Member, ReplyTemplate, RoutingRule, Team

TEMPLATE_TITLE_MAX = 40
TEMPLATE_BODY_MAX = 5000
TEMPLATE_EDITORS = (Role.Kind.ADMIN, Role.Kind.CADRE)


def _grant(user) -> access.Access:
    return access.access_to(user, outbox.current_committee())


def organisation_problem(kind: str, sector: str, is_listed: bool) -> tuple[str, str] | None:
    """(field, message) when a team's organisation fields do not fit its kind."""
    if kind == Team.Kind.ORGANISATION and not sector:
        return "sector", str(_("Say whether the organisation is of the League or outside it."))
    if kind != Team.Kind.ORGANISATION and (sector or is_listed):
        return "kind", str(_("Only an organisation is of a sector or listed for youths."))
    return None


def add_member(*, team: Team, user, kind: str, organisation: str = "") -> Member:
    if selectors.member_taken(team=team, user=user):
        raise ServiceError("duplicate", _("Already a member of this team."), field="phone")
    return Member.objects.create(team=team, user=user, kind=kind, organisation=organisation)


def add_rule(*, category: str, team: Team, strategy: str) -> RoutingRule:
    """A rule for a standard category or a local sub-category (by its code)."""
    local = LocalCategory.objects.filter(code=category).first()
    if selectors.rule_taken(category=category, local_category=local):
        raise ServiceError("duplicate", _("That category already has a rule."), field="category")
    return RoutingRule.objects.create(
        category_id=None if local else category, local_category=local, team=team, strategy=strategy
    )


def set_deadline(*, category, first_response_s: int, resolution_s: int) -> Deadline:
    deadline, _created = Deadline.objects.update_or_create(
        category=category,
        defaults={"first_response_s": first_response_s, "resolution_s": resolution_s},
    )
    return deadline


def _may_edit_templates(user) -> None:
    grant = _grant(user)
    if not (grant.can_write and grant.has(*TEMPLATE_EDITORS)):
        raise ServiceError(
            "forbidden", _("Only cadres and admins change the ready answers."), status=403
        )


def save_reply_template(
    *, actor, team: Team, title: str, body: str, template: ReplyTemplate | None = None
) -> ReplyTemplate:
    """Add a ready answer to ``team`` (or change ``template``)."""
    _may_edit_templates(actor)
    title = checked_text(
        title, field="title", limit=TEMPLATE_TITLE_MAX, required=_("Give it a title.")
    )
    body = checked_text(
        body, field="body", limit=TEMPLATE_BODY_MAX, required=_("Write the answer.")
    )
    if not team.is_active:
        raise ServiceError("invalid_team", _("Choose an active team."), field="team")
    template = template or ReplyTemplate()
    template.team, template.title, template.body = team, title, body
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError:
        raise ServiceError(
            "duplicate", _("That team already has a ready answer of that title."), field="title"
        ) from None
    return template


def delete_reply_template(*, actor, template: ReplyTemplate) -> None:
    _may_edit_templates(actor)
    with transaction.atomic():
        template.delete()
