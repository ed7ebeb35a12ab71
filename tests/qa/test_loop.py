"""The question loop in one committee: routing, answers, follow-ups, closure, moderation."""

import pytest
from django_tenants.utils import schema_context

from casework.models import LocalCategory, Member, RoutingRule, Team
from core.errors import ServiceError
from core.models import Notification
from franchise.models import TrainingExample
from qa import selectors, services
from qa.models import Question
from ratings.models import Rating

from .helpers import alliance

JOB = {"title": "应届生找工作被要求交培训费正常吗", "body": "面试通过后让先交三千元培训费"}


def ask(tree, code="gd", **kwargs) -> Question:
    kwargs = {"asker": tree["youth"], **JOB, **kwargs}
    with schema_context(code):
        return services.ask_question(**kwargs)


def kinds(code: str, question: Question) -> list[str]:
    with schema_context(code):
        return list(question.timeline.values_list("kind", flat=True))


def fresh(code: str, question: Question) -> Question:
    with schema_context(code):
        return Question.objects.get(pk=question.pk)


def test_a_question_is_routed_by_its_category_to_the_least_loaded_member(tree):
    team = alliance("gd", tree["gd_expert"], tree["gd_org"])
    first, second = ask(tree), ask(tree)
    assert (first.state, first.team_id) == ("routed", team.pk)
    assert {first.assignee_id, second.assignee_id} == {tree["gd_expert"].pk, tree["gd_org"].pk}
    assert kinds("gd", first) == ["qa.asked", "qa.routed"]
    assert first.respond_by and first.resolve_by and first.respond_by < first.resolve_by
    told = Notification.objects.filter(user=tree["youth"], kind="routed")
    assert told.count() == 2 and "就业服务联盟" in told.first().data["team"]
    assert Notification.objects.filter(user=first.assignee_id, kind="assigned").exists()


def test_round_robin_takes_turns_and_a_queue_rule_waits_for_a_claim(tree):
    alliance("gd", tree["gd_expert"], tree["gd_org"], strategy="round_robin")
    assignees = [ask(tree).assignee_id for _ in range(4)]
    assert assignees[0] != assignees[1] and assignees[:2] == assignees[2:]
    with schema_context("gd"):
        RoutingRule.objects.update(strategy="queue")
    waiting = ask(tree)
    assert waiting.state == "routed" and waiting.assignee_id is None
    with schema_context("gd"):
        with pytest.raises(ServiceError):  # not a member
            services.claim(
                question=waiting,
                user=tree["gd_admin"].__class__.objects.create_user("13912345678", "x"),
            )
        claimed = services.claim(question=waiting, user=tree["gd_expert"])
        assert claimed.assignee_id == tree["gd_expert"].pk
        assert selectors.my_queue(tree["gd_expert"]).filter(pk=waiting.pk).exists()


def test_a_local_sub_category_has_its_own_rule_and_maps_to_a_standard_code(tree):
    alliance("gd", tree["gd_expert"])
    with schema_context("gd"):
        internships = Team.objects.create(name="实习服务队")
        Member.objects.create(team=internships, user=tree["gd_org"], kind="organisation")
        local = LocalCategory.objects.create(code="internship", name="实习", standard_id="career")
        RoutingRule.objects.create(local_category=local, team=internships, strategy="round_robin")
    question = ask(tree, category="internship")
    assert question.category_id == "career" and question.local_category_id == local.pk
    assert question.team_id == internships.pk and question.assignee_id == tree["gd_org"].pk


def test_without_a_rule_a_question_waits_in_triage_until_reclassified(tree):
    alliance("gd", tree["gd_expert"], category="league")
    question = ask(tree)
    assert (question.state, question.team_id) == ("new", None)
    with schema_context("gd"):
        assert list(selectors.triage_queue()) == [question]
        services.reclassify(question=question, actor=tree["gd_cadre"], category="league")
        question.refresh_from_db()
    assert question.state == "routed" and question.assignee_id == tree["gd_expert"].pk
    example = TrainingExample.objects.get()
    assert (example.category_id, example.committee_code, example.title) == (
        "league",
        "gd",
        JOB["title"],
    )
    assert kinds("gd", question) == ["qa.asked", "qa.classified", "qa.routed"]


def test_every_waiting_question_is_in_exactly_one_queue(tree):
    alliance("gd", tree["gd_expert"], strategy="queue")
    routed, triaged = ask(tree), ask(tree, title="团费怎么交", body="")
    held = ask(tree, title="有人拉我做刷单返利", body="")
    with schema_context("gd"):
        services.claim(question=routed, user=tree["gd_expert"])
        queues = {
            name: set(
                selectors.queue(name, tree["gd_cadre"], every_team=True).values_list(
                    "pk", flat=True
                )
            )
            for name in ("team", "triage", "review")
        }
    assert queues == {"team": {routed.pk}, "triage": {triaged.pk}, "review": {held.pk}}


def test_the_whole_loop_answer_solve_rate(tree):
    alliance("gd", tree["gd_expert"])
    question = ask(tree)
    with schema_context("gd"):
        reply = services.answer(
            question=question, author=tree["gd_expert"], body="这是违规收费，可以向人社部门投诉。"
        )
        assert (reply.author_kind, reply.organisation) == ("expert", "人社局")
        question.refresh_from_db()
        assert question.state == "answered" and question.first_answered_at
        with pytest.raises(ServiceError) as refused:
            services.solve(question=question, asker=tree["gd_expert"])
        assert refused.value.code == "not_asker"
        services.solve(question=question, asker=tree["youth"])
        with pytest.raises(ServiceError) as refused:
            services.rate(question=question, rater=tree["gd_expert"], stars=5)
        assert refused.value.code == "not_served"
        services.rate(question=question, rater=tree["youth"], stars=4, comment="很及时")
        with pytest.raises(ServiceError) as refused:
            services.rate(question=question, rater=tree["youth"], stars=5)
        assert refused.value.code == "already_rated"
        assert Rating.objects.get().stars == 4
        assert selectors.search_archive("培训费").filter(pk=question.pk).exists()
    assert kinds("gd", question) == [
        "qa.asked",
        "qa.routed",
        "qa.answered",
        "qa.solved",
        "qa.rated",
    ]
    assert Notification.objects.filter(user=tree["youth"], kind="answered").exists()


def test_a_follow_up_reopens_the_question_for_its_team(tree):
    alliance("gd", tree["gd_expert"])
    question = ask(tree)
    with schema_context("gd"):
        services.answer(question=question, author=tree["gd_expert"], body="可以投诉。")
        services.follow_up(question=question, asker=tree["youth"], body="去哪里投诉？")
        question.refresh_from_db()
        assert question.state == "routed" and question.assignee_id == tree["gd_expert"].pk
        assert selectors.my_queue(tree["gd_expert"]).filter(pk=question.pk).exists()
        with pytest.raises(ServiceError):
            services.follow_up(question=question, asker=tree["gd_expert"], body="我也问")
    assert kinds("gd", question)[-1] == "qa.reopened"
    assert Notification.objects.filter(user=tree["gd_expert"], kind="follow_up").exists()


def test_peer_answers_are_marked_and_do_not_close_the_teams_work(tree):
    alliance("gd", tree["gd_expert"])
    question = ask(tree)
    peer = tree["youth"].__class__.objects.create_user("13911112222", "x", name="热心青年")
    with schema_context("gd"):
        reply = services.answer(question=question, author=peer, body="我遇到过，直接拒绝。")
        question.refresh_from_db()
        assert reply.is_peer and question.state == "routed"
        with pytest.raises(ServiceError):
            services.answer(question=question, author=tree["youth"], body="自己答")
        services.dislike(reply=reply, user=tree["youth"])
        reply.refresh_from_db()
        assert reply.is_unhelpful
        with pytest.raises(ServiceError):
            services.dislike(reply=reply, user=peer)


def test_sensitive_answers_and_questions_wait_for_review(tree):
    alliance("gd", tree["gd_expert"])
    held = ask(tree, title="有人拉我做刷单返利", body="靠谱吗", category="career")
    with schema_context("gd"):
        assert not selectors.is_published(held)
        services.release(question=held, actor=tree["gd_cadre"])
        held.refresh_from_db()
        assert held.state == "routed"  # released, then routed by its rule
        reply = services.answer(question=held, author=tree["gd_expert"], body="办假证是违法的")
        assert reply.state == "pending_review"
        held.refresh_from_db()
        assert held.state == "routed"
        assert list(selectors.review_replies()) == [reply]
        services.release(reply=reply, actor=tree["gd_cadre"])
        held.refresh_from_db()
        assert held.state == "answered"
        rejected = services.ask_question(asker=tree["youth"], title="网络赌博怎么赢", body="")
        services.reject(question=rejected, actor=tree["gd_cadre"], reason="违法")
        rejected.refresh_from_db()
        assert (rejected.state, rejected.is_public) == ("closed", False)
        with pytest.raises(ServiceError):
            services.release(question=rejected, actor=tree["gd_cadre"])
    assert Notification.objects.filter(user=tree["youth"], kind="rejected").exists()


def test_a_committees_local_terms_are_screened_too(tree):
    from casework.models import LocalTerm

    with schema_context("gd"):
        LocalTerm.objects.create(term="某某传销")
    assert ask(tree, title="朋友拉我加入某某传销").state == "pending_review"
    assert ask(tree, "bj", title="朋友拉我加入某某传销").state == "new"


def test_route_and_assign_check_the_team(tree):
    team = alliance("gd", tree["gd_expert"], strategy="queue")
    other = alliance("gd", tree["gd_org"], category="study", name="学业帮帮团", kind="organisation")
    question = ask(tree)
    with schema_context("gd"):
        with pytest.raises(ServiceError):
            services.route(
                question=question, actor=tree["gd_cadre"], team=other, assignee=tree["gd_expert"]
            )
        services.route(
            question=question, actor=tree["gd_cadre"], team=other, assignee=tree["gd_org"]
        )
        question.refresh_from_db()
        assert (question.team_id, question.assignee_id) == (other.pk, tree["gd_org"].pk)
        with pytest.raises(ServiceError):
            services.assign(question=question, actor=tree["gd_expert"], assignee=tree["gd_org"])
        services.route(question=question, actor=tree["gd_cadre"], team=team)
        services.assign(question=question, actor=tree["gd_cadre"], assignee=tree["gd_expert"])
        question.refresh_from_db()
        assert question.assignee_id == tree["gd_expert"].pk
        services.close(question=question, actor=tree["gd_cadre"], reason="重复")
        with pytest.raises(ServiceError):
            services.claim(question=question, user=tree["gd_expert"])
