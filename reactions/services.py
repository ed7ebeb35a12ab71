"""Reacting to something a portal publishes: like or roast it, mark an answer helpful or not.

A domain says what of its own takes reactions by registering a ``Reactable`` (from its
``AppConfig.ready``): the kinds it takes, who wrote or ran it (their own reactions do not
count), whether a youth may see it now, and how its timeline records a reaction. ``react``
stores the reaction and records it on the subject's timeline in one transaction, marked
``staff`` when it is not a youth's judgement, so the figures (``reactions.metrics``) leave it
out. One reaction of a kind per youth per item, kept: a like cannot be withdrawn and given
again to count twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from core import access
from core.errors import ServiceError
from tenants import outbox

from .models import EVENT_OF, Reaction

Kind = Reaction.Kind


@dataclass(frozen=True)
class Reactable:
    kinds: frozenset[str]
    authors: Callable[[Any], set[int]]  # who wrote or ran it
    # Appends an event to the subject's timeline: record(subject, kind, *, actor, **data).
    record: Callable[..., Any]
    is_shown: Callable[[Any], bool] = lambda subject: True


_reactables: dict[str, tuple[type[Model], Reactable]] = {}


def register(model: type[Model], reactable: Reactable) -> None:
    _reactables[model._meta.label_lower] = (model, reactable)


def reactable(label: str) -> tuple[type[Model], Reactable]:
    if label not in _reactables:
        raise ServiceError("not_reactable", _("This cannot be reacted to."), field="subject")
    return _reactables[label]


def react(*, youth, subject, kind: str) -> Reaction:
    """``youth`` reacts to ``subject`` with ``kind``; refuses a kind the subject does not
    take, a subject not shown, and a second reaction of the kind."""
    label = subject._meta.label_lower
    _model, rules = reactable(label)
    if kind not in rules.kinds:
        raise ServiceError("invalid_kind", _("This takes no such reaction."), field="kind")
    if not rules.is_shown(subject):
        raise ServiceError("not_shown", _("This is not shown any more."), status=409)
    judged = youth.pk not in rules.authors(subject) and not (
        access.access_to(youth, outbox.current_committee()).can_write
    )
    try:
        with transaction.atomic():
            made = Reaction.objects.create(
                subject_type=label, subject_id=subject.pk, kind=kind, youth=youth, counts=judged
            )
            rules.record(subject, EVENT_OF[Kind(kind)], actor=youth, staff=not judged)
    except IntegrityError:
        raise ServiceError(
            "already_reacted", _("You have done this already."), status=409
        ) from None
    return made


def load(label: str, pk: int):
    """The subject ``label`` #``pk`` a youth may see, or ServiceError (404)."""
    model, rules = reactable(label)
    subject = model._default_manager.filter(pk=pk).first()
    if subject is None or not rules.is_shown(subject):
        raise ServiceError("not_found", _("Not found."), status=404)
    return subject


def counts(label: str, ids: Iterable[int]) -> dict[int, Counter]:
    """The youths' reactions to each of ``ids`` by kind (staff's and authors' left out)."""
    found: dict[int, Counter] = {pk: Counter() for pk in ids}
    rows = Reaction.objects.filter(
        subject_type=label, subject_id__in=list(found), counts=True
    ).values_list("subject_id", "kind")
    for subject_id, kind in rows:
        found[subject_id][kind] += 1
    return found


def mine(user, label: str, ids: Iterable[int]) -> dict[int, set[str]]:
    """The kinds ``user`` has given each of ``ids``."""
    found: dict[int, set[str]] = {pk: set() for pk in ids}
    if getattr(user, "is_authenticated", False):
        rows = Reaction.objects.filter(
            subject_type=label, subject_id__in=list(found), youth=user
        ).values_list("subject_id", "kind")
        for subject_id, kind in rows:
            found[subject_id].add(kind)
    return found
