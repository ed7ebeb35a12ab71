"""Django's admin on the console: the central admin only, platform models in Chinese,
read-only where an edit would break an invariant, changes through the services."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import schema_context

from casework.models import SupervisionItem
from core.models import Role
from franchise.models import IndexStandard, ScoreStandard, SensitiveTerm
from reporting.models import StandardScore
from tenants.models import Committee, OutboxMessage
from tests import factories

MODELS = [
    "tenants/committee",
    "tenants/outboxmessage",
    "casework/supervisionitem",
    "franchise/category",
    "franchise/sensitiveterm",
    "franchise/indexstandard",
    "franchise/scorestandard",
    "core/user",
    "core/role",
    "core/auditaccess",
    "reporting/dailyfigures",
]


@pytest.fixture
def admin_web(tree, web):
    return web(None, tree["central_admin"])


def test_the_central_admin_sees_every_platform_model(tree, admin_web):
    response = admin_web.get("/admin/")
    assert response.status_code == 200
    page = response.content.decode()
    for model in MODELS:
        assert f'href="/admin/{model}/"' in page
    # Chinese names, not the models' English ones.
    for name in ("发件箱消息", "督办事项", "敏感词", "角色", "团委", "账号"):
        assert name in page
    assert "Outbox messages" not in page and "Sensitive terms" not in page


@pytest.mark.parametrize("model", MODELS)
def test_every_list_opens(tree, admin_web, model):
    assert admin_web.get(f"/admin/{model}/").status_code == 200


@pytest.mark.parametrize("who", ["youth", "auditor", "gd_admin", "gd_cadre", "bj_admin"])
def test_anyone_else_signed_in_is_refused(tree, web, who):
    browser = web(None, tree[who])
    assert browser.get("/admin/", follow=True).status_code == 403
    assert browser.get("/admin/tenants/committee/", follow=True).status_code == 403
    assert browser.get("/admin/login/").status_code == 403


def test_a_superuser_gets_in(tree, web):
    from core.models import User

    root = User.objects.create_superuser("13900000001", "Qingnian2026!")
    assert web(None, root).get("/admin/").status_code == 200


def test_an_anonymous_visitor_signs_in_on_the_platform_login(tree, web):
    response = web(None).get("/admin/tenants/committee/", follow=True)
    final, _status = response.redirect_chain[-1]
    assert final.startswith("/accounts/login/?next=")
    assert "/admin/tenants/committee/" in final.replace("%2F", "/")
    assert response.status_code == 200


def test_portals_have_no_admin(tree, web):
    assert web("gd", tree["central_admin"]).get("/admin/").status_code == 404


def test_the_outbox_is_read_only(tree, admin_web):
    message = OutboxMessage.objects.create(
        topic="qa.transfer", sender="gd", receiver="bj", payload={"title": "转接的问题"}
    )
    page = admin_web.get(f"/admin/tenants/outboxmessage/{message.pk}/change/")
    assert page.status_code == 200
    assert "转接的问题" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    refused = admin_web.post(
        f"/admin/tenants/outboxmessage/{message.pk}/change/", {"receiver": "gd"}
    )
    assert refused.status_code == 403
    assert admin_web.get("/admin/tenants/outboxmessage/add/").status_code == 403
    assert admin_web.post(f"/admin/tenants/outboxmessage/{message.pk}/delete/").status_code == 403
    message.refresh_from_db()
    assert message.receiver == "bj"
    waiting = admin_web.get("/admin/tenants/outboxmessage/?pending=yes").content.decode()
    assert "qa.transfer" in waiting


def test_a_committee_is_suspended_and_rebranded_but_keeps_its_code(tree, admin_web, web):
    url = f"/admin/tenants/committee/{tree.bj.pk}/change/"
    response = admin_web.post(
        url,
        {
            "code": "hacked",
            "status": "suspended",
            "display_name": "青年之声 · 北京",
            "primary_colour": "#123456",
            "slogan": "首都青年",
            "domains-TOTAL_FORMS": "0",
            "domains-INITIAL_FORMS": "1",
            "domains-MIN_NUM_FORMS": "0",
            "domains-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    bj = Committee.objects.get(pk=tree.bj.pk)
    assert (bj.code, bj.status, bj.display_name, bj.primary_colour) == (
        "bj",
        "suspended",
        "青年之声 · 北京",
        "#123456",
    )
    assert web("bj").get("/").status_code == 403  # the portal is suspended at once
    assert admin_web.get("/admin/tenants/committee/add/").status_code == 403


def test_a_bad_colour_is_refused_on_the_form(tree, admin_web):
    response = admin_web.post(
        f"/admin/tenants/committee/{tree.bj.pk}/change/",
        {
            "status": "active",
            "primary_colour": "red",
            "domains-TOTAL_FORMS": "0",
            "domains-INITIAL_FORMS": "1",
            "domains-MIN_NUM_FORMS": "0",
            "domains-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert Committee.objects.get(pk=tree.bj.pk).primary_colour != "red"


def test_roles_are_granted_through_the_service_rules(tree, admin_web):
    youth = tree["youth"]
    refused = admin_web.post(
        "/admin/core/role/add/", {"user": youth.pk, "committee": tree.gd.pk, "kind": "auditor"}
    )
    assert refused.status_code == 200
    assert "errorlist" in refused.content.decode()
    assert not Role.objects.filter(user=youth).exists()
    granted = admin_web.post(
        "/admin/core/role/add/", {"user": youth.pk, "committee": tree.gd.pk, "kind": "cadre"}
    )
    assert granted.status_code == 302
    role = Role.objects.get(user=youth)
    assert (role.committee, role.kind) == (tree.gd, "cadre")
    assert admin_web.post(f"/admin/core/role/{role.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Role.objects.filter(user=youth).exists()


def test_an_account_is_deactivated_but_never_deleted(tree, admin_web):
    youth = tree["youth"]
    page = admin_web.get(f"/admin/core/user/{youth.pk}/change/").content.decode()
    assert youth.phone in page  # the central admin reads the number
    response = admin_web.post(
        f"/admin/core/user/{youth.pk}/change/",
        {
            "name": "小青",
            "phone": "13999999999",
            "is_superuser": "on",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    youth.refresh_from_db()
    assert not youth.is_active and not youth.is_superuser
    assert youth.phone != "13999999999"
    assert admin_web.get(f"/admin/core/user/{youth.pk}/delete/").status_code == 403
    assert admin_web.get("/admin/core/user/add/").status_code == 403


def test_sensitive_terms_are_added_and_removed_not_edited(tree, admin_web):
    assert (
        admin_web.post("/admin/franchise/sensitiveterm/add/", {"term": "刷单"}).status_code == 302
    )
    term = SensitiveTerm.objects.get(term="刷单")
    assert (
        admin_web.post(f"/admin/franchise/sensitiveterm/{term.pk}/change/", {"term": "x"})
    ).status_code == 403
    assert (
        admin_web.post(f"/admin/franchise/sensitiveterm/{term.pk}/delete/", {"post": "yes"})
    ).status_code == 302
    assert not SensitiveTerm.objects.filter(term="刷单").exists()


def _standard(**overrides) -> dict:
    data = {
        "version": "2",
        "effective_from": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "visit_weight": "0.02",
        "league_answer_weight": "1",
        "other_answer_weight": "0.3",
        "help_weight": "2",
        "activity_weight": "0.5",
        "boost_threshold": "0.75",
        "rating_prior_weight": "20",
        "note": "",
    }
    return {**data, **overrides}


def test_an_index_standard_version_is_added_for_the_future_and_never_changed(tree, admin_web):
    past = _standard(effective_from=timezone.localdate().isoformat())
    assert admin_web.post("/admin/franchise/indexstandard/add/", past).status_code == 200
    again = _standard(version="1")
    assert admin_web.post("/admin/franchise/indexstandard/add/", again).status_code == 200
    assert IndexStandard.objects.count() == 1
    assert admin_web.post("/admin/franchise/indexstandard/add/", _standard()).status_code == 302
    assert IndexStandard.objects.filter(version=2, visit_weight=0.02).exists()
    first = IndexStandard.objects.get(version=1)
    change = f"/admin/franchise/indexstandard/{first.pk}/change/"
    assert admin_web.post(change, _standard(version="1")).status_code == 403
    assert admin_web.post(f"/admin/franchise/indexstandard/{first.pk}/delete/").status_code == 403


def test_a_standard_score_version_is_added_for_the_future_and_kept_in_the_log(tree, admin_web):
    from django.contrib.admin.models import LogEntry

    data = {
        "version": "2",
        "effective_from": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "answer_weight": "1",
        "help_weight": "3",
        "booking_weight": "1",
        "activity_weight": "1",
        "prior_weight": "10",
        "suspect_weight": "1.5",
        "burst_accounts": "5",
        "burst_window_s": "3600",
        "note": "帮扶权重上调",
    }
    refused = admin_web.post("/admin/franchise/scorestandard/add/", data)
    assert refused.status_code == 200 and ScoreStandard.objects.count() == 1  # not a share
    added = admin_web.post("/admin/franchise/scorestandard/add/", {**data, "suspect_weight": "0"})
    assert added.status_code == 302
    second = ScoreStandard.objects.get(version=2)
    assert second.weight_of("help") == 3
    entry = LogEntry.objects.get(object_id=str(second.pk))
    assert entry.user == tree["central_admin"] and entry.is_addition()
    change = f"/admin/franchise/scorestandard/{second.pk}/change/"
    assert admin_web.post(change, data).status_code == 403


def test_a_category_keeps_its_code(tree, admin_web):
    response = admin_web.post(
        "/admin/franchise/category/study/change/",
        {
            "code": "learning",
            "name": "学业",
            "name_en": "Study",
            "position": "1",
            "first_response_s": "3600",
            "resolution_s": "86400",
        },
    )
    assert response.status_code == 302
    from franchise.models import Category

    study = Category.objects.get(code="study")
    assert (study.name, study.first_response_s) == ("学业", 3600)
    assert not Category.objects.filter(code="learning").exists()
    assert admin_web.get("/admin/franchise/category/add/").status_code == 403


def test_supervision_boards_are_read_from_each_committees_schema(tree, admin_web):
    now = timezone.now()
    with schema_context("central"):
        SupervisionItem.objects.create(
            committee_code="gd",
            committee_name="共青团广东省委",
            subject_id=7,
            title="广东超期的问题",
            category="study",
            escalated_at=now,
        )
    with schema_context("gd"):
        SupervisionItem.objects.create(
            committee_code="gd-gz",
            committee_name="共青团广州市委",
            subject_id=9,
            title="广州超期的问题",
            category="career",
            escalated_at=now,
        )
    central = admin_web.get("/admin/casework/supervisionitem/").content.decode()
    assert "广东超期的问题" in central and "广州超期的问题" not in central
    gd = admin_web.get("/admin/casework/supervisionitem/?board=gd").content.decode()
    assert "广州超期的问题" in gd and "广东超期的问题" not in gd
    with schema_context("gd"):
        item = SupervisionItem.objects.get()
    detail = admin_web.get(
        f"/admin/casework/supervisionitem/{item.pk}/change/?_changelist_filters=board%3Dgd"
    )
    assert detail.status_code == 200 and "广州超期的问题" in detail.content.decode()
    assert admin_web.get("/admin/casework/supervisionitem/?board=bj").status_code == 404  # no board
    assert admin_web.get("/admin/casework/supervisionitem/add/").status_code == 403


def test_sensitive_terms_are_imported_in_bulk_after_a_preview_and_exported(tree, admin_web):
    SensitiveTerm.objects.filter(term__in=["代考四六级", "裸条借贷"]).delete()
    SensitiveTerm.objects.get_or_create(term="刷单")
    upload = SimpleUploadedFile(
        "terms.csv", "term\n刷单\n 代考四六级 \n\n裸条借贷\n裸条借贷\n".encode(), "text/csv"
    )
    preview = admin_web.post(
        "/admin/franchise/sensitiveterm/import/", {"import_file": upload, "format": "0"}
    )
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "代考四六级" in page and "确认导入" in page  # shown first, in Chinese
    assert not SensitiveTerm.objects.filter(term="代考四六级").exists()  # nothing saved yet
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    confirmed = admin_web.post(
        "/admin/franchise/sensitiveterm/process_import/",
        {k: v for k, v in hidden.items() if k != "csrfmiddlewaretoken"},
    )
    assert confirmed.status_code == 302, confirmed.content.decode()[:2000]
    terms = set(SensitiveTerm.objects.values_list("term", flat=True))
    assert {"刷单", "代考四六级", "裸条借贷"} <= terms and "" not in terms
    logged = LogEntry.objects.filter(
        content_type__model="sensitiveterm", action_flag=ADDITION, user=tree["central_admin"]
    )
    assert set(logged.values_list("object_repr", flat=True)) == {"代考四六级", "裸条借贷"}

    form = admin_web.get("/admin/franchise/sensitiveterm/export/").content.decode()
    ticked = dict.fromkeys(re.findall(r'type="checkbox" name="(\w+)"', form), "on")
    exported = admin_web.post(
        "/admin/franchise/sensitiveterm/export/", {"format": "0", "resource": "0", **ticked}
    )
    assert exported.status_code == 200
    rows = exported.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "term" and {"刷单", "代考四六级", "裸条借贷"} <= set(rows[1:])


def test_a_score_standard_is_previewed_on_todays_ratings_before_it_is_saved(tree, admin_web):
    from reporting import standing
    from tests.reporting.helpers import rated_answer

    for stars in (5, 5, 4):
        rated_answer("gd", tree["gd_cadre"], factories.account(), stars)
    standing.recompute()
    kept = StandardScore.objects.get(kind="account", subject_id=tree["gd_cadre"].pk)
    data = {
        "version": "2",
        "effective_from": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "answer_weight": "1",
        "help_weight": "2",
        "booking_weight": "1",
        "activity_weight": "1",
        "prior_weight": "0",  # no shrinking: the cadre's own mean, 4.67 stars
        "suspect_weight": "0.02",
        "burst_accounts": "5",
        "burst_window_s": "3600",
        "note": "",
    }
    shown = admin_web.post("/admin/franchise/scorestandard/add/", {**data, "_preview": "1"})
    assert shown.status_code == 200
    page = shown.content.decode()
    assert 'data-testid="effect"' in page and "预览效果" in page
    assert str(kept.score) in page and str(round(standing.points(14 / 3), 2)) in page
    assert ScoreStandard.objects.count() == 1  # nothing saved
    bad = admin_web.post(
        "/admin/franchise/scorestandard/add/", {**data, "version": "1", "_preview": "1"}
    )
    assert bad.status_code == 200 and 'data-testid="effect"' not in bad.content.decode()
    assert admin_web.post("/admin/franchise/scorestandard/add/", data).status_code == 302


def test_an_index_standard_is_previewed_on_this_months_provinces(tree, admin_web):
    shown = admin_web.post(
        "/admin/franchise/indexstandard/add/", {**_standard(help_weight="5"), "_preview": "1"}
    )
    assert shown.status_code == 200
    page = shown.content.decode()
    assert 'data-testid="effect"' in page
    assert tree.gd.name in page and tree.bj.name in page
    assert IndexStandard.objects.count() == 1
