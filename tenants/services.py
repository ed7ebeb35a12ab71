"""Onboarding and managing committees."""

from __future__ import annotations

import functools
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context, schema_exists

from core.errors import ServiceError
from core.images import Raster, checked_upload
from core.models import Role, User
from core.phones import normalise_phone

from . import outbox, schema
from .models import RESERVED_CODES, Committee, Domain, OutboxAction, OutboxMessage

# Which level may sit under which: the tree central → province → city → county.
ALLOWED_PARENTS: dict[str, set[str]] = {
    Committee.Level.CENTRAL: set(),
    Committee.Level.PROVINCE: {Committee.Level.CENTRAL},
    Committee.Level.SECTOR: {Committee.Level.CENTRAL, Committee.Level.PROVINCE},
    Committee.Level.CITY: {Committee.Level.PROVINCE},
    Committee.Level.COUNTY: {Committee.Level.CITY},
    Committee.Level.UNIVERSITY: {
        Committee.Level.CENTRAL,
        Committee.Level.PROVINCE,
        Committee.Level.CITY,
    },
    Committee.Level.ENTERPRISE: {
        Committee.Level.CENTRAL,
        Committee.Level.PROVINCE,
        Committee.Level.CITY,
        Committee.Level.SECTOR,
    },
}


def _on_public_schema(service):
    """Committees live in the public schema; run the service there whatever the caller's."""

    @functools.wraps(service)
    def wrapped(*args, **kwargs):
        with schema_context(get_public_schema_name()):
            return service(*args, **kwargs)

    return wrapped


def schema_name_for(code: str) -> str:
    return code.replace("-", "_")


def _check_image(upload: UploadedFile | None, field: str) -> Raster | None:
    """A logo or banner: a raster image (PNG, JPEG, GIF, WebP) under the size limit."""
    return None if upload is None else checked_upload(upload, field=field)


def _validate(committee: Committee) -> None:
    """Field checks only: the callers have checked uniqueness and the parent already."""
    try:
        committee.full_clean(exclude=["logo", "banner", "parent"], validate_unique=False)
    except ValidationError as exc:
        errors = exc.message_dict
        field = "code" if "code" in errors else next(iter(errors))  # before its schema_name
        raise ServiceError("invalid", errors[field][0], field=field) from exc


@_on_public_schema
def provision_committee(
    *,
    code: str,
    name: str,
    level: str,
    parent: Committee | None,
    admin_phone: str,
    admin_name: str = "",
    admin_password: str | None = None,
    status: str = Committee.Status.ACTIVE,
    display_name: str = "",
    primary_colour: str = "#c8161d",
    slogan: str = "",
    logo: UploadedFile | None = None,
    banner: UploadedFile | None = None,
) -> Committee:
    """Create a committee with its schema, domain, branding and first admin: all or nothing.

    The admin's account is found by mobile number or created (without a usable password
    unless one is given: the person then registers that number, or resets it, to log in).
    """
    code = (code or "").strip().lower()
    # The code also names the schema: PostgreSQL's pg_* names are reserved too.
    if code in RESERVED_CODES or schema_name_for(code).startswith("pg_"):
        raise ServiceError("reserved_code", _("This code is reserved."), field="code")
    try:
        MaxLengthValidator(63)(code)  # PostgreSQL's limit for a schema name
    except ValidationError as exc:
        raise ServiceError("invalid", exc.messages[0], field="code") from exc
    if level not in ALLOWED_PARENTS:
        raise ServiceError("invalid_level", _("Unknown level."), field="level")
    allowed = ALLOWED_PARENTS[level]
    if (parent is None) != (not allowed) or (parent is not None and parent.level not in allowed):
        raise ServiceError(
            "invalid_parent",
            _("A committee of this level cannot sit there in the tree."),
            field="parent",
        )
    if level == Committee.Level.CENTRAL and Committee.objects.filter(level=level).exists():
        raise ServiceError(
            "invalid_level", _("There is already a central committee."), field="level"
        )
    if Committee.objects.filter(code=code).exists():
        raise ServiceError("code_taken", _("A committee with this code exists."), field="code")
    if schema_exists(schema_name_for(code)):  # information_schema, the template's schema
        raise ServiceError("reserved_code", _("This code is reserved."), field="code")
    try:
        phone = normalise_phone(admin_phone)
    except ValidationError as exc:
        raise ServiceError("invalid_phone", exc.messages[0], field="admin_phone") from exc
    logo_image, banner_image = _check_image(logo, "logo"), _check_image(banner, "banner")

    committee = Committee(
        code=code,
        name=name.strip(),
        level=level,
        parent=parent,
        status=status,
        schema_name=schema_name_for(code),
        path=f"{parent.path if parent else '/'}{code}/",
        display_name=display_name.strip(),
        primary_colour=primary_colour,
        slogan=slogan.strip(),
    )
    _validate(committee)

    try:
        with transaction.atomic():
            committee.save()
            Domain.objects.create(
                domain=f"{code}.{settings.BASE_DOMAIN}", tenant=committee, is_primary=True
            )
            schema.build_schema(committee.schema_name)
            admin = User.objects.filter(phone=phone).first()
            if admin is None:
                admin = User.objects.create_user(phone, admin_password, name=admin_name.strip())
            Role.objects.get_or_create(user=admin, committee=committee, kind=Role.Kind.ADMIN)
            # Files last: nothing is written to disk for a committee that was not created.
            if _store_images(committee, logo=logo_image, banner=banner_image):
                committee.save(update_fields=["logo", "banner"])
    except IntegrityError as exc:  # the same code onboarded at the same moment elsewhere
        raise ServiceError(
            "code_taken", _("A committee with this code exists."), field="code"
        ) from exc
    return committee


def _store_images(committee: Committee, *, logo: Raster | None, banner: Raster | None) -> bool:
    """Save the checked logo and banner on ``committee`` (not yet to the database), each
    under a new name with the extension of what it is."""
    for field, image in (("logo", logo), ("banner", banner)):
        if image is not None:
            name = f"{uuid.uuid4().hex}.{image.extension}"
            getattr(committee, field).save(name, ContentFile(image.content), save=False)
    return bool(logo or banner)


@_on_public_schema
def set_status(*, committee: Committee, status: str) -> Committee:
    if status not in Committee.Status.values:
        raise ServiceError("invalid_status", _("Unknown status."), field="status")
    committee.status = status
    committee.save(update_fields=["status"])
    return committee


@_on_public_schema
def update_branding(
    *,
    committee: Committee,
    display_name: str | None = None,
    primary_colour: str | None = None,
    slogan: str | None = None,
    logo: UploadedFile | None = None,
    banner: UploadedFile | None = None,
) -> Committee:
    """Change a committee's theme settings, the only way a portal's looks differ."""
    logo_image, banner_image = _check_image(logo, "logo"), _check_image(banner, "banner")
    if display_name is not None:
        committee.display_name = display_name.strip()
    if primary_colour is not None:
        committee.primary_colour = primary_colour
    if slogan is not None:
        committee.slogan = slogan.strip()
    _validate(committee)
    _store_images(committee, logo=logo_image, banner=banner_image)
    committee.save()
    return committee


@_on_public_schema
def remove_committee(*, committee: Committee) -> None:
    """Delete a committee and its schema (for committees made in error; tests use it too)."""
    with transaction.atomic():
        schema_name = committee.schema_name
        committee.domains.all().delete()
        committee.delete()
        schema.drop_schema(schema_name)


# ---------------------------------------------------------------- the outbox's dead messages

DISCARD_REASON_MAX = 500


@_on_public_schema
def retry_message(*, message: OutboxMessage, actor: User) -> OutboxMessage:
    """Give a dead message its attempts afresh, due at once, still ahead of its receiver's
    later messages (for when its cause is fixed); written to the outbox's audit log."""
    return _act_on_dead(message, actor=actor, kind=OutboxAction.Kind.RETRY, reason="")


@_on_public_schema
def discard_message(*, message: OutboxMessage, actor: User, reason: str) -> OutboxMessage:
    """Give a dead message up: it is never applied and its receiver's later messages go on.
    What it carried never reaches the receiver, so the reason is required; audited."""
    reason = reason.strip()
    if not reason:
        raise ServiceError(
            "reason_required", _("Say why the message is discarded."), field="reason"
        )
    if len(reason) > DISCARD_REASON_MAX:
        raise ServiceError(
            "invalid",
            _("At most %(n)s characters.") % {"n": DISCARD_REASON_MAX},
            field="reason",
        )
    return _act_on_dead(message, actor=actor, kind=OutboxAction.Kind.DISCARD, reason=reason)


def _act_on_dead(message: OutboxMessage, *, actor: User, kind: str, reason: str) -> OutboxMessage:
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if message.state != OutboxMessage.State.DEAD:
            raise ServiceError(
                "not_dead",
                _("Message #%(id)s is not dead (it is %(state)s).")
                % {"id": message.pk, "state": message.get_state_display()},
                status=409,
            )
        OutboxAction.objects.create(
            message=message,
            kind=kind,
            actor=actor,
            reason=reason,
            attempts=message.attempts,
            last_error=message.last_error,
        )
        if kind == OutboxAction.Kind.RETRY:
            message.attempts, message.next_attempt_at, message.dead_at = 0, None, None
        else:
            message.discarded_at = timezone.now()
        message.save(update_fields=["attempts", "next_attempt_at", "dead_at", "discarded_at"])
        # Either way the receiver's queue moves again.
        transaction.on_commit(outbox.schedule_delivery)
    return message
