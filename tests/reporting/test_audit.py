"""Readers from above (the central auditor, a province admin) leave one audit row per workbench
page or staff API call they read; the committee's own staff leave none; the auditor writes
nothing."""

import pytest
from django_tenants.utils import schema_context

from casework.models import Team
from core.models import AuditAccess
from qa.models import Question

from .helpers import ask


def audited() -> list[tuple]:
    return sorted(AuditAccess.objects.values_list("user_id", "committee__code", "method", "path"))


@pytest.fixture
def waiting(tree) -> Question:
    """A question in Guangdong's triage queue."""
    return ask("gd", tree["youth"])


def test_the_auditor_reading_a_workbench_page_is_logged_once(tree, web, waiting):
    auditor = tree["auditor"]
    response = web("gd", auditor).get("/workbench/questions/")
    assert response.status_code == 200
    assert audited() == [(auditor.pk, "gd", "GET", "/workbench/questions/")]

    page = f"/workbench/questions/{waiting.pk}/"
    assert web("gd", auditor).get(page).status_code == 200
    assert audited() == sorted(
        [
            (auditor.pk, "gd", "GET", "/workbench/questions/"),
            (auditor.pk, "gd", "GET", page),
        ]
    )


def test_the_auditor_reading_a_staff_endpoint_is_logged_once(tree, api, waiting):
    auditor = tree["auditor"]
    response = api("gd", auditor).get("/api/v1/queues/triage/")
    assert response.status_code == 200, response.content
    assert [item["id"] for item in response.json()["results"]] == [waiting.pk]
    assert audited() == [(auditor.pk, "gd", "GET", "/api/v1/queues/triage/")]

    assert api("gd", auditor).get("/api/v1/supervision/?page=1").status_code == 200
    assert api("gd", auditor).get("/api/v1/teams/").status_code == 200
    assert audited() == sorted(
        [
            (auditor.pk, "gd", "GET", "/api/v1/queues/triage/"),
            (auditor.pk, "gd", "GET", "/api/v1/supervision/?page=1"),
            (auditor.pk, "gd", "GET", "/api/v1/teams/"),
        ]
    )


def test_a_province_admin_reading_a_city_below_is_logged(tree, web, api):
    admin = tree["gd_admin"]
    assert web("gd-gz", admin).get("/workbench/questions/").status_code == 200
    assert api("gd-gz", admin).get("/api/v1/queues/triage/").status_code == 200
    assert audited() == sorted(
        [
            (admin.pk, "gd-gz", "GET", "/workbench/questions/"),
            (admin.pk, "gd-gz", "GET", "/api/v1/queues/triage/"),
        ]
    )
    # At home the admin is the committee's own staff.
    assert web("gd", admin).get("/workbench/questions/").status_code == 200
    assert len(audited()) == 2


def test_the_committees_own_staff_are_not_logged(tree, web, api, waiting):
    for code, user in (
        ("gd", tree["gd_cadre"]),
        ("gd", tree["gd_expert"]),
        ("gd", tree["gd_admin"]),
        ("gd-gz", tree["gz_cadre"]),
        ("central", tree["central_admin"]),
    ):
        assert web(code, user).get("/workbench/questions/").status_code == 200
        assert api(code, user).get("/api/v1/queues/triage/").status_code == 200
    assert web("gd", tree["gd_cadre"]).get(f"/workbench/questions/{waiting.pk}/").status_code == 200
    assert audited() == []


def test_others_are_refused_and_not_logged(tree, web, api):
    # A youth, and the staff of a committee that is not above this one.
    for user in (tree["youth"], tree["bj_admin"], tree["gz_cadre"]):
        assert web("gd", user).get("/workbench/questions/").status_code == 403
        assert api("gd", user).get("/api/v1/queues/triage/").status_code == 403
    assert audited() == []


def state_of(question: Question) -> tuple:
    with schema_context("gd"):
        found = Question.objects.get(pk=question.pk)
        return (
            found.state,
            found.team_id,
            found.assignee_id,
            found.category_id,
            found.transferred_to,
            list(found.timeline.values_list("kind", flat=True)),
            list(found.replies.values_list("pk", flat=True)),
        )


def test_the_auditor_cannot_write(tree, web, api, waiting):
    auditor = tree["auditor"]
    before = state_of(waiting)
    client = api("gd", auditor)
    for action, data in (
        ("close", {"reason": "审计"}),
        ("claim", {}),
        ("reclassify", {"category": "study"}),
        ("transfer", {"to": "bj", "note": ""}),
    ):
        response = client.post(f"/api/v1/questions/{waiting.pk}/{action}/", data, format="json")
        assert response.status_code == 403, (action, response.content)
    assert client.post("/api/v1/teams/", {"name": "审计组"}, format="json").status_code == 403

    page = web("gd", auditor)
    for data in (
        {"action": "close", "reason": "审计"},
        {"action": "answer", "body": "审计员的答复"},
        {"action": "reclassify", "category": "study"},
    ):
        assert page.post(f"/workbench/questions/{waiting.pk}/", data).status_code == 403
    assert page.post("/workbench/setup/", {"action": "add:team"}).status_code == 403

    assert state_of(waiting) == before
    with schema_context("gd"):
        assert not Team.objects.exists()
    # Every refused attempt is in the audit log, from the API and the pages alike.
    tried = AuditAccess.objects.filter(user=auditor, method="POST")
    assert tried.filter(path__startswith="/api/v1/").count() == 5
    assert tried.exclude(path__startswith="/api/v1/").count() == 4
