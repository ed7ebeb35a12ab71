"""Deadlines (督办): overdue items are flagged, late ones go on the parent's board."""

from datetime import timedelta

import time_machine
from django.utils import timezone
from django_tenants.utils import schema_context

from core.models import Notification
from qa import selectors, services
from qa.models import Deadline, Question, SupervisionItem
from tenants import outbox

from .helpers import alliance


def test_overdue_then_escalated_to_the_parents_board_then_cleared(tree):
    alliance(
        "gd-gz", tree["gz_cadre"], category="mental", supervisor=tree["gz_cadre"], kind="cadre"
    )
    start = timezone.now()
    with schema_context("gd_gz"):
        Deadline.objects.create(category_id="mental", first_response_s=3600, resolution_s=86400)
        question = services.ask_question(
            asker=tree["youth"],
            title="最近总是失眠焦虑怎么办",
            body="我的手机13912345678",
            category="mental",
        )
        assert question.respond_by - start < timedelta(hours=1, minutes=1)
    with time_machine.travel(start + timedelta(minutes=59), tick=False), schema_context("gd_gz"):
        assert services.supervise() == {"overdue": 0, "escalated": 0}
    with time_machine.travel(start + timedelta(hours=2), tick=False), schema_context("gd_gz"):
        assert services.supervise() == {"overdue": 1, "escalated": 0}
        assert services.supervise() == {"overdue": 0, "escalated": 0}  # once only
        assert list(selectors.overdue()) == [Question.objects.get(pk=question.pk)]
    assert Notification.objects.filter(user=tree["gz_cadre"], kind="overdue").exists()
    with time_machine.travel(start + timedelta(days=1, hours=1), tick=False):
        with schema_context("gd_gz"):
            assert services.supervise() == {"overdue": 0, "escalated": 1}
        outbox.deliver()
    with schema_context("gd"):
        item = SupervisionItem.objects.get()
        assert (item.committee_code, item.question_id, item.resolved_at) == (
            "gd-gz",
            question.pk,
            None,
        )
        assert "13912345678" not in item.title + item.committee_name
    assert Notification.objects.filter(user=tree["gd_cadre"], kind="escalated").exists()
    with schema_context("gd_gz"):
        services.answer(question=question, author=tree["gz_cadre"], body="建议先做个心理测评。")
        assert [
            e for e in Question.objects.get(pk=question.pk).timeline.values_list("kind", flat=True)
        ][-3:] == ["qa.overdue", "qa.escalated", "qa.answered"]
    outbox.deliver()
    with schema_context("gd"):
        assert SupervisionItem.objects.get().resolved_at is not None


def test_a_committees_own_deadline_overrides_the_central_default(tree):
    with schema_context("gd"):
        assert services.deadlines_for("mental") == (12 * 3600, 3 * 86400)
        Deadline.objects.create(category_id="mental", first_response_s=600, resolution_s=7200)
        assert services.deadlines_for("mental") == (600, 7200)
    with schema_context("bj"):
        assert services.deadlines_for("mental") == (12 * 3600, 3 * 86400)
