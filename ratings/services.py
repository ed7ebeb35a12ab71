"""Rating a thing: only the person who was served, once, 1–5 stars.

A rated model says who was served, who handled it, when it may be rated and how its
timeline records a rating by registering a ``Rateable`` (from its ``AppConfig.ready``)::

    ratings.register("qa.question", Rateable(served=lambda q: {q.asker_id},
                                             is_ready=lambda q: q.state == "solved",
                                             kind="qa.rated", record=services.record))

``rate`` stores the rating and records the rating event in the same transaction. It decides
itself whether the rating is a youth's judgement: one by the committee's own staff, by
someone who handled the thing, or by someone it credits, is kept but marked ``staff`` in the
event, and the figures and the standard score leave it out. The event says whom the rating
credits (``credited``: the handlers unless said otherwise; ``team`` and ``team_name``) under
the score's ``term``, and a keyed hash of the address it came from (``client``): the
standard score (``reporting.standing``) reads these from the timeline, as the figures do.
A youth's rating that says the thing did not happen as described (``real`` false) flags it
for the committee above to review (``Rateable.verified``, ``casework.truth``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from casework import truth
from core import access
from core.addresses import current_client
from core.errors import ServiceError
from reporting import standing
from tenants import outbox

from .models import Rating

COMMENT_MAX = 500


@dataclass(frozen=True)
class Rateable:
    served: Callable[[Any], set[int]]  # the accounts that were served
    kind: str  # the timeline kind of a rating ("qa.rated")
    # Appends an event to the subject's timeline: record(subject, kind, *, actor, **data).
    record: Callable[..., Any]
    is_ready: Callable[[Any], bool] = lambda subject: True
    # The accounts that handled it: their rating of it is not a youth's judgement.
    handlers: Callable[[Any], set[int]] = lambda subject: set()
    # The standard score's term its ratings count under ("answers", "help", "bookings",
    # "activities"; ``franchise.models.ScoreStandard``), and whom they credit: the accounts
    # (the handlers when not said) and the team.
    term: str = ""
    credited: Callable[[Any], set[int]] | None = None
    team: Callable[[Any], Any] = lambda subject: getattr(subject, "team", None)
    # What a youth's rating saying it did not happen as described (``real`` false) flags
    # for the committee above to review (``casework.truth``): the item itself, or none.
    verified: Callable[[Any], Any] | None = None


RATEABLES: dict[str, Rateable] = {}


def register(label: str, rateable: Rateable) -> None:
    RATEABLES[label] = rateable
    standing.RATED_KINDS.add(str(rateable.kind))


def label_of(subject) -> str:
    return subject._meta.label_lower


def rate(*, rater, subject, stars: int, comment: str = "", **facts) -> Rating:
    """Store ``rater``'s rating of ``subject``; refuses anyone not served, a second rating,
    and stars outside 1–5. ``facts`` go with the rating event (``real``: whether it happened
    as described)."""
    label = label_of(subject)
    rateable = RATEABLES.get(label)
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
    credited = (rateable.credited or rateable.handlers)(subject)
    # A self-rating (of something one answered or ran) is no youth's judgement either.
    judged = rater.pk not in credited and counts(rateable, subject, rater)
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                subject_type=label, subject_id=subject.pk, rater=rater, stars=stars, comment=comment
            )
            team = rateable.team(subject)
            rateable.record(
                subject,
                rateable.kind,
                actor=rater,
                stars=stars,
                staff=not judged,
                term=rateable.term,
                credited=sorted(credited),
                team=team.pk if team else None,
                team_name=team.name if team else "",
                client=_client_key(),
                **facts,
            )
            if facts.get("real") is False and judged and rateable.verified:
                truth.flag(rateable.verified(subject), reason=comment, ref=f"rating:{rating.pk}")
            return rating
    except IntegrityError:
        raise ServiceError("already_rated", _("You have rated this already."), status=409) from None


def counts(rateable: Rateable, subject, rater) -> bool:
    """Whether ``rater``'s rating is a youth's judgement of ``subject``: not by the
    committee's own staff, nor by anyone who handled it."""
    if rater.pk in rateable.handlers(subject):
        return False
    return not access.access_to(rater, outbox.current_committee()).can_write


def _client_key() -> str:
    """A keyed hash of the request's address: ratings from one address can be told apart
    without keeping the address."""
    address = current_client()
    if not address:
        return ""
    return salted_hmac("ratings.client", address, algorithm="sha256").hexdigest()[:32]


def rating_of(subject, rater) -> Rating | None:
    if not getattr(rater, "is_authenticated", False):
        return None
    return Rating.objects.filter(
        subject_type=label_of(subject), subject_id=subject.pk, rater=rater
    ).first()
