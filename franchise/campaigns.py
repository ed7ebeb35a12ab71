"""Campaigns (重磅项目, 全团集中行动): the central office, or a province for its subtree,
launches one, and every committee below receives it through the outbox, once and in order
(``activities.campaigns`` applies it). Its vote settings are the defaults of the votes its
activities open."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import access
from core.errors import ServiceError, checked_text
from core.models import Role
from tenants import outbox
from tenants.models import Committee

from .models import Campaign

TOPIC = "activities.campaign"


def may_launch(user, node: Committee) -> bool:
    """The central admin for the nation or any subtree; a province's admin for its own."""
    if access.is_central_admin(user):
        return True
    grant = access.access_to(user, node)
    return node.level == Committee.Level.PROVINCE and grant.can_write and grant.has(Role.Kind.ADMIN)


def checked_criteria(criteria) -> list[dict]:
    """Review criteria as given, checked: up to 10, each with its own code, a name and a
    positive weight."""
    if not isinstance(criteria, list | tuple) or len(criteria) > 10:
        raise ServiceError("invalid", _("Up to 10 criteria."), field="criteria")
    checked, codes = [], set()
    for item in criteria:
        item = item if isinstance(item, dict) else {}
        code, name, weight = (
            str(item.get("code", "")),
            str(item.get("name", "")).strip(),
            item.get("weight"),
        )
        if not code.isidentifier() or len(code) > 20 or code in codes or not name:
            raise ServiceError(
                "invalid", _("Each criterion has its own code and a name."), field="criteria"
            )
        if not isinstance(weight, int | float) or isinstance(weight, bool) or weight <= 0:
            raise ServiceError(
                "invalid", _("Each criterion has a positive weight."), field="criteria"
            )
        codes.add(code)
        checked.append({"code": code, "name": name[:40], "weight": float(weight)})
    return checked


def launch(
    *,
    actor,
    node: Committee,
    code: str,
    title: str,
    theme: str,
    starts_on: date,
    ends_on: date,
    description: str = "",
    rules: str = "",
    entry_guide: str = "",
    votes_per_account: int = 1,
    vote_weight: float = 1.0,
    panel_weight: float = 0.0,
    criteria=(),
) -> Campaign:
    """Launch a campaign for ``node``'s subtree: each committee in it receives it."""
    if not may_launch(actor, node):
        raise ServiceError(
            "forbidden", _("Only the central office or a province launches campaigns."), status=403
        )
    title = checked_text(title, field="title", limit=100, required=_("Give it a title."))
    theme = checked_text(theme, field="theme", limit=100, required=_("Give it a theme."))
    if ends_on < starts_on:
        raise ServiceError("invalid", _("It must end after it starts."), field="ends_on")
    if not isinstance(votes_per_account, int) or not 1 <= votes_per_account <= 20:
        raise ServiceError("invalid", _("1 to 20 votes an account."), field="votes_per_account")
    if vote_weight < 0 or panel_weight < 0 or vote_weight + panel_weight <= 0:
        raise ServiceError(
            "invalid", _("The weights must add up to more than nothing."), field="vote_weight"
        )
    checked = checked_criteria(list(criteria))
    receivers = list(
        Committee.objects.filter(path__startswith=node.path)
        .exclude(schema_name="public")
        .order_by("path")
        .values_list("code", flat=True)
    )
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                code=code,
                title=title,
                theme=theme,
                description=checked_text(description, field="description", limit=5000),
                rules=checked_text(rules, field="rules", limit=5000),
                entry_guide=checked_text(entry_guide, field="entry_guide", limit=2000),
                starts_on=starts_on,
                ends_on=ends_on,
                node=node,
                votes_per_account=votes_per_account,
                vote_weight=vote_weight,
                panel_weight=panel_weight,
                criteria=checked,
                launched_by=actor.pk,
            )
            outbox.send_each(TOPIC, receivers=receivers, payload={"campaign": campaign.code})
    except IntegrityError:
        raise ServiceError("taken", _("A campaign has this code."), field="code") from None
    return campaign


def in_force(code: str, day: date) -> Campaign | None:
    """The campaign of ``code`` if ``day`` falls in its period."""
    return Campaign.objects.filter(code=code, starts_on__lte=day, ends_on__gte=day).first()
