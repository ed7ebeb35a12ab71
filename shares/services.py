"""Share links: one a sharer and subject, opened by anyone; an open is counted once a
visitor a day and recorded on the subject's timeline by what the subject's domain
registered (``Shareable``, from its ``AppConfig.ready``)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import Share, ShareOpen


@dataclass(frozen=True)
class Shareable:
    url: Callable[[Any], str]  # the subject's page
    opened: Callable[[Any, Share], None]  # record an open on the subject's timeline
    is_shown: Callable[[Any], bool] = lambda subject: True  # may a visitor see it now


_shareables: dict[str, tuple[type[Model], Shareable]] = {}


def register(model: type[Model], shareable: Shareable) -> None:
    _shareables[model._meta.label_lower] = (model, shareable)


def link_for(subject, sharer=None) -> Share:
    """The subject's link shared by ``sharer`` (the same link every time)."""
    label = subject._meta.label_lower
    if label not in _shareables:
        raise ValueError(f"{label} cannot be shared")
    sharer_id = getattr(sharer, "pk", None) if getattr(sharer, "is_authenticated", False) else None
    found = Share.objects.filter(subject_type=label, subject_id=subject.pk, sharer_id=sharer_id)
    share = found.first()
    if share is not None:
        return share
    try:
        with transaction.atomic():
            return Share.objects.create(
                subject_type=label,
                subject_id=subject.pk,
                sharer_id=sharer_id,
                token=secrets.token_urlsafe(9)[:12],
            )
    except IntegrityError:  # made by another request at the same moment
        return found.get()


def _visitor(request) -> str:
    who = (
        f"user:{request.user.pk}"
        if request.user.is_authenticated
        else f"session:{request.session.session_key or ''}:{request.META.get('REMOTE_ADDR', '')}"
    )
    return salted_hmac("shares.visitor", who, algorithm="sha256").hexdigest()[:32]


def open_link(share: Share, request) -> str | None:
    """A visitor opened the link: counted once a visitor a day; where it leads (None when
    what it shares is gone or not shown)."""
    model, shareable = _shareables[share.subject_type]
    subject = model._default_manager.filter(pk=share.subject_id).first()
    if subject is None or not shareable.is_shown(subject):
        return None
    if not request.user.is_authenticated and request.session.session_key is None:
        request.session.save()  # a browser without an account is known by its session
    try:
        with transaction.atomic():
            ShareOpen.objects.create(
                share=share, visitor=_visitor(request), day=timezone.localdate()
            )
            Share.objects.filter(pk=share.pk).update(opens=F("opens") + 1)
            shareable.opened(subject, share)
    except IntegrityError:
        pass  # this visitor opened it today already
    return shareable.url(subject)
