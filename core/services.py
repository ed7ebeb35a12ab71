"""Write paths for accounts: one-time codes, registration, login throttling, roles."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.models import Committee

from . import ratelimit
from .errors import ServiceError
from .models import PhoneCode, Role, User
from .phones import normalise_phone
from .sms import send_sms


def _phone(raw: str) -> str:
    try:
        return normalise_phone(raw)
    except ValidationError as exc:
        raise ServiceError("invalid_phone", exc.messages[0], field="phone") from exc


def send_phone_code(
    *, phone: str, client_ip: str = "", purpose: str = PhoneCode.Purpose.REGISTER
) -> PhoneCode:
    """Send a fresh six-digit code to ``phone``: at most one per ``SMS_CODE_RESEND_S`` to a
    number, and ``SMS_CODES_PER_IP_HOUR`` an hour to one client address."""
    phone = _phone(phone)
    if client_ip and ratelimit.count(f"codes-ip:{client_ip}") >= settings.SMS_CODES_PER_IP_HOUR:
        raise ServiceError(
            "too_many_codes", _("Too many codes from this address; try again later."), status=429
        )
    if purpose == PhoneCode.Purpose.REGISTER and User.objects.filter(phone=phone).exists():
        raise ServiceError(
            "phone_taken", _("This number already has an account; log in instead."), field="phone"
        )
    now = timezone.now()
    recent = PhoneCode.objects.filter(
        phone=phone,
        purpose=purpose,
        created_at__gt=now - timedelta(seconds=settings.SMS_CODE_RESEND_S),
    )
    if recent.exists():
        raise ServiceError(
            "code_sent_recently",
            _("A code was sent less than a minute ago; wait before asking again."),
            field="phone",
            status=429,
        )
    if client_ip:
        ratelimit.hit(f"codes-ip:{client_ip}", 3600)
    code = f"{secrets.randbelow(10**6):06d}"
    record = PhoneCode.objects.create(
        phone=phone,
        purpose=purpose,
        code_hash=make_password(code),
        created_at=now,
        expires_at=now + timedelta(seconds=settings.SMS_CODE_TTL_S),
    )
    send_sms(
        phone,
        _("Your Youth Voice code is %(code)s; it expires in %(minutes)d minutes.")
        % {"code": code, "minutes": settings.SMS_CODE_TTL_S // 60},
    )
    return record


def _consume_code(*, phone: str, code: str, purpose: str) -> None:
    """Mark the latest code used if ``code`` matches it; a wrong guess is counted and kept."""
    refusal: ServiceError | None = None
    with transaction.atomic():
        record = (
            PhoneCode.objects.select_for_update()
            .filter(phone=phone, purpose=purpose, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if record is None:
            refusal = ServiceError("code_missing", _("Ask for a code first."), field="code")
        elif record.expires_at <= timezone.now():
            refusal = ServiceError(
                "code_expired", _("This code has expired; ask for a new one."), field="code"
            )
        elif record.attempts >= settings.SMS_CODE_MAX_ATTEMPTS:
            refusal = ServiceError(
                "code_attempts_exceeded",
                _("Too many wrong codes; ask for a new one."),
                field="code",
                status=429,
            )
        elif not check_password(code.strip(), record.code_hash):
            record.attempts += 1
            record.save(update_fields=["attempts"])
            refusal = ServiceError("code_invalid", _("The code is not right."), field="code")
        else:
            record.used_at = timezone.now()
            record.save(update_fields=["used_at"])
    if refusal is not None:
        raise refusal


def register(*, phone: str, code: str, password: str, name: str = "") -> User:
    """Create an account after checking the code sent to ``phone``."""
    phone = _phone(phone)
    try:
        validate_password(password, User(phone=phone, name=name))
    except ValidationError as exc:
        raise ServiceError("weak_password", " ".join(exc.messages), field="password") from exc
    if User.objects.filter(phone=phone).exists():
        raise ServiceError("phone_taken", _("This number already has an account."), field="phone")
    _consume_code(phone=phone, code=code, purpose=PhoneCode.Purpose.REGISTER)
    return User.objects.create_user(phone, password, name=name.strip())


def login(*, request, phone: str, password: str, client_ip: str) -> User:
    """The account for ``phone`` and ``password``; refuses after repeated failures."""
    phone = _phone(phone)
    limits = {
        f"login-phone:{phone}": settings.LOGIN_MAX_FAILURES,
        f"login-ip:{client_ip}": settings.LOGIN_MAX_FAILURES_PER_ADDRESS,
    }
    if any(ratelimit.count(key) >= limit for key, limit in limits.items()):
        minutes = settings.LOGIN_FAILURE_WINDOW_S // 60
        raise ServiceError(
            "too_many_attempts",
            _("Too many failed logins; try again in %(minutes)d minutes.") % {"minutes": minutes},
            status=429,
        )
    user = authenticate(request, phone=phone, password=password)
    if user is None:
        for key in limits:
            ratelimit.hit(key, settings.LOGIN_FAILURE_WINDOW_S)
        raise ServiceError(
            "invalid_credentials", _("The mobile number or password is not right."), status=401
        )
    ratelimit.reset(f"login-phone:{phone}")
    return user


def account_by_phone(phone: str) -> User:
    user = User.objects.filter(phone=_phone(phone)).first()
    if user is None:
        raise ServiceError(
            "unknown_account", _("No account has this number yet."), field="phone", status=404
        )
    return user


def check_grant(*, committee: Committee, kind: str) -> None:
    """Whether a role of ``kind`` may exist in ``committee`` (ServiceError if not)."""
    if kind not in Role.Kind.values:
        raise ServiceError("invalid_role", _("Unknown role."), field="kind")
    if kind == Role.Kind.AUDITOR and committee.level != Committee.Level.CENTRAL:
        raise ServiceError(
            "invalid_role", _("Only the central committee has auditors."), field="kind"
        )


def grant_role(*, user: User, committee: Committee, kind: str) -> Role:
    """Give ``user`` a staff role in ``committee`` (idempotent)."""
    check_grant(committee=committee, kind=kind)
    role, _created = Role.objects.get_or_create(user=user, committee=committee, kind=kind)
    return role


def revoke_role(*, user: User, committee: Committee, kind: str) -> None:
    Role.objects.filter(user=user, committee=committee, kind=kind).delete()
