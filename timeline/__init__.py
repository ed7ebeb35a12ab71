"""The domain-neutral timeline: ``record`` appends an event, ``of`` reads a subject's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    from .models import Event


def label_of(subject: Model | type[Model]) -> str:
    """The subject type events name a model instance (or model) by: ``"qa.question"``."""
    return subject._meta.label_lower


def record(
    subject: Model,
    kind: str,
    *,
    category: str,
    actor: Any = None,
    state: str = "",
    youth: Any = None,
    topic: str = "",
    at=None,
    data: dict | None = None,
    origin: str = "",
) -> Event:
    """Append an event to ``subject``'s timeline; call it inside the changing transaction.
    ``actor`` and ``youth`` are accounts or their ids, ``topic`` the text the hot topics
    read (the question's title when it is asked), ``data`` what the metrics read; ``origin``
    names the event of another committee this one copies (``Event.origin``)."""
    from .models import Event

    fields: dict[str, Any] = {} if at is None else {"at": at}
    return Event.objects.create(
        subject_type=label_of(subject),
        subject_id=subject.pk,
        kind=kind,
        actor_id=getattr(actor, "pk", actor),
        state=state,
        category=category,
        youth_id=getattr(youth, "pk", youth),
        topic=topic,
        data=data or {},
        origin=origin,
        **fields,
    )


def of(subject: Model) -> QuerySet[Event]:
    """``subject``'s events, oldest first."""
    from .models import Event

    return Event.objects.filter(subject_type=label_of(subject), subject_id=subject.pk)
