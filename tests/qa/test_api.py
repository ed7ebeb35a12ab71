"""The questions API: asking, the archive, search, similar questions, masking, isolation."""

import pytest
from django_tenants.utils import schema_context

from qa import services
from qa.models import Question

PHONE = "13812345678"
BODY = f"实习单位三个月没发工资，联系我{PHONE}，邮箱 li.qing@example.com"


def _archived(tree, title, body="", **kwargs) -> Question:
    with schema_context("gd"):
        question = services.ask_question(asker=tree["youth"], title=title, body=body, **kwargs)
        Question.objects.filter(pk=question.pk).update(state=Question.State.ANSWERED)
    return question


def test_a_youth_asks_and_gets_the_classified_question_back(tree, api):
    answer = api("gd", tree["youth"]).post(
        "/api/v1/questions/", {"title": "实习单位拖欠工资怎么办", "body": BODY}, format="json"
    )
    assert answer.status_code == 201
    body = answer.json()
    assert (body["category"], body["state"]) == ("rights", "new")
    assert PHONE in body["body"]  # the asker sees what they wrote
    with schema_context("gd"):
        assert Question.objects.get(pk=body["id"]).asker == tree["youth"]


def test_asking_needs_an_account_and_a_title(tree, api):
    refused = api("gd").post("/api/v1/questions/", {"title": "怎么入团"}, format="json")
    assert refused.status_code == 401
    empty = api("gd", tree["youth"]).post("/api/v1/questions/", {"title": " "}, format="json")
    assert empty.status_code == 400
    assert empty.json()["error"]["code"] in {"invalid", "required"}


def test_the_archive_masks_personal_data_for_the_public(tree, api):
    question = _archived(tree, "实习单位拖欠工资怎么办", BODY)
    for client in (api("gd"), api("gd", tree["bj_cadre"])):
        listed = client.get("/api/v1/questions/").json()["results"]
        assert [q["id"] for q in listed] == [question.pk]
        shown = [listed[0]["body"], client.get(f"/api/v1/questions/{question.pk}/").json()["body"]]
        shown += [
            q["body"]
            for q in client.get("/api/v1/questions/similar/", {"title": "实习工资"}).json()
        ]
        for text in shown:
            assert PHONE not in text and "138****5678" in text
            assert "li.qing@example.com" not in text and "l***@example.com" in text


def test_the_asker_and_the_committees_staff_see_the_text_unmasked(tree, api):
    question = _archived(tree, "实习单位拖欠工资怎么办", BODY)
    mine = api("gd", tree["youth"]).get("/api/v1/questions/mine/").json()["results"]
    assert PHONE in mine[0]["body"]
    for who in ("youth", "gd_cadre", "gd_expert"):
        detail = api("gd", tree[who]).get(f"/api/v1/questions/{question.pk}/").json()
        assert PHONE in detail["body"]
        assert [event["kind"] for event in detail["timeline"]] == ["qa.asked"]
    for reader_from_above in ("auditor", "central_admin"):
        detail = api("gd", tree[reader_from_above]).get(f"/api/v1/questions/{question.pk}/")
        assert PHONE not in detail.json()["body"]


def test_an_anonymous_askers_name_is_shown_to_staff_only(tree, api):
    tree["youth"].name = "李小青"
    tree["youth"].save()
    question = _archived(tree, "心里很压抑不想说话", is_anonymous=True)
    public = api("gd").get(f"/api/v1/questions/{question.pk}/").json()
    assert "李小青" not in public["asker"] and public["is_anonymous"]
    staff = api("gd", tree["gd_cadre"]).get(f"/api/v1/questions/{question.pk}/").json()
    assert staff["asker"] == "李小青"


def test_unanswered_and_private_questions_stay_out_of_public_view(tree, api):
    with schema_context("gd"):
        waiting = services.ask_question(asker=tree["youth"], title="还没人回答的问题")
    private = _archived(tree, "不想公开的问题", is_public=False)
    for pk in (waiting.pk, private.pk):
        assert api("gd").get(f"/api/v1/questions/{pk}/").status_code == 404
        assert api("gd", tree["gz_cadre"]).get(f"/api/v1/questions/{pk}/").status_code == 404
        assert api("gd", tree["youth"]).get(f"/api/v1/questions/{pk}/").status_code == 200
        assert api("gd", tree["gd_expert"]).get(f"/api/v1/questions/{pk}/").status_code == 200
    assert api("gd").get("/api/v1/questions/").json()["count"] == 0


@pytest.mark.parametrize("who", [None, "youth", "bj_admin", "gd_admin"])
def test_a_question_is_not_reachable_through_another_committees_domain(tree, api, who):
    question = _archived(tree, "广东的问题", "只在广东")
    user = tree[who] if who else None
    assert api("bj", user).get(f"/api/v1/questions/{question.pk}/").status_code == 404
    assert api("bj", user).get("/api/v1/questions/").json()["count"] == 0
    assert api("gd-gz", user).get(f"/api/v1/questions/{question.pk}/").status_code == 404


def test_the_archive_is_searched_and_filtered(tree, api):
    transfer = _archived(tree, "团组织关系转接怎么办理", "从学校转到单位")
    _archived(tree, "考研复试怎么准备")
    found = api("gd").get("/api/v1/questions/", {"q": "团组织关系转接"}).json()
    assert [q["id"] for q in found["results"]] == [transfer.pk]
    by_category = api("gd").get("/api/v1/questions/", {"category": "league"}).json()
    assert [q["id"] for q in by_category["results"]] == [transfer.pk]
