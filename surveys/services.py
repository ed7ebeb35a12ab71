"""Write paths of surveys: publishing one (sent to every committee below when asked),
receiving one sent down, and responding: once an account, each answer checked, every
answer tallied for the survey's origin in the same transaction."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

import timeline
from core import access
from core.errors import ServiceError, checked_text
from core.models import Role
from franchise.text import topic_words
from reporting.models import SurveyRespondent, SurveyTally
from tenants import outbox
from tenants.models import Committee, OutboxMessage

from .models import Answer, Question, Response, Survey, SurveyEvent
from .questions import checked_answer, checked_questions, is_shown

Kind = SurveyEvent
TOPIC = "surveys.survey"
TERMS_PER_ANSWER = 20  # words of a free-text answer counted


def may_manage(user) -> bool:
    """The committee's cadres and admins publish surveys and read their results."""
    grant = access.access_to(user, outbox.current_committee())
    return grant.can_write and grant.has(Role.Kind.CADRE, Role.Kind.ADMIN)


def origin_of(survey: Survey) -> tuple[str, int]:
    """The committee and survey whose results this survey's answers count in."""
    if survey.origin_survey is not None:
        return survey.origin_committee, survey.origin_survey
    return outbox.current_committee_code(), survey.pk


def _make(definition: dict, **fields) -> Survey:
    survey = Survey.objects.create(
        title=definition["title"],
        description=definition.get("description", ""),
        is_anonymous=definition["is_anonymous"],
        opens_at=outbox.moment(definition["opens_at"]),
        closes_at=outbox.moment(definition["closes_at"]),
        **fields,
    )
    Question.objects.bulk_create(Question(survey=survey, **q) for q in definition["questions"])
    return survey


def publish(
    *,
    actor,
    title: str,
    questions,
    opens_at: datetime,
    closes_at: datetime,
    description: str = "",
    is_anonymous: bool = True,
    activity=None,
    send_down: bool = False,
) -> Survey:
    """Publish a survey of this committee (linked to the activity it prepares, if any);
    with ``send_down``, every committee below gets its own copy, whose answers count here."""
    if not may_manage(actor):
        raise ServiceError(
            "forbidden", _("Only the committee's staff publish surveys."), status=403
        )
    if closes_at <= opens_at:
        raise ServiceError("invalid", _("It must close after it opens."), field="closes_at")
    definition = {
        "title": checked_text(title, field="title", limit=100, required=_("Give it a title.")),
        "description": checked_text(description, field="description", limit=2000),
        "is_anonymous": bool(is_anonymous),
        "opens_at": opens_at.isoformat(),
        "closes_at": closes_at.isoformat(),
        "questions": checked_questions(list(questions)),
    }
    here = outbox.current_committee()
    with transaction.atomic():
        survey = _make(definition, activity=activity, is_sent_down=send_down, created_by=actor.pk)
        timeline.record(survey, Kind.PUBLISHED, actor=actor, category="other")
        if send_down:
            below = list(
                Committee.objects.filter(path__startswith=here.path)
                .exclude(pk=here.pk)
                .exclude(schema_name="public")
                .order_by("path")
                .values_list("code", flat=True)
            )
            outbox.send_each(
                TOPIC, receivers=below, payload={"survey": survey.pk, "definition": definition}
            )
            timeline.record(
                survey, Kind.SENT_DOWN, actor=actor, category="other", data={"to": len(below)}
            )
    return survey


@outbox.handles(TOPIC)
def survey_in(message: OutboxMessage) -> None:
    """A survey sent down from a committee above: our youths answer our copy (once)."""
    origin = message.payload["survey"]
    if Survey.objects.filter(origin_committee=message.sender, origin_survey=origin).exists():
        return
    with transaction.atomic():
        survey = _make(
            message.payload["definition"], origin_committee=message.sender, origin_survey=origin
        )
        timeline.record(
            survey,
            Kind.PUBLISHED,
            category="other",
            data={"from": message.sender, "copy": True},
        )


def is_open(survey: Survey, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return survey.opens_at <= now < survey.closes_at


def respondent_key(survey: Survey, user) -> str:
    """A keyed hash of the account, one a survey: one response an account, and nobody can
    tell from it who answered an anonymous survey."""
    value = f"{outbox.current_committee_code()}:{survey.pk}:{user.pk}"
    return salted_hmac("surveys.respondent", value, algorithm="sha256").hexdigest()[:32]


def _claim(survey: Survey, user) -> bool:
    """Record that the account answered the survey's tree, the original and every copy
    (``SurveyRespondent``, under a keyed hash of the account and the original); whether it
    had not answered it anywhere yet."""
    origin, origin_id = origin_of(survey)
    key = salted_hmac(
        "surveys.tree-respondent", f"{origin}:{origin_id}:{user.pk}", algorithm="sha256"
    ).hexdigest()[:32]
    table = SurveyRespondent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO public.{table} (origin_committee, origin_survey, key)"
            " VALUES (%s, %s, %s) ON CONFLICT DO NOTHING RETURNING 1",
            [origin, origin_id, key],
        )
        return cursor.fetchone() is not None


def _answered_already() -> ServiceError:
    return ServiceError(
        "already_responded", _("You have answered this survey already."), status=409
    )


def respond(*, survey: Survey, youth, answers: dict) -> Response:
    """``youth`` answers the survey, once; ``answers`` maps each question's position to its
    answer (an option's index, a list of them, a point, a ranking, a matrix's
    ``{row: column}``, a text). A question its display condition hides is not asked."""
    if not is_open(survey):
        raise ServiceError("closed", _("This survey is not open."), status=409)
    if not isinstance(answers, dict):
        raise ServiceError("invalid", _("Answer the questions."), field="answers")
    given = {int(k): v for k, v in answers.items() if str(k).isdecimal()}
    rows: list[tuple[Question, dict]] = []
    chosen: dict[int, set[int]] = {}
    for question in survey.questions.all():
        if not is_shown(question, chosen):
            continue
        for part in checked_answer(question, given.get(question.position)):
            rows.append((question, part))
            if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
                chosen.setdefault(question.position, set()).add(part["option"])
    try:
        with transaction.atomic():
            if not _claim(survey, youth):  # here, at the original or at another copy
                raise _answered_already()
            response = Response.objects.create(
                survey=survey,
                respondent_key=respondent_key(survey, youth),
                respondent=None if survey.is_anonymous else youth,
            )
            Answer.objects.bulk_create(
                Answer(response=response, question=question, **part) for question, part in rows
            )
            _tally(survey, rows)
            timeline.record(
                response,
                Kind.RESPONDED,
                category="other",
                youth=None if survey.is_anonymous else youth,
                data={"survey": survey.pk},
            )
    except IntegrityError:
        raise _answered_already() from None
    return response


def _tally(survey: Survey, rows: list[tuple[Question, dict]]) -> None:
    """Add the answers to the origin's tally (one row a cell, written in key order)."""
    origin, origin_id = origin_of(survey)
    cells: Counter = Counter({(0, -1, -1, ""): 1})  # position 0: the responses
    for question, part in rows:
        if question.kind == Question.Kind.TEXT:
            for term in list(dict.fromkeys(topic_words(part["text"])))[:TERMS_PER_ANSWER]:
                cells[(question.position, -1, -1, term[:40])] += 1
        elif question.kind == Question.Kind.SCALE:
            cells[(question.position, part["value"], -1, "")] += 1
        elif question.kind == Question.Kind.RANKING:
            cells[(question.position, part["option"], part["value"], "")] += 1
        else:
            cells[(question.position, part["option"], part.get("row", -1), "")] += 1
    committee_id = outbox.current_committee().pk
    table = SurveyTally._meta.db_table
    sql = (
        f"INSERT INTO public.{table} (origin_committee, origin_survey, committee_id, position,"
        ' "option", "row", term, count) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)'
        ' ON CONFLICT (origin_committee, origin_survey, committee_id, position, "option", "row",'
        f" term) DO UPDATE SET count = {table}.count + EXCLUDED.count"
    )
    with connection.cursor() as cursor:
        for (position, option, row, term), n in sorted(cells.items()):
            cursor.execute(sql, [origin, origin_id, committee_id, position, option, row, term, n])
