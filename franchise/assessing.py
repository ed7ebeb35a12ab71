"""Publishing an assessment standard (考核标准): the central office's, or a province's own
for its subtree within the central latitude. A version is never changed: a new one comes into
force from a future day, so every past period keeps the standard it was assessed by. Each
version says who saved it and why, and goes in the console's change log."""

from __future__ import annotations

from datetime import date

from django.contrib.admin.models import ADDITION, LogEntry
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import access
from core.errors import ServiceError
from core.models import Role
from tenants.models import Committee

from .models import AssessmentStandard
from .standards import ASSESSMENT_INDICATORS

CODES = [code for code, _label in ASSESSMENT_INDICATORS]
FUTURE_ONLY = gettext_lazy("A new version comes into force after today: past periods keep theirs.")
LOCK_CLASS = 7302  # advisory locks of the assessment standards: (LOCK_CLASS, node id or 0)


def check_weights(weights: dict, *, node: Committee | None, effective_from: date) -> dict:
    """``weights`` as a standard holds them, or ValidationError (field ``weights``): every
    indicator, none negative, not all zero; a province's each within the central version's
    latitude."""
    try:
        return _checked(weights, node=node, effective_from=effective_from)
    except ValidationError as error:
        raise ValidationError({"weights": error.messages}) from None


def _checked(weights: dict, *, node: Committee | None, effective_from: date) -> dict:
    if not isinstance(weights, dict) or set(weights) != set(CODES):
        raise ValidationError(_("Give a weight for every indicator, and only those."))
    try:
        clean = {code: float(weights[code]) for code in CODES}
    except (TypeError, ValueError):
        raise ValidationError(_("Weights are numbers.")) from None
    if any(w < 0 for w in clean.values()) or not sum(clean.values()):
        raise ValidationError(_("Weights are zero or more, and not all zero."))
    if node is not None:
        central = AssessmentStandard.objects.filter(
            node=None, effective_from__lte=effective_from
        ).first()
        if central is not None:
            for code, weight in clean.items():
                allowed = central.weights.get(code, 0) * central.latitude
                if abs(weight - central.weights.get(code, 0)) > allowed + 1e-9:
                    raise ValidationError(
                        _(
                            "%(indicator)s: a province may move a weight by at most %(share)s "
                            "of the central one (%(central)s)."
                        )
                        % {
                            "indicator": dict(ASSESSMENT_INDICATORS)[code],
                            "share": f"{central.latitude:.0%}",
                            "central": central.weights.get(code, 0),
                        }
                    )
    return clean


def may_publish(user, node: Committee | None) -> bool:
    """The central admin publishes the central standard; a province's admin its own."""
    if node is None:
        return access.is_central_admin(user)
    return (
        node.level == Committee.Level.PROVINCE
        and Role.Kind.ADMIN in access.access_to(user, node).kinds
    )


def publish(
    *, actor, node: Committee | None, weights: dict, effective_from: date, note: str = ""
) -> AssessmentStandard:
    """Save a new version of ``node``'s standard (None: the central one), in force from
    ``effective_from``, after today."""
    if not may_publish(actor, node):
        raise ServiceError("forbidden", _("You may not publish this standard."), status=403)
    if effective_from <= timezone.localdate():
        raise ValidationError({"effective_from": [FUTURE_ONLY]})
    clean = check_weights(weights, node=node, effective_from=effective_from)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, node.pk if node else 0]
            )
        versions = AssessmentStandard.objects.filter(node=node)
        if versions.filter(effective_from__gte=effective_from).exists():
            raise ValidationError(
                {"effective_from": [_("A later version is already in force from that day.")]}
            )
        latest = versions.order_by("-version").first()
        central = AssessmentStandard.objects.filter(node=None).first()
        saved = AssessmentStandard.objects.create(
            node=node,
            version=(latest.version if latest else 0) + 1,
            effective_from=effective_from,
            weights=clean,
            latitude=central.latitude if central and node else 0.5,
            note=(note or "").strip()[:200],
            saved_by=actor,
        )
        LogEntry.objects.log_actions(
            user_id=actor.pk,
            queryset=[saved],
            action_flag=ADDITION,
            change_message=saved.note or _("A new version."),
            single_object=True,
        )
    return saved
