"""Activity in committees' schemas for rollup tests, and the figures it should give."""

from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone
from django_tenants.utils import schema_context

from qa import services
from qa.models import Question
from reporting.metrics import COLUMNS, local_day
from reporting.models import DailyFigures, ResponseTimes, ServedYouth, TopicCount
from reporting.selectors import Period

JOB = {"title": "应届生找工作被要求交培训费正常吗", "body": "面试通过后让先交三千元培训费"}


def schema(code: str) -> str:
    return code.replace("-", "_")


def ask(code: str, asker, **kwargs) -> Question:
    with schema_context(schema(code)):
        return services.ask_question(asker=asker, **{**JOB, "category": "career", **kwargs})


def answer(code: str, question: Question, author, body: str = "这是违法的，请拒绝并举报。"):
    with schema_context(schema(code)):
        return services.answer(question=question, author=author, body=body)


def solve_and_rate(code: str, question: Question, asker, stars: int) -> None:
    with schema_context(schema(code)):
        services.solve(question=question, asker=asker)
        services.rate(question=question, rater=asker, stars=stars)


def figures(committee, *, subtree: bool) -> dict[str, int]:
    """The committee's figures summed over every day and category."""
    sums = DailyFigures.objects.filter(committee=committee, is_subtree=subtree).aggregate(
        **{column: Sum(column) for column in COLUMNS}
    )
    return {column: sums[column] or 0 for column in COLUMNS}


def snapshot() -> list[tuple]:
    """Every figure row, to compare two ways of counting."""
    return sorted(
        DailyFigures.objects.values_list("committee_id", "is_subtree", "day", "category", *COLUMNS)
    )


def rate(code: str, question: Question, rater, stars: int) -> None:
    with schema_context(schema(code)):
        services.rate(question=question, rater=rater, stars=stars)


def every_figure() -> dict[str, list[tuple]]:
    """Every row of every figure table (the histogram, topics and youths served too)."""
    return {
        "figures": snapshot(),
        "responses": sorted(
            ResponseTimes.objects.values_list(
                "committee_id", "is_subtree", "day", "category", "bucket", "count"
            )
        ),
        "topics": sorted(
            TopicCount.objects.values_list(
                "committee_id", "is_subtree", "day", "category", "term", "count"
            )
        ),
        "served": sorted(
            ServedYouth.objects.values_list("committee_id", "day", "category", "user_id")
        ),
    }


def around_today(days: int = 60) -> Period:
    """A period wide enough for anything a test recorded (with the clock moved or not)."""
    today = local_day(timezone.now())
    return Period(today - timedelta(days=days), today + timedelta(days=days))


def without_visits(figures: dict[str, int]) -> dict[str, int]:
    return {column: value for column, value in figures.items() if column != "visits"}


def rated_answer(code: str, author, youth, stars: int) -> Question:
    """``youth`` asks in ``code``, ``author`` answers and the youth rates the answer."""
    question = ask(code, youth)
    answer(code, question, author)
    with schema_context(schema(code)):
        services.rate(question=question, rater=youth, stars=stars)
    return question
