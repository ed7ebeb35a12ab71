"""The central admin generates Guangdong's assessment for the month in Chromium: its cities
ranked on every indicator, and the report for the provincial leadership as a PDF."""

import subprocess
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from reporting import shipping
from tenants import services
from tests import factories
from tests.e2e.test_browser import SHOTS, page, sign_in  # noqa: F401 - the Chromium page fixture
from tests.reporting.helpers import answer, ask, rated_answer


@pytest.mark.slow
@pytest.mark.browser
def test_the_central_admin_generates_a_provinces_report(committed_tree, live_server, page):  # noqa: F811
    gd = committed_tree["gd"]
    made = [factories.committee("gd-gz", level="city", parent=gd)]
    try:
        made.append(factories.committee("gd-sz", level="city", parent=gd))
        gz, sz = made
        for stars in (5, 4):
            rated_answer("gd-gz", factories.staff(gz, "cadre"), factories.account(), stars)
        ask("gd-sz", factories.account())
        answer("gd-sz", ask("gd-sz", factories.account()), factories.staff(sz, "expert"))
        shipping.ship_all()
        admin = factories.staff(committed_tree["central"], "admin")
        console = f"http://localhost:{urlparse(live_server.url).port}"
        month = timezone.localdate().strftime("%Y-%m")

        sign_in(page, console, admin, "/reports/assessment/")
        page.select_option("[data-testid=assessment-node]", "gd")
        page.fill("[data-testid=assessment-term]", month)
        page.click("[data-testid=assessment-go]")
        page.wait_for_url(f"**node=gd**term={month}**")
        rows = page.locator("[data-testid=assessment] tbody tr")
        assert rows.count() == 2
        assert "共青团广州市委" in rows.nth(0).inner_text()
        assert "共青团深圳市委" in rows.nth(1).inner_text()
        headers = page.inner_text("[data-testid=assessment] thead")
        for label in ("活跃度", "满意度", "活动与品牌活动", "青年之家预约与O2O", "各类组织参与"):
            assert label in headers
        page.screenshot(path=str(SHOTS / "assessment-console.png"), full_page=True)

        with page.expect_download() as download:
            page.click("[data-testid=assessment-pdf]")
        saved = SHOTS / "assessment-gd.pdf"
        download.value.save_as(saved)
        text = subprocess.run(
            ["pdftotext", "-layout", str(saved), "-"], capture_output=True, check=True
        ).stdout.decode()
        assert "中共广东省委员会" in text and "共青团深圳市委" in text
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-singlefile",
                str(saved),
                str(SHOTS / "assessment-gd"),
            ],
            check=True,
        )
    finally:
        for committee in reversed(made):
            services.remove_committee(committee=committee)
