"""The central console's API on the bare domain: committees listed by the central office,
onboarded and suspended by the central admin only."""

import pytest

from core.models import User
from tenants.models import Committee
from tests import factories

from .helpers import assert_error

COMMITTEES = "/api/v1/committees/"


def _new(**extra) -> dict:
    return {
        "code": "sh",
        "name": "共青团上海市委",
        "level": "province",
        "parent": "central",
        "admin_phone": factories.phone(),
        "admin_name": "上海管理员",
    } | extra


def test_the_central_admin_lists_every_committee(tree, api):
    answer = api(None, tree["central_admin"]).get(COMMITTEES)
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 4
    rows = {row["code"]: row for row in body["results"]}
    assert list(rows) == ["central", "bj", "gd", "gd-gz"]  # in tree order
    assert rows["gd-gz"]["parent"] == "gd"
    assert rows["gd"]["domains"] == ["gd.localhost"]
    assert rows["gd"]["branding"]["title"] == "青年之声 · 广东"
    assert rows["central"]["parent"] is None


@pytest.mark.parametrize(
    ("query", "codes"),
    [("?parent=gd", ["gd-gz"]), ("?level=province", ["bj", "gd"]), ("?status=suspended", [])],
)
def test_the_list_filters(tree, api, query, codes):
    body = api(None, tree["auditor"]).get(COMMITTEES + query).json()
    assert [row["code"] for row in body["results"]] == codes


def test_who_may_list_committees(tree, api):
    assert api(None, tree["auditor"]).get(COMMITTEES).status_code == 200
    assert api(None, tree["auditor"]).get(f"{COMMITTEES}gd/").json()["code"] == "gd"
    for who in ("gd_admin", "bj_admin", "gd_cadre", "youth"):
        assert_error(api(None, tree[who]).get(COMMITTEES), 403, "permission_denied")
        assert_error(api(None, tree[who]).get(f"{COMMITTEES}gd/"), 403, "permission_denied")
    assert_error(api(None).get(COMMITTEES), 401, "not_authenticated")
    assert_error(api(None, tree["central_admin"]).get(f"{COMMITTEES}nope/"), 404, "not_found")


def test_the_central_admin_onboards_a_committee_that_answers_at_once(tree, api):
    data = _new()
    answer = api(None, tree["central_admin"]).post(COMMITTEES, data, format="json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["code"], body["parent"], body["level"], body["status"]) == (
        "sh",
        "central",
        "province",
        "active",
    )
    assert body["domains"] == ["sh.localhost"]
    ping = api("sh").get("/api/v1/ping/")
    assert ping.status_code == 200
    assert ping.json()["committee"] == "sh"
    # Its first admin (a new account) administers it, and only it.
    admin = User.objects.get(phone=data["admin_phone"])
    assert admin.name == "上海管理员"
    assert list(admin.roles.values_list("committee__code", "kind")) == [("sh", "admin")]
    here = api("sh", admin).get("/api/v1/me/").json()["here"]
    assert here == {"kinds": ["admin"], "can_read": True, "can_write": True}
    # The central office reads the new portal from the first minute.
    assert api("sh", tree["auditor"]).get("/api/v1/staff/").status_code == 200


def test_onboarding_under_a_province_gives_the_province_admin_read_access(tree, api):
    data = _new(code="gd-sz", name="共青团深圳市委", level="city", parent="gd")
    assert api(None, tree["central_admin"]).post(COMMITTEES, data).status_code == 201
    assert api("gd-sz").get("/api/v1/ping/").json()["committee"] == "gd-sz"
    here = api("gd-sz", tree["gd_admin"]).get("/api/v1/me/").json()["here"]
    assert here == {"kinds": [], "can_read": True, "can_write": False}
    assert api("gd-sz", tree["bj_admin"]).get("/api/v1/me/").json()["here"]["can_read"] is False


@pytest.mark.parametrize("who", ["auditor", "gd_admin", "youth"])
def test_others_may_not_onboard(tree, api, who):
    refused = "read_only" if who == "auditor" else "permission_denied"
    assert_error(api(None, tree[who]).post(COMMITTEES, _new()), 403, refused)
    assert not Committee.objects.filter(code="sh").exists()
    assert_error(api("sh").get("/api/v1/ping/"), 404, "unknown_portal")


def test_a_visitor_may_not_onboard(tree, api):
    assert_error(api(None).post(COMMITTEES, _new()), 401, "not_authenticated")
    assert not Committee.objects.filter(code="sh").exists()


@pytest.mark.parametrize(
    ("extra", "status", "code", "field"),
    [
        ({"code": "gd"}, 400, "code_taken", "code"),
        ({"code": "www"}, 400, "reserved_code", "code"),
        ({"code": "Not A Code!"}, 400, "invalid", "code"),
        ({"level": "city", "parent": "central"}, 400, "invalid_parent", "parent"),
        ({"parent": None}, 400, "invalid_parent", "parent"),
        ({"parent": "nowhere"}, 400, "invalid", "parent"),
        ({"admin_phone": "12345"}, 400, "invalid_phone", "admin_phone"),
        ({"level": "galaxy"}, 400, "invalid", "level"),
    ],
)
def test_a_bad_onboarding_is_refused_on_its_field(tree, api, extra, status, code, field):
    answer = api(None, tree["central_admin"]).post(COMMITTEES, _new(**extra), format="json")
    error = assert_error(answer, status, code)
    assert field in error["fields"]
    assert Committee.objects.count() == 4


def test_the_central_admin_suspends_and_reactivates_a_committee(tree, api):
    answer = api(None, tree["central_admin"]).patch(
        f"{COMMITTEES}gd/", {"status": "suspended"}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["status"] == "suspended"
    tree.gd.refresh_from_db()
    assert tree.gd.status == "suspended"
    assert_error(api("gd").get("/api/v1/ping/"), 403, "portal_suspended")
    assert_error(api("gd", tree["gd_admin"]).get("/api/v1/staff/"), 403, "portal_suspended")
    assert api("gd-gz").get("/api/v1/ping/").status_code == 200  # the city keeps working
    # The province admin no longer reads the city below a suspended province.
    here = api("gd-gz", tree["gd_admin"]).get("/api/v1/me/").json()["here"]
    assert here["can_read"] is False

    back = api(None, tree["central_admin"]).patch(f"{COMMITTEES}gd/", {"status": "active"})
    assert back.json()["status"] == "active"
    assert api("gd").get("/api/v1/ping/").json()["committee"] == "gd"


def test_the_central_admin_rebrands_a_committee(tree, api):
    answer = api(None, tree["central_admin"]).patch(
        f"{COMMITTEES}bj/", {"slogan": "青春北京", "primary_colour": "#112233"}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["branding"]["slogan"] == "青春北京"
    portal = api("bj").get("/api/v1/portal/").json()
    assert (portal["slogan"], portal["primary_colour"]) == ("青春北京", "#112233")
    bad = api(None, tree["central_admin"]).patch(f"{COMMITTEES}bj/", {"primary_colour": "red"})
    assert_error(bad, 400, "invalid")


@pytest.mark.parametrize("who", ["auditor", "gd_admin", "youth"])
def test_others_may_not_change_a_committee(tree, api, who):
    answer = api(None, tree[who]).patch(f"{COMMITTEES}gd/", {"status": "suspended"}, format="json")
    assert_error(answer, 403, "read_only" if who == "auditor" else "permission_denied")
    tree.gd.refresh_from_db()
    assert tree.gd.status == "active"
    assert api("gd").get("/api/v1/ping/").status_code == 200


def test_the_console_api_is_not_served_on_a_portal(tree, api):
    assert_error(api("gd", tree["central_admin"]).get(COMMITTEES), 404, "not_found")
    assert_error(api(None, tree["central_admin"]).get("/api/v1/staff/"), 404, "not_found")
