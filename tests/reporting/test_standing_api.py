"""The standard scores' pages and API: a committee's staff and teams ranked, each score's
profile, and nothing for youths, other committees or anyone signed out."""

import pytest

from reporting import standing
from reporting.models import StandardScore
from tests import factories
from tests.qa.helpers import alliance
from tests.reporting.helpers import rated_answer


@pytest.fixture
def scored(tree):
    alliance("gd", tree["gd_expert"])
    alliance("gd-gz", tree["gz_cadre"], name="广州就业联盟", kind="cadre")
    for stars in (5, 5, 4):
        rated_answer("gd", tree["gd_expert"], factories.account(), stars)
    rated_answer("gd-gz", tree["gz_cadre"], factories.account(), 2)
    standing.recompute()
    return {
        "expert": StandardScore.objects.get(kind="account", subject_id=tree["gd_expert"].pk),
        "gz": StandardScore.objects.get(kind="account", subject_id=tree["gz_cadre"].pk),
    }


def test_a_committee_ranks_its_staff_and_its_subtree(tree, api, scored):
    own = api("gd", tree["gd_admin"]).get("/api/v1/reports/standing/")
    assert own.status_code == 200
    assert [row["subject_id"] for row in own.json()["results"]] == [tree["gd_expert"].pk]
    row = own.json()["results"][0]
    assert (row["committee"], row["ratings"], row["terms"]["answers"][0]) == ("gd", 3, 3)
    subtree = api("gd", tree["gd_admin"]).get("/api/v1/reports/standing/?subtree=true")
    ranked = [row["subject_id"] for row in subtree.json()["results"]]
    assert ranked == [tree["gd_expert"].pk, tree["gz_cadre"].pk]
    teams = api("gd", tree["gd_admin"]).get("/api/v1/reports/standing/?kind=team")
    assert [row["name"] for row in teams.json()["results"]] == ["就业服务联盟"]
    detail = api("gd", tree["gd_admin"]).get(f"/api/v1/reports/standing/{scored['gz'].pk}/")
    assert detail.status_code == 200 and detail.json()["rank"] == 1
    bad = api("gd", tree["gd_admin"]).get("/api/v1/reports/standing/?kind=people")
    assert bad.status_code == 400 and "kind" in bad.json()["error"]["fields"]


@pytest.mark.parametrize("who", [None, "youth", "bj_admin", "gz_cadre"])
def test_others_get_nothing(tree, api, scored, who):
    user = tree[who] if who else None
    listed = api("gd", user).get("/api/v1/reports/standing/")
    assert listed.status_code == (401 if who is None else 403)
    detail = api("gd", user).get(f"/api/v1/reports/standing/{scored['expert'].pk}/")
    assert detail.status_code == (401 if who is None else 404)


def test_a_subtree_committee_cannot_reach_up(tree, api, scored):
    # Guangzhou's portal does not show Guangdong's scores, even to the central admin.
    central = api("gd-gz", tree["central_admin"])
    assert central.get(f"/api/v1/reports/standing/{scored['expert'].pk}/").status_code == 404
    assert central.get("/api/v1/reports/standing/?node=gd").status_code == 403


def test_the_pages(tree, web, scored):
    page = web("gd", tree["gd_expert"]).get("/reports/standing/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="my-score"' in html and "就业服务联盟" not in html
    assert "青年评议标准分" in html
    detail = web("gd", tree["gd_admin"]).get(f"/reports/standing/{scored['expert'].pk}/")
    assert detail.status_code == 200 and "答复" in detail.content.decode()
    assert web("gd", tree["youth"]).get("/reports/standing/").status_code == 403
    other = web("bj", tree["bj_admin"]).get(f"/reports/standing/{scored['expert'].pk}/")
    assert other.status_code == 404
    console = web(None, tree["central_admin"]).get("/reports/standing/?node=gd&subtree=1")
    assert console.status_code == 200 and "广州" in console.content.decode()
