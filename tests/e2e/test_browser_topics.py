"""The console's hot topics on a phone (390×844, zh-hans) in Chromium: a rising term above an
always-common one, a phrase shown without its space, the usual count and the rise."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest
import time_machine
from django.utils import timezone

from reporting import shipping
from tests import factories
from tests.e2e.test_browser import SHOTS, page, sign_in  # noqa: F401 - the Chromium page fixture
from tests.reporting.helpers import ask

WIDTH = 390


@pytest.mark.slow
@pytest.mark.browser
def test_hot_topics_on_a_phone(committed_tree, live_server, page):  # noqa: F811
    youth = factories.account(name="小青")
    for weeks_ago in range(1, 5):
        with time_machine.travel(timezone.now() - timedelta(days=7 * weeks_ago + 1)):
            ask("gd", youth, title="学校宿舍没有空调", body="", category="study")
    for _ in range(3):
        ask("gd", youth, title="学校宿舍没有空调", body="", category="study")
        ask("bj", youth, title="实习单位拖欠工资怎么办", body="", category="rights")
    shipping.ship_all()
    admin = factories.staff(committed_tree["central"], "admin")
    console = f"http://localhost:{urlparse(live_server.url).port}"

    sign_in(page, console, admin, "/reports/")
    table = page.locator("[data-testid=topics]")
    table.scroll_into_view_if_needed()
    # A phone hides the fourth column of the console's tables: here the usual count.
    assert table.locator("thead").inner_text().split() == ["词语", "本周", "上周", "升幅"]
    assert table.locator("thead th").nth(3).text_content() == "往常"
    rows = [
        [cell.text_content() or "" for cell in row.locator("td").all()]
        for row in table.locator("tbody tr").all()
    ]
    terms = [row[0].strip() for row in rows]
    # Three new questions about wages at internships outrank the always-asked dormitory,
    # whose usual is one a week at the four weeks' volume, six at this week's.
    assert terms[:2] == ["实习单位", "拖欠工资"] and "学校宿舍" in terms[2:]
    dormitory = rows[terms.index("学校宿舍")]
    assert [cell.strip() for cell in dormitory[1:]] == ["3", "1", "6.0", "×0.7"]
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    box = table.bounding_box()
    assert box is not None and box["width"] > 0
    assert "Usual" not in page.content() and "Rise" not in page.content()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "console-hot-topics.png"), full_page=True)
