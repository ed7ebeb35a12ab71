"""The central admin edits the synonym list on the console, on a phone, and the new version
shows in the history with what it added and removed; the portal's search follows it."""

from urllib.parse import urlparse

import pytest

from franchise import synonyms
from franchise.models import SynonymList
from tests import factories
from tests.e2e.test_browser import SHOTS, page, sign_in  # noqa: F401 - the Chromium page fixture


@pytest.mark.slow
@pytest.mark.browser
def test_the_central_admin_saves_a_new_version_of_the_synonym_list(
    committed_tree,
    live_server,
    page,  # noqa: F811
):
    admin = factories.staff(committed_tree["central"], "admin")
    console = f"http://localhost:{urlparse(live_server.url).port}"

    sign_in(page, console, admin)
    page.click("[data-testid=synonyms-link]")
    page.wait_for_url(f"{console}/synonyms/")
    assert page.inner_text("[data-testid=version]") == "第 1 版"
    text = page.input_value("textarea[name=text]")
    assert "医保 医疗保险" in text.splitlines()

    lines = [line for line in text.splitlines() if line != "挂科 不及格"]
    page.fill("textarea[name=text]", "\n".join([*lines, "团员 共青团员"]))
    page.fill("input[name=note]", "加入团员")
    page.click("[data-testid=save]")
    page.wait_for_selector(".messages")
    assert "已保存为新版本" in page.inner_text(".messages")
    assert page.inner_text("[data-testid=version]") == "第 2 版"
    latest = page.locator("[data-testid=version-2]")
    assert latest.locator("[data-testid=added]").all_inner_texts() == ["团员 · 共青团员"]
    assert latest.locator("[data-testid=removed]").all_inner_texts() == ["挂科 · 不及格"]
    assert "加入团员" in latest.inner_text()
    assert page.locator("[data-testid=version-1]").count() == 1
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "console-synonyms.png"), full_page=True)

    # A word in two groups is refused with the reason, and nothing is saved.
    page.fill("textarea[name=text]", "丢 不见\n不见 掉了")
    page.click("[data-testid=save]")
    page.wait_for_selector(".error")
    assert "一个词只能属于一组" in page.inner_text(".error")
    assert SynonymList.objects.order_by("-version").first().version == 2
    assert synonyms.thesaurus_for(committed_tree["gd"]).alike("团员") == ("共青团员",)
