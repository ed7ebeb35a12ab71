"""The case library (案例库): the committee's staff nominate an activity that was held as a
case, with its idea and practice, its selected photos and how youths judged it; an admin
of a committee above (or the central office) accepts or declines it; cadres of every
committee find accepted cases by category, theme, region and words."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import access
from core.errors import ServiceError, checked_text
from core.models import Role
from franchise.models import Campaign, CaseStudy
from tenants import outbox
from tenants.models import Committee

from . import selectors
from .models import Activity
from .services import may_manage

State = CaseStudy.State


def nominate(*, activity: Activity, actor, summary: str) -> CaseStudy:
    """Nominate a held activity (its organisers) for the library."""
    if not may_manage(actor, activity):
        raise ServiceError(
            "forbidden", _("Only the activity's organisers may do this."), status=403
        )
    summary = checked_text(
        summary, field="summary", limit=5000, required=_("Say what the idea was and how it went.")
    )
    if activity.ends_at > timezone.now() or activity.state != Activity.State.PUBLISHED:
        raise ServiceError(
            "not_held", _("Only an activity that was held can be a case."), status=409
        )
    if activity.fake_confirmed_at is not None:
        raise ServiceError("fake", _("A fake activity cannot be a case."), status=409)
    campaign = (
        Campaign.objects.filter(code=activity.campaign).first() if activity.campaign else None
    )
    figures = selectors.figures(activity)
    try:
        with transaction.atomic():
            return CaseStudy.objects.create(
                committee=outbox.current_committee(),
                activity_id=activity.pk,
                title=activity.title,
                category=activity.category_id,
                theme=campaign.theme if campaign else "",
                summary=summary,
                link=reverse("activities:activity", args=[activity.pk]),
                photos=[p.image.url for p in selectors.shown_photos(activity)[:6]],
                figures={k: figures[k] for k in ("registered", "checked_in", "ratings", "stars")},
                held_on=timezone.localtime(activity.starts_at).date(),
                nominated_by=actor.pk,
            )
    except IntegrityError:
        raise ServiceError(
            "already_nominated", _("This activity was nominated already."), status=409
        ) from None


def may_curate(user, case: CaseStudy) -> bool:
    """An admin of a committee above the case's, or the central admin."""
    return access.is_central_admin(user) or access.admin_above(user, case.committee)


def curate(*, case: CaseStudy, actor, accept: bool, note: str = "") -> CaseStudy:
    """Accept the case into the library, or decline it, with a note."""
    if not may_curate(actor, case):
        raise ServiceError("forbidden", _("The committee above curates the library."), status=403)
    if case.state != State.NOMINATED:
        raise ServiceError("decided", _("This case was curated already."), status=409)
    case.state = State.ACCEPTED if accept else State.DECLINED
    case.note = checked_text(note, field="note", limit=300)
    case.curated_by, case.curated_at = actor.pk, timezone.now()
    case.save(update_fields=["state", "note", "curated_by", "curated_at"])
    return case


def library(
    *, category: str = "", theme: str = "", region: str = "", words: str = ""
) -> QuerySet[CaseStudy]:
    """Accepted cases, the latest held first: of a category, a theme, a region (a
    committee's code: its subtree) and containing the words."""
    found = CaseStudy.objects.filter(state=State.ACCEPTED).select_related("committee")
    if category:
        found = found.filter(category=category)
    if theme:
        found = found.filter(theme=theme)
    if region:
        node = Committee.objects.filter(code=region).first()
        found = found.filter(committee__path__startswith=node.path) if node else found.none()
    for word in words.split()[:5]:
        found = found.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    return found


def to_curate(user) -> QuerySet[CaseStudy]:
    """The nominations ``user`` curates here: every one for the central admin, else, for
    this committee's admins, those of the committees below it."""
    nominated = CaseStudy.objects.filter(state=State.NOMINATED).select_related("committee")
    if access.is_central_admin(user):
        return nominated
    here = outbox.current_committee()
    grant = access.access_to(user, here)
    if not (grant.can_write and grant.has(Role.Kind.ADMIN)):
        return nominated.none()
    return nominated.filter(committee__path__startswith=here.path).exclude(committee=here)


def themes() -> list[str]:
    return sorted(
        set(
            CaseStudy.objects.filter(state=State.ACCEPTED)
            .exclude(theme="")
            .values_list("theme", flat=True)
        )
    )
