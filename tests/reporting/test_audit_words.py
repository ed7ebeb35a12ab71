"""The audit log reads as plain actions: who opened which committee's what, or tried to change
something there, and whether it was allowed, in Chinese on the page and in the API."""

from django.utils import translation

from reporting.audit import describe_path

from .helpers import ask


def test_paths_are_described_in_words():
    with translation.override("zh-hans"):
        assert describe_path("GET", "/workbench/questions/12/") == ("问题 #12 的处理页", True)
        assert describe_path("GET", "/workbench/questions/?queue=triage") == ("问题队列", True)
        assert describe_path("GET", "/api/v1/queues/triage/") == ("问题队列（triage）", True)
        assert describe_path("GET", "/api/v1/teams/") == ("团队", True)
        assert describe_path("POST", "/api/v1/questions/7/close/") == ("关闭问题 #7", False)
        assert describe_path("DELETE", "/api/v1/reply-templates/3/") == ("修改常用回复", False)
        assert describe_path("POST", "/workbench/questions/7/") == ("处理问题 #7", False)
        assert describe_path("GET", "/nowhere/") == ("页面 /nowhere/", True)


def test_the_audit_page_and_api_read_as_plain_actions(tree, web, api):
    question = ask("gd", tree["youth"])
    auditor, admin = tree["auditor"], tree["gd_admin"]
    assert web("gd", auditor).get(f"/workbench/questions/{question.pk}/").status_code == 200
    closing = api("gd", auditor).post(f"/api/v1/questions/{question.pk}/close/", {}, format="json")
    assert closing.status_code == 403
    assert web("gd-gz", admin).get("/workbench/questions/").status_code == 200

    page = web(None, tree["central_admin"]).get("/reports/audit/").content.decode()
    assert page.count('data-testid="audit-row"') == 3
    assert (
        f"{auditor}（共青团中央 · 团中央审计员） 查看了共青团广东省委的问题 #{question.pk} 的处理页"
        in page
    )
    tried = f"试图在共青团广东省委关闭问题 #{question.pk}，已拒绝"
    assert f"{auditor}（共青团中央 · 团中央审计员） {tried}" in page
    assert f"{admin}（共青团广东省委 · 团委管理员） 查看了共青团广州市委的问题队列" in page
    assert "已允许" in page and "已拒绝" in page

    body = api(None, tree["central_admin"]).get("/api/v1/reports/audit/").json()
    newest = body["results"][0]
    assert newest["committee"] == "gd-gz" and newest["committee_name"] == "共青团广州市委"
    assert newest["outcome"] == "allowed" and newest["path"] == "/workbench/questions/"
    assert [row["outcome"] for row in body["results"]] == ["allowed", "refused", "allowed"]
    assert body["results"][1]["action"].endswith("已拒绝")
