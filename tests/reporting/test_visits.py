"""Effective unique visits (有效独立访问): one per visitor, question and day, from the page and
the API alike; staff and readers from above are not visitors; shipped into the figures."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Sum
from django.utils import timezone

from reporting import shipping
from reporting.metrics import local_day
from reporting.models import DailyFigures, PostVisit
from tests import factories

from .helpers import answer, ask, figures

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Late on one day and early on the next in Beijing time: the same day in UTC.
LATE = datetime(2026, 3, 10, 23, 30, tzinfo=SHANGHAI)
EARLY_NEXT = LATE + timedelta(hours=1)


@pytest.fixture
def published(tree):
    """An answered question on Guangdong's portal and one on Guangzhou's."""
    gd = ask("gd", tree["youth"])
    answer("gd", gd, tree["gd_cadre"])
    gz = ask("gd-gz", tree["youth"], category="study")
    answer("gd-gz", gz, tree["gz_cadre"])
    return {"gd": gd, "gd-gz": gz}


def page(web, code, user, question):
    response = web(code, user).get(f"/questions/{question.pk}/")
    assert response.status_code == 200
    return response


def api_detail(api, code, user, question):
    response = api(code, user).get(f"/api/v1/questions/{question.pk}/")
    assert response.status_code == 200, response.content
    return response


def visits(question, **filters) -> list[tuple]:
    return sorted(
        PostVisit.objects.filter(post_type="question", post_id=question.pk, **filters)
        .values_list("visitor", "day")
        .order_by()
    )


def test_one_visit_per_visitor_question_and_day(tree, published, web, api):
    question = published["gd"]
    reader, second = factories.account(name="读者"), factories.account(name="读者二")
    with time_machine.travel(LATE, tick=False):
        page(web, "gd", reader, question)
        page(web, "gd", reader, question)
        api_detail(api, "gd", reader, question)
    assert visits(question) == [(f"u{reader.pk}", LATE.date())]

    with time_machine.travel(EARLY_NEXT, tick=False):
        api_detail(api, "gd", reader, question)
        page(web, "gd", reader, question)
        page(web, "gd", second, question)
    next_day = EARLY_NEXT.date()
    assert next_day == LATE.date() + timedelta(days=1)
    assert visits(question) == sorted(
        [(f"u{reader.pk}", LATE.date()), (f"u{reader.pk}", next_day), (f"u{second.pk}", next_day)]
    )
    assert set(PostVisit.objects.values_list("committee__code", "category")) == {("gd", "career")}


def test_an_anonymous_visitor_counts_once(tree, published, web, api):
    question = published["gd"]
    page(web, "gd", None, question)
    page(web, "gd", None, question)
    api_detail(api, "gd", None, question)
    found = visits(question)
    assert len(found) == 1 and found[0][0].startswith("a")


def test_staff_and_readers_from_above_are_not_visitors(tree, published, web, api):
    for code, user in (
        ("gd", tree["gd_cadre"]),
        ("gd", tree["gd_expert"]),
        ("gd", tree["gd_admin"]),
        ("gd", tree["auditor"]),
        ("gd-gz", tree["gz_cadre"]),
        ("gd-gz", tree["gd_admin"]),  # the province's admin reads the city
        ("gd-gz", tree["auditor"]),
    ):
        question = published[code]
        page(web, code, user, question)
        api_detail(api, code, user, question)
    assert not PostVisit.objects.exists()
    # Staff of another committee are youths here.
    page(web, "gd-gz", tree["bj_cadre"], published["gd-gz"])
    today = local_day(timezone.now())
    assert visits(published["gd-gz"]) == [(f"u{tree['bj_cadre'].pk}", today)]


def test_shipped_visits_count_in_own_and_subtree_figures(tree, published, web, api):
    readers = [factories.account(name=f"读者{n}") for n in range(3)]
    with time_machine.travel(LATE, tick=False):
        for reader in readers:
            page(web, "gd-gz", reader, published["gd-gz"])
        page(web, "gd", readers[0], published["gd"])
    with time_machine.travel(EARLY_NEXT, tick=False):
        api_detail(api, "gd-gz", readers[0], published["gd-gz"])
        page(web, "gd-gz", None, published["gd-gz"])
        page(web, "gd-gz", tree["gz_cadre"], published["gd-gz"])

    assert shipping.ship_all() == 4 + 6  # the two questions' events, then six visits
    assert not PostVisit.objects.filter(is_shipped=False).exists()
    assert figures(tree.gz, subtree=False)["visits"] == 5
    assert figures(tree.gd, subtree=False)["visits"] == 1
    for node in (tree.gd, tree.central):
        assert figures(node, subtree=True)["visits"] == 6
    assert figures(tree.bj, subtree=True)["visits"] == 0

    def by_day(committee, subtree):
        rows = DailyFigures.objects.filter(committee=committee, is_subtree=subtree, visits__gt=0)
        return dict(rows.values_list("day").annotate(Sum("visits")).order_by())

    late, early = LATE.date(), EARLY_NEXT.date()
    assert by_day(tree.gz, False) == {late: 3, early: 2}
    assert by_day(tree.central, True) == {late: 4, early: 2}
    assert (
        DailyFigures.objects.get(
            committee=tree.gz, is_subtree=True, day=late, category="study"
        ).visits
        == 3
    )

    # The visits were shipped once: shipping again adds nothing.
    assert shipping.ship_all() == 0
    assert figures(tree.central, subtree=True)["visits"] == 6
