"""The question pages: the youth's question page and the staff workbench."""

from django_tenants.utils import schema_context

from casework import deadlines
from casework.models import LocalTerm, Member, RoutingRule, Team
from qa import services
from qa.models import Question

from .helpers import alliance

PHONE = "13812345678"
ASK = {
    "title": "应届生找工作被要求交培训费正常吗",
    "body": f"面试通过后让先交三千元培训费，联系我{PHONE}",
}


def asked(tree, code="gd", **extra) -> Question:
    with schema_context(code):
        return services.ask_question(asker=tree["youth"], **{**ASK, **extra})


def test_staff_answer_on_the_workbench_and_the_youth_solves_and_rates(tree, web):
    alliance("gd", tree["gd_expert"])
    question = asked(tree)
    expert = web("gd", tree["gd_expert"])
    queue = expert.get("/workbench/questions/")
    assert queue.status_code == 200 and ASK["title"] in queue.content.decode()
    page = expert.get(f"/workbench/questions/{question.pk}/").content.decode()
    assert PHONE in page and "就业服务联盟" in page
    expert.post(
        f"/workbench/questions/{question.pk}/", {"action": "answer", "body": "这是违规收费。"}
    )
    youth = web("gd", tree["youth"])
    mine = youth.get(f"/questions/{question.pk}/").content.decode()
    assert "这是违规收费" in mine and "人社局" in mine and 'data-testid="solve"' in mine
    youth.post(f"/questions/{question.pk}/", {"action": "solve"})
    youth.post(f"/questions/{question.pk}/", {"action": "rate", "stars": "4", "comment": "及时"})
    with schema_context("gd"):
        question.refresh_from_db()
        assert question.state == "solved"
        assert list(question.timeline.values_list("kind", flat=True))[-2:] == [
            "qa.solved",
            "qa.rated",
        ]
    assert 'data-testid="my-rating"' in youth.get(f"/questions/{question.pk}/").content.decode()
    public = web("gd").get(f"/questions/{question.pk}/").content.decode()
    assert PHONE not in public and "138****5678" in public


def test_a_refused_action_is_shown_not_lost(tree, web):
    alliance("gd", tree["gd_expert"])
    question = asked(tree)
    youth = web("gd", tree["youth"])
    shown = youth.post(
        f"/questions/{question.pk}/", {"action": "solve"}, follow=True
    ).content.decode()
    assert 'class="error"' in shown


def test_workbench_pages_need_staff_of_this_committee(tree, web):
    question = asked(tree)
    for path in (
        "/workbench/questions/",
        f"/workbench/questions/{question.pk}/",
        "/workbench/supervision/",
        "/workbench/setup/",
    ):
        assert web("gd").get(path).status_code == 302
        assert web("gd", tree["youth"]).get(path).status_code == 403
        assert web("gd", tree["bj_admin"]).get(path).status_code == 403
        assert web("gd", tree["auditor"]).get(path).status_code == 200
    read_only = web("gd", tree["auditor"])
    assert PHONE not in read_only.get(f"/workbench/questions/{question.pk}/").content.decode()
    assert (
        read_only.post(f"/workbench/questions/{question.pk}/", {"action": "close"}).status_code
        == 403
    )
    assert (
        web("bj", tree["bj_cadre"]).get(f"/workbench/questions/{question.pk}/").status_code == 404
    )


def test_triage_reclassify_and_transfer_on_the_workbench(tree, web):
    question = asked(tree)
    cadre = web("gd", tree["gd_cadre"])
    assert ASK["title"] in cadre.get("/workbench/questions/?queue=triage").content.decode()
    cadre.post(
        f"/workbench/questions/{question.pk}/", {"action": "reclassify", "category": "rights"}
    )
    cadre.post(
        f"/workbench/questions/{question.pk}/", {"action": "transfer", "to": "bj", "note": "北京"}
    )
    with schema_context("gd"):
        question.refresh_from_db()
        assert (question.category_id, question.transferred_to) == ("rights", "bj")
    refused = cadre.post(
        f"/workbench/questions/{question.pk}/",
        {"action": "close", "confirm": "yes"},
        follow=True,
    )
    assert f"已转接至{tree.bj.name}" in refused.content.decode()


def test_review_on_the_workbench(tree, web):
    held = asked(tree, title="有人拉我做刷单返利", body="")
    expert, cadre = web("gd", tree["gd_expert"]), web("gd", tree["gd_cadre"])
    assert held.title in cadre.get("/workbench/questions/?queue=review").content.decode()
    assert expert.post(f"/workbench/questions/{held.pk}/", {"action": "release"}).status_code == 403
    cadre.post(f"/workbench/questions/{held.pk}/", {"action": "release"})
    with schema_context("gd"):
        held.refresh_from_db()
        assert held.state == "new"


def test_setup_page_adds_teams_members_rules_deadlines_and_terms(tree, web):
    admin = web("gd", tree["gd_admin"])
    admin.post(
        "/workbench/setup/",
        {"action": "add:team", "team-name": "心理服务联盟", "team-kind": "alliance"},
    )
    with schema_context("gd"):
        team = Team.objects.get()
    admin.post(
        "/workbench/setup/",
        {
            "action": "add:member",
            "member-team": team.pk,
            "member-phone": tree["gd_expert"].phone,
            "member-kind": "expert",
            "member-organisation": "心理协会",
        },
    )
    admin.post(
        "/workbench/setup/",
        {
            "action": "add:rule",
            "rule-category": "mental",
            "rule-team": team.pk,
            "rule-strategy": "round_robin",
        },
    )
    admin.post(
        "/workbench/setup/",
        {
            "action": "add:deadline",
            "deadline-category": "mental",
            "deadline-first_response_days": "0.5",
            "deadline-resolution_days": "2",
        },
    )
    admin.post("/workbench/setup/", {"action": "add:term", "term-term": "某某传销"})
    twice = admin.post(
        "/workbench/setup/",
        {
            "action": "add:rule",
            "rule-category": "mental",
            "rule-team": team.pk,
            "rule-strategy": "queue",
        },
    )
    assert twice.status_code == 200 and 'role="alert"' in twice.content.decode()
    with schema_context("gd"):
        assert Member.objects.get().user == tree["gd_expert"]
        assert RoutingRule.objects.get().strategy == "round_robin"
        assert deadlines.windows_for("mental") == deadlines.Windows(43200, 2 * 86400)
        assert LocalTerm.objects.get().term == "某某传销"
    assert (
        web("gd", tree["gd_cadre"])
        .post("/workbench/setup/", {"action": "add:term", "term-term": "x"})
        .status_code
        == 403
    )
    page = web("gd", tree["gd_cadre"]).get("/workbench/setup/").content.decode()
    assert "心理服务联盟" in page and 'data-testid="read-only"' in page


def test_notifications_page_lists_and_marks_read(tree, web):
    alliance("gd", tree["gd_expert"])
    asked(tree)
    youth = web("gd", tree["youth"])
    assert 'data-testid="unread">1<' in youth.get("/").content.decode()
    page = youth.get("/notifications/").content.decode()
    assert "就业服务联盟" in page
    assert 'data-testid="unread"' not in youth.get("/").content.decode()
