"""Demand surveys through their services and selectors: only a committee's cadres and admins
publish one, and only well-formed questions; a youth answers once, while it is open, each
answer checked for its kind (a question its display condition hides is not asked); the
results count a multiple choice once per option chosen, give a scale's mean, a ranking's
mean ranks, a matrix's cells and the words of free text; an anonymous survey keeps no
respondent; the export as CSV and Excel; a survey sent down reaches each committee below
once and its answers roll up to the sender; the timeline and the central figures count the
responses."""

import csv
import io
import re
from datetime import timedelta

import openpyxl
import pytest
import time_machine
from django.utils import timezone
from django_tenants.utils import schema_context

from core.errors import ServiceError
from franchise.text import topic_words
from reporting import shipping
from reporting.models import SurveyTally
from surveys import selectors, services
from surveys.models import Answer, Question, Response, Survey
from tenants import outbox
from tenants.models import OutboxMessage
from tests import factories
from tests.reporting.helpers import figures
from timeline.models import Event

# Every kind of question; the last one is asked only of those who chose 志愿服务 first.
QUESTIONS = [
    {
        "kind": "single",
        "text": "你最想参加哪类活动？",
        "options": ["志愿服务", "体育运动", "文化艺术"],
    },
    {"kind": "multiple", "text": "你方便的时间", "options": ["周末", "工作日晚上", "节假日"]},
    {"kind": "scale", "text": "你对上次活动的满意度", "scale_max": 5},
    {"kind": "ranking", "text": "你最看重什么", "options": ["时间", "地点", "内容"]},
    {
        "kind": "matrix",
        "text": "各类活动的评价",
        "rows": ["讲座", "培训"],
        "options": ["满意", "一般", "不满意"],
    },
    {"kind": "text", "text": "还有什么建议？", "is_required": False},
    {"kind": "text", "text": "你想做哪类志愿服务？", "shown_if": {"question": 1, "option": 0}},
]
# A complete answer to QUESTIONS (体育运动 first: question 7 is not asked).
FULL = {1: 1, 2: [0, 2], 3: 4, 4: [2, 0, 1], 5: {"0": 0, "1": 1}, 6: "希望多组织就业指导讲座"}


def refused(code: str, call) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.code == code, caught.value
    return caught.value


def schema(code: str) -> str:
    return code.replace("-", "_")


def publish(code: str, by, questions=None, **fields) -> Survey:
    """A survey of committee ``code`` open from a minute ago for a week."""
    now = timezone.now()
    values = {
        "title": "2026年暑期活动需求调查",
        "questions": QUESTIONS if questions is None else questions,
        "opens_at": now - timedelta(minutes=1),
        "closes_at": now + timedelta(days=7),
        **fields,
    }
    with schema_context(schema(code)):
        return services.publish(actor=by, **values)


def respond(code: str, survey: Survey, youth, answers: dict) -> Response:
    with schema_context(schema(code)):
        survey = Survey.objects.get(pk=survey.pk)
        return services.respond(survey=survey, youth=youth, answers=answers)


def results(code: str, survey: Survey) -> selectors.Results:
    with schema_context(schema(code)):
        return selectors.results(Survey.objects.get(pk=survey.pk))


def of(found: selectors.Results, position: int) -> selectors.QuestionResult:
    return next(r for r in found.questions if r.question.position == position)


def one(kind: str, **question) -> list[dict]:
    return [{"kind": kind, "text": "这个问题", **question}]


# ---------------------------------------------------------------- publishing


def test_the_committees_cadres_and_admins_publish_a_survey_with_its_questions(tree):
    made = publish("gd", tree["gd_cadre"], description="帮助我们安排暑期活动")
    by_admin = publish("gd", tree["gd_admin"], questions=one("text"))
    with schema_context("gd"):
        questions = list(Question.objects.filter(survey=made))
        assert [q.position for q in questions] == [1, 2, 3, 4, 5, 6, 7]
        assert [q.kind for q in questions] == [q["kind"] for q in QUESTIONS]
        assert questions[0].options == ["志愿服务", "体育运动", "文化艺术"]
        assert (questions[2].scale_max, questions[2].options) == (5, [])
        assert questions[4].rows == ["讲座", "培训"]
        assert [q.is_required for q in questions] == [True] * 5 + [False, True]
        assert questions[6].shown_if == {"question": 1, "option": 0}
        assert made.is_anonymous and not made.is_sent_down
        assert made.created_by == tree["gd_cadre"].pk and by_admin.created_by == tree["gd_admin"].pk
        published = Event.objects.filter(kind="surveys.published")
        assert sorted(published.values_list("subject_id", flat=True)) == [made.pk, by_admin.pk]
        assert not OutboxMessage.objects.exists()  # not sent down: no one else hears of it


@pytest.mark.parametrize("who", ["youth", "bj_cadre", "gz_cadre", "gd_expert", "auditor"])
def test_no_one_but_the_committees_cadres_and_admins_publishes(tree, who):
    refused("forbidden", lambda: publish("gd", tree[who]))
    with schema_context("gd"):
        assert not Survey.objects.exists()


def test_the_admin_above_does_not_publish_in_a_committee_below(tree):
    refused("forbidden", lambda: publish("gd-gz", tree["gd_admin"]))
    assert publish("gd-gz", tree["gz_cadre"]).pk


@pytest.mark.parametrize(
    "questions",
    [
        pytest.param([], id="no questions"),
        pytest.param(one("essay"), id="unknown kind"),
        pytest.param(one("single", text="  "), id="no text"),
        pytest.param(one("single", options=["是"]), id="a choice of one option"),
        pytest.param(one("multiple", options=["是", "  "]), id="a blank second option"),
        pytest.param(one("ranking"), id="a ranking without options"),
        pytest.param(one("matrix", options=["满意", "不满意"]), id="a matrix without rows"),
        pytest.param(one("scale", scale_max=11), id="a scale of 11 points"),
        pytest.param(one("scale", scale_max=1), id="a scale of 1 point"),
        pytest.param(
            [
                {"kind": "single", "text": "是否参加", "options": ["是", "否"]},
                {"kind": "text", "text": "原因", "shown_if": {"question": 3, "option": 0}},
                {"kind": "single", "text": "以后呢", "options": ["是", "否"]},
            ],
            id="a condition naming a later question",
        ),
        pytest.param(
            [
                {"kind": "single", "text": "是否参加", "options": ["是", "否"]},
                {"kind": "text", "text": "原因", "shown_if": {"question": 2, "option": 0}},
            ],
            id="a condition naming itself",
        ),
        pytest.param(
            [
                {"kind": "scale", "text": "满意度"},
                {"kind": "text", "text": "原因", "shown_if": {"question": 1, "option": 0}},
            ],
            id="a condition naming a scale",
        ),
        pytest.param(
            [
                {"kind": "text", "text": "建议"},
                {"kind": "text", "text": "原因", "shown_if": {"question": 1, "option": 0}},
            ],
            id="a condition naming a text",
        ),
        pytest.param(
            [
                {"kind": "single", "text": "是否参加", "options": ["是", "否"]},
                {"kind": "text", "text": "原因", "shown_if": {"question": 1, "option": 2}},
            ],
            id="a condition naming an option not there",
        ),
    ],
)
def test_badly_formed_questions_are_refused_and_nothing_is_published(tree, questions):
    error = refused("invalid", lambda: publish("gd", tree["gd_cadre"], questions=questions))
    assert error.field == "questions"
    with schema_context("gd"):
        assert not Survey.objects.exists() and not Question.objects.exists()


def test_a_survey_needs_a_title_and_to_close_after_it_opens(tree):
    now = timezone.now()
    early = refused("invalid", lambda: publish("gd", tree["gd_cadre"], opens_at=now, closes_at=now))
    assert early.field == "closes_at"
    assert refused("required", lambda: publish("gd", tree["gd_cadre"], title=" ")).field == "title"
    with schema_context("gd"):
        assert not Survey.objects.exists()


def test_a_condition_on_an_earlier_choice_is_kept(tree):
    made = publish(
        "gd",
        tree["gd_cadre"],
        questions=[
            {"kind": "multiple", "text": "你方便的时间", "options": ["周末", "工作日晚上"]},
            {"kind": "text", "text": "周末哪天？", "shown_if": {"question": 1, "option": 0}},
        ],
    )
    with schema_context("gd"):
        assert Question.objects.get(survey=made, position=2).shown_if == {
            "question": 1,
            "option": 0,
        }


# ---------------------------------------------------------------- responding


def test_a_youth_answers_once_and_the_answers_are_stored_by_kind(tree):
    survey = publish("gd", tree["gd_cadre"])
    made = respond("gd", survey, tree["youth"], FULL)
    refused("already_responded", lambda: respond("gd", survey, tree["youth"], FULL))
    with schema_context("gd"):
        assert Response.objects.filter(survey=survey).count() == 1
        rows = {
            (a.question.position, a.option, a.row, a.value, a.text)
            for a in Answer.objects.filter(response=made).select_related("question")
        }
    assert rows == {
        (1, 1, None, None, ""),
        (2, 0, None, None, ""),
        (2, 2, None, None, ""),
        (3, None, None, 4, ""),
        (4, 2, None, 1, ""),  # 内容 first
        (4, 0, None, 2, ""),
        (4, 1, None, 3, ""),
        (5, 0, 0, None, ""),
        (5, 1, 1, None, ""),
        (6, None, None, None, "希望多组织就业指导讲座"),
    }
    # The second attempt left no trace in the tally either.
    assert results("gd", survey).responses == 1


def test_a_survey_is_answered_only_while_it_is_open(tree):
    survey = publish("gd", tree["gd_cadre"])
    with time_machine.travel(survey.closes_at + timedelta(seconds=1), tick=False):
        refused("closed", lambda: respond("gd", survey, tree["youth"], FULL))
    with time_machine.travel(survey.opens_at - timedelta(seconds=1), tick=False):
        refused("closed", lambda: respond("gd", survey, tree["youth"], FULL))
    with time_machine.travel(survey.closes_at - timedelta(seconds=1), tick=False):
        respond("gd", survey, tree["youth"], FULL)
    assert results("gd", survey).responses == 1


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({1: 3}, id="single: an option not there"),
        pytest.param({1: -1}, id="single: a negative index"),
        pytest.param({1: True}, id="single: a boolean"),
        pytest.param({1: "1"}, id="single: a string"),
        pytest.param({1: [1]}, id="single: a list"),
        pytest.param({2: [0, 3]}, id="multiple: a bad index"),
        pytest.param({2: 0}, id="multiple: not a list"),
        pytest.param({3: 6}, id="scale: above its points"),
        pytest.param({3: 0}, id="scale: below 1"),
        pytest.param({3: 4.5}, id="scale: not a whole point"),
        pytest.param({4: [0, 0, 1]}, id="ranking: an option twice"),
        pytest.param({4: [0, 1]}, id="ranking: an option left out"),
        pytest.param({4: [0, 1, 2, 3]}, id="ranking: an option not there"),
        pytest.param({5: {"0": 0}}, id="matrix: a required row left out"),
        pytest.param({5: {"0": 0, "1": 3}}, id="matrix: a column not there"),
        pytest.param({5: {"0": 0, "1": 1, "2": 0}}, id="matrix: a row not there"),
        pytest.param({5: [0, 1]}, id="matrix: not a mapping"),
        pytest.param({6: "字" * 2001}, id="text: over 2000 characters"),
        pytest.param({3: None}, id="a required question left out"),
        pytest.param({1: ""}, id="a required choice left blank"),
    ],
)
def test_each_answer_is_checked_for_its_kind(tree, change):
    survey = publish("gd", tree["gd_cadre"])
    (position,) = change
    error = refused("invalid_answer", lambda: respond("gd", survey, tree["youth"], FULL | change))
    assert error.field == f"q{position}"
    with schema_context("gd"):
        assert not Response.objects.exists() and not Answer.objects.exists()
    assert results("gd", survey).responses == 0


def test_an_optional_question_may_be_left_out_and_a_text_may_be_2000_characters(tree):
    survey = publish("gd", tree["gd_cadre"])
    without = {k: v for k, v in FULL.items() if k != 6}
    left_out = respond("gd", survey, tree["youth"], without)
    blank = respond("gd", survey, factories.account(), FULL | {6: "   "})
    long = respond("gd", survey, factories.account(), FULL | {6: "字" * 2000})
    with schema_context("gd"):
        texts = Answer.objects.filter(question__position=6)
        assert not texts.filter(response__in=[left_out, blank]).exists()
        assert texts.get(response=long).text == "字" * 2000
    assert results("gd", survey).responses == 3


def test_a_question_hidden_by_its_condition_is_not_asked(tree):
    survey = publish("gd", tree["gd_cadre"])
    # 体育运动 chosen: question 7 (required) is hidden, left out, and ignored if given.
    respond("gd", survey, tree["youth"], FULL)
    ignored = respond("gd", survey, factories.account(), FULL | {7: "我想去社区服务"})
    # 志愿服务 chosen: question 7 is asked, and required.
    error = refused(
        "invalid_answer", lambda: respond("gd", survey, factories.account(), FULL | {1: 0})
    )
    assert error.field == "q7"
    asked = respond("gd", survey, factories.account(), FULL | {1: 0, 7: "社区服务"})
    with schema_context("gd"):
        sevens = Answer.objects.filter(question__position=7)
        assert not sevens.filter(response=ignored).exists()
        assert list(sevens.values_list("response_id", "text")) == [(asked.pk, "社区服务")]
    assert results("gd", survey).responses == 3


def test_a_condition_on_a_multiple_choice_asks_when_that_option_is_among_those_chosen(tree):
    survey = publish(
        "gd",
        tree["gd_cadre"],
        questions=[
            {"kind": "multiple", "text": "你方便的时间", "options": ["周末", "工作日晚上"]},
            {"kind": "single", "text": "周末哪天？", "options": ["周六", "周日"]},
            {"kind": "text", "text": "晚上几点以后？", "shown_if": {"question": 1, "option": 1}},
        ],
    )
    respond("gd", survey, tree["youth"], {1: [0], 2: 0})
    error = refused(
        "invalid_answer", lambda: respond("gd", survey, factories.account(), {1: [0, 1], 2: 1})
    )
    assert error.field == "q3"
    respond("gd", survey, factories.account(), {1: [0, 1], 2: 1, 3: "七点以后"})
    assert results("gd", survey).responses == 2


# ---------------------------------------------------------------- results


def test_a_multiple_choice_counts_once_per_option_chosen(tree):
    survey = publish(
        "gd",
        tree["gd_cadre"],
        questions=one("multiple", options=["周末", "工作日晚上", "节假日"]),
    )
    for chosen in ([0, 2], [2], [0, 1, 2]):
        respond("gd", survey, factories.account(), {1: chosen})
    found = results("gd", survey)
    assert found.responses == 3
    assert of(found, 1).counts == [2, 1, 3]  # per option, not per combination
    assert of(found, 1).pairs == [("周末", 2), ("工作日晚上", 1), ("节假日", 3)]
    with schema_context("gd"):
        assert Answer.objects.count() == 6


def test_a_single_choice_counts_its_options(tree):
    survey = publish(
        "gd", tree["gd_cadre"], questions=one("single", options=["是", "否", "不确定"])
    )
    for chosen in (0, 0, 2, 0):
        respond("gd", survey, factories.account(), {1: chosen})
    assert of(results("gd", survey), 1).counts == [3, 0, 1]


def test_a_scale_counts_each_point_and_gives_the_mean(tree):
    survey = publish("gd", tree["gd_cadre"], questions=one("scale", scale_max=5))
    for point in (5, 4, 4, 1):
        respond("gd", survey, factories.account(), {1: point})
    found = of(results("gd", survey), 1)
    assert found.counts == [1, 0, 0, 2, 1]
    assert found.labels == ["1", "2", "3", "4", "5"]
    assert found.mean == 3.5


def test_a_scale_without_answers_has_no_mean(tree):
    survey = publish("gd", tree["gd_cadre"], questions=one("scale", scale_max=7, is_required=False))
    respond("gd", survey, tree["youth"], {})
    found = of(results("gd", survey), 1)
    assert (found.counts, found.mean) == ([0] * 7, None)


def test_a_ranking_gives_each_options_mean_rank_and_how_often_it_came_first(tree):
    survey = publish(
        "gd", tree["gd_cadre"], questions=one("ranking", options=["时间", "地点", "内容"])
    )
    for order in ([0, 1, 2], [1, 0, 2], [0, 2, 1]):
        respond("gd", survey, factories.account(), {1: order})
    found = of(results("gd", survey), 1)
    # 时间 ranked 1, 2, 1; 地点 2, 1, 3; 内容 3, 3, 2.
    assert found.mean_ranks == [1.33, 2.0, 2.67]
    assert found.counts == [2, 1, 0]
    assert found.ranked == [("时间", 1.33), ("地点", 2.0), ("内容", 2.67)]


def test_a_matrix_counts_each_rows_columns(tree):
    survey = publish(
        "gd",
        tree["gd_cadre"],
        questions=one("matrix", rows=["讲座", "培训"], options=["满意", "一般", "不满意"]),
    )
    for given in ({"0": 0, "1": 1}, {"0": 0, "1": 2}, {"0": 2, "1": 1}):
        respond("gd", survey, factories.account(), {1: given})
    found = of(results("gd", survey), 1)
    assert found.matrix == [[2, 0, 1], [0, 2, 1]]
    assert found.matrix_rows == [("讲座", [2, 0, 1]), ("培训", [0, 2, 1])]


def test_an_optional_matrix_may_leave_rows_out(tree):
    survey = publish(
        "gd",
        tree["gd_cadre"],
        questions=one(
            "matrix", rows=["讲座", "培训"], options=["满意", "不满意"], is_required=False
        ),
    )
    respond("gd", survey, tree["youth"], {1: {"1": 1}})
    assert of(results("gd", survey), 1).matrix == [[0, 0], [0, 1]]


def test_a_required_matrix_counts_each_row_once_however_its_keys_are_spelt(tree):
    """Row keys are numbers: "00" or "０" name row 0 again, so they cannot stand in for a
    row left out, nor count row 0 twice in one response."""
    survey = publish(
        "gd",
        tree["gd_cadre"],
        questions=one("matrix", rows=["讲座", "培训"], options=["满意", "不满意"]),
    )
    for again in ("00", "\uff10"):
        given = {1: {"0": 0, again: 1}}
        error = refused(
            "invalid_answer", lambda given=given: respond("gd", survey, factories.account(), given)
        )
        assert error.field == "q1"
    with schema_context("gd"):
        assert not Response.objects.exists()
    assert of(results("gd", survey), 1).matrix == [[0, 0], [0, 0]]


def test_free_text_is_summed_up_by_its_words(tree):
    texts = ["希望多组织就业指导讲座", "就业信息太少了", "想参加志愿服务"]
    assert all("就业" in topic_words(t) for t in texts[:2]) and "就业" not in topic_words(texts[2])
    survey = publish("gd", tree["gd_cadre"], questions=one("text"))
    for text in texts:
        respond("gd", survey, factories.account(), {1: text})
    found = of(results("gd", survey), 1)
    assert found.terms[0] == ("就业", 2)
    assert dict(found.terms) == {
        word: sum(word in topic_words(t) for t in texts) for t in texts for word in topic_words(t)
    }
    assert found.texts == list(reversed(texts))  # the latest first
    assert found.counts == []


def test_a_word_said_twice_in_one_answer_counts_once(tree):
    survey = publish("gd", tree["gd_cadre"], questions=one("text"))
    respond("gd", survey, tree["youth"], {1: "就业就业，还是就业"})
    assert dict(of(results("gd", survey), 1).terms)["就业"] == 1


# ---------------------------------------------------------------- anonymity and export


def test_an_anonymous_survey_keeps_no_respondent_and_its_export_names_no_one(tree):
    survey = publish("gd", tree["gd_cadre"])
    respond("gd", survey, tree["youth"], FULL)
    with schema_context("gd"):
        response = Response.objects.get()
        assert response.respondent is None and response.respondent_key
        assert str(tree["youth"].pk) not in response.respondent_key
        event = Event.objects.get(kind="surveys.responded")
        assert event.youth_id is None and event.actor_id is None
        header, rows = selectors.table(Survey.objects.get(pk=survey.pk))
    assert "respondent" not in header
    assert header[:2] == ["#", "time"] and len(header) == 2 + len(QUESTIONS)
    assert not any("小青" in cell for row in rows for cell in row)


def test_a_named_survey_keeps_who_answered_and_exports_it(tree):
    survey = publish("gd", tree["gd_cadre"], is_anonymous=False)
    respond("gd", survey, tree["youth"], FULL)
    with schema_context("gd"):
        assert Response.objects.get().respondent == tree["youth"]
        assert Event.objects.get(kind="surveys.responded").youth_id == tree["youth"].pk
        header, rows = selectors.table(Survey.objects.get(pk=survey.pk))
    assert header[:3] == ["#", "time", "respondent"]
    assert [row[2] for row in rows] == ["小青"]


def test_the_csv_export_has_a_bom_and_a_row_per_response(tree):
    survey = publish("gd", tree["gd_cadre"], is_anonymous=False)
    respond("gd", survey, tree["youth"], FULL)
    respond("gd", survey, factories.account(name="小红"), FULL | {1: 0, 2: [1], 7: "社区"})
    with schema_context("gd"):
        body = selectors.as_csv(Survey.objects.get(pk=survey.pk))
    assert body.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert header[:3] == ["#", "time", "respondent"]
    assert header[3:] == [f"{n}. {q['text']}" for n, q in enumerate(QUESTIONS, start=1)]
    assert len(rows) == 2
    assert [row[:1] + row[2:] for row in rows] == [
        [
            "1",
            "小青",
            "体育运动",
            "周末；节假日",
            "4",
            "内容 > 时间 > 地点",
            "讲座：满意；培训：一般",
            "希望多组织就业指导讲座",
            "",
        ],
        [
            "2",
            "小红",
            "志愿服务",
            "工作日晚上",
            "4",
            "内容 > 时间 > 地点",
            "讲座：满意；培训：一般",
            "希望多组织就业指导讲座",
            "社区",
        ],
    ]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[1]) for row in rows), rows


def test_the_xlsx_export_opens_with_the_header_and_the_rows(tree):
    survey = publish("gd", tree["gd_cadre"])
    respond("gd", survey, tree["youth"], FULL)
    respond("gd", survey, factories.account(), FULL | {2: [0, 1, 2]})
    with schema_context("gd"):
        body = selectors.as_xlsx(Survey.objects.get(pk=survey.pk))
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header == ["#", "time", *(f"{n}. {q['text']}" for n, q in enumerate(QUESTIONS, 1))]
    assert [row[0] for row in rows] == ["1", "2"]
    assert [row[3] for row in rows] == ["周末；节假日", "周末；工作日晚上；节假日"]
    assert rows[0][6] == "讲座：满意；培训：一般"


def test_a_youths_text_that_looks_like_a_formula_stays_text_in_the_xlsx_export(tree):
    """A youth's answer is data: "=HYPERLINK(…)" must not become a live formula in the
    spreadsheet the committee's staff open."""
    survey = publish("gd", tree["gd_cadre"], questions=one("text"))
    respond("gd", survey, tree["youth"], {1: '=HYPERLINK("http://example.com","点此领奖")'})
    with schema_context("gd"):
        body = selectors.as_xlsx(Survey.objects.get(pk=survey.pk))
    cell = openpyxl.load_workbook(io.BytesIO(body)).active.cell(row=2, column=3)
    assert cell.data_type != "f", cell.value


# ---------------------------------------------------------------- sent down


def test_a_survey_sent_down_reaches_each_committee_below_once_and_rolls_up(tree):
    survey = publish("gd", tree["gd_cadre"], send_down=True)
    assert survey.is_sent_down
    assert list(OutboxMessage.objects.values_list("sender", "receiver", "topic")) == [
        ("gd", "gd-gz", "surveys.survey")
    ]
    with schema_context("gd"):
        sent = Event.objects.get(kind="surveys.sent_down")
        assert sent.subject_id == survey.pk and sent.data == {"to": 1}
    assert outbox.deliver() == 1
    assert outbox.deliver() == 0
    message = OutboxMessage.objects.get()
    with schema_context("gd_gz"):
        copy = Survey.objects.get()
        # Applied again (a replay), it makes no second copy.
        services.survey_in(message)
        assert Survey.objects.count() == 1
        assert (copy.origin_committee, copy.origin_survey) == ("gd", survey.pk)
        assert not copy.is_sent_down and copy.title == survey.title
        assert (copy.opens_at, copy.closes_at) == (survey.opens_at, survey.closes_at)
        assert list(Question.objects.filter(survey=copy).values_list("kind", flat=True)) == [
            q["kind"] for q in QUESTIONS
        ]
        assert Event.objects.filter(kind="surveys.published", subject_id=copy.pk).exists()
    for code in ("bj", "central"):
        with schema_context(code):
            assert not Survey.objects.exists(), code

    # Two youths answer at Guangdong, one at Guangzhou; an account answers once for the whole
    # tree, at the original or at a copy.
    respond("gd", survey, tree["youth"], FULL)
    respond("gd", survey, factories.account(), FULL | {1: 0, 2: [1], 7: "社区"})
    with pytest.raises(ServiceError) as again:
        respond("gd-gz", copy, tree["youth"], FULL)
    assert again.value.code == "already_responded"
    respond("gd-gz", copy, factories.account(), FULL | {1: 2, 2: [0, 1, 2], 3: 1})

    everywhere = results("gd", survey)
    assert everywhere.responses == 3
    assert of(everywhere, 1).counts == [1, 1, 1]
    assert of(everywhere, 2).counts == [2, 2, 2]
    assert of(everywhere, 3).counts == [1, 0, 0, 2, 0]
    assert of(everywhere, 5).matrix == [[3, 0, 0], [0, 3, 0]]
    assert [(c.code, n) for c, n in everywhere.by_committee] == [("gd-gz", 1)]

    here = results("gd-gz", copy)
    assert here.responses == 1 and here.by_committee == []
    assert of(here, 1).counts == [0, 0, 1]
    assert of(here, 2).counts == [1, 1, 1]
    assert of(here, 3).mean == 1.0
    # Each committee's tally rows are its own, under the origin's name.
    assert set(SurveyTally.objects.values_list("origin_committee", "origin_survey")) == {
        ("gd", survey.pk)
    }
    assert set(SurveyTally.objects.values_list("committee__code", flat=True)) == {"gd", "gd-gz"}
    # The export is each committee's own responses.
    with schema_context("gd_gz"):
        assert len(selectors.table(copy)[1]) == 1
    with schema_context("gd"):
        assert len(selectors.table(Survey.objects.get(pk=survey.pk))[1]) == 2


def test_a_survey_sent_down_from_the_centre_reaches_every_committee_and_is_summed_per_branch(
    tree,
):
    survey = publish("central", tree["central_admin"], send_down=True)
    assert sorted(OutboxMessage.objects.values_list("receiver", flat=True)) == [
        "bj",
        "gd",
        "gd-gz",
    ]
    assert outbox.deliver() == 3
    copies = {}
    for code in ("gd", "gd_gz", "bj"):
        with schema_context(code):
            copies[code] = Survey.objects.get(origin_committee="central", origin_survey=survey.pk)
    respond("gd", copies["gd"], tree["youth"], FULL)
    respond("gd-gz", copies["gd_gz"], factories.account(), FULL)
    respond("gd-gz", copies["gd_gz"], factories.account(), FULL)
    found = results("central", survey)
    assert found.responses == 3
    assert [(c.code, n) for c, n in found.by_committee] == [("bj", 0), ("gd", 3)]
    assert results("gd", copies["gd"]).responses == 1  # gd's copy: gd's answers


def test_a_survey_not_sent_down_stays_with_its_committee(tree):
    publish("gd", tree["gd_cadre"])
    assert not OutboxMessage.objects.exists() and outbox.deliver() == 0
    with schema_context("gd_gz"):
        assert not Survey.objects.exists()


def test_the_timeline_records_responses_and_the_figures_count_them(tree):
    survey = publish("gd", tree["gd_cadre"], send_down=True)
    outbox.deliver()
    with schema_context("gd_gz"):
        copy = Survey.objects.get()
    respond("gd", survey, tree["youth"], FULL)
    respond("gd", survey, factories.account(), FULL)
    respond("gd-gz", copy, factories.account(), FULL)
    with schema_context("gd"):
        events = Event.objects.filter(kind="surveys.responded")
        assert events.count() == 2
        assert {e.data["survey"] for e in events} == {survey.pk}
        assert {e.subject_type for e in events} == {"surveys.response"}
    with schema_context("gd_gz"):
        assert Event.objects.filter(kind="surveys.responded").count() == 1
    shipping.ship_all()
    assert figures(tree.gd, subtree=False)["survey_responses"] == 2
    assert figures(tree.gz, subtree=False)["survey_responses"] == 1
    assert figures(tree.gd, subtree=True)["survey_responses"] == 3
    assert figures(tree.central, subtree=True)["survey_responses"] == 3
    assert figures(tree.bj, subtree=True)["survey_responses"] == 0
    assert shipping.ship_all() == 0  # counted once
    assert figures(tree.central, subtree=True)["survey_responses"] == 3
