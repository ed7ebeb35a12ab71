"""Every kind of outbox message applied a second time changes nothing: a transfer, the
events mirrored between the committees holding a question or a help case, a late item going
on the boards up the tree, an urge and the boards cleared, a youth sent to another
committee's youth home and the steps reported back."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection, transaction
from django_tenants.utils import schema_context

from casework import cases, supervision
from casework.models import SupervisionItem
from core.models import Notification
from franchise.models import HomeListing
from helpcases import services as help_cases
from helpcases.models import CoSigner, HelpCase
from homes import referrals
from homes.models import Referral
from qa import services
from qa.models import Question, Reply
from tenants import outbox
from tenants.models import Committee, OutboxMessage
from tests import factories
from tests.qa.helpers import alliance
from timeline.models import Event

CST = ZoneInfo("Asia/Shanghai")


def snapshot() -> dict:
    """What every committee holds that a message may change, and what is queued to send."""
    held = {}
    for committee in Committee.objects.order_by("code"):
        with schema_context(committee.schema_name):
            held[committee.code] = (
                sorted(Event.objects.values_list("subject_type", "subject_id", "kind", "origin")),
                sorted(Question.objects.values_list("pk", "state", "origin_id")),
                sorted(Reply.objects.values_list("question_id", "body", "origin_ref")),
                sorted(HelpCase.objects.values_list("pk", "state", "origin_id", "transferred_to")),
                CoSigner.objects.count(),
                sorted(Referral.objects.values_list("source_id", "state", "slot_id")),
                sorted(
                    SupervisionItem.objects.values_list(
                        "committee_code", "subject_id", "level", "urge_count", "resolved_at"
                    )
                ),
            )
    return {
        "schemas": held,
        "notifications": Notification.objects.count(),
        "outbox": OutboxMessage.objects.count(),
    }


def deliver(when: datetime) -> None:
    with time_machine.travel(when, tick=False):
        outbox.deliver()
        outbox.deliver()


def test_every_message_kind_applied_again_changes_nothing(tree, api):
    alliance("gd", tree["gd_expert"], category="career")
    alliance("bj", tree["bj_cadre"], category="career", name="北京就业服务联盟", kind="cadre")
    alliance("gd-gz", tree["gz_cadre"], category="mental", name="心理服务联盟", kind="cadre")
    asked_at = datetime(2026, 6, 2, 10, tzinfo=CST)
    with time_machine.travel(asked_at, tick=False):
        with schema_context("gd"):
            moving = services.ask_question(
                asker=tree["youth"], title="北京的社保怎么转过来", category="career"
            )
            services.transfer(question=moving, actor=tree["gd_expert"], to="bj")
            need = help_cases.submit(
                youth=tree["youth"],
                title="在北京实习被拖欠工资",
                body="单位在海淀区",
                category="rights",
            )
            help_cases.transfer(case=need, actor=tree["gd_cadre"], to="bj")
        with schema_context("gd_gz"):
            late = services.ask_question(
                asker=tree["youth"], title="最近总是失眠怎么办", category="mental"
            )
    # A Guangdong question's asker sent to a Beijing youth home, which offers a time.
    slot = factories.youth_home("bj", tree["bj_cadre"], name="东城青年之家")
    with time_machine.travel(asked_at, tick=False), schema_context("gd"):
        offline = services.ask_question(
            asker=tree["youth"], title="暑假想找个自习室", category="study"
        )
        referrals.refer(
            cases.of("qa.question"),
            offline,
            actor=tree["gd_cadre"],
            listing=HomeListing.objects.get(committee__code="bj", home_id=slot.service.home_id),
        )
        # Answered, it waits on no board.
        services.answer(question=offline, author=tree["gd_cadre"], body="可以去东城青年之家自习。")
    deliver(asked_at)
    with time_machine.travel(asked_at, tick=False), schema_context("bj"):
        referrals.offer(referral=Referral.objects.get(), slot=slot, actor=tree["bj_cadre"])
    deliver(asked_at)
    with schema_context("bj"):
        copy = Question.objects.get(origin_id=moving.pk)
        services.answer(question=copy, author=tree["bj_cadre"], body="在北京社保网办理转出。")
        help_copy = HelpCase.objects.get(origin_id=need.pk)
        help_cases.start_verifying(case=help_copy, actor=tree["bj_cadre"])
    with schema_context("gd"):
        services.follow_up(question=moving, asker=tree["youth"], body="需要带什么材料？")
    # The Guangzhou question goes late to Guangdong's board, then on to the nation's.
    for code, when in [("gd_gz", datetime(2026, 6, 8, 10)), ("gd", datetime(2026, 6, 12, 10))]:
        moment = when.replace(tzinfo=CST)
        with time_machine.travel(moment, tick=False), schema_context(code):
            supervision.sweep()
        deliver(moment)
    with schema_context("gd"):
        item = SupervisionItem.objects.get()
    urged = api("gd", tree["gd_cadre"]).post(
        f"/api/v1/supervision/{item.pk}/urge/", {"note": "请尽快答复"}, format="json"
    )
    assert urged.status_code == 200, urged.content
    deliver(datetime(2026, 6, 12, 11, tzinfo=CST))
    with schema_context("gd_gz"):
        services.answer(question=late, author=tree["gz_cadre"], body="先规律作息，再做个测评。")
    deliver(datetime(2026, 6, 12, 12, tzinfo=CST))

    delivered = list(OutboxMessage.objects.exclude(delivered_at=None).order_by("id"))
    topics = {m.topic for m in delivered}
    assert topics >= {
        "casework.transfer",
        "casework.mirror",
        "casework.supervision",
        "casework.escalated_further",
        "casework.urge",
        "casework.supervision_cleared",
        "homes.refer",
        "homes.referral_step",
    }
    with schema_context("gd"):
        assert HelpCase.objects.get(pk=need.pk).state == "verifying"  # mirrored from Beijing
    with schema_context("central"):
        assert SupervisionItem.objects.get().resolved_at is not None  # cleared two levels up
    before = snapshot()
    for message in delivered:
        receiver = Committee.objects.get(code=message.receiver)
        with transaction.atomic():
            connection.set_tenant(receiver)
            outbox._handlers[message.topic](message)
            connection.set_schema_to_public()
    assert snapshot() == before
