"""Write paths of activities: publishing and changing them, who runs them, messages to the
participants, photos after the event, the participants' evaluation, and the end of an
activity with whether it counts for the influence index.

Registration is in ``registration``, check-in at the venue in ``checkin``. Every change is
recorded on the activity's timeline in the same transaction (``record``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import timeline
from capacity import waitlist
from casework import routing
from casework.models import Team
from core import access
from core.errors import ServiceError, checked_text
from core.images import checked_upload
from core.models import Role
from core.notifications import notify
from ratings import services as ratings
from ratings.models import Rating
from reactions import services as reactions
from shares import services as shares
from tenants import outbox
from timeline.models import Event

from . import campaigns
from .models import Activity, ActivityEvent, ActivityPhoto, CheckIn, ReceivedCampaign, Registration

Kind = ActivityEvent
REGISTERED = Registration.State.REGISTERED

PHOTOS_MAX = 60  # photos an activity keeps
PHOTOS_PER_PERSON = 12  # photos one participant may add
MESSAGE_MAX = 500


def record(subject, kind: str, *, activity: Activity, actor=None, youth=None, **data) -> Event:
    """Append an event to the timeline of an activity (or of a registration or a team), in
    the changing transaction."""
    return timeline.record(
        subject,
        kind,
        actor=actor,
        state=getattr(subject, "state", ""),
        category=activity.category_id,
        youth=youth,
        # Under a campaign, its figures count in the campaign's too (reporting).
        data={
            "activity": activity.pk,
            **({"campaign": activity.campaign} if activity.campaign else {}),
            **data,
        },
    )


def page_of(activity: Activity) -> str:
    return reverse("activities:activity", args=[activity.pk])


# ---------------------------------------------------------------- who runs it


def may_publish(user, organiser: Team | None) -> bool:
    """The committee's cadres and admins publish for it or any of its organisations; an
    organisation's members publish for their own organisation."""
    grant = access.access_to(user, outbox.current_committee())
    if grant.has(Role.Kind.CADRE, Role.Kind.ADMIN) and grant.can_write:
        return True
    return organiser is not None and routing.may_work_on(user, organiser)


def may_manage(user, activity: Activity) -> bool:
    """Who runs the activity: as ``may_publish`` for its organiser."""
    return may_publish(user, activity.organiser)


def may_see_participants(user, activity: Activity) -> bool:
    """Who reads the activity's participants by name: its organisers, and readers from
    above (an admin above, the central auditor); not this committee's experts nor the
    members of an organisation that does not run it."""
    if may_manage(user, activity):
        return True
    grant = access.access_to(user, outbox.current_committee())
    return grant.can_read and not (grant.kinds - {Role.Kind.AUDITOR})


def _refuse_unless_manager(user, activity: Activity) -> None:
    if not may_manage(user, activity):
        raise ServiceError(
            "forbidden", _("Only the activity's organisers may do this."), status=403
        )


# ---------------------------------------------------------------- publishing

EDITABLE = (
    "title",
    "description",
    "category",
    "is_online",
    "place",
    "latitude",
    "longitude",
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
    "capacity",
    "audience",
    "allows_individuals",
    "allows_teams",
    "team_min",
    "team_max",
)


def _checked(fields: dict) -> dict:
    """The activity's fields as given, checked together; a refusal names the field."""
    from franchise.models import Category

    fields["title"] = checked_text(
        fields.get("title", ""), field="title", limit=100, required=_("Give it a title.")
    )
    fields["description"] = checked_text(
        fields.get("description", ""),
        field="description",
        limit=5000,
        required=_("Say what youths will do."),
    )
    fields["place"] = checked_text(fields.get("place", ""), field="place", limit=200)
    fields["audience"] = checked_text(fields.get("audience", ""), field="audience", limit=100)
    if not Category.objects.filter(code=fields.get("category")).exists():
        raise ServiceError("invalid_category", _("Choose a category."), field="category")
    if not fields.get("is_online") and not fields["place"]:
        raise ServiceError("required", _("Give the place, or make it online."), field="place")
    if (fields.get("latitude") is None) != (fields.get("longitude") is None):
        raise ServiceError("invalid", _("Give both coordinates or neither."), field="latitude")
    starts, ends = fields["starts_at"], fields["ends_at"]
    if ends <= starts:
        raise ServiceError("invalid", _("It must end after it starts."), field="ends_at")
    opens = fields.get("registration_opens_at") or timezone.now()
    closes = fields.get("registration_closes_at") or starts
    if closes <= opens:
        raise ServiceError(
            "invalid", _("Registration must close after it opens."), field="registration_closes_at"
        )
    if closes > ends:
        raise ServiceError(
            "invalid",
            _("Registration must close by the end of the activity."),
            field="registration_closes_at",
        )
    fields["registration_opens_at"], fields["registration_closes_at"] = opens, closes
    capacity = fields.get("capacity")
    if not isinstance(capacity, int) or isinstance(capacity, bool) or not 1 <= capacity <= 100_000:
        raise ServiceError("invalid", _("Between 1 and 100,000 places."), field="capacity")
    if not fields.get("allows_individuals", True) and not fields.get("allows_teams"):
        raise ServiceError(
            "invalid", _("Let individuals or teams register."), field="allows_individuals"
        )
    low, high = fields.get("team_min", 2), fields.get("team_max", 10)
    if not 1 <= low <= high <= 50:
        raise ServiceError("invalid", _("A team of 1 to 50, the smallest first."), field="team_max")
    if fields.get("allows_teams") and high > capacity:
        raise ServiceError("invalid", _("The largest team must fit the places."), field="team_max")
    fields["category_id"] = fields.pop("category")
    return fields


def publish(
    *, actor, organiser: Team | None = None, cover=None, campaign: str = "", **fields
) -> Activity:
    """Publish an activity of this committee (or of one of its organisations), under a
    campaign it received if ``campaign``: it takes registrations in its window."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not an activity's field: {sorted(unknown)}")
    if organiser is not None:
        organiser = routing.active_team(organiser, field="organiser")
    if not may_publish(actor, organiser):
        raise ServiceError(
            "forbidden", _("Only the committee's staff and its organisations publish."), status=403
        )
    fields = _checked(dict(fields))
    if campaign:
        _refuse_unless_in_campaign(campaign, fields["starts_at"])
    image = checked_upload(cover, field="cover") if cover is not None else None
    with transaction.atomic():
        activity = Activity(created_by=actor, organiser=organiser, campaign=campaign, **fields)
        if image is not None:
            activity.cover.save(
                f"{uuid.uuid4().hex}.{image.extension}", ContentFile(image.content), save=False
            )
        activity.save()
        record(activity, Kind.PUBLISHED, activity=activity, actor=actor)
        campaigns.list_activity(activity)
    return activity


def _refuse_unless_in_campaign(code: str, starts_at: datetime) -> None:
    from franchise.campaigns import in_force

    if not ReceivedCampaign.objects.filter(code=code).exists():
        raise ServiceError(
            "invalid", _("This committee has not received that campaign."), field="campaign"
        )
    if in_force(code, timezone.localtime(starts_at).date()) is None:
        raise ServiceError(
            "invalid", _("It must take place in the campaign's period."), field="starts_at"
        )


def change(*, activity: Activity, actor, **fields) -> Activity:
    """Change a published activity. Its places cannot go below those taken; more places go
    to its waitlist, and its participants are told of a new time or place."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not an activity's field: {sorted(unknown)}")
    _refuse_unless_manager(actor, activity)
    if activity.state != Activity.State.PUBLISHED:
        raise ServiceError("cancelled", _("This activity was cancelled."), status=409)
    current = {name: getattr(activity, name) for name in EDITABLE}
    current["category"] = activity.category_id
    if "starts_at" in fields and "registration_closes_at" not in fields:
        # Registration closes as long before the start as it did: moved with it.
        moved_by = fields["starts_at"] - activity.starts_at
        ends = fields.get("ends_at", activity.ends_at + moved_by)
        current["registration_closes_at"] = min(activity.registration_closes_at + moved_by, ends)
    merged = _checked({**current, **fields})
    moved = any(merged[k] != getattr(activity, k) for k in ("starts_at", "ends_at", "place"))
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if merged["capacity"] < locked.taken + locked.held:
            raise ServiceError(
                "below_taken",
                _("%(n)s places are taken already.") % {"n": locked.taken + locked.held},
                field="capacity",
            )
        for name, value in merged.items():
            setattr(locked, name, value)
        locked.save()
        record(locked, Kind.CHANGED, activity=locked, actor=actor, fields=sorted(fields))
        campaigns.list_activity(locked)
        waitlist.offer_next(locked)
        if moved:
            _tell_participants(locked, "activity_changed")
    return locked


def cancel(*, activity: Activity, actor, reason: str = "") -> Activity:
    """Cancel the activity: its participants are told, its waitlist let go."""
    _refuse_unless_manager(actor, activity)
    reason = checked_text(reason, field="reason", limit=200)
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.state == Activity.State.CANCELLED:
            return activity
        activity.state = Activity.State.CANCELLED
        activity.save(update_fields=["state", "updated_at"])
        record(activity, Kind.CANCELLED, activity=activity, actor=actor, reason=reason)
        campaigns.list_activity(activity)
        waitlist.offer_next(activity)  # closed: the line is let go
        _tell_participants(activity, "activity_cancelled", reason=reason)
    return activity


def _participants(activity: Activity) -> list[int]:
    return list(
        Registration.objects.filter(activity=activity, state=REGISTERED).values_list(
            "youth_id", flat=True
        )
    )


def tell(youth_ids, kind: str, activity: Activity, **data) -> None:
    """Tell youths about the activity now."""
    notify(
        youth_ids,
        kind,
        committee=outbox.current_committee(),
        link=page_of(activity),
        title=activity.title,
        at=when(activity.starts_at),
        **data,
    )


def tell_later(youth_ids, kind: str, activity: Activity, **data) -> None:
    """Tell youths once the transaction commits: what they are told is read now, in this
    committee's schema, and a failure to tell undoes nothing."""
    tell_ = partial(
        notify,
        list(youth_ids),
        kind,
        committee=outbox.current_committee(),
        link=page_of(activity),
        title=activity.title,
        at=when(activity.starts_at),
        **data,
    )
    transaction.on_commit(tell_, robust=True)


def _tell_participants(activity: Activity, kind: str, **data) -> None:
    tell_later(_participants(activity), kind, activity, **data)


def when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%m-%d %H:%M")


def message(*, activity: Activity, actor, text: str) -> int:
    """Send the participants a message (in the app, and through the committee's channels);
    how many it goes to."""
    _refuse_unless_manager(actor, activity)
    text = checked_text(text, field="text", limit=MESSAGE_MAX, required=_("Write the message."))
    with transaction.atomic():
        youths = _participants(activity)
        record(activity, Kind.MESSAGED, activity=activity, actor=actor, to=len(youths))
        _tell_participants(activity, "activity_message", text=text)
    return len(youths)


# ---------------------------------------------------------------- photos after it


def add_photo(*, activity: Activity, upload, by, caption: str = "") -> ActivityPhoto:
    """A photo taken at the activity, from its organisers or a participant, once it has
    started. The organisers' photos are shown at once; a participant's once selected."""
    caption = checked_text(caption, field="caption", limit=100)
    is_manager = may_manage(by, activity)
    if (
        not is_manager
        and not Registration.objects.filter(activity=activity, youth=by, state=REGISTERED).exists()
    ):
        raise ServiceError(
            "forbidden", _("Only its organisers and participants add photos."), status=403
        )
    now = timezone.now()
    if now < activity.starts_at:
        raise ServiceError("too_early", _("Photos are added once it has started."), status=409)
    image = checked_upload(upload, field="image")
    if activity.photos.count() >= PHOTOS_MAX:
        raise ServiceError("too_many", _("This activity has all the photos it can keep."))
    if not is_manager and activity.photos.filter(uploaded_by=by).count() >= PHOTOS_PER_PERSON:
        raise ServiceError(
            "too_many", _("At most %(n)s photos each.") % {"n": PHOTOS_PER_PERSON}, field="image"
        )
    with transaction.atomic():
        photo = ActivityPhoto(activity=activity, caption=caption, uploaded_by=by)
        photo.is_selected = is_manager
        photo.image.save(
            f"{uuid.uuid4().hex}.{image.extension}", ContentFile(image.content), save=False
        )
        photo.save()
        record(photo, Kind.PHOTO, activity=activity, actor=by, after_end=now > activity.ends_at)
        if now > activity.ends_at:
            count_if_due(activity, now=now)
    return photo


def select_photo(*, photo: ActivityPhoto, actor, is_selected: bool) -> ActivityPhoto:
    """The organisers show a photo on the activity's page, or stop showing it."""
    _refuse_unless_manager(actor, photo.activity)
    photo.is_selected = bool(is_selected)
    photo.save(update_fields=["is_selected"])
    return photo


def remove_photo(*, photo: ActivityPhoto, actor) -> None:
    """The organisers, or whoever uploaded it, remove a photo."""
    if photo.uploaded_by_id != actor.pk:
        _refuse_unless_manager(actor, photo.activity)
    photo.image.delete(save=False)
    photo.delete()


# ---------------------------------------------------------------- counting for the index


def counts(activity: Activity) -> bool:
    """Whether it counts for the influence index: youths registered, photos were uploaded
    after it ended, and no report that it was fake was confirmed."""
    return (
        activity.fake_confirmed_at is None
        and activity.registrations.filter(state=REGISTERED).exists()
        and activity.photos.filter(created_at__gt=activity.ends_at).exists()
    )


def count_if_due(activity: Activity, *, now: datetime) -> bool:
    """Record, once, that the activity counts from now (``COUNTED``); whether it did now."""
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.counted_at is not None or locked.state != Activity.State.PUBLISHED:
            return False
        if not counts(locked):
            return False
        locked.counted_at = now
        locked.save(update_fields=["counted_at"])
        record(locked, Kind.COUNTED, activity=locked)
    return True


def uncount(activity: Activity, *, actor=None) -> None:
    """A fake activity no longer counts: its count is taken back, once, in the period it
    was counted in (the event is recorded at that moment)."""
    if activity.counted_at is None or timeline.of(activity).filter(kind=Kind.UNCOUNTED).exists():
        return
    timeline.record(
        activity,
        Kind.UNCOUNTED,
        actor=actor,
        state=activity.state,
        category=activity.category_id,
        at=activity.counted_at,
        data={"activity": activity.pk},
    )


def end_due(*, now: datetime | None = None) -> int:
    """Record the end of the activities that ended (with their registrations and
    check-ins, the figures' "held"); how many. Beat runs it."""
    now = now or timezone.now()
    done = 0
    with transaction.atomic():
        due = Activity.objects.select_for_update(skip_locked=True).filter(
            state=Activity.State.PUBLISHED, ended_at=None, ends_at__lte=now
        )
        for activity in due:
            activity.ended_at = now
            activity.save(update_fields=["ended_at"])
            record(
                activity,
                Kind.ENDED,
                activity=activity,
                registrations=activity.registrations.filter(state=REGISTERED).count(),
                check_ins=activity.check_ins.count(),
            )
            done += 1
    return done


# ---------------------------------------------------------------- sharing


def _share_opened(activity: Activity, share) -> None:
    record(activity, Kind.SHARE_OPENED, activity=activity, share=share.pk)


SHAREABLE = shares.Shareable(
    url=page_of,
    opened=_share_opened,
    is_shown=lambda activity: activity.state == Activity.State.PUBLISHED,
)


REACTABLE = reactions.Reactable(
    kinds=frozenset({reactions.Kind.LIKE, reactions.Kind.ROAST}),
    authors=lambda activity: {activity.created_by_id},
    record=lambda activity, kind, *, actor, **data: record(
        activity, kind, activity=activity, actor=actor, **data
    ),
    is_shown=lambda activity: activity.state == Activity.State.PUBLISHED,
)


# ---------------------------------------------------------------- the participants' judgement


def _record_rating(registration: Registration, kind: str, *, actor, **data) -> Event:
    return record(
        registration,
        kind,
        activity=registration.activity,
        actor=actor,
        youth=registration.youth_id,
        **data,
    )


def _handlers(registration: Registration) -> set[int]:
    activity = registration.activity
    team = set(routing.team_members(activity.organiser_id)) if activity.organiser_id else set()
    return ({activity.created_by_id} | team) - {registration.youth_id}


RATEABLE = ratings.Rateable(
    served=lambda registration: {registration.youth_id},
    is_ready=lambda registration: CheckIn.objects.filter(registration=registration).exists(),
    kind=Kind.RATED,
    record=_record_rating,
    handlers=_handlers,
    term="activities",
    # The organising team and whoever set the activity up, not every member of the team.
    credited=lambda registration: {registration.activity.created_by_id},
    team=lambda registration: registration.activity.organiser,
    verified=lambda registration: registration.activity,
)


def rate(
    *, registration: Registration, youth, stars: int, is_real: bool, comment: str = ""
) -> Rating:
    """A participant who checked in rates the activity, once, and says whether it happened
    as described (真实度)."""
    if not isinstance(is_real, bool):
        raise ServiceError("invalid", _("Say whether it happened as described."), field="is_real")
    registration = Registration.objects.select_related("activity").get(pk=registration.pk)
    return ratings.rate(
        rater=youth, subject=registration, stars=stars, comment=comment, real=is_real
    )
