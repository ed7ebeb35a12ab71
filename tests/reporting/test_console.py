"""The console and the dashboards: who sees which subtree, filters, sorting, bad input,
exports that open in a spreadsheet library, the audit log."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
import time_machine
from django.utils import timezone

from core.models import AuditAccess
from reporting import shipping
from reporting.selectors import local_day_now

from .helpers import answer, ask, solve_and_rate


@pytest.fixture
def activity(tree):
    """Two answered and rated questions in Guangzhou, one in Beijing, shipped."""
    for stars in (5, 4):
        question = ask("gd-gz", tree["youth"])
        answer("gd-gz", question, tree["gz_cadre"])
        solve_and_rate("gd-gz", question, tree["youth"], stars=stars)
    ask("bj", tree["youth"], category="study")
    shipping.ship_all()
    return tree


def _codes(rows) -> list[str]:
    return [row["code"] for row in rows]


def test_the_central_overview_has_the_nation_and_its_provinces(activity, api):
    body = api(None, activity["central_admin"]).get("/api/v1/reports/overview/").json()
    totals = body["totals"]
    assert totals["code"] == "central"
    assert totals["figures"]["asked"] == 3 and totals["figures"]["answered_by_league"] == 2
    assert totals["figures"]["ratings"] == 2 and totals["rating_mean"] == 4.5
    assert totals["youths"] == 1
    assert totals["index"]["terms"]["activities"] == 0.0  # none held yet
    assert _codes(body["ranking"]) == ["gd", "bj"]  # by the index
    assert sum(day["asked"] for day in body["trend"]) == 3 and len(body["trend"]) == 30
    assert body["categories"]["career"]["asked"] == 2


def test_drilling_down_and_ranking_by_level(activity, api):
    client = api(None, activity["auditor"])
    gd = client.get("/api/v1/reports/overview/", {"node": "gd"}).json()
    assert gd["totals"]["figures"]["asked"] == 2 and _codes(gd["ranking"]) == ["gd-gz"]
    cities = client.get("/api/v1/reports/ranking/", {"level": "city", "sort": "asked"}).json()
    assert _codes(cities["results"]) == ["gd-gz"]
    by_asked = client.get("/api/v1/reports/ranking/", {"sort": "asked"}).json()["results"]
    assert [row["figures"]["asked"] for row in by_asked] == [2, 1]


def test_filters_by_category_and_dates(activity, api):
    client = api(None, activity["central_admin"])
    study = client.get("/api/v1/reports/overview/", {"category": "study"}).json()
    assert study["totals"]["figures"]["asked"] == 1
    past = local_day_now() - timedelta(days=40)
    old = client.get(
        "/api/v1/reports/overview/", {"start": past.isoformat(), "end": past.isoformat()}
    ).json()
    assert old["totals"]["figures"]["asked"] == 0 and len(old["trend"]) == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"days": "0"}, "days"),
        ({"days": "abc"}, "days"),
        ({"start": "2026-13-01"}, "start"),
        ({"start": "2026-02-01", "end": "2026-01-01"}, "start"),
        ({"start": "2024-01-01", "end": "2026-01-01"}, "start"),
        ({"category": "nope"}, "category"),
        ({"level": "galaxy"}, "level"),
        ({"sort": "password"}, "sort"),
    ],
)
def test_bad_filters_are_refused_with_the_field(tree, api, params, field):
    response = api(None, tree["central_admin"]).get("/api/v1/reports/overview/", params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_a_province_admin_sees_its_subtree_only(activity, api):
    client = api(None, activity["gd_admin"])
    mine = client.get("/api/v1/reports/overview/").json()
    assert mine["totals"]["code"] == "gd" and mine["totals"]["figures"]["asked"] == 2
    assert client.get("/api/v1/reports/overview/", {"node": "gd-gz"}).status_code == 200
    for node in ("central", "bj"):
        response = client.get("/api/v1/reports/overview/", {"node": node})
        assert response.status_code == 403
    # On its own portal too, and never another province's.
    portal = api("gd", activity["gd_admin"])
    assert portal.get("/api/v1/reports/ranking/").json()["results"][0]["code"] == "gd-gz"
    assert portal.get("/api/v1/reports/overview/", {"node": "bj"}).status_code == 403


def test_who_may_not_see_figures(activity, api):
    overview = "/api/v1/reports/overview/"
    assert api(None).get(overview).status_code == 401
    assert api(None, activity["youth"]).get(overview).status_code == 403
    assert api("gd", activity["youth"]).get(overview).status_code == 403
    assert api("gd", activity["bj_admin"]).get(overview).status_code == 403  # another province
    assert api("bj", activity["gd_admin"]).get(overview).status_code == 403
    # A city's cadre sees its own city, not its province.
    assert api("gd-gz", activity["gz_cadre"]).get(overview).status_code == 200
    assert api("gd", activity["gz_cadre"]).get(overview).status_code == 403


def test_the_dashboard_page_drills_down_and_keeps_the_filters(activity, web):
    browser = web(None, activity["central_admin"])
    page = browser.get("/reports/", {"category": "career"}).content.decode()
    assert 'data-testid="drill-gd"' in page and "chart.umd.min.js" in page
    assert "node=gd" in page and "category=career" in page
    city = browser.get("/reports/", {"node": "gd"}).content.decode()
    assert 'data-testid="drill-gd-gz"' in city and "共青团广东省委" in city
    assert web(None, activity["gd_admin"]).get("/reports/", {"node": "bj"}).status_code == 403
    assert web(None).get("/reports/").status_code == 302  # to the login page
    refused = browser.get("/reports/", {"days": "x", "node": "gd"})
    assert refused.status_code == 302 and refused["Location"].endswith("?node=gd")


def test_exports_open_in_a_spreadsheet_library(activity, web):
    browser = web(None, activity["central_admin"])
    book = openpyxl.load_workbook(io.BytesIO(browser.get("/reports/export/ranking.xlsx").content))
    rows = list(book.active.values)
    assert [row[1] for row in rows[1:]] == ["gd", "bj"]
    assert rows[1][2] == 2  # asked in Guangdong
    text = browser.get("/reports/export/trend.csv", {"days": "7"}).content.decode("utf-8-sig")
    days = list(csv.reader(io.StringIO(text)))
    assert len(days) == 8 and sum(int(row[1]) for row in days[1:]) == 3
    for table in ("categories", "topics"):
        for fmt in ("csv", "xlsx"):
            response = browser.get(f"/reports/export/{table}.{fmt}")
            assert response.status_code == 200 and len(response.content) > 20
    assert browser.get("/reports/export/passwords.csv").status_code == 404
    assert (
        web(None, activity["gd_admin"])
        .get("/reports/export/ranking.csv", {"node": "bj"})
        .status_code
        == 403
    )


def test_hot_topics_compare_this_week_with_the_last(activity, api):
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        ask("gd-gz", activity["youth"], title="实习工资被拖欠培训费", body="")
    ask("gd", activity["youth"])
    shipping.ship_all()
    topics = api(None, activity["central_admin"]).get("/api/v1/reports/topics/").json()
    terms = {row["term"]: row for row in topics["results"]}
    fee = terms["培训费"]
    assert (fee["this_week"], fee["last_week"]) == (4, 1)
    # Last week's one question of four said 培训费 too: as usual, four this week.
    assert (fee["usual"], fee["rise"]) == (4.0, 1.0) and fee["words"] == ["培训费"]
    assert "拖欠" not in terms  # asked only last week
    guangdong = api(None, activity["central_admin"]).get("/api/v1/reports/topics/", {"node": "gd"})
    assert {row["term"]: row["this_week"] for row in guangdong.json()["results"]}["培训费"] == 3
    # Guangzhou's two questions are fewer than a hot topic needs.
    city = api(None, activity["central_admin"]).get("/api/v1/reports/topics/", {"node": "gd-gz"})
    assert city.json()["results"] == []


def test_the_central_admin_reads_the_audit_log(activity, web, api):
    web("gd", activity["auditor"]).get("/workbench/questions/")
    assert AuditAccess.objects.filter(user=activity["auditor"]).count() == 1
    log = api(None, activity["central_admin"]).get("/api/v1/reports/audit/").json()
    assert log["results"][0]["committee"] == "gd"
    assert "/workbench/questions/" in log["results"][0]["path"]
    page = web(None, activity["central_admin"]).get("/reports/audit/").content.decode()
    assert "/workbench/questions/" in page
    for who in ("auditor", "gd_admin", "youth"):
        assert api(None, activity[who]).get("/api/v1/reports/audit/").status_code == 403
        assert web(None, activity[who]).get("/reports/audit/").status_code == 403


def test_a_shipped_batch_is_seen_at_once_despite_the_cache(activity, api):
    client = api(None, activity["central_admin"])
    first = client.get("/api/v1/reports/overview/").json()["totals"]["figures"]["asked"]
    assert client.get("/api/v1/reports/overview/").json()["totals"]["figures"]["asked"] == first
    ask("bj", activity["youth"], category="study")
    assert client.get("/api/v1/reports/overview/").json()["totals"]["figures"]["asked"] == first
    shipping.ship_all()
    assert client.get("/api/v1/reports/overview/").json()["totals"]["figures"]["asked"] == first + 1
