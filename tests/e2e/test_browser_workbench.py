"""A cadre on the workbench in Chromium, on a phone (390×844) and on a desktop, in zh-hans:
the workbench home, picking a city from the committee tree (and finding one by name) to
transfer a question to, and closing a question only after confirming the dialog."""

import os
from urllib.parse import urlparse

import pytest
from django.db import connections
from django_tenants.utils import schema_context

from qa import services
from qa.models import Question
from tenants import services as committees
from tests import factories
from tests.e2e.test_browser import CHROMIUM, SHOTS, sign_in

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
TITLE = "我们村的青年之家什么时候开放"


@pytest.fixture(params=sorted(VIEWPORTS))
def tab(request, live_server):
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        context = browser.new_context(viewport=VIEWPORTS[request.param], locale="zh-CN")
        page = context.new_page()
        page.viewport_name = request.param
        yield page
        browser.close()
        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def city(committed_tree):
    """Guangzhou under Guangdong, for the transfer; removed after."""
    made = factories.committee("gd-gz", level="city", parent=committed_tree["gd"])
    yield made
    committees.remove_committee(committee=made)


def _question(asker) -> Question:
    with schema_context("gd"):
        return services.ask_question(
            asker=asker, title=TITLE, body="想去参加活动", category="league"
        )


def _shot(tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"workbench-{name}-{tab.viewport_name}.png"), full_page=True)


@pytest.mark.slow
@pytest.mark.browser
def test_a_cadre_picks_a_city_from_the_tree_and_transfers(committed_tree, city, live_server, tab):
    cadre = factories.staff(committed_tree["gd"], "cadre")
    question = _question(factories.account(name="小青"))
    portal = f"http://gd.localhost:{urlparse(live_server.url).port}"
    sign_in(tab, portal, cadre, "/workbench/")
    assert tab.inner_text("[data-testid=tile-triage] strong") == "1"
    _shot(tab, "home")

    tab.goto(f"{portal}/workbench/questions/{question.pk}/")
    tree = tab.locator("[data-testid=picker-tree]")
    # The tree opens with the central committee and the provinces; Guangdong is here.
    assert tree.locator("input[value=gd]").is_disabled()
    assert tree.locator("input[value=gd-gz]").count() == 0
    tab.click("[data-testid=expand-gd]")
    tab.wait_for_selector("[data-testid=picker-tree] input[value=gd-gz]")
    tab.check("[data-testid=picker-tree] input[value=gd-gz]")
    assert tab.inner_text("[data-testid=picker-chosen]") == "转交至： 共青团广州市委"
    _shot(tab, "picker")
    tab.fill("input[name=note]", "属广州市辖区")
    tab.click("[data-testid=transfer]")
    tab.wait_for_selector(".messages li.success")
    assert tab.inner_text(".messages li") == "已转交至共青团广州市委。"
    with schema_context("gd"):
        question.refresh_from_db()
    assert question.transferred_to == "gd-gz"
    assert tab.locator("[data-testid=transfer]").count() == 0  # handled there now


@pytest.mark.slow
@pytest.mark.browser
def test_the_picker_finds_a_committee_by_name(committed_tree, city, live_server, tab):
    cadre = factories.staff(committed_tree["gd"], "cadre")
    question = _question(factories.account(name="小青"))
    portal = f"http://gd.localhost:{urlparse(live_server.url).port}"
    sign_in(tab, portal, cadre, f"/workbench/questions/{question.pk}/")
    tab.fill("[data-testid=picker-search]", "广州")
    tab.wait_for_selector("[data-testid=picker-tree] input[value=gd-gz]")
    assert tab.locator("[data-testid=picker-tree] input[value=bj]").count() == 0
    tab.fill("[data-testid=picker-search]", "火星")
    tab.wait_for_selector("[data-testid=picker-tree] li.hint")
    assert tab.inner_text("[data-testid=picker-tree]") == "没有这个名称的团委。"
    # A transfer with nothing chosen is stopped in the page and says why.
    tab.click("[data-testid=transfer]")
    assert tab.inner_text("[data-testid=picker-chosen]") == "尚未选择团委。"
    with schema_context("gd"):
        question.refresh_from_db()
    assert question.transferred_to == ""


@pytest.mark.slow
@pytest.mark.browser
def test_closing_asks_for_confirmation_first(committed_tree, live_server, tab):
    cadre = factories.staff(committed_tree["gd"], "cadre")
    question = _question(factories.account(name="小青"))
    portal = f"http://gd.localhost:{urlparse(live_server.url).port}"
    sign_in(tab, portal, cadre, f"/workbench/questions/{question.pk}/")
    # With script the box is replaced by the dialog.
    assert not tab.locator("[data-testid=close-form] input[name=confirm]").is_visible()
    tab.fill("[data-testid=close-form] input[name=reason]", "重复提问")
    tab.click("[data-testid=close]")
    dialog = tab.locator("[data-testid=confirm-dialog]")
    dialog.wait_for(state="visible")
    assert "确定关闭这个问题吗" in dialog.inner_text()
    _shot(tab, "confirm")
    tab.click("[data-testid=confirm-cancel]")
    dialog.wait_for(state="hidden")
    with schema_context("gd"):
        question.refresh_from_db()
    assert question.state == "new"

    tab.click("[data-testid=close]")
    dialog.wait_for(state="visible")
    tab.click("[data-testid=confirm-ok]")
    tab.wait_for_selector(".messages li.success")
    assert tab.inner_text(".messages li") == "问题已关闭，已通知提问者。"
    assert tab.inner_text("[data-testid=question-state]") == "已关闭"
    with schema_context("gd"):
        question.refresh_from_db()
    assert question.state == "closed"


@pytest.mark.slow
@pytest.mark.browser
def test_the_landing_page_finds_a_portal_by_name_and_through_the_tree(
    committed_tree, city, live_server, tab
):
    port = urlparse(live_server.url).port
    tab.goto(f"http://localhost:{port}/")
    tree = tab.locator("[data-testid=finder-tree]")
    assert tree.locator("[data-testid=portal-gd]").is_visible()
    assert tab.locator("[data-testid=portal-gd-gz]").count() == 0
    tab.click("[data-testid=expand-gd]")
    tab.wait_for_selector("[data-testid=portal-gd-gz]")
    assert tab.get_attribute("[data-testid=portal-gd-gz]", "href") == f"//gd-gz.localhost:{port}/"
    _shot(tab, "landing")
    tab.fill("[data-testid=finder-search]", "广州")
    results = tab.locator("[data-testid=finder-results]")
    results.wait_for()
    tab.wait_for_selector("[data-testid=finder-results] [data-testid=portal-gd-gz]")
    assert results.locator("[data-testid=portal-gd]").count() == 0
    tab.click("[data-testid=finder-results] [data-testid=portal-gd-gz]")
    tab.wait_for_url(f"http://gd-gz.localhost:{port}/")
