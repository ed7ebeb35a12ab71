"""Duplicates at asking time (这个问题已有答复): the similar questions say how alike they are
and, on request, offer the answer of the one saying the same thing; taking it records a
deflection on that question's timeline instead of a new question; asking anyway notes what
was offered."""

import pytest
from django_tenants.utils import schema_context

from core.errors import ServiceError
from qa import selectors, services
from qa.models import Question, QuestionEvent, Reply
from similarity import service as similarity
from tests.core.helpers import assert_error
from tests.reporting.helpers import answer
from timeline.models import Event

TITLE = "团员证丢了怎么补办"
PARAPHRASE = "团员证不见了怎么补办"  # the same question in nearly the same words
RELATED = "团员证怎么办理"  # alike, but not the same question
PHONE = "13812345678"
ANSWER = f"带身份证到所在团支部申请补办，有问题打{PHONE}。"


def _answered(tree, title: str = TITLE, *, code: str = "gd", by: str = "gd_cadre") -> Question:
    with schema_context(code):
        question = services.ask_question(asker=tree["youth"], title=title)
    answer(code, question, tree[by], body=ANSWER)
    return question


def _deflections(question: Question, code: str = "gd") -> list[Event]:
    with schema_context(code):
        return list(question.timeline.filter(kind=QuestionEvent.DEFLECTED))


def _asked_data(code: str = "gd") -> dict:
    with schema_context(code):
        return Event.objects.filter(kind="qa.asked").latest("id").data


# ---------------------------------------------------------------- the similar questions


def test_similar_questions_say_how_alike_they_are_in_the_bare_list(tree, api):
    question = _answered(tree)
    found = api("gd").get("/api/v1/questions/similar/", {"title": PARAPHRASE}).json()
    assert isinstance(found, list) and [q["id"] for q in found] == [question.pk]
    assert found[0]["score"] >= similarity.DUPLICATE and found[0]["is_duplicate"] is True
    related = api("gd").get("/api/v1/questions/similar/", {"title": RELATED}).json()
    assert [q["id"] for q in related] == [question.pk]
    assert similarity.MINIMUM <= related[0]["score"] < similarity.DUPLICATE
    assert related[0]["is_duplicate"] is False


def test_with_duplicate_the_answer_to_take_is_offered_masked(tree, api, web):
    question = _answered(tree)
    for client in (api("gd"), api("gd", tree["youth"]), api("gd", tree["gd_cadre"])):
        body = client.get(
            "/api/v1/questions/similar/", {"title": PARAPHRASE, "with_duplicate": "true"}
        ).json()
        assert list(body) == ["results", "duplicate"]
        assert [q["id"] for q in body["results"]] == [question.pk]
        duplicate = body["duplicate"]
        assert duplicate["question"]["id"] == question.pk
        assert duplicate["question"]["is_duplicate"] is True
        assert duplicate["link"] == f"/questions/{question.pk}/"
        assert duplicate["deflect"] == f"/api/v1/questions/{question.pk}/deflections/"
        # As the public reads it, whoever asks (the asker and staff included).
        assert PHONE not in duplicate["answer"]["body"]
        assert "138****5678" in duplicate["answer"]["body"]
        assert duplicate["answer"]["author_kind"] == Reply.AuthorKind.CADRE
        assert duplicate["answer"]["author_kind_name"] == "团干部"


def test_no_duplicate_is_offered_for_a_question_only_alike(tree, api):
    question = _answered(tree)
    body = (
        api("gd")
        .get("/api/v1/questions/similar/", {"title": RELATED, "with_duplicate": "true"})
        .json()
    )
    assert [q["id"] for q in body["results"]] == [question.pk]
    assert body["duplicate"] is None
    empty = api("gd").get("/api/v1/questions/similar/", {"with_duplicate": "true"}).json()
    assert empty == {"results": [], "duplicate": None}


def test_a_duplicate_without_a_published_answer_is_not_offered(tree, api):
    with schema_context("gd"):
        closed = services.ask_question(asker=tree["youth"], title=TITLE)
        Question.objects.filter(pk=closed.pk).update(state=Question.State.CLOSED)
    body = (
        api("gd")
        .get("/api/v1/questions/similar/", {"title": PARAPHRASE, "with_duplicate": "true"})
        .json()
    )
    assert [q["id"] for q in body["results"]] == [closed.pk]
    assert body["duplicate"] is None


def test_the_staff_answer_is_offered_before_a_fellow_youths(tree):
    with schema_context("gd"):
        question = services.ask_question(asker=tree["youth"], title=TITLE)
    other = tree["gd_org"]
    answer("gd", question, tree["gd_expert"], body="先到团支部登记。")
    with schema_context("gd"):
        Reply.objects.filter(question=question).update(author_kind=Reply.AuthorKind.PEER)
    answer("gd", question, other, body="团支部可以补办。")
    with schema_context("gd"):
        best, first = selectors.duplicate_among(selectors.similar_questions(PARAPHRASE))
    assert best.pk == question.pk
    assert (first.body, first.author_kind) == ("团支部可以补办。", Reply.AuthorKind.ORGANISATION)


def test_with_duplicate_is_parsed_with_the_one_error_shape(tree, api):
    assert_error(
        api("gd").get("/api/v1/questions/similar/", {"title": TITLE, "with_duplicate": "maybe"}),
        400,
        "invalid",
    )


def test_the_schema_documents_both_shapes(tree, api):
    schema = api("gd").get("/api/v1/schema/?format=json").json()
    answer_schema = schema["paths"]["/api/v1/questions/similar/"]["get"]["responses"]["200"]
    ref = answer_schema["content"]["application/json"]["schema"]["$ref"]
    shapes = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["oneOf"]
    assert {shape.get("type") for shape in shapes} >= {"array"}
    assert any("$ref" in shape for shape in shapes)
    parameters = schema["paths"]["/api/v1/questions/similar/"]["get"]["parameters"]
    assert "with_duplicate" in {p["name"] for p in parameters}
    deflections = schema["paths"]["/api/v1/questions/{id}/deflections/"]["post"]["responses"]
    assert {"200", "201", "404", "429"} <= set(deflections)


# ---------------------------------------------------------------- taking the answer


def test_a_signed_in_youth_takes_the_answer_once(tree, api):
    question = _answered(tree)
    youth = tree["gd_org"]
    client = api("gd", youth)
    taken = client.post(f"/api/v1/questions/{question.pk}/deflections/")
    assert taken.status_code == 201
    assert taken.json()["question"] == question.pk and taken.json()["kind"] == "qa.deflected"
    again = client.post(f"/api/v1/questions/{question.pk}/deflections/")
    assert again.status_code == 200
    (event,) = _deflections(question)
    assert event.actor_id == youth.pk
    assert event.state == Question.State.ANSWERED


def test_anyone_may_take_an_answer_without_an_account(tree, api):
    question = _answered(tree)
    for _ in range(2):
        assert api("gd").post(f"/api/v1/questions/{question.pk}/deflections/").status_code == 201
    assert [event.actor_id for event in _deflections(question)] == [None, None]


def test_another_committees_question_is_not_found(tree, api):
    question = _answered(tree)
    with schema_context("bj"):
        assert not Question.objects.filter(pk=question.pk).exists()
    assert_error(
        api("bj", tree["youth"]).post(f"/api/v1/questions/{question.pk}/deflections/"),
        404,
        "not_found",
    )
    assert _deflections(question) == []


@pytest.mark.parametrize(
    "state", [Question.State.NEW, Question.State.ROUTED, Question.State.PENDING_REVIEW]
)
def test_an_unpublished_or_unanswered_question_is_not_found(tree, api, state):
    question = _answered(tree)
    with schema_context("gd"):
        Question.objects.filter(pk=question.pk).update(state=state)
    assert_error(api("gd").post(f"/api/v1/questions/{question.pk}/deflections/"), 404, "not_found")
    assert _deflections(question) == []


def test_a_private_question_or_a_held_answer_is_not_found(tree, api):
    private = _answered(tree)
    with schema_context("gd"):
        Question.objects.filter(pk=private.pk).update(is_public=False)
    held = _answered(tree, "考研复试怎么准备")
    with schema_context("gd"):
        Reply.objects.filter(question=held).update(state=Reply.State.PENDING_REVIEW)
    for question in (private, held):
        assert_error(
            api("gd", tree["gd_org"]).post(f"/api/v1/questions/{question.pk}/deflections/"),
            404,
            "not_found",
        )


def test_bad_input_to_the_deflections_has_the_one_error_shape(tree, api):
    question = _answered(tree)
    url = f"/api/v1/questions/{question.pk}/deflections/"
    assert_error(
        api("gd").post(url, "{not json", content_type="application/json"), 400, "parse_error"
    )
    assert_error(api("gd").post("/api/v1/questions/٣/deflections/"), 404, "not_found")
    assert_error(api("gd").post("/api/v1/questions/99999999/deflections/"), 404, "not_found")
    assert_error(api("gd").get(url), 405, "method_not_allowed")
    assert _deflections(question) == []


def test_the_central_auditor_takes_nothing(tree, api):
    question = _answered(tree)
    assert_error(
        api("gd", tree["auditor"]).post(f"/api/v1/questions/{question.pk}/deflections/"),
        403,
        "read_only",
    )
    assert _deflections(question) == []


def test_the_service_refuses_a_question_without_an_answer(tree):
    with schema_context("gd"):
        question = services.ask_question(asker=tree["youth"], title=TITLE)
        with pytest.raises(ServiceError) as refused:
            services.take_existing_answer(question=question, youth=tree["gd_org"])
        assert refused.value.code == "not_answered"
        assert not question.timeline.filter(kind="qa.deflected").exists()


def test_the_service_records_the_deflection_on_the_answered_question(tree):
    question = _answered(tree)
    with schema_context("gd"):
        event, recorded = services.take_existing_answer(question=question, youth=tree["gd_org"])
        assert recorded and event.kind == "qa.deflected" and event.subject_id == question.pk
        assert (event.actor_id, event.category) == (tree["gd_org"].pk, question.category_id)
        assert event.shipped_at is None  # for the rollup to count
        assert Question.objects.count() == 1  # nothing was asked


# ---------------------------------------------------------------- asking anyway


def test_asking_anyway_notes_what_was_offered(tree, api):
    offered = _answered(tree)
    sent = api("gd", tree["gd_org"]).post(
        "/api/v1/questions/", {"title": PARAPHRASE, "offered": offered.pk}, format="json"
    )
    assert sent.status_code == 201
    assert _asked_data()["offered"] == offered.pk
    plain = api("gd", tree["gd_org"]).post(
        "/api/v1/questions/", {"title": "考研复试怎么准备"}, format="json"
    )
    assert plain.status_code == 201
    assert "offered" not in _asked_data()


def test_an_offered_id_is_parsed_and_an_unknown_one_left_out(tree, api):
    client = api("gd", tree["gd_org"])
    error = assert_error(
        client.post("/api/v1/questions/", {"title": TITLE, "offered": "٣"}, format="json"),
        400,
        "invalid",
    )
    assert list(error["fields"]) == ["offered"]
    sent = client.post("/api/v1/questions/", {"title": TITLE, "offered": 4242}, format="json")
    assert sent.status_code == 201
    assert "offered" not in _asked_data()


# ---------------------------------------------------------------- the ask page


def test_the_ask_page_has_the_card_ready_for_its_script(tree, web):
    page = web("gd", tree["youth"]).get("/questions/ask/").content.decode()
    assert 'data-testid="duplicate"' in page and "这个问题已有答复" in page
    assert "这个答复解决了我的问题" in page and "仍要提问" in page
    assert 'name="offered"' in page and 'type="hidden"' in page
    # Send comes before the card's buttons, so that Enter sends the question.
    assert page.index('type="submit">提交') < page.index('name="take"')


def test_sending_a_duplicate_shows_its_answer_before_posting(tree, web):
    offered = _answered(tree)
    browser = web("gd", tree["gd_org"])
    page = browser.post("/questions/ask/", {"title": PARAPHRASE, "is_public": "on"})
    assert page.status_code == 200
    html = page.content.decode()
    card = html[
        html.index('data-testid="duplicate"') : html.index(
            "</section>", html.index('data-testid="duplicate"')
        )
    ]
    assert "hidden" not in card[: card.index(">")]
    assert TITLE in card and "138****5678" in card and PHONE not in card
    assert "团干部" in card
    assert f'value="{offered.pk}"' in html  # the offered question, noted in the form
    with schema_context("gd"):
        assert Question.objects.count() == 1  # nothing posted yet


def test_taking_the_answer_on_the_page_asks_nothing(tree, web):
    offered = _answered(tree)
    browser = web("gd", tree["gd_org"])
    taken = browser.post(
        "/questions/ask/",
        {"title": PARAPHRASE, "offered": offered.pk, "take": "这个答复解决了我的问题"},
    )
    assert taken.status_code == 302 and taken["Location"] == f"/questions/{offered.pk}/"
    assert [e.actor_id for e in _deflections(offered)] == [tree["gd_org"].pk]
    with schema_context("gd"):
        assert Question.objects.count() == 1
    assert "无需再提问" in browser.get(taken["Location"]).content.decode()


def test_taking_an_answer_that_is_not_there_is_a_404_page(tree, web):
    with schema_context("gd"):
        waiting = services.ask_question(asker=tree["youth"], title=TITLE)
    browser = web("gd", tree["gd_org"])
    refused = browser.post("/questions/ask/", {"title": TITLE, "offered": waiting.pk, "take": "1"})
    assert refused.status_code == 404
    assert _deflections(waiting) == []


def test_asking_anyway_on_the_page_posts_and_notes_the_offer(tree, web):
    offered = _answered(tree)
    browser = web("gd", tree["gd_org"])
    sent = browser.post(
        "/questions/ask/",
        {"title": PARAPHRASE, "offered": offered.pk, "anyway": "仍要提问", "is_public": "on"},
    )
    assert sent.status_code == 302
    with schema_context("gd"):
        asked = Question.objects.exclude(pk=offered.pk).get()
    assert sent["Location"] == f"/questions/{asked.pk}/"
    assert _asked_data()["offered"] == offered.pk
