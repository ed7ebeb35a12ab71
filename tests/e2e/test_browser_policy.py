"""In Chromium the Content-Security-Policy breaks nothing: the portal, its sign-in, the API
docs and the console's dashboard run with no policy violation, and a branded error page
shows for a page that does not exist."""

from urllib.parse import urlparse

import pytest

from tests import factories
from tests.e2e.test_browser import (
    SHOTS,
    page,  # noqa: F401 - the Chromium page fixture
    sign_in,
)


@pytest.mark.slow
@pytest.mark.browser
def test_pages_run_under_the_policy_without_a_violation(committed_tree, live_server, page):  # noqa: F811
    port = urlparse(live_server.url).port
    portal, console = f"http://gd.localhost:{port}", f"http://localhost:{port}"
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    for path in ("/", "/questions/", "/accounts/login/"):
        assert page.goto(f"{portal}{path}").status == 200
    missing = page.goto(f"{portal}/no/such/page/")
    assert missing.status == 404
    assert page.inner_text("h1.status") == "404"
    assert "青年之声 · 广东" in page.inner_text(".brand-name")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "policy-404.png"))

    page.goto(f"{portal}/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Youth Voice API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-tag")  # the operations, fetched from the schema

    admin = factories.staff(committed_tree["central"], "admin")
    sign_in(page, console, admin, "/reports/")
    page.wait_for_function("() => window.Chart && Chart.getChart('trend') !== undefined")
    page.screenshot(path=str(SHOTS / "policy-dashboard.png"))
    assert not violations, violations
