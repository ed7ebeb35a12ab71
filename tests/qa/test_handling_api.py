"""The workbench's API: internal notes, ready answers, and what the handling view tells staff
(the asker's number, the first-response urgency)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django_tenants.utils import schema_context

from casework.models import ReplyTemplate, Team
from qa import services
from qa.models import InternalNote, Question

from .helpers import alliance

PHONE = "13812345678"


def asked(tree) -> Question:
    with schema_context("gd"):
        return services.ask_question(
            asker=tree["youth"], title="应届生找工作被要求交培训费正常吗", body="三千元培训费"
        )


def notes_url(question) -> str:
    return f"/api/v1/questions/{question.pk}/notes/"


def test_staff_add_and_read_internal_notes(tree, api):
    question = asked(tree)
    cadre = api("gd", tree["gd_cadre"])
    made = cadre.post(notes_url(question), {"body": f"家长来电 {PHONE}"}, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["body"] == f"家长来电 {PHONE}"
    assert made.json()["author"] == str(tree["gd_cadre"])
    listed = api("gd", tree["gd_expert"]).get(notes_url(question)).json()
    assert [n["body"] for n in listed["results"]] == [f"家长来电 {PHONE}"]
    masked = api("gd", tree["auditor"]).get(notes_url(question)).json()
    assert [n["body"] for n in masked["results"]] == ["家长来电 138****5678"]
    # Notes never reach the asker's or the public view of the question.
    for client in (api("gd", tree["youth"]), api("gd")):
        assert "家长来电" not in client.get(f"/api/v1/questions/{question.pk}/").content.decode()


def test_notes_refuse_anonymous_youths_other_committees_and_readers_from_above(tree, api):
    question = asked(tree)
    body = {"body": "看过"}
    assert api("gd").get(notes_url(question)).status_code == 401
    assert api("gd").post(notes_url(question), body, format="json").status_code == 401
    for user in (tree["youth"], tree["bj_admin"], tree["gz_cadre"]):
        assert api("gd", user).get(notes_url(question)).status_code == 403
        assert api("gd", user).post(notes_url(question), body, format="json").status_code == 403
    assert (
        api("gd", tree["auditor"]).post(notes_url(question), body, format="json").status_code == 403
    )
    # The question's id means nothing on another committee's domain.
    assert api("bj", tree["bj_cadre"]).get(notes_url(question)).status_code == 404
    with schema_context("gd"):
        assert not InternalNote.objects.exists()


def test_a_note_is_checked(tree, api):
    question = asked(tree)
    cadre = api("gd", tree["gd_cadre"])
    for body in ({}, {"body": ""}, {"body": "长" * 2001}, {"body": ["a"]}):
        response = cadre.post(notes_url(question), body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert response.json()["error"]["code"]
    assert (
        cadre.post("/api/v1/questions/999999/notes/", {"body": "a"}, format="json").status_code
        == 404
    )


def test_ready_answers_over_the_api(tree, api):
    with schema_context("gd"):
        team = Team.objects.create(name="就业服务联盟")
    cadre = api("gd", tree["gd_cadre"])
    made = cadre.post(
        "/api/v1/reply-templates/",
        {"team": team.pk, "title": "违规收费", "body": "用人单位不得收取培训费。"},
        format="json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    again = cadre.post(
        "/api/v1/reply-templates/",
        {"team": team.pk, "title": "违规收费", "body": "另一段"},
        format="json",
    )
    assert again.status_code == 400 and again.json()["error"]["fields"]["title"]
    changed = cadre.patch(f"/api/v1/reply-templates/{pk}/", {"body": "新的答复"}, format="json")
    assert changed.status_code == 200 and changed.json()["body"] == "新的答复"
    listed = api("gd", tree["gd_expert"]).get("/api/v1/reply-templates/").json()
    assert [(t["title"], t["body"]) for t in listed["results"]] == [("违规收费", "新的答复")]
    # Experts and readers from above read them; only cadres and admins change them.
    for user in (tree["gd_expert"], tree["auditor"]):
        refused = api("gd", user).delete(f"/api/v1/reply-templates/{pk}/")
        assert refused.status_code == 403
    assert api("gd", tree["gd_admin"]).delete(f"/api/v1/reply-templates/{pk}/").status_code == 204
    with schema_context("gd"):
        assert not ReplyTemplate.objects.exists()


def test_ready_answers_refuse_anonymous_youths_and_other_committees(tree, api):
    with schema_context("gd"):
        team = Team.objects.create(name="就业服务联盟")
    body = {"team": team.pk, "title": "违规收费", "body": "不得收费。"}
    assert api("gd").get("/api/v1/reply-templates/").status_code == 401
    assert api("gd").post("/api/v1/reply-templates/", body, format="json").status_code == 401
    for user in (tree["youth"], tree["bj_admin"], tree["bj_cadre"]):
        assert api("gd", user).get("/api/v1/reply-templates/").status_code == 403
        assert (
            api("gd", user).post("/api/v1/reply-templates/", body, format="json").status_code == 403
        )
    with schema_context("gd"):
        assert not ReplyTemplate.objects.exists()


def test_the_handling_view_tells_the_urgency_and_masks_the_number_for_other_staff(tree, api):
    alliance("gd", tree["gd_expert"], strategy="queue")
    question = asked(tree)
    url = f"/api/v1/questions/{question.pk}/"
    cadre = api("gd", tree["gd_cadre"]).get(url).json()["handling"]
    assert cadre["asker_phone"] == tree["youth"].phone and cadre["respond_urgency"] == "ok"
    expert = api("gd", tree["gd_expert"]).get(url).json()["handling"]
    assert expert["asker_phone"] == tree["youth"].masked_phone


def test_the_desk_over_the_api(tree, api):
    alliance("gd", tree["gd_expert"])
    asked_at = datetime(2026, 6, 1, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(asked_at, tick=False), schema_context("gd"):
        mine = services.ask_question(
            asker=tree["youth"], title=f"找工作被要求交培训费{PHONE}", category="career"
        )
    # First response within a working day: due at the Monday's 18:00.
    with time_machine.travel(asked_at + timedelta(hours=10, minutes=-10), tick=False):
        expert = api("gd", tree["gd_expert"]).get("/api/v1/workbench/desk/")
        auditor = api("gd", tree["auditor"]).get("/api/v1/workbench/desk/")
    assert expert.status_code == 200, expert.content
    body = expert.json()
    assert body["mine"]["count"] == 1 and body["mine"]["results"][0]["id"] == mine.pk
    assert [q["id"] for q in body["due_today"]["results"]] == [mine.pk]
    assert body["overdue"]["count"] == 0 and body["triage"] is None
    assert [(t["team"], t["waiting"], t["late"]) for t in body["backlog"]] == [
        ("就业服务联盟", 1, 0)
    ]
    assert body["mine"]["results"][0]["title"] == f"找工作被要求交培训费{PHONE}"
    seen = auditor.json()
    assert seen["due_today"]["results"][0]["title"] == "找工作被要求交培训费138****5678"
    assert seen["triage"] == 0


def test_the_desk_refuses_anonymous_youths_and_other_committees(tree, api):
    assert api("gd").get("/api/v1/workbench/desk/").status_code == 401
    for user in (tree["youth"], tree["bj_admin"], tree["gz_cadre"]):
        assert api("gd", user).get("/api/v1/workbench/desk/").status_code == 403
