"""The question loop over the API: every action, who may take it, and what others see."""

import io

import pytest
from django_tenants.utils import schema_context
from PIL import Image

from core.models import User
from qa.models import Question

from .helpers import alliance

PHONE = "13812345678"
ASK = {
    "title": "应届生找工作被要求交培训费正常吗",
    "body": f"面试通过后让先交三千元培训费，联系我{PHONE}",
}


def ask(api, tree, **extra) -> dict:
    answer = api("gd", tree["youth"]).post("/api/v1/questions/", {**ASK, **extra}, format="json")
    assert answer.status_code == 201, answer.content
    return answer.json()


def png() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(data, "PNG")
    data.seek(0)
    data.name = "photo.png"
    return data


def test_ask_route_answer_solve_rate_through_the_api(tree, api):
    alliance("gd", tree["gd_expert"])
    question = ask(api, tree)
    url = f"/api/v1/questions/{question['id']}/"
    expert, youth = api("gd", tree["gd_expert"]), api("gd", tree["youth"])
    mine = expert.get("/api/v1/queues/mine/").json()["results"]
    assert [q["id"] for q in mine] == [question["id"]] and mine[0]["team"] == "就业服务联盟"
    answered = expert.post(
        url + "answers/", {"body": f"不正常，请拨打12333，或联系我{PHONE}"}, format="json"
    )
    assert answered.status_code == 200 and answered.json()["state"] == "answered"
    reply = answered.json()["replies"][0]
    assert (reply["author_kind"], reply["organisation"]) == ("expert", "人社局")
    assert youth.post(url + "solve/").json()["state"] == "solved"
    rated = youth.post(url + "rating/", {"stars": 5, "comment": "谢谢"}, format="json")
    assert rated.status_code == 200
    again = youth.post(url + "rating/", {"stars": 1}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_rated"
    kinds = [e["kind"] for e in youth.get(url).json()["timeline"]]
    assert kinds == ["qa.asked", "qa.routed", "qa.answered", "qa.solved", "qa.rated"]
    found = api("gd").get("/api/v1/questions/", {"q": "培训费"}).json()["results"]
    assert [q["id"] for q in found] == [question["id"]]
    # The public sees the answer, masked.
    public = api("gd").get(url).json()
    assert PHONE not in public["body"] and PHONE not in public["replies"][0]["body"]
    assert public["handling"] is None


@pytest.mark.parametrize("stars", [0, 6, "五"])
def test_bad_ratings_are_refused(tree, api, stars):
    alliance("gd", tree["gd_expert"])
    question = ask(api, tree)
    api("gd", tree["gd_expert"]).post(
        f"/api/v1/questions/{question['id']}/answers/", {"body": "好"}, format="json"
    )
    refused = api("gd", tree["youth"]).post(
        f"/api/v1/questions/{question['id']}/rating/", {"stars": stars}, format="json"
    )
    assert refused.status_code == 400


def test_staff_actions_need_staff_of_this_committee(tree, api):
    team = alliance("gd", tree["gd_expert"], strategy="queue")
    question = ask(api, tree)
    url = f"/api/v1/questions/{question['id']}/"
    actions = {
        "claim/": {},
        "assign/": {"assignee": tree["gd_expert"].pk},
        "route/": {"team": team.pk},
        "reclassify/": {"category": "rights"},
        "transfer/": {"to": "bj"},
        "close/": {},
        "release/": {},
        "reject/": {},
    }
    for who, status in [
        (None, 401),
        ("youth", 403),
        ("bj_admin", 403),
        ("auditor", 403),
        ("gd_admin", 403),
    ]:
        client = api("gd", tree[who] if who else None)
        for action, data in actions.items():
            if who == "gd_admin" and action not in ("release/", "reject/"):
                continue
            got = client.post(url + action, data, format="json")
            expected = 409 if who == "gd_admin" else status  # not held: nothing to review
            assert got.status_code == expected, (who, action, got.content)
    for name in ("mine", "team", "triage", "overdue", "review"):
        assert api("gd").get(f"/api/v1/queues/{name}/").status_code == 401
        assert api("gd", tree["youth"]).get(f"/api/v1/queues/{name}/").status_code == 403
        assert api("gd", tree["bj_cadre"]).get(f"/api/v1/queues/{name}/").status_code == 403
        assert api("gd", tree["auditor"]).get(f"/api/v1/queues/{name}/").status_code == 200
    assert api("gd", tree["gd_cadre"]).get("/api/v1/queues/nothing/").status_code == 404
    claimed = api("gd", tree["gd_expert"]).post(url + "claim/")
    assert (
        claimed.status_code == 200
        and claimed.json()["handling"]["assignee"] == tree["gd_expert"].pk
    )


def test_readers_from_above_see_queues_masked_and_cannot_act(tree, api):
    alliance("gd", tree["gd_expert"])
    question = ask(api, tree)
    for who in ("auditor", "central_admin"):
        listed = api("gd", tree[who]).get("/api/v1/queues/team/").json()["results"]
        assert [q["id"] for q in listed] == [question["id"]]
        assert PHONE not in listed[0]["body"]
    own = api("gd", tree["gd_cadre"]).get("/api/v1/queues/team/").json()["results"]
    assert PHONE in own[0]["body"]


def test_a_question_of_one_committee_is_not_found_on_another(tree, api):
    alliance("gd", tree["gd_expert"])
    question = ask(api, tree)
    for client in (api("bj", tree["bj_admin"]), api("bj", tree["youth"]), api("bj")):
        assert client.get(f"/api/v1/questions/{question['id']}/").status_code == 404
        assert client.get("/api/v1/questions/open/").json()["results"] == []
    assert (
        api("bj", tree["bj_cadre"]).post(f"/api/v1/questions/{question['id']}/claim/").status_code
        == 404
    )
    answered = api("bj", tree["youth"]).post(
        f"/api/v1/questions/{question['id']}/answers/", {"body": "我来答"}, format="json"
    )
    assert answered.status_code == 404


def test_peer_answers_and_the_dislike(tree, api):
    alliance("gd", tree["gd_expert"])
    question = ask(api, tree)
    peer = User.objects.create_user("13911112222", "x", name="热心青年")
    url = f"/api/v1/questions/{question['id']}/"
    assert [q["id"] for q in api("gd").get("/api/v1/questions/open/").json()["results"]] == [
        question["id"]
    ]
    answered = api("gd", peer).post(url + "answers/", {"body": "我也遇到过，是骗局"}, format="json")
    assert answered.status_code == 200
    reply = answered.json()["replies"][0]
    assert reply["is_peer"] and reply["author_kind_name"] and answered.json()["state"] == "routed"
    assert api("gd", peer).post(f"/api/v1/replies/{reply['id']}/dislike/").status_code == 404
    disliked = api("gd", tree["youth"]).post(f"/api/v1/replies/{reply['id']}/dislike/")
    assert disliked.status_code == 200 and disliked.json()["is_unhelpful"]


def test_held_questions_and_replies_go_through_the_review_queue(tree, api):
    alliance("gd", tree["gd_expert"])
    held = ask(api, tree, title="有人拉我做刷单返利", body="靠谱吗", category="career")
    assert held["state"] == "pending_review"
    assert api("gd").get(f"/api/v1/questions/{held['id']}/").status_code == 404
    cadre = api("gd", tree["gd_cadre"])
    assert [q["id"] for q in cadre.get("/api/v1/queues/review/").json()["results"]] == [held["id"]]
    assert (
        api("gd", tree["gd_expert"]).post(f"/api/v1/questions/{held['id']}/release/").status_code
        == 403
    )
    released = cadre.post(f"/api/v1/questions/{held['id']}/release/")
    assert released.status_code == 200 and released.json()["state"] == "routed"
    answered = api("gd", tree["gd_expert"]).post(
        f"/api/v1/questions/{held['id']}/answers/", {"body": "代开发票违法"}, format="json"
    )
    reply = answered.json()["replies"][0]
    assert reply["state"] == "pending_review" and answered.json()["state"] == "routed"
    assert api("gd").get(f"/api/v1/questions/{held['id']}/").json()["replies"] == []
    held_replies = cadre.get("/api/v1/queues/review/replies/").json()["results"]
    assert [r["id"] for r in held_replies] == [reply["id"]] and held_replies[0]["held_for"] == [
        "代开发票"
    ]
    rejected = cadre.post(
        f"/api/v1/replies/{reply['id']}/reject/", {"reason": "广告"}, format="json"
    )
    assert rejected.json()["state"] == "rejected"
    assert cadre.post(f"/api/v1/replies/{reply['id']}/release/").status_code == 409


def test_transfer_over_the_api_lands_only_in_the_target(tree, api):
    from tenants import outbox

    alliance("gd", tree["gd_expert"])
    question = ask(api, tree)
    moved = api("gd", tree["gd_cadre"]).post(
        f"/api/v1/questions/{question['id']}/transfer/",
        {"to": "bj", "note": "北京的单位"},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["transferred_to"] == "bj"
    outbox.deliver()
    bj = api("bj", tree["bj_cadre"]).get("/api/v1/queues/triage/").json()["results"]
    assert len(bj) == 1 and bj[0]["title"] == ASK["title"] and PHONE in bj[0]["body"]
    for code in ("gd-gz", "central"):
        assert (
            api(code, tree["central_admin"]).get("/api/v1/queues/triage/").json()["results"] == []
        )
    assert api("gd", tree["gd_cadre"]).get("/api/v1/queues/team/").json()["results"] == []
    bad = api("gd", tree["gd_cadre"]).post(
        f"/api/v1/questions/{question['id']}/transfer/", {"to": "bj"}, format="json"
    )
    assert bad.status_code == 409


def test_attachments_are_checked_and_private(tree, api):
    youth = api("gd", tree["youth"])
    refused = youth.post(
        "/api/v1/questions/",
        {**ASK, "attachments": [io.BytesIO(b"not an image")]},
        format="multipart",
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid_file"
    with schema_context("gd"):
        assert not Question.objects.exists()
    made = youth.post("/api/v1/questions/", {**ASK, "attachments": [png()]}, format="multipart")
    assert made.status_code == 201
    with schema_context("gd"):
        attachment = Question.objects.get().attachments.get()
    url = f"/api/v1/questions/{made.json()['id']}/attachments/{attachment.pk}/"
    got = youth.get(url)
    assert got.status_code == 200 and got["Content-Type"] == "image/png"
    assert api("gd", tree["gd_cadre"]).get(url).status_code == 200
    other = User.objects.create_user("13911113333", "x")
    assert api("gd", other).get(url).status_code == 404
    assert api("gd").get(url).status_code == 401


def test_setup_is_read_by_staff_and_changed_by_admins(tree, api):
    admin, cadre = api("gd", tree["gd_admin"]), api("gd", tree["gd_cadre"])
    team = admin.post(
        "/api/v1/teams/", {"name": "心理服务联盟", "supervisor": tree["gd_cadre"].pk}, format="json"
    )
    assert team.status_code == 201, team.content
    team_id = team.json()["id"]
    member = admin.post(
        "/api/v1/members/",
        {
            "team": team_id,
            "user": tree["gd_expert"].pk,
            "kind": "expert",
            "organisation": "心理协会",
        },
        format="json",
    )
    assert member.status_code == 201
    assert (
        admin.post(
            "/api/v1/members/",
            {"team": team_id, "user": tree["gd_expert"].pk, "kind": "expert"},
            format="json",
        ).status_code
        == 400
    )
    rule = admin.post(
        "/api/v1/routing-rules/",
        {"category": "mental", "team": team_id, "strategy": "round_robin"},
        format="json",
    )
    assert rule.status_code == 201
    assert (
        admin.post(
            "/api/v1/routing-rules/", {"category": "mental", "team": team_id}, format="json"
        ).status_code
        == 400
    )
    assert admin.post("/api/v1/routing-rules/", {"team": team_id}, format="json").status_code == 400
    local = admin.post(
        "/api/v1/local-categories/",
        {"code": "exam", "name": "考试焦虑", "standard": "mental"},
        format="json",
    )
    assert local.status_code == 201
    assert (
        admin.post(
            "/api/v1/local-categories/",
            {"code": "mental", "name": "x", "standard": "mental"},
            format="json",
        ).status_code
        == 400
    )
    deadline = admin.post(
        "/api/v1/deadlines/",
        {"category": "mental", "first_response_s": 3600, "resolution_s": 86400},
        format="json",
    )
    assert deadline.status_code == 201
    assert (
        admin.post(
            "/api/v1/deadlines/",
            {"category": "study", "first_response_s": 86400, "resolution_s": 3600},
            format="json",
        ).status_code
        == 400
    )
    assert (
        admin.post("/api/v1/local-terms/", {"term": "某某传销"}, format="json").status_code == 201
    )
    for path in (
        "teams",
        "members",
        "routing-rules",
        "deadlines",
        "local-categories",
        "local-terms",
    ):
        assert cadre.get(f"/api/v1/{path}/").json()["count"] == 1
        assert cadre.post(f"/api/v1/{path}/", {}, format="json").status_code == 403
        assert api("gd", tree["youth"]).get(f"/api/v1/{path}/").status_code == 403
        assert api("gd").get(f"/api/v1/{path}/").status_code == 401
        assert api("bj", tree["bj_admin"]).get(f"/api/v1/{path}/").json()["count"] == 0
    term = admin.get("/api/v1/local-terms/").json()["results"][0]["id"]
    assert admin.delete(f"/api/v1/local-terms/{term}/").status_code == 204


def test_notifications_follow_the_account_across_portals(tree, api):
    alliance("gd", tree["gd_expert"])
    ask(api, tree)
    youth = api("bj", tree["youth"])  # read on another portal
    assert youth.get("/api/v1/notifications/unread/").json() == {"unread": 1}
    listed = youth.get("/api/v1/notifications/").json()["results"]
    assert listed[0]["kind"] == "routed" and listed[0]["link"].startswith("http://gd.localhost")
    assert "就业服务联盟" in listed[0]["text"]
    assert youth.post("/api/v1/notifications/read/", {"ids": "x"}, format="json").status_code == 400
    assert youth.post("/api/v1/notifications/read/", {}, format="json").json() == {"marked": 1}
    assert youth.get("/api/v1/notifications/unread/").json() == {"unread": 0}
    assert api("gd").get("/api/v1/notifications/").status_code == 401
    assert api("gd", tree["gd_cadre"]).get("/api/v1/notifications/").json()["count"] == 0
