"""吐槽我们 over the API and on its pages: a youth writes and reads their own, the staff read
every one and the figures, the cadres and admins answer and adopt; every endpoint refuses
anonymous callers, another committee's staff and the wrong roles, in the one error shape."""

import pytest
from django_tenants.utils import schema_context

from suggestions import services
from suggestions.models import Suggestion
from tests import factories
from tests.core.helpers import assert_error

SUGGESTIONS = "/api/v1/suggestions/"


def send(client, method, path, data=None):
    return getattr(client, method)(path, data, format="json")


def refused_to_strangers(api, tree, method, path, data=None, *, code="permission_denied"):
    """Anonymous on gd's portal: 401; Beijing's cadre there: 403; the same path asked on
    Beijing's portal of a suggestion of gd's: 404 (the schemas are apart)."""
    assert_error(send(api("gd"), method, path, data), 401, "not_authenticated")
    assert_error(send(api("gd", tree["bj_cadre"]), method, path, data), 403, code)


def written(tree, body="留言板加载太慢") -> Suggestion:
    with schema_context("gd"):
        return services.submit(youth=tree["youth"], body=body)


def test_a_youth_writes_and_reads_only_their_own(tree, api):
    made = api("gd", tree["youth"]).post(SUGGESTIONS, {"body": "首页太乱了"}, format="json")
    assert made.status_code == 201, made.content
    assert (made.json()["body"], made.json()["state"]) == ("首页太乱了", "open")
    assert "youth" not in made.json()
    api("gd", factories.account()).post(SUGGESTIONS, {"body": "别人的"}, format="json")
    mine = api("gd", tree["youth"]).get(f"{SUGGESTIONS}mine/").json()
    assert [s["body"] for s in mine["results"]] == ["首页太乱了"]
    assert api("bj", tree["youth"]).get(f"{SUGGESTIONS}mine/").json()["results"] == []
    assert_error(
        api("gd").post(SUGGESTIONS, {"body": "匿名"}, format="json"), 401, "not_authenticated"
    )
    assert_error(api("gd").get(f"{SUGGESTIONS}mine/"), 401, "not_authenticated")


@pytest.mark.parametrize(
    ("body", "field"), [({}, "body"), ({"body": "   "}, "body"), ({"body": "长" * 1001}, "body")]
)
def test_a_bad_suggestion_is_refused_and_nothing_is_kept(tree, api, body, field):
    answer = api("gd", tree["youth"]).post(SUGGESTIONS, body, format="json")
    assert answer.status_code == 400, answer.content
    assert field in answer.json()["error"]["fields"]
    with schema_context("gd"):
        assert not Suggestion.objects.exists()


def test_the_staff_read_every_suggestion_and_the_figures_and_others_may_not(tree, api):
    made = written(tree)
    for reader in ("gd_cadre", "gd_admin", "gd_expert", "central_admin", "auditor"):
        listed = api("gd", tree[reader]).get(SUGGESTIONS)
        assert listed.status_code == 200, (reader, listed.content)
        [row] = listed.json()["results"]
        assert (row["id"], row["youth"]) == (made.pk, tree["youth"].pk)
    assert (
        api("gd", tree["gd_cadre"]).get(SUGGESTIONS, {"state": "adopted"}).json()["results"] == []
    )
    bad = api("gd", tree["gd_cadre"]).get(SUGGESTIONS, {"state": "gone"})
    assert "state" in assert_error(bad, 400, "invalid")["fields"]
    assert_error(api("gd", tree["youth"]).get(SUGGESTIONS), 403, "permission_denied")
    refused_to_strangers(api, tree, "get", SUGGESTIONS)
    figures = api("gd", tree["gd_cadre"]).get(f"{SUGGESTIONS}figures/").json()
    assert figures == {"received": 1, "answered": 0, "adopted": 0, "adoption_rate": 0.0}
    assert_error(api("gd", tree["youth"]).get(f"{SUGGESTIONS}figures/"), 403, "permission_denied")
    refused_to_strangers(api, tree, "get", f"{SUGGESTIONS}figures/")


def test_the_cadres_answer_and_adopt_and_no_one_else(tree, api):
    made = written(tree)
    answer, adopt = f"{SUGGESTIONS}{made.pk}/answer/", f"{SUGGESTIONS}{made.pk}/adopt/"
    for who in ("youth", "gd_expert", "gd_org", "central_admin", "auditor"):
        refused = api("gd", tree[who]).post(answer, {"text": "好"}, format="json")
        assert refused.status_code == 403, (who, refused.content)
    refused_to_strangers(api, tree, "post", answer, {"text": "好"})
    assert_error(
        api("bj", tree["bj_cadre"]).post(answer, {"text": "好"}, format="json"), 404, "not_found"
    )
    cadre = api("gd", tree["gd_cadre"])
    early = cadre.post(adopt, {"change": "加快加载"}, format="json")
    assert_error(early, 409, "not_answered")
    empty = cadre.post(answer, {"text": " "}, format="json")
    assert "answer" in assert_error(empty, 400, "required")["fields"]
    done = cadre.post(answer, {"text": "已优化服务器。"}, format="json")
    assert done.status_code == 200, done.content
    assert (done.json()["state"], done.json()["answer"]) == ("answered", "已优化服务器。")
    assert_error(cadre.post(answer, {"text": "再答"}, format="json"), 409, "answered")
    adopted = cadre.post(adopt, {"change": "留言板加载提速"}, format="json")
    assert adopted.status_code == 200 and adopted.json()["state"] == "adopted"
    assert_error(
        cadre.post(f"{SUGGESTIONS}999999/answer/", {"text": "好"}, format="json"), 404, "not_found"
    )
    mine = api("gd", tree["youth"]).get(f"{SUGGESTIONS}mine/").json()["results"][0]
    assert (mine["answer"], mine["change"]) == ("已优化服务器。", "留言板加载提速")


def test_a_youth_roasts_on_the_page_and_the_staff_answer_there(tree, web):
    page = web("gd").get("/roast/")
    assert page.status_code == 200 and 'data-testid="login-to-roast"' in page.text
    assert 'data-testid="roast-link"' in web("gd").get("/").text  # in plain sight
    youth = web("gd", tree["youth"])
    empty = youth.post("/roast/", {"body": " "})
    assert empty.status_code == 400 and "请写下你想对我们说的话" in empty.text
    sent = youth.post("/roast/", {"body": "活动报名页在手机上看不全"})
    assert sent.status_code == 302
    with schema_context("gd"):
        made = Suggestion.objects.get()
    assert "活动报名页在手机上看不全" in youth.get("/roast/").text

    assert web("gd", tree["youth"]).get("/workbench/suggestions/").status_code == 403
    cadre = web("gd", tree["gd_cadre"])
    listed = cadre.get("/workbench/suggestions/")
    assert listed.status_code == 200 and "活动报名页在手机上看不全" in listed.text
    cadre.post("/workbench/suggestions/", {"pk": made.pk, "action": "answer", "text": "马上修。"})
    cadre.post(
        "/workbench/suggestions/", {"pk": made.pk, "action": "adopt", "change": "报名页适配手机"}
    )
    with schema_context("gd"):
        assert Suggestion.objects.get().state == "adopted"
    shown = youth.get("/roast/").text
    assert "马上修。" in shown and "报名页适配手机" in shown
    reader = web("gd", tree["central_admin"])
    assert reader.get("/workbench/suggestions/").status_code == 200
    refused = reader.post(
        "/workbench/suggestions/", {"pk": made.pk, "action": "answer", "text": "x"}
    )
    assert refused.status_code == 403
