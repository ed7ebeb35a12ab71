"""Transferring a question to another committee through the outbox, and following it."""

import pytest
from django.utils import translation
from django_tenants.utils import schema_context

from core.errors import ServiceError
from core.models import Notification
from qa import selectors, services
from qa.models import Question, Reply
from tenants import outbox
from tenants.models import OutboxMessage

from .helpers import alliance

BEIJING_JOB = {
    "title": "在北京找的实习单位拖欠工资怎么办",
    "body": "我是广东的学生，实习单位在北京海淀",
}


def kinds(code, question):
    with schema_context(code):
        return list(Question.objects.get(pk=question.pk).timeline.values_list("kind", flat=True))


def transferred(tree):
    alliance("gd", tree["gd_expert"], category="rights")
    alliance("bj", tree["bj_cadre"], category="rights", name="北京权益服务联盟", kind="cadre")
    with schema_context("gd"):
        question = services.ask_question(asker=tree["youth"], category="rights", **BEIJING_JOB)
        services.transfer(question=question, actor=tree["gd_cadre"], to="bj", note="单位在北京")
    assert outbox.deliver() >= 1
    with schema_context("bj"):
        copy = Question.objects.get(origin_committee="gd", origin_id=question.pk)
    return question, copy


def test_a_transferred_question_joins_the_targets_queue_with_its_timeline(tree):
    question, copy = transferred(tree)
    assert kinds("bj", copy) == [
        "qa.asked",
        "qa.routed",
        "qa.transferred_out",
        "qa.transferred_in",
        "qa.routed",
    ]
    assert (copy.state, copy.assignee_id, copy.asker_id) == (
        "routed",
        tree["bj_cadre"].pk,
        tree["youth"].pk,
    )
    with schema_context("bj"):
        assert selectors.my_queue(tree["bj_cadre"]).filter(pk=copy.pk).exists()
    with schema_context("gd"):
        original = Question.objects.get(pk=question.pk)
        assert original.transferred_to == "bj" and original.team_id is None
        for name in ("mine", "team", "triage", "overdue"):
            assert (
                not selectors.queue(name, tree["gd_cadre"], every_team=True)
                .filter(pk=question.pk)
                .exists()
            )
        with pytest.raises(ServiceError) as refused:
            services.answer(question=original, author=tree["gd_expert"], body="我们来答")
        assert refused.value.code == "transferred"
    assert Notification.objects.filter(user=tree["youth"], kind="transferred").exists()


def test_the_asker_follows_it_where_they_asked(tree):
    question, copy = transferred(tree)
    outbox.deliver()  # the events recorded on bj come back to gd
    with schema_context("bj"):
        services.answer(
            question=copy, author=tree["bj_cadre"], body="可以向海淀区劳动监察大队投诉。"
        )
    outbox.deliver()
    with schema_context("gd"):
        original = Question.objects.get(pk=question.pk)
        assert original.state == "answered"
        answer = original.replies.get()
        assert answer.body.startswith("可以向海淀区") and answer.author_kind == "cadre"
        assert answer.origin_ref.startswith("bj:")
        services.dislike(reply=answer, user=tree["youth"])
        services.solve(question=original, asker=tree["youth"])
        services.rate(question=original, rater=tree["youth"], stars=5)
    outbox.deliver()
    with schema_context("bj"):
        copy.refresh_from_db()
        assert copy.state == "solved" and Reply.objects.get().is_unhelpful
    gd_kinds, bj_kinds = kinds("gd", question), kinds("bj", copy)
    assert gd_kinds[-3:] == ["qa.disliked", "qa.solved", "qa.rated"]
    assert bj_kinds[-4:] == ["qa.answered", "qa.disliked", "qa.solved", "qa.rated"]
    assert Notification.objects.filter(user=tree["youth"], kind="answered").count() == 1


def test_delivery_is_exactly_once_and_a_failure_waits_and_retries(tree):
    question, copy = transferred(tree)
    assert outbox.deliver() >= 0
    OutboxMessage.objects.update(delivered_at=None, next_attempt_at=None)  # replay everything
    outbox.deliver()
    with schema_context("bj"):
        assert Question.objects.filter(origin_id=question.pk).count() == 1
    broken = OutboxMessage.objects.create(topic="qa.mirror", sender="gd", receiver="bj", payload={})
    later = OutboxMessage.objects.create(
        topic="qa.supervision_cleared",
        sender="gd",
        receiver="bj",
        payload={"committee_code": "gd", "question_id": 1},
    )
    assert outbox.deliver() == 0
    broken.refresh_from_db(), later.refresh_from_db()
    assert broken.attempts == 1 and broken.last_error and broken.next_attempt_at
    assert later.delivered_at is None  # waits behind the failed message to the same committee


def test_transfer_is_refused_to_itself_unknown_or_back_where_it_came_from(tree):
    question, copy = transferred(tree)
    with schema_context("bj"):
        for target in ("bj", "nowhere", "gd"):
            with pytest.raises(ServiceError) as refused:
                services.transfer(question=copy, actor=tree["bj_cadre"], to=target)
            assert refused.value.field == "to"


def test_a_second_transfer_is_refused_naming_the_committee_it_went_to(tree):
    question, _copy = transferred(tree)
    with schema_context("gd"):
        with pytest.raises(ServiceError) as refused:
            services.transfer(question=question, actor=tree["gd_cadre"], to="gd-gz")
        assert refused.value.code == "transferred" and refused.value.status == 409
        assert refused.value.message == "已转接至共青团北京市委，由对方办理。"
        with translation.override("en"), pytest.raises(ServiceError) as in_english:
            services.transfer(question=question, actor=tree["gd_cadre"], to="gd-gz")
        assert in_english.value.message == (
            "This was transferred to 共青团北京市委 and is handled there."
        )
        # A committee no longer in the directory is still named by its code.
        Question.objects.filter(pk=question.pk).update(transferred_to="gone")
        question.refresh_from_db()
        with pytest.raises(ServiceError) as gone:
            services.transfer(question=question, actor=tree["gd_cadre"], to="gd-gz")
        assert gone.value.message == "已转接至gone，由对方办理。"
        question.refresh_from_db()
    assert question.transferred_to == "gone"
