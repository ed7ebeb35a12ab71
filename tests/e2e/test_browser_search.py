"""Someone searches a province's archive on a phone by a word inside a compound: the
question is found, the word marked in its title, and it opens."""

from urllib.parse import urlparse

import pytest
from django_tenants.utils import schema_context

from qa import services
from qa.models import Question
from tests import factories
from tests.e2e.test_browser import SHOTS, page  # noqa: F401 - the Chromium page fixture


@pytest.mark.slow
@pytest.mark.browser
def test_a_word_inside_a_compound_finds_the_question_and_is_marked(
    committed_tree,
    live_server,
    page,  # noqa: F811
):
    youth = factories.account(name="小青")
    with schema_context("gd"):
        wanted = services.ask_question(asker=youth, title="大学生医疗保险怎么报销")
        other = services.ask_question(asker=youth, title="考研复试怎么准备")
        Question.objects.filter(pk__in=[wanted.pk, other.pk]).update(state=Question.State.ANSWERED)
    portal = f"http://gd.localhost:{urlparse(live_server.url).port}"

    page.goto(f"{portal}/questions/")
    page.fill("input[name=q]", "保险")
    page.press("input[name=q]", "Enter")
    page.wait_for_url(f"{portal}/questions/?q=*")
    results = page.locator("[data-testid=result]")
    assert results.count() == 1
    assert results.first.inner_text() == "大学生医疗保险怎么报销"
    assert page.inner_text("[data-testid=result] mark") == "保险"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "gd-archive-search.png"), full_page=True)

    results.first.click()
    page.wait_for_selector("[data-testid=question-title]")
    assert page.inner_text("[data-testid=question-title]") == "大学生医疗保险怎么报销"
