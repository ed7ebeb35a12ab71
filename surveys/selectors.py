"""Read paths of surveys: the open ones, and the results: per-option counts (a multiple
choice counts once per option chosen), a scale's points and mean, a ranking's mean rank,
a matrix's columns per row, and free text summed up by its words, from the origin's tally
(every committee below, for a survey sent down), with the number of responses per
committee; the responses as a table to export."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.models import SurveyTally
from tenants import outbox
from tenants.models import Committee

from .models import Answer, Question, Response, Survey
from .services import origin_of

TERMS_SHOWN = 20
TEXTS_SHOWN = 20


def open_surveys() -> QuerySet[Survey]:
    now = timezone.now()
    return Survey.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at", "id")


def managed() -> QuerySet[Survey]:
    return Survey.objects.order_by("-created_at", "-id")


@dataclass
class QuestionResult:
    question: Question
    counts: list[int] = field(default_factory=list)  # per option (per point on a scale)
    matrix: list[list[int]] = field(default_factory=list)  # per row, per column
    mean: float | None = None  # a scale's mean point
    mean_ranks: list[float | None] = field(default_factory=list)  # per option
    terms: list[tuple[str, int]] = field(default_factory=list)  # free text's words
    texts: list[str] = field(default_factory=list)  # the latest answers, here

    @property
    def pairs(self) -> list[tuple[str, int]]:
        return list(zip(self.labels, self.counts, strict=False))

    @property
    def ranked(self) -> list[tuple[str, float | None]]:
        return list(zip(self.question.options, self.mean_ranks, strict=False))

    @property
    def matrix_rows(self) -> list[tuple[str, list[int]]]:
        return list(zip(self.question.rows, self.matrix, strict=False))

    @property
    def labels(self) -> list[str]:
        if self.question.kind == Question.Kind.SCALE:
            return [str(point) for point in range(1, self.question.scale_max + 1)]
        return list(self.question.options)


@dataclass
class Results:
    survey: Survey
    responses: int
    questions: list[QuestionResult]
    by_committee: list[tuple[Committee, int]]  # responses in each committee's subtree


def _tally(survey: Survey, committees: QuerySet[Committee]) -> QuerySet[SurveyTally]:
    origin, origin_id = origin_of(survey)
    return SurveyTally.objects.filter(
        origin_committee=origin, origin_survey=origin_id, committee__in=committees
    )


def results(survey: Survey) -> Results:
    """The survey's results: of every committee below for one this committee sent down,
    else of this committee."""
    here = outbox.current_committee()
    if survey.is_sent_down:
        committees = Committee.objects.filter(path__startswith=here.path)
    else:
        committees = Committee.objects.filter(pk=here.pk)
    cells: dict[tuple[int, int, int, str], int] = {}
    for row in (
        _tally(survey, committees)
        .values("position", "option", "row", "term")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        cells[(row["position"], row["option"], row["row"], row["term"])] = row["n"]
    found = [_result(q, cells) for q in survey.questions.all()]
    return Results(
        survey=survey,
        responses=cells.get((0, -1, -1, ""), 0),
        questions=found,
        by_committee=_by_committee(survey, here) if survey.is_sent_down else [],
    )


def _result(question: Question, cells: dict) -> QuestionResult:
    kind, position, found = question.kind, question.position, QuestionResult(question)
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        found.counts = [cells.get((position, i, -1, ""), 0) for i in range(len(question.options))]
    elif kind == Question.Kind.SCALE:
        found.counts = [
            cells.get((position, p, -1, ""), 0) for p in range(1, question.scale_max + 1)
        ]
        total = sum(found.counts)
        if total:
            found.mean = round(sum(p * n for p, n in enumerate(found.counts, 1)) / total, 2)
    elif kind == Question.Kind.RANKING:
        n = len(question.options)
        for option in range(n):
            ranks = {rank: cells.get((position, option, rank, ""), 0) for rank in range(1, n + 1)}
            total = sum(ranks.values())
            found.counts.append(ranks.get(1, 0))  # how often it came first
            found.mean_ranks.append(
                round(sum(r * c for r, c in ranks.items()) / total, 2) if total else None
            )
    elif kind == Question.Kind.MATRIX:
        found.matrix = [
            [cells.get((position, column, row, ""), 0) for column in range(len(question.options))]
            for row in range(len(question.rows))
        ]
    else:
        terms = [(term, n) for (p, _o, _r, term), n in cells.items() if p == position and term]
        found.terms = sorted(terms, key=lambda t: (-t[1], t[0]))[:TERMS_SHOWN]
        found.texts = list(
            Answer.objects.filter(question=question)
            .exclude(text="")
            .order_by("-id")
            .values_list("text", flat=True)[:TEXTS_SHOWN]
        )
    return found


def _by_committee(survey: Survey, here: Committee) -> list[tuple[Committee, int]]:
    children = list(Committee.objects.filter(parent=here).order_by("path"))
    rows = []
    for child in children:
        below = Committee.objects.filter(path__startswith=child.path)
        n = _tally(survey, below).filter(position=0).aggregate(n=Sum("count"))["n"] or 0
        rows.append((child, n))
    return rows


# ---------------------------------------------------------------- export


def table(survey: Survey) -> tuple[list[str], list[list[str]]]:
    """This committee's responses, one a row (who answered only when not anonymous)."""
    questions = list(survey.questions.all())
    header = [
        "#",
        "time",
        *(["respondent"] if not survey.is_anonymous else []),
        *(f"{q.position}. {q.text}" for q in questions),
    ]
    answers: dict[int, dict[int, list[Answer]]] = {}
    for answer in Answer.objects.filter(response__survey=survey).order_by("id"):
        answers.setdefault(answer.response_id, {}).setdefault(answer.question_id, []).append(answer)
    rows = []
    responses = Response.objects.filter(survey=survey).select_related("respondent").order_by("id")
    for n, response in enumerate(responses, start=1):
        given = answers.get(response.pk, {})
        row = [str(n), timezone.localtime(response.created_at).strftime("%Y-%m-%d %H:%M")]
        if not survey.is_anonymous:
            row.append(str(response.respondent or ""))
        row.extend(_shown(q, given.get(q.pk, [])) for q in questions)
        rows.append(row)
    return header, rows


def _shown(question: Question, answers: list[Answer]) -> str:
    if question.kind == Question.Kind.TEXT:
        return "；".join(a.text for a in answers)
    if question.kind == Question.Kind.SCALE:
        return "；".join(str(a.value) for a in answers)
    if question.kind == Question.Kind.RANKING:
        ordered = sorted(answers, key=lambda a: a.value or 0)
        return " > ".join(question.options[a.option or 0] for a in ordered)
    if question.kind == Question.Kind.MATRIX:
        return "；".join(
            f"{question.rows[a.row or 0]}：{question.options[a.option or 0]}" for a in answers
        )
    return "；".join(question.options[a.option or 0] for a in answers)


def as_csv(survey: Survey) -> bytes:
    header, rows = table(survey)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([[_inert(cell) for cell in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode()  # a BOM: spreadsheets read it as UTF-8


def _inert(text: str) -> str:
    """A youth's text as a spreadsheet opening the CSV shows it, never a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def as_xlsx(survey: Survey) -> bytes:
    from openpyxl import Workbook

    header, rows = table(survey)
    book = Workbook()
    sheet = book.active
    sheet.title = str(_("Responses"))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a youth's text, never a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
