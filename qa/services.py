"""Write paths of the question loop: 收集梳理 → 筛选分类 → 转接督办 → 反馈归档."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import TextField, Value
from django.utils.translation import gettext as _

from core.errors import ServiceError
from franchise import classifier, screening
from franchise.models import Category
from franchise.text import as_document

from .models import Question, TimelineEvent

TITLE_MAX = 100
BODY_MAX = 5000


def search_vector(title: str, body: str) -> SearchVector:
    """The segmented words of a question, as ``to_tsvector('simple', …)``."""
    return SearchVector(Value(as_document(title, body), output_field=TextField()), config="simple")


def record(question: Question, kind: str, *, actor=None, **data) -> TimelineEvent:
    """Append an event to the question's timeline (call inside the changing transaction)."""
    return TimelineEvent.objects.create(
        question=question,
        kind=kind,
        actor_id=getattr(actor, "pk", actor),
        state=question.state,
        category=question.category_id,
        data=data,
    )


def ask_question(
    *,
    asker,
    title: str,
    body: str = "",
    category: str | None = None,
    is_anonymous: bool = False,
    is_public: bool = True,
) -> Question:
    """A youth asks. Without a category the classifier chooses one; a sensitive term holds
    the question for review instead of letting it go on."""
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise ServiceError("required", _("A question needs a title."), field="title")
    if len(title) > TITLE_MAX:
        raise ServiceError("too_long", _("Keep the title under 100 characters."), field="title")
    if len(body) > BODY_MAX:
        raise ServiceError("too_long", _("Keep the details under 5,000 characters."), field="body")
    if category and not Category.objects.filter(code=category).exists():
        raise ServiceError("invalid_category", _("Unknown category."), field="category")
    suggestion = classifier.suggest(title, body)
    held_for = screening.screen(title, body)
    with transaction.atomic():
        question = Question.objects.create(
            asker=asker,
            title=title,
            body=body,
            category_id=category or suggestion.category,
            suggested_category=suggestion.category,
            suggested_confidence=suggestion.confidence,
            is_anonymous=is_anonymous,
            is_public=is_public,
            state=Question.State.PENDING_REVIEW if held_for else Question.State.NEW,
            held_for=held_for,
            search=search_vector(title, body),
        )
        record(
            question,
            TimelineEvent.Kind.ASKED,
            actor=asker,
            suggested=suggestion.category,
            confidence=suggestion.confidence,
            chosen_by_asker=bool(category),
        )
        if held_for:
            record(question, TimelineEvent.Kind.HELD, terms=held_for)
    return question
