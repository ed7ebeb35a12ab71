"""The portal on a phone (390×844, zh-hans): the tab bar on every portal page, 我的 reaching
my questions, and the home page's search finding a question."""

from urllib.parse import urlparse

import pytest
from django_tenants.utils import schema_context

from portal.services import post_notice
from qa import services
from tests import factories
from tests.e2e.test_browser import SHOTS, page, sign_in  # noqa: F401 - the Chromium page fixture
from tests.qa.helpers import alliance

WIDTH, HEIGHT = 390, 844


def _fits_the_phone(tab) -> None:
    """Nothing wider than the screen, the tab bar pinned to its bottom, taps of 44 px."""
    assert tab.evaluate("document.documentElement.scrollWidth") <= WIDTH
    bar = tab.locator("[data-testid=tabbar]").bounding_box()
    assert bar is not None and round(bar["y"] + bar["height"]) == HEIGHT
    for name in ("home", "qa", "ask", "me"):
        box = tab.locator(f"[data-testid=tabbar-{name}]").bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44


@pytest.mark.slow
@pytest.mark.browser
def test_the_tab_bar_mine_and_the_home_search_on_a_phone(committed_tree, live_server, page):  # noqa: F811
    youth = factories.account(name="小青")
    expert = factories.staff(committed_tree["gd"], "expert")
    alliance("gd", expert, category="health", name="健康服务联盟")
    with schema_context("gd"):
        question = services.ask_question(
            asker=youth, title="医疗保险怎么报销", body="在外地看病", category="health"
        )
        services.answer(question=question, author=expert, body="带上发票到社保窗口办理。")
        notice = post_notice(author=expert, title="团课通知", body="周五晚上七点开课")
    portal = f"http://gd.localhost:{urlparse(live_server.url).port}"
    SHOTS.mkdir(parents=True, exist_ok=True)

    # A visitor's home: the brand, the search box, the tab bar.
    page.goto(f"{portal}/")
    assert page.title() == "青年之声 · 广东"
    _fits_the_phone(page)
    assert page.get_attribute("[data-testid=tabbar-home]", "aria-current") == "page"

    # The home page's search finds the answered question.
    page.fill("[data-testid=home-search] input[name=q]", "报销")
    page.click("[data-testid=home-search] button")
    page.wait_for_url(f"{portal}/questions/?q=*")
    found = page.locator("[data-testid=question-item]")
    assert found.count() == 1
    assert "医疗保险怎么报销" in found.inner_text()
    assert "1 条答复" in found.inner_text()
    found.locator("a.qitem-title").click()
    page.wait_for_url(f"{portal}/questions/{question.pk}/")
    by = page.inner_text("[data-testid=reply-by]")
    assert "人社局" in by
    _fits_the_phone(page)

    # Signed in, 我的 reaches my questions.
    sign_in(page, portal, youth)
    page.click("[data-testid=tabbar-me]")
    page.wait_for_url(f"{portal}/me/")
    assert page.get_attribute("[data-testid=tabbar-me]", "aria-current") == "page"
    page.click("[data-testid=mine-questions]")
    page.wait_for_url(f"{portal}/questions/mine/")
    assert "医疗保险怎么报销" in page.inner_text("[data-testid=question-item]")
    assert page.get_attribute("[data-testid=tabbar-me]", "aria-current") == "page"

    # Every portal page has the tab bar and fits the phone.
    for path, tab in [
        ("/", "home"),
        ("/notices/", "home"),
        (f"/notices/{notice.pk}/", "home"),
        ("/questions/", "qa"),
        ("/questions/?open=1", "qa"),
        (f"/questions/{question.pk}/", "qa"),
        ("/questions/ask/", "ask"),
        ("/questions/mine/", "me"),
        ("/me/", "me"),
        ("/notifications/", "me"),
        ("/accounts/profile/", "me"),
    ]:
        page.goto(f"{portal}{path}")
        _fits_the_phone(page)
        assert page.get_attribute(f"[data-testid=tabbar-{tab}]", "aria-current") == "page", path
        name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "") or "home"
        page.screenshot(path=str(SHOTS / f"portal-{name}.png"), full_page=True)
