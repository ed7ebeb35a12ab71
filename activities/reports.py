"""Reports of fake activities (虚假活动举报).

A participant, or anyone with an account, reports an activity; a participant's rating that
says it did not happen as described does the same. Either is a flag for the committee above,
which reviews it as it reviews every item said not real (``casework.truth``). A confirmed
fake is marked on the activity's page, and it no longer counts for the influence index
(``services.uncount``) nor in the figures."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from casework import truth
from core.errors import ServiceError, checked_text
from timeline.models import Event

from . import campaigns
from .models import Activity, ActivityEvent, FakeReport, Registration
from .services import page_of, record, when

Kind = ActivityEvent


def report(*, activity: Activity, reporter, reason: str) -> FakeReport:
    """``reporter`` says the activity was fake or not as published; once an account."""
    reason = checked_text(
        reason, field="reason", limit=500, required=_("Say what was fake about it.")
    )
    if activity.state != Activity.State.PUBLISHED:
        raise ServiceError("cancelled", _("This activity was cancelled."), status=409)
    try:
        with transaction.atomic():
            made = FakeReport.objects.create(activity=activity, reporter=reporter, reason=reason)
            record(made, Kind.REPORTED, activity=activity, actor=reporter)
            truth.flag(activity, reason=reason, ref=f"report:{made.pk}")
    except IntegrityError:
        raise ServiceError(
            "already_reported", _("You have reported this activity already."), status=409
        ) from None
    return made


def apply_fake(activity: Activity, *, at: datetime) -> None:
    """Mark the (locked) activity fake, and take back its count for the index."""
    from .services import uncount

    if activity.fake_confirmed_at is not None:
        return
    activity.fake_confirmed_at = at
    activity.save(update_fields=["fake_confirmed_at"])
    uncount(activity)
    campaigns.list_activity(activity)


def _details(activity: Activity) -> list[tuple[str, object]]:
    registered = activity.registrations.filter(state=Registration.State.REGISTERED).count()
    return [
        (_("When"), when(activity.starts_at)),
        (_("Where"), activity.place),
        (_("Organiser"), activity.organiser.name if activity.organiser else ""),
        (_("Registered"), registered),
        (_("Photos"), activity.photos.count()),
    ]


def _flaggers(activity: Activity) -> list[int | None]:
    reporters = activity.reports.values_list("reporter_id", flat=True)
    said_so = Event.objects.filter(
        kind=Kind.RATED, data__activity=activity.pk, data__real=False, data__staff=False
    )
    return [*reporters, *said_so.values_list("actor_id", flat=True)]


VERIFIABLE = truth.Verifiable(
    title=lambda activity: activity.title,
    page=page_of,
    category=lambda activity: activity.category_id,
    details=_details,
    confirmed=Kind.FAKE_CONFIRMED,
    dismissed=Kind.FAKE_DISMISSED,
    record=lambda activity, kind, **data: record(activity, kind, activity=activity, **data),
    flaggers=_flaggers,
    apply=lambda activity, at: apply_fake(activity, at=at),
)
