"""Pages by role: the staff workbench, the central console and the profile page."""

import pytest
from django_tenants.utils import schema_context

from core.models import Role, User
from portal.models import Notice
from tenants.models import Committee, Domain
from tests import factories

from .helpers import ANON, WHO

GD_READERS = {"gd_cadre", "gd_expert", "gd_org", "gd_admin", "central_admin", "auditor"}
GD_NOTICE_WRITERS = {"gd_cadre", "gd_admin"}
NOTICE_FORM = '<input type="hidden" name="action" value="notice">'
GRANT_FORM = '<input type="hidden" name="action" value="grant">'
READ_ONLY = 'data-testid="read-only"'


@pytest.fixture
def browse(tree, web):
    def make(code, who):
        return web(code, None if who == ANON else tree[who])

    return make


def _outcome(response) -> str:
    """ "login" for a redirect to the login page, else the status (and a redirect's target)."""
    if response.status_code == 302:
        location = response["Location"]
        return "login" if location.startswith("/accounts/login/?next=") else f"302 {location}"
    return str(response.status_code)


# The workbench of gd.


def test_who_may_open_gds_workbench(browse):
    pages = {who: browse("gd", who).get("/workbench/") for who in WHO}
    outcomes = {who: _outcome(page) for who, page in pages.items()}
    assert outcomes == {
        who: "200" if who in GD_READERS else "login" if who == ANON else "403" for who in WHO
    }
    assert pages[ANON]["Location"] == "/accounts/login/?next=/workbench/"
    for who in GD_READERS:
        html = pages[who].content.decode()
        writes = who in {"gd_cadre", "gd_expert", "gd_org", "gd_admin"}
        assert (READ_ONLY in html) == (not writes), who
        assert (NOTICE_FORM in html) == (who in GD_NOTICE_WRITERS), who
        assert (GRANT_FORM in html) == (who == "gd_admin"), who
    assert pages["youth"].templates[0].name == "error.html"


def test_who_may_post_a_notice_on_gds_workbench(browse):
    outcomes = {}
    for who in WHO:
        answer = browse("gd", who).post(
            "/workbench/", {"action": "notice", "title": f"{who} 的通知", "body": "正文"}
        )
        outcomes[who] = _outcome(answer)
    assert outcomes == {
        who: "302 /workbench/" if who in GD_NOTICE_WRITERS else "login" if who == ANON else "403"
        for who in WHO
    }
    with schema_context("gd"):
        titles = set(Notice.objects.values_list("title", flat=True))
    assert titles == {f"{who} 的通知" for who in GD_NOTICE_WRITERS}


def test_a_published_notice_shows_on_the_workbench_and_the_portal(browse):
    browser = browse("gd", "gd_cadre")
    browser.post("/workbench/", {"action": "notice", "title": "团课通知", "body": "周五团课"})
    assert "团课通知" in browser.get("/workbench/").content.decode()
    assert "团课通知" in browse("gd", ANON).get("/").content.decode()
    assert "团课通知" not in browse("bj", ANON).get("/").content.decode()


def test_an_invalid_notice_shows_the_form_again(browse):
    page = browse("gd", "gd_admin").post("/workbench/", {"action": "notice", "title": "无正文"})
    assert page.status_code == 200
    assert page.context["notice_form"].errors["body"]
    with schema_context("gd"):
        assert not Notice.objects.exists()


def test_only_gds_admin_grants_roles_on_the_workbench(tree, browse):
    outcomes = {}
    for who in WHO:
        target = factories.account()
        answer = browse("gd", who).post(
            "/workbench/", {"action": "grant", "phone": target.phone, "kind": "cadre"}
        )
        outcomes[who] = _outcome(answer)
        assert Role.objects.filter(user=target).exists() == (who == "gd_admin"), who
    assert outcomes == {
        who: "302 /workbench/" if who == "gd_admin" else "login" if who == ANON else "403"
        for who in WHO
    }


def test_the_workbench_refuses_an_auditor_grant_and_an_unknown_action(tree, browse):
    admin = browse("gd", "gd_admin")
    target = factories.account()
    page = admin.post("/workbench/", {"action": "grant", "phone": target.phone, "kind": "auditor"})
    assert page.status_code == 200
    assert page.context["grant_form"].errors["kind"]
    unknown = admin.post(
        "/workbench/", {"action": "grant", "phone": factories.phone(), "kind": "cadre"}
    )
    assert unknown.status_code == 200
    assert unknown.context["grant_form"].errors["phone"]
    assert admin.post("/workbench/", {"action": "delete_everything"}).status_code == 403
    assert not target.roles.exists()


def test_a_province_admin_reads_the_city_workbench_but_may_not_act(tree, browse):
    browser = browse("gd-gz", "gd_admin")
    page = browser.get("/workbench/")
    assert page.status_code == 200
    assert READ_ONLY in page.content.decode()
    assert NOTICE_FORM not in page.content.decode()
    target = factories.account()
    assert (
        browser.post("/workbench/", {"action": "notice", "title": "t", "body": "b"}).status_code
        == 403
    )
    grant = {"action": "grant", "phone": target.phone, "kind": "cadre"}
    assert browser.post("/workbench/", grant).status_code == 403
    with schema_context("gd_gz"):
        assert not Notice.objects.exists()
    assert not target.roles.exists()
    # The city's own cadre posts there.
    done = browse("gd-gz", "gz_cadre").post(
        "/workbench/", {"action": "notice", "title": "t", "body": "b"}
    )
    assert _outcome(done) == "302 /workbench/"


def test_the_bj_admin_may_not_open_gds_workbench_but_opens_bjs(browse):
    assert browse("gd", "bj_admin").get("/workbench/").status_code == 403
    assert browse("gd-gz", "bj_admin").get("/workbench/").status_code == 403
    page = browse("bj", "bj_admin").get("/workbench/")
    assert page.status_code == 200 and GRANT_FORM in page.content.decode()


# The central console on the bare domain.

NEW_COMMITTEE = {
    "code": "sh",
    "name": "共青团上海市委",
    "level": "province",
    "parent": "central",
    "status": "active",
    "admin_phone": "",
    "admin_name": "上海管理员",
    "primary_colour": "#123456",
}


def test_the_central_admin_sees_every_committee_and_may_onboard(browse):
    page = browse(None, "central_admin").get("/")
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("共青团中央", "共青团广东省委", "共青团广州市委", "共青团北京市委"):
        assert name in html
    assert 'href="/committees/new/"' in html
    auditor = browse(None, "auditor").get("/").content.decode()
    assert "共青团广州市委" in auditor and 'href="/committees/new/"' not in auditor


def test_a_youth_and_a_visitor_get_the_portal_finder_on_the_console(browse):
    for who in (ANON, "youth"):
        page = browse(None, who).get("/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "共青团广州市委" not in html  # only provinces are listed
        assert "gd.localhost" in html and 'href="/committees/new/"' not in html


def test_the_onboarding_page_shows_its_form_to_the_central_admin_only(browse):
    outcomes = {who: _outcome(browse(None, who).get("/committees/new/")) for who in WHO}
    assert outcomes == {
        who: "200" if who == "central_admin" else "login" if who == ANON else "403" for who in WHO
    }
    page = browse(None, "central_admin").get("/committees/new/?parent=gd")
    html = page.content.decode()
    for field in ("code", "name", "level", "parent", "admin_phone", "primary_colour"):
        assert f'name="{field}"' in html
    assert page.context["form"].initial["parent"] == "gd"
    login = browse(None, ANON).get("/committees/new/")
    assert login["Location"] == "/accounts/login/?next=/committees/new/"


def test_the_central_admin_onboards_a_committee_from_the_console(tree, browse, api):
    admin_phone = factories.phone()
    answer = browse(None, "central_admin").post(
        "/committees/new/", NEW_COMMITTEE | {"admin_phone": f"+86 {admin_phone}"}
    )
    assert _outcome(answer) == "302 /committees/sh/"
    committee = Committee.objects.get(code="sh")
    assert (committee.name, committee.level, committee.parent) == (
        "共青团上海市委",
        "province",
        tree.central,
    )
    assert committee.primary_colour == "#123456"
    assert Domain.objects.get(tenant=committee).domain == "sh.localhost"
    admin = User.objects.get(phone=admin_phone)
    assert list(admin.roles.values_list("committee__code", "kind")) == [("sh", "admin")]
    assert api("sh").get("/api/v1/ping/").json()["committee"] == "sh"
    assert browse(None, "central_admin").get("/committees/sh/").status_code == 200


@pytest.mark.parametrize("who", ["youth", "auditor", "gd_admin"])
def test_others_cannot_onboard_by_posting_the_form(browse, who):
    answer = browse(None, who).post(
        "/committees/new/", NEW_COMMITTEE | {"admin_phone": factories.phone()}
    )
    assert answer.status_code == 403
    assert not Committee.objects.filter(code="sh").exists()


def test_a_visitor_posting_the_form_is_sent_to_log_in(browse):
    answer = browse(None, ANON).post(
        "/committees/new/", NEW_COMMITTEE | {"admin_phone": factories.phone()}
    )
    assert _outcome(answer) == "login"
    assert not Committee.objects.filter(code="sh").exists()


def test_an_invalid_onboarding_shows_the_error_on_its_field(browse):
    taken = browse(None, "central_admin").post(
        "/committees/new/", NEW_COMMITTEE | {"code": "gd", "admin_phone": factories.phone()}
    )
    assert taken.status_code == 200
    assert taken.context["form"].errors["code"]
    bad_parent = browse(None, "central_admin").post(
        "/committees/new/",
        NEW_COMMITTEE | {"level": "city", "parent": "central", "admin_phone": factories.phone()},
    )
    assert bad_parent.context["form"].errors["parent"]
    assert not Committee.objects.filter(code="sh").exists()


def test_only_the_central_admin_suspends_from_the_console(tree, browse, api):
    assert (
        browse(None, "auditor")
        .post("/committees/gd/", {"action": "status", "status": "suspended"})
        .status_code
        == 403
    )
    tree.gd.refresh_from_db()
    assert tree.gd.status == "active"
    done = browse(None, "central_admin").post(
        "/committees/gd/", {"action": "status", "status": "suspended"}
    )
    assert _outcome(done) == "302 /committees/gd/"
    tree.gd.refresh_from_db()
    assert tree.gd.status == "suspended"
    assert api("gd").get("/api/v1/ping/").json()["error"]["code"] == "portal_suspended"


# The profile page, on a portal and on the console.


def test_the_profile_page_needs_an_account(browse):
    for code in ("gd", None):
        answer = browse(code, ANON).get("/accounts/profile/")
        assert answer["Location"] == "/accounts/login/?next=/accounts/profile/"


def test_the_profile_page_shows_the_account_its_roles_and_the_workbench_link(tree, browse):
    youth = browse("gd", "youth").get("/accounts/profile/")
    assert youth.status_code == 200
    assert tree["youth"].phone in youth.content.decode()
    assert 'href="/workbench/"' not in youth.content.decode()
    cadre = browse("gd", "gd_cadre").get("/accounts/profile/").content.decode()
    assert 'href="/workbench/"' in cadre
    assert "//gd.localhost/workbench/" in cadre  # its roles link to their workbenches
    assert (
        'href="/workbench/"'
        not in browse("bj", "gd_cadre").get("/accounts/profile/").content.decode()
    )
    # The console has no workbench of its own.
    console = browse(None, "central_admin").get("/accounts/profile/")
    assert console.status_code == 200
    assert "//central.localhost/workbench/" in console.content.decode()


def test_the_profile_page_changes_the_name(tree, browse):
    browser = browse("bj", "youth")
    answer = browser.post("/accounts/profile/", {"name": "  新名字 "})
    assert _outcome(answer) == "302 /accounts/profile/"
    user = User.objects.get(pk=tree["youth"].pk)
    assert user.name == "新名字"
    assert user.phone == tree["youth"].phone
    too_long = browser.post("/accounts/profile/", {"name": "长" * 51})
    assert too_long.status_code == 200 and too_long.context["form"].errors["name"]
    assert User.objects.get(pk=tree["youth"].pk).name == "新名字"
