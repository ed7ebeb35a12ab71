"""One click online → offline (一键转至线下): staff send the youth of a question or a help case
to a youth home of their committee or of another; the home offers a time, the youth confirms,
and every step, with what became of the booking, is on the timelines of both sides."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tenants.utils import schema_context

from casework import cases
from core.errors import ServiceError
from core.models import Notification
from franchise.models import HomeListing
from helpcases import services as help_cases
from homes import referrals, services
from homes.models import Booking, Referral, Slot
from qa import services as questions
from qa.models import Question
from reporting import shipping
from tenants import outbox
from tests import factories
from tests.reporting.helpers import figures
from timeline.models import Event

QUESTION = cases.of("qa.question")
HELP_CASE = cases.of("helpcases.helpcase")


def refused(code: str, call) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.code == code, caught.value
    return caught.value


def ask(code: str, youth, title="期末复习找不到安静的地方", category="study") -> Question:
    with schema_context(code.replace("-", "_")):
        return questions.ask_question(asker=youth, title=title, category=category)


def listing(slot: Slot, code: str) -> HomeListing:
    return HomeListing.objects.get(committee__code=code, home_id=slot.service.home_id)


def kinds(subject) -> list[str]:
    return [
        e.kind
        for e in Event.objects.filter(
            subject_type=subject._meta.label_lower, subject_id=subject.pk
        ).order_by("id")
        if e.kind.startswith("homes.")
    ]


def test_homes_are_suggested_nearest_in_the_tree_first_and_found_anywhere(tree):
    factories.youth_home("gd", name="天河青年之家")
    factories.youth_home("gd-gz", name="越秀青年之家")
    away = factories.youth_home("bj", name="东城青年之家")
    with schema_context("gd"):
        found = referrals.suggest("study")
        assert [x.name for x in found] == ["天河青年之家", "越秀青年之家", "东城青年之家"]
        assert referrals.suggest("mental") == []  # none offers counselling
        assert [x.name for x in referrals.suggest("mental", find="东城")] == ["东城青年之家"]
    with schema_context("gd_gz"):
        assert [x.name for x in referrals.suggest("study")] == [
            "越秀青年之家",
            "天河青年之家",
            "东城青年之家",
        ]
    with schema_context("bj"):
        services.change_home(home=away.service.home, is_published=False)
        assert [x.name for x in referrals.suggest("study")] == ["天河青年之家", "越秀青年之家"]


def test_in_one_action_a_cadre_offers_a_time_and_the_youth_books_it(
    tree, django_capture_on_commit_callbacks
):
    slot = factories.youth_home("gd", tree["gd_org"])
    question = ask("gd", tree["youth"])
    with schema_context("gd"), django_capture_on_commit_callbacks(execute=True):
        referral = referrals.refer(
            QUESTION,
            question,
            actor=tree["gd_cadre"],
            listing=listing(slot, "gd"),
            slot=slot,
            note="来自习室复习",
        )
    assert Notification.objects.filter(user=tree["youth"], kind="home_referral_offer").exists()
    assert Notification.objects.filter(user=tree["gd_org"], kind="home_referred").exists()
    with schema_context("gd"):
        assert referral.state == "offered" and referral.slot_id == slot.pk
        assert referral.thread.startswith("期末复习找不到安静的地方")
        slot.refresh_from_db()
        assert (slot.taken, slot.held) == (0, 1)  # held for the youth, not yet booked
        assert kinds(question) == ["homes.referred", "homes.referral_offered"]
        refused("forbidden", lambda: referrals.accept(referral=referral, youth=tree["gd_cadre"]))

        booking = referrals.accept(referral=referral, youth=tree["youth"])
        slot.refresh_from_db()
        assert (slot.taken, slot.held, booking.state) == (1, 0, "confirmed")
        assert Referral.objects.get(pk=referral.pk).booking_id == booking.pk
        refused("wrong_state", lambda: referrals.accept(referral=referral, youth=tree["youth"]))
        with time_machine.travel(slot.starts_at, tick=False):
            services.check_in(code=booking.code, actor=tree["gd_org"])
        assert kinds(question) == [
            "homes.referred",
            "homes.referral_offered",
            "homes.referral_booked",
            "homes.referral_attended",
        ]
        # The home's side: the referral's own timeline, and the booking's.
        assert kinds(referral) == [
            "homes.referred",
            "homes.referral_offered",
            "homes.referral_booked",
            "homes.referral_attended",
        ]
        assert kinds(booking) == ["homes.booked", "homes.attended"]
    assert shipping.ship_all() > 0
    counted = figures(tree.gd, subtree=False)
    assert (counted["o2o_referrals"], counted["o2o_booked"], counted["o2o_served"]) == (1, 1, 1)
    assert (counted["home_bookings"], counted["home_attended"]) == (1, 1)  # counted once
    assert figures(tree.central, subtree=True)["o2o_served"] == 1


def test_across_committees_the_home_offers_and_each_step_reaches_the_question(
    tree, django_capture_on_commit_callbacks
):
    bj_staff = factories.staff(tree.bj, "org_member")
    slot = factories.youth_home("bj", bj_staff, name="东城青年之家")
    question = ask("gd-gz", tree["youth"], title="暑假在北京想找个自习的地方")
    with schema_context("gd_gz"):
        refused(
            "invalid",
            lambda: referrals.refer(
                QUESTION, question, actor=tree["gz_cadre"], listing=listing(slot, "bj"), slot=slot
            ),
        )
        sent = referrals.refer(
            QUESTION, question, actor=tree["gz_cadre"], listing=listing(slot, "bj"), note="暑期"
        )
        assert sent.topic == "homes.refer" and sent.receiver == "bj"
        assert kinds(question) == ["homes.referred"]
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.deliver() == 1
    with schema_context("bj"):
        referral = Referral.objects.get()
        assert (referral.state, referral.source_committee, referral.source_id) == (
            "requested",
            "gd-gz",
            question.pk,
        )
        assert referral.title == "暑假在北京想找个自习的地方" and referral.note == "暑期"
        assert Notification.objects.filter(user=bj_staff, kind="home_referred").exists()
        refused(
            "forbidden", lambda: referrals.offer(referral=referral, slot=slot, actor=tree["youth"])
        )
        referrals.offer(referral=referral, slot=slot, actor=bj_staff)
        refused(
            "wrong_state", lambda: referrals.offer(referral=referral, slot=slot, actor=bj_staff)
        )
    assert outbox.deliver() == 1
    with schema_context("gd_gz"):
        assert kinds(question) == ["homes.referred", "homes.referral_offered"]
        offered = Event.objects.get(kind="homes.referral_offered")
        assert offered.data["to"] == "bj" and offered.data["home"] == "东城青年之家"
        assert offered.data["page"] == f"/homes/referrals/{referral.pk}/"
    with schema_context("bj"):
        booking = referrals.accept(referral=referral, youth=tree["youth"])
    late = slot.starts_at + timedelta(minutes=20)
    with time_machine.travel(late, tick=False), schema_context("bj"):
        assert services.release_no_shows() == 1
    assert outbox.deliver() == 2
    with schema_context("gd_gz"):
        assert kinds(question) == [
            "homes.referred",
            "homes.referral_offered",
            "homes.referral_booked",
            "homes.referral_no_show",
        ]
    with schema_context("bj"):
        assert Booking.objects.get(pk=booking.pk).state == "no_show"
        assert kinds(referral) == [
            "homes.referred",
            "homes.referral_offered",
            "homes.referral_booked",
            "homes.referral_no_show",
        ]
    assert shipping.ship_all() > 0
    # Sent from Guangzhou: counted there (and up its tree), not at Beijing's home.
    assert figures(tree.gz, subtree=False)["o2o_referrals"] == 1
    assert figures(tree.gz, subtree=False)["o2o_no_shows"] == 1
    assert figures(tree.bj, subtree=False)["o2o_referrals"] == 0
    assert figures(tree.bj, subtree=False)["home_bookings"] == 1
    assert figures(tree.gd, subtree=True)["o2o_referrals"] == 1


def test_a_help_case_is_sent_offline_and_its_youth_declines(tree):
    slot = factories.youth_home("gd", tree["gd_org"])
    with schema_context("gd"):
        case = help_cases.submit(
            youth=tree["youth"], title="需要一个安静的地方备考", body="家里太吵", category="study"
        )
        referral = referrals.refer(
            HELP_CASE, case, actor=tree["gd_cadre"], listing=listing(slot, "gd"), slot=slot
        )
        assert "家里太吵" in referral.thread
        referrals.decline(referral=referral, youth=tree["youth"])
        slot.refresh_from_db()
        assert slot.held == 0
        assert kinds(case) == [
            "homes.referred",
            "homes.referral_offered",
            "homes.referral_declined",
        ]
        refused("wrong_state", lambda: referrals.decline(referral=referral, youth=tree["youth"]))
        # Declined, it may be sent again; an open referral to the same home may not.
        again = referrals.refer(
            HELP_CASE, case, actor=tree["gd_cadre"], listing=listing(slot, "gd")
        )
        assert again.state == "requested"
        refused(
            "already_referred",
            lambda: referrals.refer(
                HELP_CASE, case, actor=tree["gd_cadre"], listing=listing(slot, "gd")
            ),
        )


def test_an_offer_not_confirmed_in_time_lapses_and_its_place_goes_back(tree):
    slot = factories.youth_home("gd", tree["gd_org"], starts_at=timezone.now() + timedelta(days=3))
    question = ask("gd", tree["youth"])
    with schema_context("gd"):
        referral = referrals.refer(
            QUESTION, question, actor=tree["gd_cadre"], listing=listing(slot, "gd"), slot=slot
        )
        expires = Referral.objects.get(pk=referral.pk).offer_expires_at
        assert expires == referral.offer_expires_at
        assert referrals.lapse() == 0
        with time_machine.travel(expires + timedelta(seconds=1), tick=False):
            refused("lapsed", lambda: referrals.accept(referral=referral, youth=tree["youth"]))
            assert referrals.lapse() == 1
            assert referrals.lapse() == 0
        slot.refresh_from_db()
        assert (slot.held, Referral.objects.get(pk=referral.pk).state) == (0, "lapsed")
        assert kinds(question)[-1] == "homes.referral_lapsed"


def test_what_may_not_be_sent(tree):
    slot = factories.youth_home("gd", tree["gd_org"], places=1, taken=1)
    question = ask("gd", tree["youth"])
    with schema_context("gd"):
        refused(
            "full",
            lambda: referrals.refer(
                QUESTION, question, actor=tree["gd_cadre"], listing=listing(slot, "gd"), slot=slot
            ),
        )
        assert kinds(question) == []  # nothing half done
        assert not Referral.objects.exists()
        services.change_home(home=slot.service.home, is_published=False)
        refused(
            "closed",
            lambda: referrals.refer(
                QUESTION, question, actor=tree["gd_cadre"], listing=listing(slot, "gd")
            ),
        )
        questions.transfer(question=question, actor=tree["gd_cadre"], to="bj")
        question.refresh_from_db()
        services.change_home(home=slot.service.home, is_published=True)
        refused(
            "transferred",
            lambda: referrals.refer(
                QUESTION, question, actor=tree["gd_cadre"], listing=listing(slot, "gd")
            ),
        )


def test_a_step_message_applied_again_records_nothing(tree):
    slot = factories.youth_home("bj", name="东城青年之家")
    question = ask("gd", tree["youth"])
    with schema_context("gd"):
        referrals.refer(QUESTION, question, actor=tree["gd_cadre"], listing=listing(slot, "bj"))
    outbox.deliver()
    with schema_context("bj"):
        referral = Referral.objects.get()
        staff = tree["bj_cadre"]
        referrals.offer(referral=referral, slot=slot, actor=staff)
    outbox.deliver()
    from tenants.models import OutboxMessage

    for message in OutboxMessage.objects.filter(topic__startswith="homes.").order_by("id"):
        with schema_context(message.receiver):
            outbox._handlers[message.topic](message)
    with schema_context("bj"):
        assert Referral.objects.count() == 1
    with schema_context("gd"):
        assert kinds(question) == ["homes.referred", "homes.referral_offered"]
