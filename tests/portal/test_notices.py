"""Notices: posting now or later, publishing what is due, and who reads and writes them."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from core.errors import ServiceError
from portal import services
from portal.models import Notice

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=SHANGHAI)

# On gd's portal: who reads scheduled notices, and who writes notices.
READERS = {"gd_admin", "gd_cadre", "gd_expert", "gd_org", "central_admin", "auditor"}
WRITERS = {"gd_admin", "gd_cadre"}


@pytest.fixture
def gd(tree):
    """Runs the test body in gd's schema."""
    with schema_context("gd"):
        yield tree


# Services


def test_a_notice_posted_without_a_time_is_published_at_once(gd, time_machine):
    time_machine.move_to(T0, tick=False)
    notice = services.post_notice(author=gd["gd_cadre"], title=" 团课通知 ", body=" 周五开课 ")
    notice.refresh_from_db()
    assert (notice.title, notice.body) == ("团课通知", "周五开课")
    assert notice.is_published
    assert notice.published_at == T0
    assert notice.publish_at is None
    assert notice.author_id == gd["gd_cadre"].pk


def test_a_notice_posted_for_a_past_time_is_published_at_once(gd, time_machine):
    time_machine.move_to(T0, tick=False)
    notice = services.post_notice(
        author=gd["gd_cadre"], title="补发", body="正文", publish_at=T0 - timedelta(hours=1)
    )
    assert notice.is_published
    assert notice.published_at == T0


def test_a_notice_posted_for_later_waits(gd, time_machine):
    time_machine.move_to(T0, tick=False)
    later = T0 + timedelta(days=1)
    notice = services.post_notice(
        author=gd["gd_cadre"], title="预告", body="正文", publish_at=later
    )
    notice.refresh_from_db()
    assert not notice.is_published
    assert notice.published_at is None
    assert notice.publish_at == later


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", "正文", "title"),
        ("   ", "正文", "title"),
        ("标题", "", "body"),
        ("标题", " \n ", "body"),
    ],
)
def test_a_notice_needs_a_title_and_a_text(gd, title, body, field):
    with pytest.raises(ServiceError) as refused:
        services.post_notice(author=gd["gd_cadre"], title=title, body=body)
    assert (refused.value.code, refused.value.field) == ("required", field)
    assert not Notice.objects.exists()


def test_publishing_due_notices_publishes_only_those_due(gd, time_machine):
    time_machine.move_to(T0, tick=False)
    author = gd["gd_cadre"]
    soon = services.post_notice(
        author=author, title="一小时后", body="正文", publish_at=T0 + timedelta(hours=1)
    )
    later = services.post_notice(
        author=author, title="一天后", body="正文", publish_at=T0 + timedelta(days=1)
    )
    already = services.post_notice(author=author, title="已发布", body="正文")

    assert services.publish_due_notices() == 0
    time_machine.move_to(T0 + timedelta(hours=2), tick=False)
    assert services.publish_due_notices() == 1
    for notice in (soon, later, already):
        notice.refresh_from_db()
    assert soon.is_published and soon.published_at == T0 + timedelta(hours=2)
    assert not later.is_published and later.published_at is None
    assert already.published_at == T0  # untouched
    assert services.publish_due_notices() == 0  # nothing twice

    time_machine.move_to(T0 + timedelta(days=1), tick=False)  # exactly due
    assert services.publish_due_notices() == 1
    later.refresh_from_db()
    assert later.is_published and later.published_at == T0 + timedelta(days=1)


def test_publishing_due_notices_stays_in_its_schema(tree, time_machine):
    time_machine.move_to(T0, tick=False)
    for code in ("gd", "bj"):
        with schema_context(code):
            services.post_notice(
                author=tree["youth"], title=code, body="正文", publish_at=T0 + timedelta(hours=1)
            )
    time_machine.move_to(T0 + timedelta(hours=2), tick=False)
    with schema_context("gd"):
        assert services.publish_due_notices() == 1
    with schema_context("bj"):
        assert not Notice.objects.get().is_published


def test_editing_a_notice(gd):
    notice = services.post_notice(author=gd["gd_cadre"], title="旧标题", body="旧正文")
    services.edit_notice(notice=notice, title=" 新标题 ")
    notice.refresh_from_db()
    assert (notice.title, notice.body) == ("新标题", "旧正文")
    services.edit_notice(notice=notice, body="新正文")
    notice.refresh_from_db()
    assert (notice.title, notice.body) == ("新标题", "新正文")
    for change, field in (({"title": " "}, "title"), ({"body": ""}, "body")):
        with pytest.raises(ServiceError) as refused:
            services.edit_notice(notice=notice, **change)
        assert refused.value.field == field
        assert (notice.title, notice.body) == ("新标题", "新正文")
        notice.refresh_from_db()
        assert (notice.title, notice.body) == ("新标题", "新正文")


def test_withdrawing_a_notice(gd):
    kept = services.post_notice(author=gd["gd_cadre"], title="留下", body="正文")
    gone = services.post_notice(author=gd["gd_cadre"], title="撤回", body="正文")
    services.withdraw_notice(notice=gone)
    assert list(Notice.objects.values_list("pk", flat=True)) == [kept.pk]


# The API and pages on gd's portal


@pytest.fixture
def feed(tree):
    """25 published notices, a day apart, and 2 scheduled ones, in gd."""
    with schema_context("gd"):
        Notice.objects.bulk_create(
            Notice(
                title=f"公告{i:02d}",
                body="正文",
                author=tree["gd_cadre"],
                is_published=True,
                published_at=T0 + timedelta(days=i),
            )
            for i in range(25)
        )
        for i in range(2):
            services.post_notice(
                author=tree["gd_cadre"],
                title=f"预告{i}",
                body="正文",
                publish_at=timezone.now() + timedelta(days=30),
            )


def test_the_notice_list_is_paginated_and_anonymous_readers_see_the_published(tree, feed, api):
    client = api("gd")
    first = client.get("/api/v1/notices/").json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 25
    assert first["previous"] is None
    assert "page=2" in first["next"]
    assert [n["title"] for n in first["results"]] == [f"公告{i:02d}" for i in range(24, 4, -1)]
    second = client.get(first["next"]).json()
    assert second["next"] is None
    assert [n["title"] for n in second["results"]] == [f"公告{i:02d}" for i in range(4, -1, -1)]
    everything = client.get("/api/v1/notices/?page_size=100").json()
    assert len(everything["results"]) == 25
    assert all(n["is_published"] for n in everything["results"])
    assert client.get("/api/v1/notices/?page=9").status_code == 404


@pytest.mark.parametrize("name", ["youth", "gz_cadre", "bj_admin", "bj_cadre", None])
def test_accounts_without_access_see_only_published_notices(tree, feed, api, web, name):
    user = tree[name] if name else None
    answer = api("gd", user).get("/api/v1/notices/?page_size=100").json()
    assert answer["count"] == 25
    assert not any(n["title"].startswith("预告") for n in answer["results"])
    assert "预告" not in web("gd", user).get("/").content.decode()


@pytest.mark.parametrize("name", sorted(READERS))
def test_staff_and_readers_from_above_also_see_scheduled_notices(tree, feed, api, name):
    answer = api("gd", tree[name]).get("/api/v1/notices/?page_size=100").json()
    assert answer["count"] == 27
    assert sum(not n["is_published"] for n in answer["results"]) == 2


def test_who_reads_and_writes_a_scheduled_notice_on_gds_portal(tree, api, web):
    with schema_context("gd"):
        scheduled = services.post_notice(
            author=tree["gd_cadre"],
            title="广东预告",
            body="正文",
            publish_at=timezone.now() + timedelta(days=1),
        )
    url = f"/api/v1/notices/{scheduled.pk}/"
    wrong = []
    for name in [*tree.people, None]:
        user = tree[name] if name else None
        client = api("gd", user)
        read = 200 if name in READERS else 404
        if client.get(url).status_code != read:
            wrong.append((name, "GET"))
        if web("gd", user).get(f"/notices/{scheduled.pk}/").status_code != read:
            wrong.append((name, "page"))
        if name not in WRITERS:
            refused = 401 if user is None else 403
            if client.patch(url, {"title": "改"}, format="json").status_code != refused:
                wrong.append((name, "PATCH"))
            if client.delete(url).status_code != refused:
                wrong.append((name, "DELETE"))
    assert wrong == []
    with schema_context("gd"):
        scheduled.refresh_from_db()
    assert scheduled.title == "广东预告"

    for name in sorted(WRITERS):
        client = api("gd", tree[name])
        edited = client.patch(url, {"title": f"{name}改"}, format="json")
        assert edited.status_code == 200
        assert (edited.json()["title"], edited.json()["is_published"]) == (f"{name}改", False)
    assert api("gd", tree["gd_admin"]).delete(url).status_code == 204
    assert api("gd", tree["gd_cadre"]).get(url).status_code == 404
    with schema_context("gd"):
        assert not Notice.objects.exists()


def test_cadres_post_through_the_api(tree, api, time_machine):
    time_machine.move_to(T0, tick=False)
    client = api("gd", tree["gd_cadre"])
    now = client.post("/api/v1/notices/", {"title": "即发", "body": "正文"}, format="json")
    assert now.status_code == 201
    assert now.json()["is_published"] is True
    later = client.post(
        "/api/v1/notices/",
        {"title": "预告", "body": "正文", "publish_at": (T0 + timedelta(days=1)).isoformat()},
        format="json",
    )
    assert later.status_code == 201
    assert (later.json()["is_published"], later.json()["published_at"]) == (False, None)
    assert [n["title"] for n in api("gd").get("/api/v1/notices/").json()["results"]] == ["即发"]
    # Experts and organisation members work on the portal but do not post notices.
    for name in ("gd_expert", "gd_org"):
        refused = api("gd", tree[name]).post(
            "/api/v1/notices/", {"title": "x", "body": "x"}, format="json"
        )
        assert refused.status_code == 403, name


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "", "body": "正文"}, "title"),
        ({"body": "正文"}, "title"),
        ({"title": "标题", "body": "   "}, "body"),
        ({"title": "长" * 121, "body": "正文"}, "title"),
    ],
)
def test_the_api_refuses_an_incomplete_notice(tree, api, payload, field):
    answer = api("gd", tree["gd_cadre"]).post("/api/v1/notices/", payload, format="json")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]
    with schema_context("gd"):
        assert not Notice.objects.exists()


def test_the_api_refuses_an_edit_that_empties_a_notice(tree, api):
    with schema_context("gd"):
        notice = services.post_notice(author=tree["gd_cadre"], title="标题", body="正文")
    client = api("gd", tree["gd_cadre"])
    for payload, field in (({"title": ""}, "title"), ({"body": "  "}, "body")):
        answer = client.patch(f"/api/v1/notices/{notice.pk}/", payload, format="json")
        assert answer.status_code == 400
        assert field in answer.json()["error"]["fields"]
    with schema_context("gd"):
        notice.refresh_from_db()
    assert (notice.title, notice.body) == ("标题", "正文")
