"""The central office drills down from the nation to a province and a city in Chromium, with
the charts drawn from the locally served Chart.js."""

from urllib.parse import urlparse

import pytest

from reporting import shipping
from tenants import services
from tests import factories
from tests.e2e.test_browser import page, sign_in  # noqa: F401 - the Chromium page fixture
from tests.reporting.helpers import answer, ask, solve_and_rate


@pytest.mark.slow
@pytest.mark.browser
def test_the_central_admin_drills_down_to_a_city(committed_tree, live_server, page):  # noqa: F811
    gz = factories.committee("gd-gz", level="city", parent=committed_tree["gd"])
    try:
        youth = factories.account(name="小青")
        question = ask("gd-gz", youth)
        answer("gd-gz", question, factories.staff(gz, "cadre"))
        solve_and_rate("gd-gz", question, youth, stars=4)
        ask("bj", youth, category="study")
        shipping.ship_all()
        admin = factories.staff(committed_tree["central"], "admin")
        console = f"http://localhost:{urlparse(live_server.url).port}"

        sign_in(page, console, admin, "/reports/")
        assert page.inner_text("[data-testid=node]") == "共青团中央"
        assert page.inner_text("[data-testid=asked]") == "2"
        page.wait_for_function("() => window.Chart && Chart.getChart('trend') !== undefined")

        page.click("[data-testid=drill-gd]")
        page.wait_for_selector("[data-testid=drill-gd-gz]")
        assert page.inner_text("[data-testid=node]") == "共青团广东省委"
        assert page.inner_text("[data-testid=asked]") == "1"
        assert "共青团中央" in page.inner_text("[data-testid=trail]")

        page.click("[data-testid=drill-gd-gz]")
        page.wait_for_selector("[data-testid=node]:has-text('共青团广州市委')")
        assert page.inner_text("[data-testid=satisfaction]") == "4.00"

        # Back up through the trail, then narrow to one category with the filters.
        page.click("[data-testid=trail] a:has-text('共青团中央')")
        page.wait_for_selector("[data-testid=node]:has-text('共青团中央')")
        page.select_option("select[name=category]", "study")
        page.click("[data-testid=filters] button[type=submit]")
        page.wait_for_url("**category=study**")
        assert page.inner_text("[data-testid=asked]") == "1"
        rows = page.locator("[data-testid=ranking] tbody tr")
        assert rows.first.get_attribute("data-code") == "bj"  # the only one that asked
    finally:
        services.remove_committee(committee=gz)
