"""The assessment's API and pages: the report, its files, and the standard's versions
published and previewed; refused to youths, other committees and anyone signed out."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from franchise.models import AssessmentStandard
from franchise.standards import ASSESSMENT_STANDARD
from reporting import shipping
from tests import factories
from tests.reporting.helpers import rated_answer

WEIGHTS = ASSESSMENT_STANDARD["weights"]


@pytest.fixture
def shipped(tree):
    rated_answer("gd-gz", tree["gz_cadre"], factories.account(), 5)
    shipping.ship_all()


def this_month() -> str:
    return timezone.localdate().strftime("%Y-%m")


def test_the_report_for_a_province_and_its_files(tree, api, shipped):
    found = api("gd", tree["gd_admin"]).get(f"/api/v1/reports/assessment/?term={this_month()}")
    assert found.status_code == 200
    body = found.json()
    assert body["node"] == "gd" and body["standard"]["version"] == 1
    assert [row["code"] for row in body["results"]] == ["gd-gz"]
    cells = body["results"][0]["cells"]
    assert set(cells) == set(WEIGHTS) and cells["answer_rate"]["sample"] == 1
    assert {i["code"] for i in body["indicators"]} == set(WEIGHTS)
    console = api(None, tree["central_admin"]).get(
        f"/api/v1/reports/assessment/?node=gd&term={this_month()}"
    )
    assert console.status_code == 200 and console.json()["results"][0]["code"] == "gd-gz"
    pdf = api(None, tree["central_admin"]).get("/api/v1/reports/assessment.pdf?node=gd")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    xlsx = api("gd", tree["gd_admin"]).get("/api/v1/reports/assessment.xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert api("gd", tree["gd_admin"]).get("/api/v1/reports/assessment.doc").status_code == 404
    bad = api("gd", tree["gd_admin"]).get("/api/v1/reports/assessment/?term=2026-13")
    assert bad.status_code == 400 and "term" in bad.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("code", "who", "query", "status"),
    [
        ("gd", None, "", 401),
        ("gd", "youth", "", 403),
        ("gd-gz", "gz_cadre", "?node=gd", 403),
        ("gd-gz", "central_admin", "?node=gd", 403),
        (None, "bj_admin", "?node=gd", 403),
        ("bj", "bj_admin", "?node=gd", 403),
    ],
)
def test_others_are_refused(tree, api, code, who, query, status):
    client = api(code, tree[who] if who else None)
    assert client.get(f"/api/v1/reports/assessment/{query}").status_code == status
    assert client.get(f"/api/v1/reports/assessment.pdf{query}").status_code == status


def future() -> str:
    return (timezone.localdate() + timedelta(days=40)).isoformat()


def test_standards_are_published_previewed_and_logged(tree, api, shipped):
    central = api(None, tree["central_admin"])
    new = {"effective_from": future(), "weights": {**WEIGHTS, "with_tree": 40}, "note": "重联动"}
    preview = central.post("/api/v1/reports/assessment/standards/?preview=true", new, format="json")
    assert preview.status_code == 200 and preview.json()["standard"]["version"] == 0
    assert AssessmentStandard.objects.count() == 1  # a preview saves nothing
    made = central.post("/api/v1/reports/assessment/standards/", new, format="json")
    assert made.status_code == 201 and made.json()["version"] == 2
    assert LogEntry.objects.filter(object_id=str(made.json()["id"])).exists()
    past = central.post(
        "/api/v1/reports/assessment/standards/",
        {**new, "effective_from": timezone.localdate().isoformat()},
        format="json",
    )
    assert past.status_code == 400 and "effective_from" in past.json()["error"]["fields"]
    listed = central.get("/api/v1/reports/assessment/standards/")
    assert [v["version"] for v in listed.json()["results"]] == [2, 1]

    # Guangdong publishes its own within the latitude of the central version then in force.
    province = api("gd", tree["gd_admin"])
    own = {"effective_from": future(), "weights": {**WEIGHTS, "with_tree": 50}}
    made = province.post("/api/v1/reports/assessment/standards/?node=gd", own, format="json")
    assert made.status_code == 201 and made.json()["node"] == "gd"
    wide = {"effective_from": future(), "weights": {**WEIGHTS, "with_tree": 61}}
    refused = province.post("/api/v1/reports/assessment/standards/?node=gd", wide, format="json")
    assert refused.status_code == 400 and "weights" in refused.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("code", "who", "query", "status"),
    [
        ("gd", "gd_cadre", "?node=gd", 403),
        ("gd", "youth", "?node=gd", 403),
        ("gd", None, "?node=gd", 401),
        ("bj", "bj_admin", "?node=gd", 404),
        (None, "gd_admin", "", 403),
        (None, "auditor", "", 403),
    ],
)
def test_only_the_central_admin_and_a_provinces_admin_publish(tree, api, code, who, query, status):
    new = {"effective_from": future(), "weights": WEIGHTS}
    client = api(code, tree[who] if who else None)
    sent = client.post(f"/api/v1/reports/assessment/standards/{query}", new, format="json")
    assert sent.status_code == status
    assert AssessmentStandard.objects.count() == 1


def test_the_pages(tree, web, shipped):
    console = web(None, tree["central_admin"])
    page = console.get(f"/reports/assessment/?node=gd&term={this_month()}")
    html = page.content.decode()
    assert page.status_code == 200 and "共青团广州市委" in html and "上下联动" in html
    assert console.get("/reports/assessment.xlsx?node=gd").status_code == 200
    form = {f"w_{code}": weight for code, weight in WEIGHTS.items()}
    form.update(effective_from=future(), note="")
    previewed = console.post("/reports/assessment/standard/", {**form, "action": "preview"})
    assert (
        previewed.status_code == 200 and 'data-testid="preview-table"' in previewed.content.decode()
    )
    published = console.post("/reports/assessment/standard/", {**form, "action": "publish"})
    assert published.status_code == 302 and AssessmentStandard.objects.count() == 2
    province = web("gd", tree["gd_admin"]).get("/reports/assessment/standard/")
    assert province.status_code == 200 and "广东" in province.content.decode()
    assert web("gd-gz", tree["gz_cadre"]).get("/reports/assessment/standard/").status_code == 403
    assert web("gd", tree["youth"]).get("/reports/assessment/").status_code == 403
