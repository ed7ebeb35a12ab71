"""Check-in at the venue (签到定位).

The organisers' venue page shows a code that changes every ``WINDOW_S`` seconds: the
activity and the window, signed with a key of this committee and the activity. A
participant's phone scans it and sends it with a nonce of its own and, when the phone gives
one, its position. The server checks the signature, that the window is now (or, for a scan
made offline and uploaded later, that it fell within the activity's check-in time), and
that the position is plausibly at the venue. A scan uploaded again (the same nonce) changes
nothing, and a youth is checked in once however often they scan. Staff may mark youths
present from the list instead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from core.errors import ServiceError
from core.geo import distance_m
from tenants import outbox

from .models import Activity, ActivityEvent, CheckIn, Registration
from .services import may_manage, record

Kind = ActivityEvent
WINDOW_S = 30  # the venue's code changes this often
GRACE_WINDOWS = 1  # the code shown just before still scans: the phone took a moment
CHECK_IN_FROM = timedelta(hours=1)  # youths check in from this long before the start
OFFLINE_UPLOAD_WITHIN = timedelta(hours=48)  # a scan made offline is uploaded within this
PLAUSIBLE_M = 500  # how far from the venue a phone may say it is
ACCURACY_MAX_M = 200  # the phone's stated inaccuracy allowed on top, at most


def window_of(moment: datetime) -> int:
    return int(moment.timestamp()) // WINDOW_S


def _mac(activity: Activity, window: int) -> str:
    value = f"{activity.pk}.{window}.{activity.checkin_secret}"
    salt = f"activities.checkin.{outbox.current_committee_code()}"
    return salted_hmac(salt, value, algorithm="sha256").hexdigest()[:24]


def code_for(activity: Activity, window: int) -> str:
    """The venue's code in ``window``."""
    return f"{activity.pk}.{window}.{_mac(activity, window)}"


@dataclass(frozen=True)
class VenueCode:
    code: str
    url: str  # what the QR carries: the scan page with the code, for any phone's camera
    expires_at: datetime


def venue_code(activity: Activity, *, actor, now: datetime | None = None) -> VenueCode:
    """The code to show at the venue now, for the activity's organisers."""
    if not may_manage(actor, activity):
        raise ServiceError(
            "forbidden", _("Only the activity's organisers show its code."), status=403
        )
    now = now or timezone.now()
    window = window_of(now)
    code = code_for(activity, window)
    return VenueCode(
        code=code,
        url=f"{reverse('activities:scan')}?c={code}",
        expires_at=datetime.fromtimestamp((window + 1) * WINDOW_S, tz=now.tzinfo),
    )


def _read(code: str) -> tuple[Activity, int]:
    """The activity and the window a scanned code names, if its signature holds."""
    refused = ServiceError("bad_code", _("This is not a check-in code of ours."), field="code")
    parts = (code or "").strip().rsplit("?c=", 1)[-1].split(".")
    if len(parts) != 3 or not all(p.isascii() and p.isdecimal() for p in parts[:2]):
        raise refused
    activity = Activity.objects.filter(pk=int(parts[0])).first()
    if activity is None or not constant_time_compare(_mac(activity, int(parts[1])), parts[2]):
        raise refused
    return activity, int(parts[1])


@dataclass(frozen=True)
class Scan:
    check_in: CheckIn
    is_new: bool  # False: the youth had checked in already (or the scan came again)


def scan(
    *,
    code: str,
    youth,
    nonce: str,
    latitude: float | None = None,
    longitude: float | None = None,
    accuracy_m: float | None = None,
    is_offline: bool = False,
    now: datetime | None = None,
) -> Scan:
    """A participant scanned the venue's code (now, or offline and uploaded now)."""
    now = now or timezone.now()
    nonce = (nonce or "").strip()
    if not 8 <= len(nonce) <= 64:
        raise ServiceError("invalid", _("The scan is missing its nonce."), field="nonce")
    activity, window = _read(code)
    shown_at = datetime.fromtimestamp(window * WINDOW_S, tz=now.tzinfo)
    age = window_of(now) - window
    if age < 0 or (not is_offline and age > GRACE_WINDOWS):
        raise ServiceError(
            "expired", _("This code has changed: scan the one shown now."), status=409
        )
    if is_offline and now - shown_at > OFFLINE_UPLOAD_WITHIN:
        raise ServiceError("expired", _("This scan is too old to upload."), status=409)
    if activity.state != Activity.State.PUBLISHED:
        raise ServiceError("cancelled", _("This activity was cancelled."), status=409)
    if not activity.starts_at - CHECK_IN_FROM <= shown_at <= activity.ends_at:
        raise ServiceError(
            "not_now", _("Check-in is open from an hour before until the end."), status=409
        )
    distance = _distance(activity, latitude, longitude)
    if distance is not None and distance > PLAUSIBLE_M + min(accuracy_m or 0, ACCURACY_MAX_M):
        raise ServiceError(
            "too_far",
            _("Your phone says you are %(km)s km from the venue.")
            % {"km": f"{distance / 1000:.1f}"},
            status=409,
        )
    return _check_in(
        activity,
        youth_id=youth.pk,
        nonce=nonce,
        method=CheckIn.Method.SCAN,
        scanned_at=shown_at,
        is_offline=is_offline and age > GRACE_WINDOWS,
        distance_m=None if distance is None else round(distance),
        by=youth,
    )


def _distance(activity: Activity, latitude, longitude) -> float | None:
    venue = (activity.latitude, activity.longitude)
    if latitude is None or longitude is None or venue[0] is None or venue[1] is None:
        return None
    return distance_m(float(latitude), float(longitude), float(venue[0]), float(venue[1]))


def mark_present(*, registration: Registration, actor, now: datetime | None = None) -> Scan:
    """The organisers mark a registered youth present from the list."""
    now = now or timezone.now()
    activity = registration.activity
    if not may_manage(actor, activity):
        raise ServiceError(
            "forbidden", _("Only the activity's organisers may do this."), status=403
        )
    if not activity.starts_at - CHECK_IN_FROM <= now <= activity.ends_at + OFFLINE_UPLOAD_WITHIN:
        raise ServiceError(
            "not_now", _("Check-in is open from an hour before until the end."), status=409
        )
    return _check_in(
        activity,
        youth_id=registration.youth_id,
        nonce=f"staff-{registration.pk}",
        method=CheckIn.Method.STAFF,
        scanned_at=now,
        is_offline=False,
        distance_m=None,
        by=actor,
    )


def _check_in(activity: Activity, *, youth_id: int, nonce: str, **fields) -> Scan:
    with transaction.atomic():
        seen = CheckIn.objects.filter(activity=activity, nonce=nonce).first()
        if seen is not None:
            if seen.registration.youth_id != youth_id:
                raise ServiceError("bad_code", _("This scan is someone else's."), status=409)
            return Scan(seen, is_new=False)
        registration = (
            Registration.objects.select_for_update()
            .filter(activity=activity, youth_id=youth_id, state=Registration.State.REGISTERED)
            .first()
        )
        if registration is None:
            raise ServiceError(
                "not_registered", _("You have not registered for this activity."), status=409
            )
        done = CheckIn.objects.filter(registration=registration).first()
        if done is not None:
            return Scan(done, is_new=False)
        try:
            with transaction.atomic():
                made = CheckIn.objects.create(
                    registration=registration, activity=activity, nonce=nonce, **fields
                )
        except IntegrityError:  # the same scan uploaded twice at the same moment
            return Scan(CheckIn.objects.get(activity=activity, nonce=nonce), is_new=False)
        record(
            registration,
            Kind.CHECKED_IN,
            activity=activity,
            actor=fields["by"],
            youth=youth_id,
            method=made.method,
            offline=made.is_offline,
        )
    return Scan(made, is_new=True)
