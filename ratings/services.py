"""Rating a thing: only the person who was served, once, 1–5 stars.

A rated model says who was served and when it may be rated by registering a ``Rateable``::

    ratings.register("qa.question", Rateable(served=lambda q: {q.asker_id},
                                             is_ready=lambda q: q.state == "solved"))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import ServiceError

from .models import Rating

COMMENT_MAX = 500


@dataclass(frozen=True)
class Rateable:
    served: Callable[[Any], set[int]]  # the accounts that were served
    is_ready: Callable[[Any], bool] = lambda subject: True


_registry: dict[str, Rateable] = {}


def register(label: str, rateable: Rateable) -> None:
    _registry[label] = rateable


def label_of(subject) -> str:
    return subject._meta.label_lower


def rate(*, rater, subject, stars: int, comment: str = "") -> Rating:
    """Store ``rater``'s rating of ``subject``; refuses anyone not served, a second rating,
    and stars outside 1–5."""
    label = label_of(subject)
    rateable = _registry.get(label)
    if rateable is None:
        raise ServiceError("not_rateable", _("This cannot be rated."))
    if rater.pk not in rateable.served(subject):
        raise ServiceError(
            "not_served", _("Only the person who was helped may rate it."), status=403
        )
    if not rateable.is_ready(subject):
        raise ServiceError("not_ready", _("This cannot be rated yet."), status=409)
    if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 5:
        raise ServiceError("invalid_stars", _("Give 1 to 5 stars."), field="stars")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ServiceError("too_long", _("Keep the comment under 500 characters."), field="comment")
    try:
        with transaction.atomic():
            return Rating.objects.create(
                subject_type=label, subject_id=subject.pk, rater=rater, stars=stars, comment=comment
            )
    except IntegrityError:
        raise ServiceError("already_rated", _("You have rated this already."), status=409) from None


def rating_of(subject, rater) -> Rating | None:
    if not getattr(rater, "is_authenticated", False):
        return None
    return Rating.objects.filter(
        subject_type=label_of(subject), subject_id=subject.pk, rater=rater
    ).first()
