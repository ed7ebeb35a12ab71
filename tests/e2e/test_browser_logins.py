"""On a phone in zh-hans: signing in by SMS code with the 60-second countdown, resetting a
forgotten password, and one sign-in for every portal."""

from pathlib import Path
from urllib.parse import urlparse

import pytest

from core.models import User
from tests import factories
from tests.core.helpers import last_code
from tests.e2e.test_browser import page  # noqa: F401 - the Chromium page fixture

SHOTS = Path(__file__).resolve().parents[2] / ".local" / "screenshots"


def _portal(live_server, code: str | None) -> str:
    port = urlparse(live_server.url).port
    return f"http://{code}.localhost:{port}" if code else f"http://localhost:{port}"


def _beside_the_code_field(tab, button) -> None:
    """The button sits beside the code field, on the same line, tall enough to tap."""
    field = tab.locator("input[name=code]").bounding_box()
    box = button.bounding_box()
    assert abs(box["y"] - field["y"]) < 4, (box, field)
    assert box["x"] >= field["x"] + field["width"], (box, field)
    assert box["height"] >= 44 and field["height"] >= 44


@pytest.mark.slow
@pytest.mark.browser
def test_signing_in_by_sms_code_with_the_countdown(committed_tree, live_server, page):  # noqa: F811
    portal = _portal(live_server, "gd")
    user = User.objects.create_user("13912340001", factories.PASSWORD, name="小码")
    page.clock.install()
    page.goto(f"{portal}/accounts/login/")
    page.click("[data-testid=login-code]")
    page.wait_for_url(f"{portal}/accounts/login/code/**")
    assert page.inner_text("h1") == "验证码登录"
    button = page.locator("[data-testid=send-code]")
    assert button.inner_text() == "获取验证码"
    _beside_the_code_field(page, button)

    page.fill("input[name=phone]", user.phone)
    button.click()
    page.wait_for_selector(".messages")
    assert button.is_disabled()
    assert button.inner_text() == "60 秒后重新获取"
    page.clock.run_for(1000)
    assert button.inner_text() == "59 秒后重新获取"
    _beside_the_code_field(page, button)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "login-code.png"), full_page=True)
    page.clock.run_for(60_000)
    assert button.is_enabled() and button.inner_text() == "获取验证码"

    page.fill("input[name=code]", last_code(user.phone))
    page.click("[data-testid=submit]")
    page.wait_for_url(f"{portal}/")
    assert page.inner_text("[data-testid=me]") == "小码"


@pytest.mark.slow
@pytest.mark.browser
def test_resetting_a_forgotten_password(committed_tree, live_server, page):  # noqa: F811
    portal = _portal(live_server, "bj")
    user = User.objects.create_user("13912340002", factories.PASSWORD, name="小忘")
    page.goto(f"{portal}/accounts/login/")
    page.click("[data-testid=forgot]")
    page.wait_for_url(f"{portal}/accounts/password/reset/**")
    assert page.inner_text("h1") == "重置密码"
    page.fill("input[name=phone]", user.phone)
    page.click("[data-testid=send-code]")
    page.wait_for_selector(".messages")
    page.fill("input[name=code]", last_code(user.phone))
    page.fill("input[name=password]", "Xin-mima-2027")
    page.screenshot(path=str(SHOTS / "reset.png"), full_page=True)
    page.press("input[name=password]", "Enter")  # Enter sets the password, sends no code
    page.wait_for_url(f"{portal}/")
    assert page.inner_text("[data-testid=me]") == "小忘"
    user.refresh_from_db()
    assert user.check_password("Xin-mima-2027")


@pytest.mark.slow
@pytest.mark.browser
def test_signed_in_on_one_portal_signed_in_on_another(committed_tree, live_server, page):  # noqa: F811
    gd, bj, console = (_portal(live_server, c) for c in ("gd", "bj", None))
    user = User.objects.create_user("13912340003", factories.PASSWORD, name="小通")
    page.goto(f"{bj}/")  # seen anonymously first: no account shown
    assert page.locator("[data-testid=login]").count() == 1
    page.goto(f"{gd}/accounts/login/?next=/")
    page.fill("input[name=phone]", user.phone)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("[data-testid=submit]")
    page.wait_for_url(f"{gd}/")
    assert page.inner_text("[data-testid=me]") == "小通"

    second = page.context.new_page()  # a new tab on another committee's portal
    second.goto(f"{bj}/accounts/login/")
    second.wait_for_url(f"{bj}/accounts/login/")
    assert second.inner_text("[data-testid=me]") == "小通"
    second.goto(f"{bj}/")
    assert second.inner_text("[data-testid=me]") == "小通"
    second.screenshot(path=str(SHOTS / "one-sign-in.png"), full_page=True)
    second.goto(f"{console}/accounts/profile/")
    assert second.inner_text("[data-testid=me]") == "小通"
    # Chromium keeps a cookie per host (it refuses one for the bare "localhost").
    hosts = {c["domain"] for c in page.context.cookies() if c["name"] == "sessionid"}
    assert hosts == {"gd.localhost", "bj.localhost", "localhost"}

    # Signing out on bj ends the one session everywhere.
    second.click("[data-testid=logout]")
    page.goto(f"{gd}/accounts/profile/")
    page.wait_for_url(f"{gd}/accounts/login/**")


@pytest.mark.slow
@pytest.mark.browser
def test_past_many_failures_from_the_address_the_picture_challenge_lets_the_password_in(
    committed_tree,
    live_server,
    page,  # noqa: F811
):
    from captcha.models import CaptchaStore
    from django.conf import settings

    from core import ratelimit

    portal = _portal(live_server, "gd")
    user = User.objects.create_user("13912340004", factories.PASSWORD, name="小图")
    counter = "login-ip:127.0.0.1"
    try:
        for _ in range(settings.LOGIN_CHALLENGE_AFTER_FAILURES_PER_ADDRESS):
            ratelimit.hit(counter, settings.LOGIN_FAILURE_WINDOW_S)
        page.goto(f"{portal}/accounts/login/")
        picture = page.locator("[data-testid=challenge] img")
        picture.wait_for()
        # The picture loads under the Content-Security-Policy.
        assert page.evaluate("() => document.querySelector('.challenge-image').naturalWidth") > 0
        key = page.get_attribute("input[name=challenge_key]", "value")
        page.fill("input[name=phone]", user.phone)
        page.fill("input[name=password]", factories.PASSWORD)
        page.fill("input[name=challenge_answer]", CaptchaStore.objects.get(hashkey=key).response)
        page.screenshot(path=str(SHOTS / "login-challenge.png"), full_page=True)
        page.click("[data-testid=submit]")
        page.wait_for_url(f"{portal}/")
        assert page.inner_text("[data-testid=me]") == "小图"
    finally:
        ratelimit.reset(counter)
