"""吐槽我们 on a phone at 390×844 in zh-hans: a youth finds the link on the portal's home
page, writes to the committee and later reads its answer and what changed; the cadre
answers and adopts it on the workbench."""

from urllib.parse import urlparse

import pytest
from django_tenants.utils import schema_context

from suggestions.models import Suggestion
from tests import factories
from tests.e2e.test_browser import SHOTS, page, sign_in  # noqa: F401 - the Chromium page fixture

SAID = "活动报名页在手机上字太小，看不清楚"


def _log_out(tab, portal: str) -> None:
    tab.click("[data-testid=logout]")
    tab.wait_for_url(f"{portal}/")


@pytest.mark.slow
@pytest.mark.browser
def test_a_youth_roasts_the_portal_on_a_phone_and_reads_what_changed(
    committed_tree,
    live_server,
    page,  # noqa: F811
):
    youth = factories.account(name="小青")
    cadre = factories.staff(committed_tree["gd"], "cadre")
    portal = f"http://gd.localhost:{urlparse(live_server.url).port}"

    sign_in(page, portal, youth, "/")
    page.click("[data-testid=roast-link]")
    page.wait_for_url(f"{portal}/roast/")
    assert page.inner_text("h1") == "吐槽我们"
    page.fill("[data-testid=roast-body]", SAID)
    page.click("[data-testid=roast-send]")
    page.wait_for_selector("[data-testid=my-suggestions] li")
    assert SAID in page.inner_text("[data-testid=my-suggestions]")
    assert "待回复" in page.inner_text("[data-testid=my-suggestions]")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "roast-youth.png"), full_page=True)
    _log_out(page, portal)

    sign_in(page, portal, cadre, "/workbench/suggestions/")
    page.fill("[data-testid=answer-text]", "谢谢提醒，本周放大报名页字号。")
    page.click("[data-testid=answer-send]")
    page.wait_for_selector("[data-testid=adopt-change]")
    page.fill("[data-testid=adopt-change]", "报名页字号放大，适配手机")
    page.click("[data-testid=adopt-send]")
    page.wait_for_selector("text=已采纳，将列入下周一的公告。")
    page.screenshot(path=str(SHOTS / "roast-workbench.png"), full_page=True)
    with schema_context("gd"):
        assert Suggestion.objects.get().state == "adopted"
    _log_out(page, portal)

    sign_in(page, portal, youth, "/roast/")
    mine = page.inner_text("[data-testid=my-suggestions]")
    assert "谢谢提醒，本周放大报名页字号。" in mine and "报名页字号放大，适配手机" in mine
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
