"""The whole question loop through the API, with a real Celery worker doing the work that
happens after the request: delivering a transfer to another committee and the answer back,
and supervising deadlines."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from casework.models import Member, RoutingRule, SupervisionItem, Team
from casework.tasks import supervise_deadlines
from qa.models import Question
from tests import factories
from tests.e2e.test_celery_worker import worker  # noqa: F401 - the worker fixture


def eventually(check, what: str, process, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"the worker did not {what} within {seconds:.0f} s")


def team(code: str, name: str, category: str, user) -> None:
    with schema_context(code):
        made = Team.objects.create(name=name)
        Member.objects.create(team=made, user=user, kind="cadre")
        RoutingRule.objects.create(category_id=category, team=made)


@pytest.mark.slow
def test_ask_classify_route_answer_solve_rate_and_a_transfer(committed_tree, api, worker):  # noqa: F811
    youth = factories.account(name="小青")
    gd_cadre = factories.staff(committed_tree["gd"], "cadre")
    bj_cadre = factories.staff(committed_tree["bj"], "cadre")
    team("gd", "就业服务联盟", "career", gd_cadre)
    team("bj", "北京权益服务联盟", "rights", bj_cadre)
    asker, gd_staff, bj_staff = api("gd", youth), api("gd", gd_cadre), api("bj", bj_cadre)

    # Asked without a category: classified and routed to the right alliance.
    asked = asker.post(
        "/api/v1/questions/",
        {"title": "应届生找工作被要求先交培训费正常吗", "body": "面试通过后让先交三千元"},
        format="json",
    ).json()
    assert (asked["category"], asked["state"]) == ("career", "routed")
    queue = gd_staff.get("/api/v1/queues/mine/").json()["results"]
    assert [q["id"] for q in queue] == [asked["id"]]
    url = f"/api/v1/questions/{asked['id']}/"
    assert (
        gd_staff.post(
            url + "answers/", {"body": "这是违规收费，请拨打12333。"}, format="json"
        ).json()["state"]
        == "answered"
    )
    assert asker.post(url + "solve/").json()["state"] == "solved"
    assert asker.post(url + "rating/", {"stars": 5}, format="json").status_code == 200
    found = api("gd").get("/api/v1/questions/", {"q": "培训费"}).json()["results"]
    assert [q["id"] for q in found] == [asked["id"]]

    # A question about Beijing, transferred there: the worker delivers it, then the answer back.
    other = asker.post(
        "/api/v1/questions/",
        {"title": "在北京实习被拖欠工资怎么办", "body": "单位在海淀", "category": "career"},
        format="json",
    ).json()
    moved = gd_staff.post(f"/api/v1/questions/{other['id']}/transfer/", {"to": "bj"}, format="json")
    assert moved.status_code == 200
    arrived = eventually(
        lambda: bj_staff.get("/api/v1/queues/triage/").json()["results"],
        "deliver the transfer",
        worker,
    )
    copy = arrived[0]
    bj_staff.post(
        f"/api/v1/questions/{copy['id']}/reclassify/", {"category": "rights"}, format="json"
    )
    bj_staff.post(
        f"/api/v1/questions/{copy['id']}/answers/",
        {"body": "可向海淀区劳动监察投诉。"},
        format="json",
    )
    followed = eventually(
        lambda: (
            (q := asker.get(f"/api/v1/questions/{other['id']}/").json())["state"] == "answered"
            and q
        ),
        "bring the answer back",
        worker,
    )
    assert followed["replies"][0]["body"] == "可向海淀区劳动监察投诉。"
    with schema_context("gd"):
        assert not Question.objects.filter(origin_committee="bj").exists()  # nothing copied back

    # Supervision: a late question is escalated to the parent's board by the worker.
    late = asker.post(
        "/api/v1/questions/",
        {"title": "求职时被要求交押金怎么办", "category": "career"},
        format="json",
    ).json()
    with schema_context("gd"):
        past = timezone.now() - timedelta(hours=1)
        Question.objects.filter(pk=late["id"]).update(respond_by=past, resolve_by=past)
        supervise_deadlines.delay()

    def on_the_board():
        with schema_context("central"):
            return SupervisionItem.objects.filter(
                committee_code="gd", subject_id=late["id"]
            ).first()

    item = eventually(on_the_board, "put the late question on the parent's board", worker)
    assert item.title == "求职时被要求交押金怎么办" and item.resolved_at is None
