"""The whole loop in the browser on a province's portal: a youth asks without choosing a
category, the platform classifies and routes it to an expert of a service alliance, the
expert answers from the workbench, and the youth marks it solved and rates the help."""

from urllib.parse import urlparse

import pytest
from django.utils import translation
from django_tenants.utils import schema_context

from casework.models import Member, RoutingRule, Team
from qa.models import Question
from tests import factories
from tests.e2e.test_browser import page, sign_in  # noqa: F401 - the Chromium page fixture

TITLE = "应届生找工作被要求先交培训费正常吗"
DETAILS = "刚毕业在网上投了简历，面试通过后公司说要先交三千元培训费才能入职，这样合法吗？"
ANSWER = "用人单位不得以任何名义向劳动者收取培训费或押金，可向当地劳动保障监察机构投诉。"


def _log_out(tab, portal: str) -> None:
    tab.click("[data-testid=logout]")
    tab.wait_for_url(f"{portal}/")
    tab.wait_for_selector("[data-testid=login]")


def _state_label(state: str) -> str:
    with translation.override("zh-hans"):
        return str(Question.State(state).label)


@pytest.mark.slow
@pytest.mark.browser
def test_a_question_is_routed_answered_solved_and_rated(committed_tree, live_server, page):  # noqa: F811
    expert = factories.staff(committed_tree["gd"], "expert")
    with schema_context("gd"):
        team = Team.objects.create(name="就业服务联盟")
        Member.objects.create(team=team, user=expert, kind="expert", organisation="人社局")
        RoutingRule.objects.create(category_id="career", team=team, strategy="least_loaded")
    youth = factories.account(name="小青")
    portal = f"http://gd.localhost:{urlparse(live_server.url).port}"

    # The youth asks, leaving the category to the platform.
    sign_in(page, portal, youth, "/questions/ask/")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=body]", DETAILS)
    assert page.input_value("select[name=category]") == ""
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=question-title]")
    page.wait_for_load_state("networkidle")  # no request of the ask page left in flight
    assert page.inner_text("[data-testid=question-title]") == TITLE
    with schema_context("gd"):
        question = Question.objects.get()
    assert (question.category_id, question.asker_id) == ("career", youth.pk)
    assert (question.team_id, question.assignee_id) == (team.pk, expert.pk)
    assert question.state == Question.State.ROUTED
    _log_out(page, portal)

    # The expert finds it in their own queue and answers it.
    sign_in(page, portal, expert, "/workbench/questions/")
    assert page.get_attribute("[data-testid=tab-mine]", "class") == "active"
    page.click(f"[data-testid=queue] a:has-text('{TITLE}')")
    page.wait_for_url(f"{portal}/workbench/questions/{question.pk}/")
    assert page.inner_text("[data-testid=team]") == "就业服务联盟"
    assert page.inner_text("[data-testid=assignee]") == str(expert)
    page.fill("[data-testid=answer-body]", ANSWER)
    page.click("[data-testid=answer]")
    page.wait_for_selector("[data-testid=reply]")
    assert ANSWER in page.inner_text("[data-testid=reply]")
    assert "人社局" in page.inner_text("[data-testid=reply]")
    assert page.inner_text("[data-testid=question-state]") == _state_label("answered")
    _log_out(page, portal)

    # The youth is told, reads the answer, marks it solved and rates it.
    sign_in(page, portal, youth, f"/questions/{question.pk}/")
    assert page.inner_text("[data-testid=unread]") == "2"  # routed, then answered
    reply = page.inner_text("[data-testid=reply]")
    assert ANSWER in reply and "人社局" in reply
    page.click("[data-testid=solve]")
    page.wait_for_selector(f"[data-testid=question-state]:text-is('{_state_label('solved')}')")
    page.check("[data-testid=rate-form] input[name=stars][value='5']")
    page.click("[data-testid=rate]")
    page.wait_for_selector("[data-testid=my-rating]")
    assert "★★★★★" in page.inner_text("[data-testid=my-rating]")

    with schema_context("gd"):
        question.refresh_from_db()
        kinds = list(question.timeline.order_by("id").values_list("kind", flat=True))
    assert question.state == Question.State.SOLVED
    assert kinds == ["qa.asked", "qa.routed", "qa.answered", "qa.solved", "qa.rated"]
