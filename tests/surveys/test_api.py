"""Surveys over the API and on the pages: anyone reads the open surveys (the committee's staff
every one); a cadre publishes one, a youth answers it once, the staff read the results (a
multiple choice counted per option) and export the responses as CSV or Excel; a youth,
another committee's cadre and an anonymous visitor are refused in the one error shape, and
another committee's portal does not know the survey. On the pages a youth finds and answers
a survey, and a cadre publishes one written as text and reads its results."""

import csv
import io
import re
from datetime import timedelta

import openpyxl
from django.utils import timezone
from django_tenants.utils import schema_context

from surveys import services
from surveys.models import Answer, Question, Response, Survey
from tests import factories
from tests.core.helpers import assert_error

SURVEYS = "/api/v1/surveys/"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
QUESTIONS = [
    {
        "kind": "single",
        "text": "你最想参加哪类活动？",
        "options": ["志愿服务", "体育运动", "文化艺术"],
    },
    {"kind": "multiple", "text": "你方便的时间", "options": ["周末", "工作日晚上", "节假日"]},
    {
        "kind": "matrix",
        "text": "各类活动的评价",
        "rows": ["讲座", "培训"],
        "options": ["满意", "不满意"],
    },
    {"kind": "ranking", "text": "你最看重什么", "options": ["时间", "地点", "内容"]},
    {"kind": "scale", "text": "你对上次活动的满意度", "scale_max": 5},
    {"kind": "text", "text": "还有什么建议？", "is_required": False},
]
ANSWERS = {"1": 0, "2": [0, 1], "3": {"0": 0, "1": 1}, "4": [2, 0, 1], "5": 4, "6": "多办就业讲座"}


def when(**delta) -> str:
    return (timezone.now() + timedelta(**delta)).isoformat()


def definition(**fields) -> dict:
    return {
        "title": "2026年暑期活动需求调查",
        "description": "帮助我们安排暑期活动",
        "opens_at": when(minutes=-1),
        "closes_at": when(days=7),
        "questions": QUESTIONS,
        **fields,
    }


def made(tree, code="gd", **fields) -> Survey:
    """A survey published by the committee's cadre (services, not the API)."""
    by = {"gd": tree["gd_cadre"], "bj": tree["bj_cadre"]}[code]
    now = timezone.now()
    values = {
        "title": "2026年暑期活动需求调查",
        "questions": QUESTIONS,
        "opens_at": now - timedelta(minutes=1),
        "closes_at": now + timedelta(days=7),
        **fields,
    }
    with schema_context(code):
        return services.publish(actor=by, **values)


def answered(survey: Survey, youth, answers: dict, code="gd") -> None:
    with schema_context(code):
        services.respond(survey=Survey.objects.get(pk=survey.pk), youth=youth, answers=answers)


# ---------------------------------------------------------------- listing and reading


def test_anyone_lists_the_open_surveys_and_the_staff_every_one(tree, api):
    now = timezone.now()
    open_ = made(tree, title="正在进行")
    made(tree, title="已结束", opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=2))
    made(tree, title="未开始", opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=9))
    listed = api("gd").get(SURVEYS)
    assert listed.status_code == 200, listed.content
    rows = listed.json()["results"]
    assert [s["id"] for s in rows] == [open_.pk]
    assert [q["kind"] for q in rows[0]["questions"]] == [q["kind"] for q in QUESTIONS]
    assert (rows[0]["is_anonymous"], rows[0]["is_sent_down"], rows[0]["sent_from"]) == (
        True,
        False,
        "",
    )
    for who in (None, tree["youth"], tree["bj_cadre"]):
        everything = api("gd", who).get(SURVEYS, {"all": 1}).json()["results"]
        assert [s["id"] for s in everything] == [open_.pk], who
    for who in ("gd_cadre", "gd_admin"):
        everything = api("gd", tree[who]).get(SURVEYS, {"all": 1}).json()["results"]
        assert sorted(s["title"] for s in everything) == ["已结束", "未开始", "正在进行"]
    assert api("bj").get(SURVEYS).json()["results"] == []


def test_anyone_reads_a_survey_but_only_on_its_committees_portal(tree, api):
    survey = made(tree)
    shown = api("gd").get(f"{SURVEYS}{survey.pk}/")
    assert shown.status_code == 200, shown.content
    body = shown.json()
    assert body["id"] == survey.pk and body["title"] == "2026年暑期活动需求调查"
    assert body["questions"][2] == {
        "position": 3,
        "kind": "matrix",
        "text": "各类活动的评价",
        "is_required": True,
        "options": ["满意", "不满意"],
        "rows": ["讲座", "培训"],
        "scale_max": 5,
        "shown_if": {},
    }
    assert_error(api("gd").get(f"{SURVEYS}999999/"), 404, "not_found")
    # Schemas are isolated: Beijing knows no such survey.
    assert_error(api("bj").get(f"{SURVEYS}{survey.pk}/"), 404, "not_found")
    bj = api("bj", tree["bj_cadre"])
    assert_error(bj.get(f"{SURVEYS}{survey.pk}/results/"), 404, "not_found")
    assert_error(bj.get(f"{SURVEYS}{survey.pk}/export.csv"), 404, "not_found")
    refused = api("bj", tree["youth"]).post(
        f"{SURVEYS}{survey.pk}/responses/", {"answers": ANSWERS}, format="json"
    )
    assert_error(refused, 404, "not_found")
    with schema_context("gd"):
        assert not Response.objects.exists()


# ---------------------------------------------------------------- publishing


def test_a_cadre_publishes_a_survey_and_others_may_not(tree, api):
    created = api("gd", tree["gd_cadre"]).post(SURVEYS, definition(), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["title"] == "2026年暑期活动需求调查" and body["is_anonymous"] is True
    assert [q["position"] for q in body["questions"]] == [1, 2, 3, 4, 5, 6]
    with schema_context("gd"):
        survey = Survey.objects.get()
        assert survey.pk == body["id"] and survey.created_by == tree["gd_cadre"].pk
        assert Question.objects.filter(survey=survey).count() == 6
    assert_error(
        api("gd", tree["youth"]).post(SURVEYS, definition(), format="json"), 403, "forbidden"
    )
    assert_error(
        api("gd", tree["bj_cadre"]).post(SURVEYS, definition(), format="json"), 403, "forbidden"
    )
    assert_error(api("gd").post(SURVEYS, definition(), format="json"), 401, "not_authenticated")
    with schema_context("gd"):
        assert Survey.objects.count() == 1


def test_a_survey_sent_down_over_the_api_is_queued_for_the_committees_below(tree, api):
    from tenants import outbox
    from tenants.models import OutboxMessage

    created = api("gd", tree["gd_cadre"]).post(SURVEYS, definition(send_down=True), format="json")
    assert created.status_code == 201 and created.json()["is_sent_down"] is True
    assert list(OutboxMessage.objects.values_list("receiver", flat=True)) == ["gd-gz"]
    assert outbox.deliver() == 1
    copies = api("gd-gz").get(SURVEYS).json()["results"]
    assert [(s["title"], s["sent_from"]) for s in copies] == [("2026年暑期活动需求调查", "gd")]


def test_bad_input_to_publish_is_refused_in_the_one_error_shape(tree, api):
    cadre = api("gd", tree["gd_cadre"])
    cases = [
        (definition(questions=[]), "questions", "invalid"),
        (definition(questions=[{"kind": "essay", "text": "x"}]), "questions", "invalid"),
        (
            definition(questions=[{"kind": "single", "text": "是否参加", "options": ["是"]}]),
            "questions",
            "invalid",
        ),
        (
            definition(questions=[{"kind": "scale", "text": "满意度", "scale_max": 11}]),
            "questions",
            "invalid",
        ),
        (
            definition(
                questions=[
                    {"kind": "text", "text": "建议"},
                    {"kind": "text", "text": "原因", "shown_if": {"question": 1, "option": 0}},
                ]
            ),
            "questions",
            "invalid",
        ),
        (definition(closes_at=when(minutes=-2)), "closes_at", "invalid"),
        (definition(opens_at="明天"), "opens_at", "invalid"),
        ({k: v for k, v in definition().items() if k != "title"}, "title", "invalid"),
    ]
    for given, field, code in cases:
        error = assert_error(cadre.post(SURVEYS, given, format="json"), 400, code)
        assert field in error["fields"], (given, error)
    assert_error(cadre.post(SURVEYS, definition(activity=999999), format="json"), 404, "not_found")
    with schema_context("gd"):
        assert not Survey.objects.exists()


# ---------------------------------------------------------------- responding


def test_a_youth_answers_once_and_an_anonymous_visitor_not_at_all(tree, api):
    survey = made(tree)
    url = f"{SURVEYS}{survey.pk}/responses/"
    assert_error(api("gd").post(url, {"answers": ANSWERS}, format="json"), 401, "not_authenticated")
    sent = api("gd", tree["youth"]).post(url, {"answers": ANSWERS}, format="json")
    assert sent.status_code == 201, sent.content
    assert set(sent.json()) == {"id", "created_at"}
    again = api("gd", tree["youth"]).post(url, {"answers": ANSWERS}, format="json")
    assert_error(again, 409, "already_responded")
    with schema_context("gd"):
        response = Response.objects.get()
        assert response.pk == sent.json()["id"] and response.respondent is None
        assert Answer.objects.filter(response=response).count() == 1 + 2 + 2 + 3 + 1 + 1


def test_a_bad_answer_names_its_question(tree, api):
    survey = made(tree)
    youth = api("gd", tree["youth"])
    url = f"{SURVEYS}{survey.pk}/responses/"
    for change, field in [
        ({"1": 5}, "q1"),
        ({"2": [0, 7]}, "q2"),
        ({"3": {"0": 0}}, "q3"),
        ({"4": [0, 0, 1]}, "q4"),
        ({"5": 6}, "q5"),
        ({"6": "字" * 2001}, "q6"),
    ]:
        error = assert_error(
            youth.post(url, {"answers": ANSWERS | change}, format="json"), 400, "invalid_answer"
        )
        assert list(error["fields"]) == [field], change
    missing = {k: v for k, v in ANSWERS.items() if k != "1"}
    error = assert_error(
        youth.post(url, {"answers": missing}, format="json"), 400, "invalid_answer"
    )
    assert list(error["fields"]) == ["q1"]
    error = assert_error(youth.post(url, {"answers": [0, 1]}, format="json"), 400, "invalid")
    assert list(error["fields"]) == ["answers"]
    assert_error(youth.post(url, {}, format="json"), 400, "invalid")
    with schema_context("gd"):
        assert not Response.objects.exists()


def test_a_ranking_with_something_else_than_option_numbers_is_a_bad_answer(tree, api):
    """Not a server error: a ranking of ["0", 1, 2] or [0, null, 1] is refused like any
    other answer that does not rank every option once."""
    survey = made(tree)
    youth = api("gd", tree["youth"])
    youth.raise_request_exception = False
    url = f"{SURVEYS}{survey.pk}/responses/"
    for ranking in (["0", 1, 2], [0, None, 1]):
        sent = youth.post(url, {"answers": ANSWERS | {"4": ranking}}, format="json")
        error = assert_error(sent, 400, "invalid_answer")
        assert list(error["fields"]) == ["q4"], ranking


def test_a_closed_survey_takes_no_answer(tree, api):
    now = timezone.now()
    survey = made(tree, opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=1))
    sent = api("gd", tree["youth"]).post(
        f"{SURVEYS}{survey.pk}/responses/", {"answers": ANSWERS}, format="json"
    )
    assert_error(sent, 409, "closed")


# ---------------------------------------------------------------- results and export


def test_the_staff_read_the_results_counted_per_option(tree, api):
    survey = made(tree)
    for chosen in ([0, 2], [2], [0, 1, 2]):
        answered(survey, factories.account(), ANSWERS | {"2": chosen})
    url = f"{SURVEYS}{survey.pk}/results/"
    shown = api("gd", tree["gd_cadre"]).get(url)
    assert shown.status_code == 200, shown.content
    body = shown.json()
    assert body["responses"] == 3 and body["by_committee"] == []
    by = {q["position"]: q for q in body["questions"]}
    assert (by[1]["labels"], by[1]["counts"]) == (["志愿服务", "体育运动", "文化艺术"], [3, 0, 0])
    assert (by[2]["kind"], by[2]["counts"]) == ("multiple", [2, 1, 3])
    assert by[3]["matrix"] == [[3, 0], [0, 3]] and by[3]["rows"] == ["讲座", "培训"]
    assert by[4]["mean_ranks"] == [2.0, 3.0, 1.0] and by[4]["counts"] == [0, 0, 3]
    assert (by[5]["counts"], by[5]["mean"]) == ([0, 0, 0, 3, 0], 4.0)
    assert by[5]["labels"] == ["1", "2", "3", "4", "5"]
    assert ["就业", 3] in by[6]["terms"] and by[6]["texts"] == ["多办就业讲座"] * 3
    assert api("gd", tree["gd_admin"]).get(url).status_code == 200
    assert_error(api("gd", tree["youth"]).get(url), 403, "permission_denied")
    assert_error(api("gd", tree["bj_cadre"]).get(url), 403, "permission_denied")
    assert_error(api("gd").get(url), 401, "not_authenticated")


def test_the_results_of_a_survey_sent_down_list_the_committees_below(tree, api):
    from tenants import outbox

    survey = made(tree, send_down=True)
    outbox.deliver()
    with schema_context("gd_gz"):
        copy = Survey.objects.get()
    answered(survey, tree["youth"], ANSWERS)
    answered(copy, factories.account(), ANSWERS | {"1": 2}, code="gd_gz")
    body = api("gd", tree["gd_cadre"]).get(f"{SURVEYS}{survey.pk}/results/").json()
    assert body["responses"] == 2
    assert body["by_committee"] == [{"code": "gd-gz", "name": "共青团广州市委", "responses": 1}]
    assert body["questions"][0]["counts"] == [1, 0, 1]
    here = api("gd-gz", tree["gz_cadre"]).get(f"{SURVEYS}{copy.pk}/results/").json()
    assert here["responses"] == 1 and here["questions"][0]["counts"] == [0, 0, 1]


def test_the_staff_export_the_responses_as_csv_and_xlsx(tree, api):
    survey = made(tree, is_anonymous=False)
    answered(survey, tree["youth"], ANSWERS)
    answered(survey, factories.account(name="小红"), ANSWERS | {"2": [2]})
    cadre = api("gd", tree["gd_cadre"])
    as_csv = cadre.get(f"{SURVEYS}{survey.pk}/export.csv")
    assert as_csv.status_code == 200, as_csv.content
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="survey-{survey.pk}.csv"' in as_csv["Content-Disposition"]
    assert as_csv.content.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert header[:4] == ["#", "time", "respondent", "1. 你最想参加哪类活动？"]
    assert [(r[2], r[4], r[5], r[6]) for r in rows] == [
        ("小青", "周末；工作日晚上", "讲座：满意；培训：不满意", "内容 > 时间 > 地点"),
        ("小红", "节假日", "讲座：满意；培训：不满意", "内容 > 时间 > 地点"),
    ]
    as_xlsx = cadre.get(f"{SURVEYS}{survey.pk}/export.xlsx")
    assert as_xlsx.status_code == 200
    assert as_xlsx["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).active
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert table[0] == header and [row[2] for row in table[1:]] == ["小青", "小红"]
    assert_error(cadre.get(f"{SURVEYS}{survey.pk}/export.pdf"), 404, "not_found")
    for fmt in ("csv", "xlsx"):
        youth = api("gd", tree["youth"]).get(f"{SURVEYS}{survey.pk}/export.{fmt}")
        assert_error(youth, 403, "permission_denied")
        assert_error(api("gd").get(f"{SURVEYS}{survey.pk}/export.{fmt}"), 401, "not_authenticated")


# ---------------------------------------------------------------- the pages


def test_a_youth_finds_an_open_survey_and_answers_it_on_its_page(tree, web):
    survey = made(tree, title="暑期活动需求调查")
    listed = web("gd").get("/surveys/", **ZH).content.decode()
    assert "暑期活动需求调查" in listed and f'href="/surveys/{survey.pk}/"' in listed
    assert "匿名" in listed
    page = web("gd").get(f"/surveys/{survey.pk}/", **ZH).content.decode()
    assert "登录后填写" in page and 'data-testid="survey-form"' not in page
    assert (
        web("gd")
        .post(f"/surveys/{survey.pk}/", {"q1": "0"})["Location"]
        .startswith("/accounts/login/")
    )
    youth = web("gd", tree["youth"])
    form = youth.get(f"/surveys/{survey.pk}/", **ZH).content.decode()
    assert 'data-testid="survey-form"' in form and 'name="q3-1"' in form and 'name="q4-2"' in form
    posted = {
        "q1": "1",
        "q2": ["0", "2"],
        "q3-0": "1",
        "q3-1": "0",
        "q4-0": "2",
        "q4-1": "3",
        "q4-2": "1",
        "q5": "5",
        "q6": "希望多办就业讲座",
    }
    sent = youth.post(f"/surveys/{survey.pk}/", posted, follow=True, **ZH)
    assert sent.redirect_chain[-1][0] == "/surveys/"
    assert "感谢填写，答卷已提交。" in sent.content.decode()
    with schema_context("gd"):
        rows = {
            (a.question.position, a.option, a.row, a.value, a.text)
            for a in Answer.objects.select_related("question")
        }
    assert rows == {
        (1, 1, None, None, ""),
        (2, 0, None, None, ""),
        (2, 2, None, None, ""),
        (3, 1, 0, None, ""),
        (3, 0, 1, None, ""),
        (4, 2, None, 1, ""),  # 内容 numbered 1
        (4, 0, None, 2, ""),
        (4, 1, None, 3, ""),
        (5, None, None, 5, ""),
        (6, None, None, None, "希望多办就业讲座"),
    }
    again = youth.post(f"/surveys/{survey.pk}/", posted, **ZH)
    assert again.status_code == 200 and "你已经填写过这份调查了。" in again.content.decode()
    with schema_context("gd"):
        assert Response.objects.count() == 1


def test_a_page_answer_left_incomplete_is_shown_again_with_what_is_missing(tree, web):
    survey = made(tree)
    page = web("gd", tree["youth"]).post(f"/surveys/{survey.pk}/", {"q1": "0"}, **ZH)
    assert page.status_code == 200
    assert "第 2 题" in page.content.decode()
    with schema_context("gd"):
        assert not Response.objects.exists()


def test_a_ranking_on_the_page_must_number_each_option_once(tree, web):
    """Numbering two options 1 is no ranking: the page must not quietly break the tie by the
    options' order and store 时间 > 地点 > 内容."""
    survey = made(
        tree,
        questions=[
            {"kind": "ranking", "text": "你最看重什么", "options": ["时间", "地点", "内容"]}
        ],
    )
    youth = web("gd", tree["youth"])
    youth.post(f"/surveys/{survey.pk}/", {"q1-0": "1", "q1-1": "1", "q1-2": "1"}, **ZH)
    with schema_context("gd"):
        assert not Response.objects.exists()


def test_a_cadre_publishes_a_survey_written_as_text_and_reads_its_results(tree, web):
    cadre = web("gd", tree["gd_cadre"])
    page = cadre.get("/workbench/surveys/", **ZH)
    assert page.status_code == 200 and 'data-testid="publish-survey"' in page.content.decode()
    now = timezone.localtime()
    lines = [
        "单选 你最想参加哪类活动？ | 志愿服务；体育运动；文化艺术",
        "多选* 你方便的时间 | 周末；工作日晚上",
        "评分 你对上次活动的满意度 | 5",
        "填空 还有什么建议？",
        "矩阵 各类活动的评价 | 讲座；培训 | 满意；不满意",
        "填空 想做哪类志愿服务？ 若1=1",
    ]
    sent = cadre.post(
        "/workbench/surveys/",
        {
            "title": "2026年暑期活动需求调查",
            "description": "",
            "questions": "\n".join(lines),
            "opens_at": (now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
            "is_anonymous": "on",
        },
        **ZH,
    )
    with schema_context("gd"):
        survey = Survey.objects.get()
        questions = list(Question.objects.filter(survey=survey))
    assert sent.status_code == 302 and sent["Location"] == f"/workbench/surveys/{survey.pk}/"
    assert survey.is_anonymous and not survey.is_sent_down
    assert [(q.kind, q.is_required) for q in questions] == [
        ("single", True),
        ("multiple", False),
        ("scale", True),
        ("text", True),
        ("matrix", True),
        ("text", True),
    ]
    assert questions[0].text == "你最想参加哪类活动？"
    assert questions[0].options == ["志愿服务", "体育运动", "文化艺术"]
    assert questions[1].options == ["周末", "工作日晚上"] and questions[2].scale_max == 5
    assert (questions[4].rows, questions[4].options) == (["讲座", "培训"], ["满意", "不满意"])
    assert questions[5].shown_if == {"question": 1, "option": 0}

    for chosen in ([0, 1], [1]):
        answered(
            survey,
            factories.account(),
            {1: 1, 2: chosen, 3: 4, 4: "多办就业讲座", 5: {"0": 0, "1": 1}},
        )
    shown = cadre.get(f"/workbench/surveys/{survey.pk}/", **ZH)
    assert shown.status_code == 200
    html = shown.content.decode()
    assert re.search(r'data-testid="responses">\s*2', html), html
    two = html.split('data-testid="result-2"')[1].split("</section>")[0]
    assert re.findall(r'data-testid="count">(\d+)<', two) == ["1", "2"]  # per option
    assert "就业 2" in html and "CSV" in html
    assert web("gd", tree["youth"]).get(f"/workbench/surveys/{survey.pk}/").status_code == 403
    assert web("gd", tree["youth"]).get("/workbench/surveys/").status_code == 403
    export = cadre.get(f"/workbench/surveys/{survey.pk}/export.csv")
    assert export.status_code == 200 and export.content.startswith(b"\xef\xbb\xbf")


def test_a_survey_text_that_cannot_be_read_is_shown_again_and_nothing_is_published(tree, web):
    cadre = web("gd", tree["gd_cadre"])
    now = timezone.localtime()
    for questions in ("问答 你最想参加哪类活动？", "单选 你最想参加哪类活动？ | 志愿服务"):
        page = cadre.post(
            "/workbench/surveys/",
            {
                "title": "调查",
                "questions": questions,
                "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
                "closes_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            },
            **ZH,
        )
        assert page.status_code == 200, questions
        assert 'data-testid="publish-survey"' in page.content.decode()
    with schema_context("gd"):
        assert not Survey.objects.exists()


def test_only_the_committees_cadres_and_admins_publish_on_the_page(tree, web):
    now = timezone.localtime()
    data = {
        "title": "调查",
        "questions": "填空 还有什么建议？",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    expert = web("gd", tree["gd_expert"])
    assert 'data-testid="publish-survey"' not in expert.get("/workbench/surveys/").content.decode()
    assert expert.post("/workbench/surveys/", data).status_code == 403
    assert web("gd", tree["youth"]).post("/workbench/surveys/", data).status_code == 403
    with schema_context("gd"):
        assert not Survey.objects.exists()
