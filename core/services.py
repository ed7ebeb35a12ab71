"""Write paths for accounts: one-time codes, registration, logins (by password or code), password
resets, roles."""

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

from . import challenges, ratelimit
from .errors import ServiceError
from .models import PhoneCode, Role, User
from .phones import normalise_phone
from .sms import send_sms


def _phone(raw: str) -> str:
    try:
        return normalise_phone(raw)
    except ValidationError as exc:
        raise ServiceError("invalid_phone", exc.messages[0], field="phone") from exc


def _codes_counter(client_ip: str) -> str:
    return f"codes-ip:{client_ip}"


def _login_counter(client_ip: str) -> str:
    return f"login-ip:{client_ip}"


def codes_need_challenge(client_ip: str) -> bool:
    """Whether the next code asked from ``client_ip`` needs the picture challenge."""
    return challenges.is_needed(_codes_counter(client_ip), settings.SMS_CODES_PER_IP_HOUR)


def login_needs_challenge(client_ip: str) -> bool:
    """Whether the next login from ``client_ip`` needs the picture challenge."""
    return challenges.is_needed(
        _login_counter(client_ip), settings.LOGIN_CHALLENGE_AFTER_FAILURES_PER_ADDRESS
    )


def code_wait_s(*, phone: str, purpose: str) -> int:
    """Seconds before another code may be sent to ``phone`` for ``purpose`` (0: now)."""
    try:
        phone = normalise_phone(phone)
    except ValidationError:
        return 0
    latest = PhoneCode.objects.filter(phone=phone, purpose=purpose).order_by("-created_at").first()
    if latest is None:
        return 0
    ready_at = latest.created_at + timedelta(seconds=settings.SMS_CODE_RESEND_S)
    return max(0, int((ready_at - timezone.now()).total_seconds() + 0.999))


def send_phone_code(
    *,
    phone: str,
    client_ip: str = "",
    purpose: str = PhoneCode.Purpose.REGISTER,
    challenge: challenges.Answer | None = None,
) -> PhoneCode:
    """Send a fresh six-digit code to ``phone`` for ``purpose``: at most one per
    ``SMS_CODE_RESEND_S`` and ``SMS_CODES_PER_PHONE_DAY`` a day to a number; past
    ``SMS_CODES_PER_IP_HOUR`` an hour from one client address, each needs the picture challenge.

    A code to sign in or reset the password is stored for a number without an account too, but
    not sent: the answer does not tell which numbers have accounts."""
    phone = _phone(phone)
    if purpose not in PhoneCode.Purpose.values:
        raise ServiceError("invalid_purpose", _("Unknown purpose."), field="purpose")
    if client_ip:
        challenges.demand(
            counter=_codes_counter(client_ip),
            limit=settings.SMS_CODES_PER_IP_HOUR,
            answer=challenge,
        )
    has_account = User.objects.filter(phone=phone, is_active=True).exists()
    if purpose == PhoneCode.Purpose.REGISTER and User.objects.filter(phone=phone).exists():
        raise ServiceError(
            "phone_taken", _("This number already has an account; log in instead."), field="phone"
        )
    now = timezone.now()
    if code_wait_s(phone=phone, purpose=purpose):
        raise ServiceError(
            "code_sent_recently",
            _("A code was sent less than a minute ago; wait before asking again."),
            field="phone",
            status=429,
        )
    sent_today = PhoneCode.objects.filter(phone=phone, created_at__gt=now - timedelta(days=1))
    if sent_today.count() >= settings.SMS_CODES_PER_PHONE_DAY:
        raise ServiceError(
            "too_many_codes",
            _("Too many codes to this number today; try again tomorrow."),
            field="phone",
            status=429,
        )
    if client_ip:
        ratelimit.hit(_codes_counter(client_ip), 3600)
    code = f"{secrets.randbelow(10**6):06d}"
    record = PhoneCode.objects.create(
        phone=phone,
        purpose=purpose,
        code_hash=make_password(code),
        created_at=now,
        expires_at=now + timedelta(seconds=settings.SMS_CODE_TTL_S),
    )
    if purpose == PhoneCode.Purpose.REGISTER or has_account:
        send_sms(phone, _code_text(code, purpose))
    return record


def _code_text(code: str, purpose: str) -> str:
    minutes = settings.SMS_CODE_TTL_S // 60
    if purpose == PhoneCode.Purpose.RESET:
        text = _(
            "Your Youth Voice code to reset the password is %(code)s; it expires in "
            "%(minutes)d minutes. If you did not ask for it, ignore this message."
        )
    elif purpose == PhoneCode.Purpose.LOGIN:
        text = _(
            "Your Youth Voice sign-in code is %(code)s; it expires in %(minutes)d minutes. "
            "Never tell it to anyone."
        )
    else:
        text = _("Your Youth Voice code is %(code)s; it expires in %(minutes)d minutes.")
    return text % {"code": code, "minutes": minutes}


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


def _refuse_locked(phone: str) -> None:
    if ratelimit.count(f"login-phone:{phone}") >= settings.LOGIN_MAX_FAILURES:
        minutes = settings.LOGIN_FAILURE_WINDOW_S // 60
        raise ServiceError(
            "too_many_attempts",
            _(
                "Too many failed logins; try again in %(minutes)d minutes, or sign in with a "
                "code by SMS."
            )
            % {"minutes": minutes},
            status=429,
        )


def login(
    *,
    request,
    phone: str,
    password: str,
    client_ip: str,
    challenge: challenges.Answer | None = None,
) -> User:
    """The account for ``phone`` and ``password``. A number is locked after
    ``LOGIN_MAX_FAILURES`` failures; an address with many failures is never locked, but each
    login from it must first answer the picture challenge."""
    phone = _phone(phone)
    _refuse_locked(phone)
    challenges.demand(
        counter=_login_counter(client_ip),
        limit=settings.LOGIN_CHALLENGE_AFTER_FAILURES_PER_ADDRESS,
        answer=challenge,
    )
    user = authenticate(request, phone=phone, password=password)
    if user is None:
        ratelimit.hit(f"login-phone:{phone}", settings.LOGIN_FAILURE_WINDOW_S)
        ratelimit.hit(_login_counter(client_ip), settings.LOGIN_FAILURE_WINDOW_S)
        raise ServiceError(
            "invalid_credentials", _("The mobile number or password is not right."), status=401
        )
    ratelimit.reset(f"login-phone:{phone}")
    return user


def login_with_code(
    *, phone: str, code: str, client_ip: str, challenge: challenges.Answer | None = None
) -> User:
    """The account for ``phone`` after checking the sign-in code sent to it (验证码登录). The
    code stands in for the password, so a number locked by wrong passwords still signs in."""
    phone = _phone(phone)
    challenges.demand(
        counter=_login_counter(client_ip),
        limit=settings.LOGIN_CHALLENGE_AFTER_FAILURES_PER_ADDRESS,
        answer=challenge,
    )
    try:
        _consume_code(phone=phone, code=code, purpose=PhoneCode.Purpose.LOGIN)
    except ServiceError:
        ratelimit.hit(_login_counter(client_ip), settings.LOGIN_FAILURE_WINDOW_S)
        raise
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is None:  # the code of a number without an account was never sent
        raise ServiceError("code_invalid", _("The code is not right."), field="code")
    ratelimit.reset(f"login-phone:{phone}")
    return user


def reset_password(*, phone: str, code: str, password: str) -> User:
    """Set a new password after checking the reset code sent to ``phone`` (忘记密码). The
    number's failed logins are forgotten and its refresh tokens revoked; its other sessions
    end with the old password."""
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

    phone = _phone(phone)
    user = User.objects.filter(phone=phone, is_active=True).first()
    try:
        validate_password(password, user or User(phone=phone))
    except ValidationError as exc:
        raise ServiceError("weak_password", " ".join(exc.messages), field="password") from exc
    _consume_code(phone=phone, code=code, purpose=PhoneCode.Purpose.RESET)
    if user is None:  # the code of a number without an account was never sent
        raise ServiceError("code_invalid", _("The code is not right."), field="code")
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        outstanding = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
        BlacklistedToken.objects.bulk_create(
            [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
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
