"""A person registers and logs in on a province's portal in headless Chromium."""

import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.db import connections

from core import sms
from tests import factories

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / ".local" / "screenshots"


@pytest.fixture
def page(live_server):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test itself are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                # The browser's own words (a file input's button) in Chinese, as on the phones.
                "--lang=zh-CN",
            ],
        )
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        yield context.new_page()
        browser.close()
        # Playwright runs the test in a greenlet, where the ORM opened connections of its own.
        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def sign_in(tab, site: str, user, then: str = "/") -> None:
    """Sign ``user`` in on ``site`` (a portal's or the console's address) by number and the
    test password, and wait for the page ``then``."""
    tab.goto(f"{site}/accounts/login/?next={then}")
    tab.fill("input[name=phone]", user.phone)
    tab.fill("input[name=password]", factories.PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url(f"{site}{then}")


@pytest.mark.slow
@pytest.mark.browser
def test_register_then_log_in_on_a_province_portal_and_see_its_branding(
    committed_tree, live_server, page
):
    portal = f"http://gd.localhost:{urlparse(live_server.url).port}"
    phone = "13912345678"

    page.goto(f"{portal}/accounts/register/")
    page.fill("input[name=phone]", phone)
    page.click("button[value=send_code]")
    page.wait_for_selector(".messages")
    code = re.search(r"\d{6}", sms.outbox[-1].text).group()
    assert sms.outbox[-1].phone == phone
    page.fill("input[name=code]", code)
    page.fill("input[name=name]", "小青")
    page.fill("input[name=password]", "Qingnian2026!")
    page.click("button[value=register]")
    page.wait_for_url(f"{portal}/")
    assert page.inner_text("[data-testid=me]") == "小青"

    page.click("[data-testid=logout]")
    page.wait_for_url(f"{portal}/")
    page.click("[data-testid=login]")
    page.fill("input[name=phone]", phone)
    page.fill("input[name=password]", "Qingnian2026!")
    page.click("button[type=submit]")
    page.wait_for_url(f"{portal}/")

    assert page.inner_text("[data-testid=me]") == "小青"
    assert page.inner_text("[data-testid=hero] h1") == "青年之声 · 广东"
    assert "青春广东，团团为你" in page.inner_text("[data-testid=hero]")
    colour = page.eval_on_selector(".topbar", "e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(10, 110, 189)"  # Guangdong's #0a6ebd
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "gd-portal.png"), full_page=True)
