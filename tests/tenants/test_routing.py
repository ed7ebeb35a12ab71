import pytest
from django_tenants.utils import schema_context

from portal.models import Notice
from tenants import services


def test_each_domain_reaches_its_own_schema(tree, api):
    for committee in (tree.central, tree.gd, tree.gz, tree.bj):
        body = api(committee.code).get("/api/v1/ping/").json()
        assert body["committee"] == committee.code
    assert api(None).get("/api/v1/ping/").json()["committee"] is None


def test_the_portal_shows_its_own_data(tree, api):
    with schema_context("gd"):
        Notice.objects.create(
            title="广东通知", body="只在广东", author=tree["gd_cadre"], is_published=True
        )
    with schema_context("bj"):
        Notice.objects.create(
            title="北京通知", body="只在北京", author=tree["bj_cadre"], is_published=True
        )
    assert [n["title"] for n in api("gd").get("/api/v1/notices/").json()["results"]] == ["广东通知"]
    assert [n["title"] for n in api("bj").get("/api/v1/notices/").json()["results"]] == ["北京通知"]


def test_unknown_domain_is_a_404_page_and_json(tree, web, api):
    page = web("nowhere").get("/")
    assert page.status_code == 404
    assert "nowhere.localhost" in page.content.decode()
    answer = api("nowhere").get("/api/v1/ping/")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "unknown_portal"


def test_suspended_portal_is_refused_with_a_page_and_a_clear_api_error(tree, web, api):
    services.set_status(committee=tree.gd, status="suspended")
    page = web("gd").get("/")
    assert page.status_code == 403
    assert 'data-testid="suspended"' in page.content.decode()
    answer = api("gd", tree["gd_admin"]).get("/api/v1/notices/")
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "portal_suspended"
    # The other portals keep working.
    assert api("bj").get("/api/v1/ping/").status_code == 200
    services.set_status(committee=tree.gd, status="active")
    assert api("gd").get("/api/v1/ping/").status_code == 200


@pytest.mark.parametrize("path", ["/", "/api/v1/ping/", "/accounts/login/"])
def test_console_domain_serves_public_urls(tree, web, path):
    assert web(None).get(path).status_code == 200
