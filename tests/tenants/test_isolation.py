"""A committee's data stays in its schema: no other portal's domain reaches it, by any account."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from portal import services
from portal.models import Notice
from tenants.services import schema_name_for

# Who may write notices on each portal (cadres and admins of that very committee).
WRITERS = {"gd": {"gd_admin", "gd_cadre"}, "bj": {"bj_admin", "bj_cadre"}, "gd-gz": {"gz_cadre"}}


@dataclass
class Posted:
    published: Notice
    scheduled: Notice


def post(code: str, author, title: str, *, scheduled: bool = False) -> Notice:
    publish_at = timezone.now() + timedelta(days=3) if scheduled else None
    with schema_context(schema_name_for(code)):
        return services.post_notice(
            author=author, title=title, body=f"{title}的正文", publish_at=publish_at
        )


def snapshot(code: str) -> list[tuple]:
    with schema_context(schema_name_for(code)):
        return list(
            Notice.objects.order_by("pk").values_list("pk", "title", "body", "is_published")
        )


@pytest.fixture
def posted(tree) -> dict[str, Posted]:
    """Each portal's own notices; gd's have ids that no other schema holds."""
    for _ in range(2):
        withdrawn = post("gd", tree["gd_cadre"], "作废")
        with schema_context("gd"):
            services.withdraw_notice(notice=withdrawn)
    made = {
        "gd": Posted(
            published=post("gd", tree["gd_cadre"], "广东公告"),
            scheduled=post("gd", tree["gd_cadre"], "广东预告", scheduled=True),
        )
    }
    for code, author in (("bj", "bj_cadre"), ("gd-gz", "gz_cadre")):
        made[code] = Posted(
            published=post(code, tree[author], f"{code}公告"),
            scheduled=post(code, tree[author], f"{code}预告", scheduled=True),
        )
    assert (made["gd"].published.pk, made["gd"].scheduled.pk) == (3, 4)
    assert (made["bj"].published.pk, made["bj"].scheduled.pk) == (1, 2)
    return made


def actors(tree) -> list[str | None]:
    return [*tree.people, None]  # None: anonymous


@pytest.mark.parametrize("elsewhere", ["bj", "gd-gz"])
def test_gds_notices_cannot_be_reached_through_another_portal(tree, posted, api, web, elsewhere):
    gd_before, there_before = snapshot("gd"), snapshot(elsewhere)
    secret_titles = ("广东公告", "广东预告")
    wrong = []

    def expect(what, answer, status):
        body = answer.content.decode()
        if answer.status_code != status or any(title in body for title in secret_titles):
            wrong.append((what, answer.status_code, status))

    for name in actors(tree):
        user = tree[name] if name else None
        client, browser = api(elsewhere, user), web(elsewhere, user)
        write_status = 401 if user is None else 404 if name in WRITERS[elsewhere] else 403
        for notice in (posted["gd"].published, posted["gd"].scheduled):
            url = f"/api/v1/notices/{notice.pk}/"
            expect((name, "GET", url), client.get(url), 404)
            expect(
                (name, "PATCH", url),
                client.patch(url, {"title": "改"}, format="json"),
                write_status,
            )
            expect((name, "DELETE", url), client.delete(url), write_status)
            expect((name, "page", url), browser.get(f"/notices/{notice.pk}/"), 404)
        expect((name, "list"), client.get("/api/v1/notices/"), 200)
        expect((name, "home"), browser.get("/"), 200)
    assert wrong == []
    assert snapshot("gd") == gd_before
    assert snapshot(elsewhere) == there_before


def test_gd_staff_tokens_cannot_write_on_another_portal(tree, posted, api):
    for name in ("gd_admin", "gd_cadre"):
        client = api("bj", tree[name])
        created = client.post("/api/v1/notices/", {"title": "越权", "body": "越权"}, format="json")
        assert created.status_code == 403, name
        own = f"/api/v1/notices/{posted['bj'].published.pk}/"
        assert client.patch(own, {"title": "越权"}, format="json").status_code == 403, name
        assert client.delete(own).status_code == 403, name
    # The same tokens do write on gd's own portal.
    assert (
        api("gd", tree["gd_cadre"])
        .post("/api/v1/notices/", {"title": "本职", "body": "本职"}, format="json")
        .status_code
        == 201
    )
    with schema_context("bj"):
        assert not Notice.objects.filter(title__in=["越权", "本职"]).exists()
        assert Notice.objects.get(pk=posted["bj"].published.pk).title == "bj公告"


def test_an_admin_above_reads_but_cannot_write_below(tree, posted, api, web):
    """gd's admin reads gd-gz's scheduled notice on gd-gz's portal, and changes nothing."""
    scheduled = posted["gd-gz"].scheduled
    url = f"/api/v1/notices/{scheduled.pk}/"
    client = api("gd-gz", tree["gd_admin"])
    assert client.get(url).json()["title"] == "gd-gz预告"
    assert web("gd-gz", tree["gd_admin"]).get(f"/notices/{scheduled.pk}/").status_code == 200
    assert client.patch(url, {"title": "改"}, format="json").status_code == 403
    assert client.delete(url).status_code == 403
    # gd-gz's cadre reads nothing scheduled on gd's portal.
    gd_url = f"/api/v1/notices/{posted['gd'].scheduled.pk}/"
    assert api("gd", tree["gz_cadre"]).get(gd_url).status_code == 404


def test_the_central_auditor_reads_gds_scheduled_notice_and_writes_nothing(tree, posted, api, web):
    scheduled = posted["gd"].scheduled
    url = f"/api/v1/notices/{scheduled.pk}/"
    auditor = tree["auditor"]
    client = api("gd", auditor)
    answer = client.get(url)
    assert answer.status_code == 200
    assert (answer.json()["title"], answer.json()["is_published"]) == ("广东预告", False)
    assert "广东预告" in [n["title"] for n in client.get("/api/v1/notices/").json()["results"]]
    page = web("gd", auditor).get(f"/notices/{scheduled.pk}/")
    assert page.status_code == 200
    assert "广东预告" in page.content.decode()
    assert web("gd", auditor).get("/workbench/").status_code == 200
    assert client.patch(url, {"title": "审计改"}, format="json").status_code == 403
    assert client.delete(url).status_code == 403
    assert client.post("/api/v1/notices/", {"title": "审", "body": "审"}).status_code == 403
    assert web("gd", auditor).post("/workbench/", {"action": "notice"}).status_code == 403
    assert snapshot("gd")[-1] == (scheduled.pk, "广东预告", "广东预告的正文", False)


def test_gd_staff_see_nothing_of_gd_on_another_portals_workbench(tree, posted, web):
    for name in ("gd_cadre", "gd_expert", "gd_org"):
        assert web("bj", tree[name]).get("/workbench/").status_code == 403, name
    page = web("bj", tree["bj_cadre"]).get("/workbench/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "bj预告" in body
    assert "广东" not in body


def test_the_console_domain_serves_no_portals_notices(tree, posted, api, web):
    for name in ("central_admin", "auditor", "gd_admin", None):
        user = tree[name] if name else None
        for notice in (posted["gd"].published, posted["gd"].scheduled):
            url = f"/api/v1/notices/{notice.pk}/"
            assert api(None, user).get(url).status_code == 404, name
            assert api(None, user).delete(url).status_code == 404, name
            assert web(None, user).get(f"/notices/{notice.pk}/").status_code == 404, name
    assert snapshot("gd")[-2:] == [
        (3, "广东公告", "广东公告的正文", True),
        (4, "广东预告", "广东预告的正文", False),
    ]
