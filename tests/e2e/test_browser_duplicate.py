"""A youth about to ask what was already answered, on a phone (390×844, zh-hans): typing a
paraphrase of an answered question brings its answer above the form's submit (这个问题已有答复,
masked as the public reads it, with who answered); "这个答复解决了我的问题" records the
deflection and asks nothing; "仍要提问" posts the question, noting what was offered."""

from urllib.parse import urlparse

import pytest
from django_tenants.utils import schema_context

from qa import selectors, services
from qa.models import Question
from similarity import service as similarity
from tests import factories
from tests.e2e.test_browser import SHOTS, page, sign_in  # noqa: F401 - the Chromium page fixture

TITLE = "团员证丢了怎么补办"
PARAPHRASE = "团员证不见了怎么补办"
PHONE = "13812345678"
ANSWER = f"带身份证到所在团支部申请补办，有问题打{PHONE}。"


def _type_the_paraphrase(page) -> None:  # noqa: F811
    page.fill("input[name=title]", PARAPHRASE)
    page.wait_for_selector("[data-testid=duplicate]:not([hidden])")


@pytest.mark.slow
@pytest.mark.browser
def test_a_paraphrase_brings_the_answer_first_and_taking_it_asks_nothing(
    committed_tree,
    live_server,
    page,  # noqa: F811
):
    asker, taker = factories.account(name="小青"), factories.account(name="小红")
    cadre = factories.staff(committed_tree["gd"], "cadre")
    with schema_context("gd"):
        answered = services.ask_question(asker=asker, title=TITLE)
        services.answer(question=answered, author=cadre, body=ANSWER)
        found = selectors.similar_questions(PARAPHRASE)
        assert found[0].pk == answered.pk and found[0].score >= similarity.DUPLICATE
    portal = f"http://gd.localhost:{urlparse(live_server.url).port}"
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in(page, portal, taker, "/questions/ask/")

    _type_the_paraphrase(page)
    card = page.locator("[data-testid=duplicate]")
    assert "这个问题已有答复" in card.inner_text()
    assert page.inner_text("[data-testid=duplicate-question]") == TITLE
    shown = page.inner_text("[data-testid=duplicate-answer]")
    assert "138****5678" in shown and PHONE not in shown
    assert "团干部" in page.inner_text("[data-testid=duplicate-by]")
    assert page.input_value("input[name=offered]") == str(answered.pk)
    # Prominent: above the form's submit, after the fields, and within the phone's width.
    box = card.bounding_box()
    send = page.locator("button[type=submit]").bounding_box()
    title = page.locator("input[name=title]").bounding_box()
    assert title["y"] < box["y"] and box["y"] + box["height"] <= send["y"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for button in ("take", "ask-anyway"):
        assert page.locator(f"[data-testid={button}]").bounding_box()["height"] >= 44
    SHOTS.mkdir(parents=True, exist_ok=True)
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "gd-ask-duplicate.png"), full_page=True)

    page.click("[data-testid=take]")
    page.wait_for_selector("[data-testid=taken]:not([hidden])")
    assert "无需再提问" in page.inner_text("[data-testid=taken]")
    assert page.locator("[data-testid=take]").is_hidden()
    assert page.locator("button[type=submit]").is_disabled()
    assert page.url == f"{portal}/questions/ask/"
    with schema_context("gd"):
        taken = answered.timeline.filter(kind="qa.deflected")
        assert list(taken.values_list("actor_id", flat=True)) == [taker.pk]
        assert Question.objects.count() == 1  # nothing was asked

    # Asking anyway posts the question, noting the answered one that was offered.
    page.goto(f"{portal}/questions/ask/")
    _type_the_paraphrase(page)
    page.click("[data-testid=ask-anyway]")
    page.wait_for_selector("[data-testid=question-title]")
    assert page.inner_text("[data-testid=question-title]") == PARAPHRASE
    with schema_context("gd"):
        asked = Question.objects.exclude(pk=answered.pk).get()
        event = asked.timeline.get(kind="qa.asked")
    assert event.data["offered"] == answered.pk
    assert violations == []
