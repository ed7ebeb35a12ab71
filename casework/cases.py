"""The kinds of item casework handles, each registered by its domain.

A case-like item is a row with the casework fields (``team``, ``assignee``, ``category``,
``respond_by``, ``resolve_by``, ``overdue_at``, ``escalated_at``); its domain says which
items wait for staff, how an event is recorded on it and how its staff are told, so that
routing, deadlines and supervision work the same for every domain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Kinds:
    """The domain's timeline kinds for what casework does to its items."""

    overdue: str
    escalated: str
    urged: str


@dataclass(frozen=True)
class CaseType:
    subject_type: str  # as the timeline names it (``timeline.subject_type_of``)
    model: type[Model]
    kinds: Kinds
    # Items waiting for staff here (open and not transferred away).
    waiting: Callable[[], QuerySet]
    # Append an event to the item's timeline (the domain's own path: it may mirror it).
    record: Callable[..., Any]
    # Tell staff about the item: (accounts, item, notification kind, **data).
    notify_staff: Callable[..., None]
    title: Callable[[Any], str]  # as the supervision board shows it: masked
    link: Callable[[Any], str]  # the staff page of the item, a path on its portal
    # The waiting items staff have not yet responded to (all waiting ones unless said).
    unanswered: Callable[[], QuerySet] | None = None

    def awaiting_response(self) -> QuerySet:
        return self.unanswered() if self.unanswered else self.waiting()


_types: dict[str, CaseType] = {}


def register(case_type: CaseType) -> None:
    _types[case_type.subject_type] = case_type


def registered() -> Iterable[CaseType]:
    return _types.values()


def of(subject_type: str) -> CaseType:
    return _types[subject_type]
