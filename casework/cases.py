"""The kinds of item casework handles, each registered by its domain.

A case-like item is a row with the casework fields (``casework.models.Handled``, and a
``category``); its domain says which
items wait for staff, how an event is recorded on it, how its staff are told and how it
moves to another committee, so that routing, deadlines, supervision and transfers work the
same for every domain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet

if TYPE_CHECKING:
    from tenants.models import Committee


@dataclass(frozen=True)
class Kinds:
    """The domain's timeline kinds for what casework does to its items."""

    overdue: str
    escalated: str
    urged: str
    transferred_out: str = ""
    transferred_in: str = ""


@dataclass(frozen=True)
class Transfers:
    """How a domain's items move between committees."""

    # The item's own fields for the receiving committee (JSON), besides its timeline.
    export: Callable[[Any], dict]
    # The receiver's copy, made from ``export``'s data: (data, origin_committee=, origin_id=).
    receive: Callable[..., Any]
    # The copy, with its history, joins the receiver's queues (routing, deadlines, telling).
    opened: Callable[[Any], None]
    # What a mirrored event changes on this copy: (item, event, extra); the event itself is
    # copied to the timeline after it.
    apply: Callable[[Any, dict, dict], None]
    # Refuse an item that may not move (its domain's reasons): raises ``ServiceError``.
    check: Callable[[Any], None] = lambda item: None
    # Told here once the item has gone: (item, receiving committee).
    moved: Callable[[Any, Committee], None] = lambda item, target: None


@dataclass(frozen=True)
class Referable:
    """How a domain's item sends its youth to an offline service (``homes.referrals``)."""

    youth: Callable[[Any], int]  # the account the service is for
    page: Callable[[Any], str]  # the youth's page of the item, a path on its portal
    thread: Callable[[Any], str]  # what was asked and said, masked, for the home's staff


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
    # How its items move to another committee (``casework.transfer``); None: they do not.
    transfers: Transfers | None = None
    # How its youth is sent to a youth home; None: it is not.
    referable: Referable | None = None

    def awaiting_response(self) -> QuerySet:
        return self.unanswered() if self.unanswered else self.waiting()


_types: dict[str, CaseType] = {}


def register(case_type: CaseType) -> None:
    _types[case_type.subject_type] = case_type


def registered() -> Iterable[CaseType]:
    return _types.values()


def of(subject_type: str) -> CaseType:
    return _types[subject_type]
