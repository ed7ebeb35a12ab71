"""Every role against the staff and notices API of a portal: who reads, who writes, who is
refused with 401 (no account) or 403 (an account without the right)."""

import warnings
from datetime import timedelta

import pytest
from django.core.paginator import UnorderedObjectListWarning
from django.utils import timezone
from django_tenants.utils import schema_context

from core import services
from core.models import Role, User
from portal import services as notices
from portal.models import Notice
from tests import factories

from .helpers import ANON, assert_error
from .helpers import WHO as EVERYONE

# gd-gz's first admin, made when the tree provisions it, is tried here too.
WHO = [*EVERYONE, "gz_admin"]


def expect(allowed: set[str], ok: int) -> dict[str, int]:
    """``ok`` for the accounts in ``allowed``, 401 without an account, 403 for the rest."""
    return {who: ok if who in allowed else 401 if who == ANON else 403 for who in WHO}


@pytest.fixture
def people(tree) -> dict[str, User]:
    people = dict(tree.people)
    # gd-gz's first admin, made when the committee was onboarded.
    people["gz_admin"] = Role.objects.get(committee=tree.gz, kind="admin").user
    return people


@pytest.fixture
def call(api, people):
    def make(code: str, who: str):
        return api(code, None if who == ANON else people[who])

    return make


def _check_errors(answers: dict) -> None:
    for who, answer in answers.items():
        if answer.status_code in (401, 403):
            code = "not_authenticated" if answer.status_code == 401 else "permission_denied"
            if who == "auditor" and answer.status_code == 403:
                code = "read_only"  # refused every write before any view's own check
            assert_error(answer, answer.status_code, code)
        assert (answer.status_code == 401) == (who == ANON), who


def _statuses(answers: dict) -> dict[str, int]:
    _check_errors(answers)
    return {who: answer.status_code for who, answer in answers.items()}


GD_READERS = {"gd_cadre", "gd_expert", "gd_org", "gd_admin", "central_admin", "auditor"}
GZ_READERS = {"gz_cadre", "gz_admin", "gd_admin", "central_admin", "auditor"}


# Staff roles: read by the committee's staff and those above; granted by its admins only.


def test_who_may_list_gds_staff(call):
    answers = {who: call("gd", who).get("/api/v1/staff/") for who in WHO}
    assert _statuses(answers) == expect(GD_READERS, 200)
    listed = answers["gd_expert"].json()["results"]
    assert {r["kind"] for r in listed} == {"admin", "cadre", "expert", "org_member"}
    assert {r["name"] for r in listed} >= {"gd-admin", "gd-cadre", "gd-expert", "gd-org_member"}
    assert all("****" in r["phone"] for r in listed)  # numbers are masked


def test_staff_pages_list_every_role_once_in_the_order_granted(tree, call):
    for _ in range(3):
        services.grant_role(user=factories.account(), committee=tree.gd, kind="org_member")
    client = call("gd", "gd_admin")
    seen, url = [], "/api/v1/staff/?page_size=2"
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        while url:
            page = client.get(url).json()
            seen += [r["id"] for r in page["results"]]
            url = page["next"]
    expected = Role.objects.filter(committee=tree.gd).order_by("granted_at", "pk")
    assert seen == list(expected.values_list("pk", flat=True))
    assert len(seen) == 8


def test_who_may_list_gd_gzs_staff(call):
    answers = {who: call("gd-gz", who).get("/api/v1/staff/") for who in WHO}
    assert _statuses(answers) == expect(GZ_READERS, 200)


@pytest.mark.parametrize(("code", "admin"), [("gd", "gd_admin"), ("gd-gz", "gz_admin")])
def test_only_the_committees_own_admin_grants_roles(call, code, admin):
    granted_to = {}
    answers = {}
    for who in WHO:
        target = factories.account()
        granted_to[who] = target
        answers[who] = call(code, who).post(
            "/api/v1/staff/", {"phone": target.phone, "kind": "expert"}, format="json"
        )
    assert _statuses(answers) == expect({admin}, 201)
    body = answers[admin].json()
    assert body["kind"] == "expert" and "****" in body["phone"]
    for who, target in granted_to.items():
        held = list(Role.objects.filter(user=target).values_list("committee__code", "kind"))
        assert held == ([(code, "expert")] if who == admin else []), who


def test_the_central_admin_grants_on_the_central_portal_but_the_auditor_does_not(call):
    target = factories.account()
    grant = {"phone": target.phone, "kind": "cadre"}
    assert_error(call("central", "auditor").post("/api/v1/staff/", grant), 403, "read_only")
    assert call("central", "central_admin").post("/api/v1/staff/", grant).status_code == 201
    assert list(target.roles.values_list("committee__code", "kind")) == [("central", "cadre")]


@pytest.mark.parametrize(("code", "admin"), [("gd", "gd_admin"), ("central", "central_admin")])
def test_an_auditor_role_cannot_be_granted_through_the_staff_api(call, code, admin):
    target = factories.account()
    answer = call(code, admin).post(
        "/api/v1/staff/", {"phone": target.phone, "kind": "auditor"}, format="json"
    )
    error = assert_error(answer, 400, "invalid")
    assert list(error["fields"]) == ["kind"]
    assert not target.roles.exists()


def test_granting_to_an_unknown_or_invalid_number_is_refused(call):
    admin = call("gd", "gd_admin")
    unknown = admin.post("/api/v1/staff/", {"phone": factories.phone(), "kind": "cadre"})
    assert list(assert_error(unknown, 404, "unknown_account")["fields"]) == ["phone"]
    assert_error(
        admin.post("/api/v1/staff/", {"phone": "123", "kind": "cadre"}), 400, "invalid_phone"
    )
    assert_error(admin.post("/api/v1/staff/", {"phone": factories.phone()}), 400, "invalid")


def test_only_the_admin_takes_a_role_away(tree, call):
    role = Role.objects.get(user=tree["gd_expert"], committee=tree.gd)
    others = [who for who in WHO if who != "gd_admin"]
    answers = {who: call("gd", who).delete(f"/api/v1/staff/{role.pk}/") for who in others}
    assert _statuses(answers) == {who: 401 if who == ANON else 403 for who in others}
    assert Role.objects.filter(pk=role.pk).exists()
    assert call("gd", "gd_admin").delete(f"/api/v1/staff/{role.pk}/").status_code == 204
    assert not Role.objects.filter(pk=role.pk).exists()
    # A role in another committee is not found through gd's domain.
    bj_role = Role.objects.get(user=tree["bj_cadre"], committee=tree.bj)
    assert_error(call("gd", "gd_admin").delete(f"/api/v1/staff/{bj_role.pk}/"), 404, "not_found")
    assert Role.objects.filter(pk=bj_role.pk).exists()


# Notices: anyone reads what is published; staff readers also see scheduled ones;
# only cadres and admins of the committee itself write.

NOTICE_WRITERS = {"gd_cadre", "gd_admin"}


def _notice(code: str, author: User, **extra) -> Notice:
    with schema_context(code.replace("-", "_")):
        return notices.post_notice(author=author, title="原标题", body="原正文", **extra)


def test_anyone_reads_published_notices_and_staff_readers_see_scheduled_ones(tree, call):
    _notice("gd", tree["gd_cadre"])
    _notice("gd", tree["gd_cadre"], publish_at=timezone.now() + timedelta(days=1))
    seen = {}
    for who in WHO:
        answer = call("gd", who).get("/api/v1/notices/")
        assert answer.status_code == 200, who
        seen[who] = answer.json()["count"]
    assert seen == {who: 2 if who in GD_READERS else 1 for who in WHO}


def test_who_may_post_a_notice_on_gd(tree, call):
    answers = {
        who: call("gd", who).post(
            "/api/v1/notices/", {"title": f"{who} 的通知", "body": "正文"}, format="json"
        )
        for who in WHO
    }
    assert _statuses(answers) == expect(NOTICE_WRITERS, 201)
    with schema_context("gd"):
        titles = set(Notice.objects.values_list("title", flat=True))
        assert titles == {f"{who} 的通知" for who in NOTICE_WRITERS}
        assert Notice.objects.get(title="gd_cadre 的通知").author == tree["gd_cadre"]


def test_who_may_post_a_notice_on_gd_gz(call):
    answers = {
        who: call("gd-gz", who).post("/api/v1/notices/", {"title": who, "body": "正文"})
        for who in WHO
    }
    assert _statuses(answers) == expect({"gz_cadre", "gz_admin"}, 201)
    with schema_context("gd_gz"):
        assert set(Notice.objects.values_list("title", flat=True)) == {"gz_cadre", "gz_admin"}


def test_who_may_edit_a_notice(tree, call):
    notice = _notice("gd", tree["gd_admin"])
    answers = {}
    for who in WHO:
        answers[who] = call("gd", who).patch(
            f"/api/v1/notices/{notice.pk}/", {"title": f"{who} 改过"}, format="json"
        )
        with schema_context("gd"):
            notice.refresh_from_db()
        expected_title = f"{who} 改过" if who in NOTICE_WRITERS else notice.title
        assert notice.title == expected_title, who
    assert _statuses(answers) == expect(NOTICE_WRITERS, 200)
    assert answers["gd_cadre"].json()["title"] == "gd_cadre 改过"
    assert notice.body == "原正文"


def test_who_may_withdraw_a_notice(tree, call):
    answers = {}
    for who in WHO:
        notice = _notice("gd", tree["gd_cadre"])
        answers[who] = call("gd", who).delete(f"/api/v1/notices/{notice.pk}/")
        with schema_context("gd"):
            assert Notice.objects.filter(pk=notice.pk).exists() == (who not in NOTICE_WRITERS)
    assert _statuses(answers) == expect(NOTICE_WRITERS, 204)


def test_a_notice_of_another_portal_is_not_found(tree, call):
    notice = _notice("bj", tree["bj_cadre"])
    with schema_context("gd"):
        assert not Notice.objects.filter(pk=notice.pk).exists()
    assert_error(
        call("gd", "gd_cadre").patch(f"/api/v1/notices/{notice.pk}/", {"title": "x"}),
        404,
        "not_found",
    )
    assert_error(call("gd", "gd_cadre").delete(f"/api/v1/notices/{notice.pk}/"), 404, "not_found")
    with schema_context("bj"):
        assert Notice.objects.get(pk=notice.pk).title == "原标题"


def test_a_notice_needs_a_title_and_a_text(call):
    cadre = call("gd", "gd_cadre")
    error = assert_error(cadre.post("/api/v1/notices/", {"title": "标题"}), 400, "invalid")
    assert list(error["fields"]) == ["body"]
    error = assert_error(
        cadre.post("/api/v1/notices/", {"title": " ", "body": "x"}), 400, "invalid"
    )
    assert "title" in error["fields"]
