"""Read paths of the question loop: the public archive, search and similar questions."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, QuerySet

from franchise.text import words

from .models import Question

ARCHIVED = (Question.State.ANSWERED, Question.State.SOLVED, Question.State.CLOSED)


def archive() -> QuerySet[Question]:
    """Answered questions the asker let the public see, newest first."""
    return Question.objects.filter(state__in=ARCHIVED, is_public=True)


def _query(text: str, *, every_word: bool) -> SearchQuery | None:
    found = list(dict.fromkeys(words(text)))
    if not found:
        return None
    joiner = " & " if every_word else " | "
    # Each word quoted as a lexeme, so nothing in it is read as tsquery syntax.
    raw = joiner.join("'" + word.replace("'", "''") + "'" for word in found)
    return SearchQuery(raw, search_type="raw", config="simple")


def search_archive(text: str) -> QuerySet[Question]:
    """Archived questions containing every word of ``text``, most relevant first."""
    query = _query(text, every_word=True)
    if query is None:
        return archive().none()
    return (
        archive()
        .filter(search=query)
        .annotate(rank=SearchRank(F("search"), query))
        .order_by("-rank", "-created_at")
    )


def similar_questions(title: str, body: str = "", limit: int = 5) -> QuerySet[Question]:
    """Answered questions sharing the most words with what is being typed."""
    query = _query(f"{title} {body}", every_word=False)
    if query is None:
        return archive().none()
    return (
        archive()
        .filter(search=query)
        .annotate(rank=SearchRank(F("search"), query))
        .order_by("-rank", "-created_at")[:limit]
    )


def visible_question(*, pk: int, user, is_staff: bool) -> Question | None:
    """The question if ``user`` may open it: staff see all, the asker their own, everyone
    else archived public ones."""
    question = Question.objects.select_related("category").filter(pk=pk).first()
    if question is None:
        return None
    if is_staff or (user.is_authenticated and question.asker_id == user.pk):
        return question
    return question if question.is_public and question.state in ARCHIVED else None


def questions_of(user) -> QuerySet[Question]:
    return Question.objects.filter(asker=user).select_related("category")
