"""What a question list shows of each question, for pages and the API alike
(templates/components/question_item.html renders it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from django.urls import reverse

from franchise.privacy import mask_personal_data
from qa.indexing import highlighted
from qa.models import Question, Reply

EXCERPT_CHARS = 60


@dataclass(frozen=True)
class QuestionItem:
    id: int
    url: str
    title: str
    title_html: str
    excerpt: str
    category: str
    state: str
    state_label: str
    date: datetime
    answered_by: str
    answer_count: int

    def as_dict(self) -> dict:
        return asdict(self)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of ``text`` on one line, cut at ``limit`` characters."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def answered_by(question: Question) -> str:
    """Who answered, as the list names them: the organisation, else the mode of help."""
    organisation = getattr(question, "answered_by", None) or ""
    if organisation:
        return organisation
    kind = getattr(question, "answered_kind", None)
    return str(Reply.AuthorKind(kind).label) if kind in Reply.AuthorKind.values else ""


def question_item(
    question: Question, *, masked: bool = True, found: Sequence[str] = ()
) -> QuestionItem:
    """One list line of a question annotated by ``qa.selectors.with_list_facts``; masked
    unless the viewer may read it as written (the asker), with the searched words ``found``
    marked in the title. Masking comes before cutting, so a number cut in half is still
    masked."""
    show = mask_personal_data if masked else (lambda text: text)
    title = show(question.title)
    return QuestionItem(
        id=question.pk,
        url=reverse("qa:question", args=[question.pk]),
        title=title,
        title_html=highlighted(title, list(found)),
        excerpt=excerpt(show(question.body)),
        category=question.category.name if question.category_id else "",
        state=question.state,
        state_label=str(question.get_state_display()),
        date=question.first_answered_at or question.created_at,
        answered_by=answered_by(question),
        answer_count=getattr(question, "answer_count", 0) or 0,
    )


def question_items(
    questions, *, masked: bool = True, found: Sequence[str] = ()
) -> list[QuestionItem]:
    return [question_item(q, masked=masked, found=found) for q in questions]


HOME_NOTICES = 5


def home_content(committee) -> dict:
    """What the portal's home shows: hot and recently answered questions, the latest notices
    and the committee's service alliances (the page and the API)."""
    from . import selectors

    return {
        "hot": question_items(selectors.hot_questions(committee=committee)),
        "recent": question_items(selectors.recently_answered()),
        "notices": list(selectors.notices_for(include_drafts=False)[:HOME_NOTICES]),
        "alliances": list(selectors.alliances()),
    }
