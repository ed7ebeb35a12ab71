"""Read paths of the question loop: the public archive, search and similar questions."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from casework.models import Member, ReplyTemplate, Team
from franchise import synonyms
from franchise.text import Thesaurus, any_of, every, phrase, query_words

from .models import InternalNote, Question, QuestionEvent, Reply

ARCHIVED = (Question.State.ANSWERED, Question.State.SOLVED, Question.State.CLOSED)
WAITING = (Question.State.NEW, Question.State.ROUTED)


def archive() -> QuerySet[Question]:
    """Answered questions the asker let the public see, newest first."""
    return Question.objects.filter(state__in=ARCHIVED, is_public=True)


def _tsquery(raw: str) -> SearchQuery:
    return SearchQuery(raw, search_type="raw", config="simple")


def _matches(raw: str) -> RawSQL:
    """Whether a question's words match the tsquery ``raw`` (for ranking, not filtering)."""
    return RawSQL(
        f"{Question._meta.db_table}.search @@ %s::tsquery", [raw], output_field=BooleanField()
    )


def _tier(*conditions: RawSQL) -> Case:
    """The first of ``conditions`` a question meets, counted from the best (highest)."""
    best = len(conditions)
    return Case(
        *(When(condition, then=Value(best - i)) for i, condition in enumerate(conditions)),
        default=Value(0),
        output_field=IntegerField(),
    )


# The first-page order of a search: where the words stand together in the title, then all
# in the title, then together in the details, then anywhere; then by words' weight and count;
# the newest first among equals.
def search_archive(text: str, thesaurus: Thesaurus | None = None) -> QuerySet[Question]:
    """Archived questions containing every word searched for (by the ordinary cut, without
    function words, each also as the committee's words of the same meaning), most relevant
    first; when none has all of them, those with any of them, most words first."""
    thesaurus = thesaurus if thesaurus is not None else synonyms.current()
    found = query_words(text, thesaurus)
    if not found:
        return archive().none()
    questions = archive().filter(search=_tsquery(every(found, "", thesaurus)))
    if len(found) > 1 and not questions.exists():
        # Nothing has every word: the questions with most of them are the best there is.
        return _most_words(found, thesaurus)
    tier = _tier(
        _matches(phrase(found, "A")),
        _matches(every(found, "A", thesaurus)),
        _matches(phrase(found)),
    )
    return questions.annotate(
        tier=tier, rank=SearchRank(F("search"), _tsquery(every(found, "", thesaurus)))
    ).order_by("-tier", "-rank", "-created_at")


def _shared(found: list[str], thesaurus: Thesaurus) -> RawSQL:
    """How many of the words ``found`` a question has."""
    column = f"{Question._meta.db_table}.search"
    sql = " + ".join(f"({column} @@ %s::tsquery)::int" for _ in found)
    return RawSQL(
        f"({sql})", [any_of([word], "", thesaurus) for word in found], output_field=IntegerField()
    )


def _most_words(found: list[str], thesaurus: Thesaurus) -> QuerySet[Question]:
    """Archived questions having any of the words ``found``, most of them first."""
    return (
        archive()
        .filter(search=_tsquery(any_of(found, "", thesaurus)))
        .annotate(
            shared=_shared(found, thesaurus),
            rank=SearchRank(F("search"), _tsquery(any_of(found, "", thesaurus))),
            tier=_tier(_matches(any_of(found, "A", thesaurus))),
        )
        .order_by("-shared", "-tier", "-rank", "-created_at")
    )


SIMILAR_SOURCE = "qa.question"


def similar_questions(
    title: str,
    body: str = "",
    limit: int = 5,
    *,
    minimum: float | None = None,
    thesaurus: Thesaurus | None = None,
) -> list[Question]:
    """Answered public questions saying what is being typed, best first, each with its
    ``score`` (0–1, see ``similarity.service``) and ``is_duplicate`` (it says the same thing
    in nearly the same words)."""
    from similarity import service as similarity

    found = similarity.similar(
        SIMILAR_SOURCE,
        title,
        body,
        limit=limit,
        minimum=similarity.MINIMUM if minimum is None else minimum,
        thesaurus=thesaurus,
    )
    questions = archive().select_related("category", "asker").in_bulk([match.pk for match in found])
    shown = []
    for match in found:
        question = questions.get(match.pk)
        if question is not None:
            question.score = match.score  # type: ignore[attr-defined]
            question.is_duplicate = match.is_duplicate  # type: ignore[attr-defined]
            shown.append(question)
    return shown


def first_answer(question: Question) -> Reply | None:
    """The answer a reader meets first: the first published one by staff, else by a fellow
    youth; None when nothing is published."""
    published = question.replies.filter(kind=Reply.Kind.ANSWER, state=Reply.State.PUBLISHED)
    staff = published.exclude(author_kind=Reply.AuthorKind.PEER).order_by("id").first()
    return staff or published.order_by("id").first()


def answered_question(pk: int) -> Question | None:
    """The question ``pk`` if its answer may be offered to someone about to ask it again: in
    the public archive with a published answer."""
    return (
        archive()
        .filter(
            pk=pk,
            replies__kind=Reply.Kind.ANSWER,
            replies__state=Reply.State.PUBLISHED,
        )
        .select_related("category")
        .first()
    )


def duplicate_among(found: list[Question]) -> tuple[Question, Reply] | None:
    """The best of ``found`` (``similar_questions``) with its first answer when it says the
    same thing in nearly the same words (``similarity.service.DUPLICATE``) and has an answer
    to offer instead of asking."""
    if not found or not getattr(found[0], "is_duplicate", False):
        return None
    best = found[0]
    answer = first_answer(best)
    return (best, answer) if answer is not None else None


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


def waiting() -> QuerySet[Question]:
    """Questions waiting for staff here (triage or a team's queue), not transferred away."""
    return Question.objects.filter(state__in=WAITING, transferred_to="").select_related(
        "category", "team"
    )


def my_queue(user) -> QuerySet[Question]:
    return waiting().filter(assignee=user).order_by("respond_by", "id")


def team_queue(user, *, every_team: bool) -> QuerySet[Question]:
    """Questions in the queues of the user's teams (all teams for cadres and admins)."""
    questions = waiting().filter(team__isnull=False)
    if not every_team:
        teams = Member.objects.filter(user=user, is_active=True).values("team_id")
        questions = questions.filter(team_id__in=teams)
    return questions.order_by("respond_by", "id")


def triage_queue() -> QuerySet[Question]:
    """Questions no rule routed: staff classify, route or transfer them."""
    return waiting().filter(team__isnull=True).order_by("created_at", "id")


def overdue() -> QuerySet[Question]:
    return waiting().filter(overdue_at__isnull=False).order_by("respond_by", "id")


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


# ---------------------------------------------------------------- the workbench's desk


def handed_off_to(question: Question) -> str:
    """The page of the help case the question goes on as, if it does ("" otherwise)."""
    event = question.timeline.filter(kind=QuestionEvent.HANDED_OFF).order_by("-id").first()
    return event.data.get("link", "") if event else ""


def notes_of(question: Question) -> QuerySet[InternalNote]:
    """Staff's internal notes on ``question``, oldest first."""
    return question.notes.select_related("author")


def _team_ids(user) -> QuerySet:
    return Member.objects.filter(user=user, is_active=True).values("team_id")


def reply_templates_for(user, question: Question | None, *, every_team: bool):
    """The ready answers ``user`` may insert: those of the question's team and of the user's
    own teams (every team's for cadres and admins), the question's team first."""
    templates = ReplyTemplate.objects.select_related("team").filter(team__is_active=True)
    if not every_team:
        mine = Q(team_id__in=_team_ids(user))
        if question is not None and question.team_id:
            mine |= Q(team_id=question.team_id)
        templates = templates.filter(mine)
    found = list(templates.order_by("team__name", "title"))
    if question is not None and question.team_id:
        found.sort(key=lambda t: t.team_id != question.team_id)
    return found


def _in_reach(user, *, every_team: bool) -> QuerySet[Question]:
    """Waiting questions the user answers for: all of them for cadres and admins, else
    those of the user's teams and those assigned to the user."""
    found = waiting()
    if every_team:
        return found
    return found.filter(Q(team_id__in=_team_ids(user)) | Q(assignee=user))


def desk(user, *, every_team: bool, now, day_ends) -> dict:
    """The workbench home: my queue, what is overdue or due before ``day_ends``, and the
    backlog of each team in reach."""
    reach = _in_reach(user, every_team=every_team)
    late = Q(respond_by__lt=now) | Q(overdue_at__isnull=False)
    teams = Team.objects.filter(is_active=True)
    if not every_team:
        teams = teams.filter(pk__in=_team_ids(user))
    waiting_of = Q(qa_question_items__state__in=WAITING, qa_question_items__transferred_to="")
    backlog = teams.annotate(
        waiting=Count("qa_question_items", filter=waiting_of),
        late=Count(
            "qa_question_items",
            filter=waiting_of
            & (
                Q(qa_question_items__respond_by__lt=now)
                | Q(qa_question_items__overdue_at__isnull=False)
            ),
        ),
        oldest=Min("qa_question_items__created_at", filter=waiting_of),
    ).order_by("-late", "-waiting", "name")
    return {
        "mine": my_queue(user),
        "overdue": reach.filter(late).order_by("respond_by", "id"),
        "due_today": reach.exclude(late)
        .filter(respond_by__lt=day_ends)
        .order_by("respond_by", "id"),
        "backlog": backlog,
        "triage": triage_queue().count() if every_team else None,
    }


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
