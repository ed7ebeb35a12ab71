"""Read paths of the question loop: the public archive, search and similar questions."""

from __future__ import annotations

import time

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from franchise.text import words

from .models import Member, Question, Reply, RoutingRule, SupervisionItem

ARCHIVED = (Question.State.ANSWERED, Question.State.SOLVED, Question.State.CLOSED)
WAITING = (Question.State.NEW, Question.State.ROUTED)


def archive() -> QuerySet[Question]:
    """Answered questions the asker let the public see, newest first."""
    return Question.objects.filter(state__in=ARCHIVED, is_public=True)


# Similar questions leave out the words found in more than this many questions of the
# committee (的, 我, 怎么 …): they tell nothing about what is asked, and each one matches so
# many rows that ranking them all is what makes the look-up slow (bench/qa_archive.py).
COMMON_WORD_ROWS = 1000
COMMON_WORDS_TTL_S = 600.0
_common_words: dict[str, tuple[float, frozenset[str]]] = {}


def common_words() -> frozenset[str]:
    """The words in more than ``COMMON_WORD_ROWS`` of this committee's questions, estimated
    from the statistics ANALYZE (autovacuum) keeps on the search column. Read at most every
    ten minutes per process and committee: ``pg_stats`` finds a table by name, which gets
    slower as committees (schemas) accumulate."""
    schema = getattr(connection, "schema_name", "public")
    now = time.monotonic()
    cached = _common_words.get(schema)
    if cached is not None and now - cached[0] < COMMON_WORDS_TTL_S:
        return cached[1]
    table = Question._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT u.word
            FROM pg_stats s
            CROSS JOIN LATERAL unnest(
                s.most_common_elems::text::text[], s.most_common_elem_freqs
            ) AS u(word, freq)
            WHERE s.schemaname = %s AND s.tablename = %s AND s.attname = 'search'
              AND u.word IS NOT NULL  -- the frequencies end with three figures of their own
              AND u.freq * (SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)) > %s
            """,
            [schema, table, f'"{schema}"."{table}"', COMMON_WORD_ROWS],
        )
        found = frozenset(word for (word,) in cursor.fetchall())
    _common_words[schema] = (now, found)
    return found


def _query(
    text: str, *, every_word: bool, leave_out: frozenset[str] = frozenset()
) -> SearchQuery | None:
    found = [word for word in dict.fromkeys(words(text)) if word not in leave_out]
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
    """Answered questions sharing the most words with what is being typed, its words common
    to many questions left out (none when all of them are)."""
    query = _query(f"{title} {body}", every_word=False, leave_out=common_words())
    if query is None:
        return archive().none()
    return (
        archive()
        .filter(search=query)
        .annotate(rank=SearchRank(F("search"), query))
        .order_by("-rank", "-created_at")[:limit]
    )


def is_published(question: Question) -> bool:
    """Whether everyone may read it: public, past review and routing."""
    return question.is_public and question.state in (Question.State.ROUTED, *ARCHIVED)


def visible_question(*, pk: int, user, is_staff: bool) -> Question | None:
    """The question if ``user`` may open it: staff see all, the asker their own, everyone
    else published ones (open ones too, so that other youths may answer)."""
    question = Question.objects.select_related("category", "team").filter(pk=pk).first()
    if question is None:
        return None
    if is_staff or (user.is_authenticated and question.asker_id == user.pk):
        return question
    return question if is_published(question) else None


def open_questions() -> QuerySet[Question]:
    """Public questions still waiting for an answer: where fellow youths may help."""
    return Question.objects.filter(state=Question.State.ROUTED, is_public=True)


def replies_for(question: Question, *, user, is_staff: bool) -> QuerySet[Reply]:
    """Published replies; held ones too for staff and for their own author."""
    replies = question.replies.all()
    if not is_staff:
        mine = Q(author_id=user.pk) if user.is_authenticated else Q(pk__in=[])
        replies = replies.filter(Q(state=Reply.State.PUBLISHED) | (mine & ~Q(state="rejected")))
    return replies.select_related("author")


# ---------------------------------------------------------------- staff queues

QUEUES = ("mine", "team", "triage", "overdue", "review")


def _waiting() -> QuerySet[Question]:
    return Question.objects.filter(state__in=WAITING, transferred_to="").select_related(
        "category", "team"
    )


def my_queue(user) -> QuerySet[Question]:
    return _waiting().filter(assignee=user).order_by("respond_by", "id")


def team_queue(user, *, every_team: bool) -> QuerySet[Question]:
    """Questions in the queues of the user's teams (all teams for cadres and admins)."""
    questions = _waiting().filter(team__isnull=False)
    if not every_team:
        teams = Member.objects.filter(user=user, is_active=True).values("team_id")
        questions = questions.filter(team_id__in=teams)
    return questions.order_by("respond_by", "id")


def triage_queue() -> QuerySet[Question]:
    """Questions no rule routed: staff classify, route or transfer them."""
    return _waiting().filter(team__isnull=True).order_by("created_at", "id")


def overdue() -> QuerySet[Question]:
    return _waiting().filter(overdue_at__isnull=False).order_by("respond_by", "id")


def review_questions() -> QuerySet[Question]:
    return Question.objects.filter(state=Question.State.PENDING_REVIEW).order_by("id")


def review_replies() -> QuerySet[Reply]:
    return (
        Reply.objects.filter(state=Reply.State.PENDING_REVIEW)
        .select_related("question", "author")
        .order_by("id")
    )


def queue(name: str, user, *, every_team: bool) -> QuerySet[Question]:
    if name == "mine":
        return my_queue(user)
    if name == "team":
        return team_queue(user, every_team=every_team)
    if name == "triage":
        return triage_queue()
    if name == "overdue":
        return overdue()
    if name == "review":
        return review_questions()
    raise ValueError(name)


def queue_counts(user, *, every_team: bool) -> dict[str, int]:
    counts = {name: queue(name, user, every_team=every_team).count() for name in QUEUES}
    counts["review"] += review_replies().count()
    return counts


def member_taken(*, team, user, besides: int | None = None) -> bool:
    """Whether ``user`` is already in ``team`` (other than the membership ``besides``)."""
    return _other_than(Member.objects.filter(team=team, user=user), besides).exists()


def rule_taken(*, category=None, local_category=None, besides: int | None = None) -> bool:
    """Whether the local sub-category, else the standard category, already has a rule
    (other than the rule ``besides``)."""
    if local_category is not None:
        rules = RoutingRule.objects.filter(local_category=local_category)
    else:
        rules = RoutingRule.objects.filter(category=category, local_category__isnull=True)
    return _other_than(rules, besides).exists()


def _other_than(rows: QuerySet, pk: int | None) -> QuerySet:
    return rows if pk is None else rows.exclude(pk=pk)


def supervision_board() -> QuerySet[SupervisionItem]:
    return SupervisionItem.objects.all()


def questions_of(user) -> QuerySet[Question]:
    return Question.objects.filter(asker=user).select_related("category")


# ---------------------------------------------------------------- lists


def with_list_facts(questions: QuerySet[Question]) -> QuerySet[Question]:
    """``questions`` with what a list shows of each: ``answer_count`` (published answers),
    ``answered_by`` and ``answered_kind`` (the organisation and mode of help of the first
    published answer that is not a fellow youth's)."""
    published = Reply.objects.filter(
        question=OuterRef("pk"), kind=Reply.Kind.ANSWER, state=Reply.State.PUBLISHED
    )
    first = published.exclude(author_kind=Reply.AuthorKind.PEER).order_by("id")
    return questions.annotate(
        answer_count=Coalesce(
            Subquery(
                published.order_by().values("question").annotate(n=Count("id")).values("n")[:1]
            ),
            0,
        ),
        answered_by=Subquery(first.values("organisation")[:1]),
        answered_kind=Subquery(first.values("author_kind")[:1]),
    ).select_related("category")
