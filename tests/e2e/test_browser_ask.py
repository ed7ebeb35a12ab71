"""A youth asks on a province's portal: similar answered questions appear right under the
title while typing and the category the platform would choose under the category field, all
from the page's script file under the policy; the question is then filed and shown."""

from urllib.parse import urlparse

import pytest
from django_tenants.utils import schema_context

from qa import services
from qa.models import Question
from tests import factories
from tests.e2e.test_browser import SHOTS, page, sign_in  # noqa: F401 - the Chromium page fixture


@pytest.mark.slow
@pytest.mark.browser
def test_asking_shows_suggestions_then_files_the_question(committed_tree, live_server, page):  # noqa: F811
    youth = factories.account(name="小青")
    with schema_context("gd"):
        answered = services.ask_question(asker=youth, title="团组织关系转接怎么办理")
        Question.objects.filter(pk=answered.pk).update(state=Question.State.ANSWERED)
    portal = f"http://gd.localhost:{urlparse(live_server.url).port}"

    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in(page, portal, youth, "/questions/ask/")

    page.fill("input[name=title]", "毕业了团组织关系怎么转接")
    page.wait_for_selector("[data-testid=similar] a")
    assert page.inner_text("[data-testid=similar] a") == "团组织关系转接怎么办理"
    # Right under the title field, above the details.
    title = page.locator("input[name=title]").bounding_box()
    similar = page.locator("[data-testid=similar]").bounding_box()
    body = page.locator("textarea[name=body]").bounding_box()
    assert title["y"] + title["height"] <= similar["y"] < body["y"]
    assert similar["y"] - (title["y"] + title["height"]) < 40
    page.wait_for_selector("[data-testid=suggested-category]:not([hidden])")
    assert "团务咨询" in page.inner_text("[data-testid=suggested-category]")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "gd-ask-similar.png"), full_page=True)

    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=question-title]")
    page.wait_for_load_state("networkidle")  # no request of the ask page left in flight
    assert page.inner_text("[data-testid=question-title]") == "毕业了团组织关系怎么转接"
    with schema_context("gd"):
        asked = Question.objects.exclude(pk=answered.pk).get()
    assert (asked.category_id, asked.asker_id) == ("league", youth.pk)
    assert violations == []
