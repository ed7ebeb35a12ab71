"""Truthfulness reviews (真实度复核): a youth in Guangzhou says a help case or a youth-home
service did not happen as described; the word reaches Guangdong (the committee above)
through the outbox as one review an item; Guangdong's admin confirms or dismisses it, and
back in Guangzhou the item's timeline records it, a confirmation counts against the
committee, and the youth is told. Staff's ratings and "it was real" flag nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tenants.utils import schema_context

from casework import supervision, truth
from casework.models import TruthReview
from core.errors import ServiceError
from core.models import Notification
from helpcases import services as help_cases
from homes import services as homes
from reporting import assessment, shipping
from tenants import outbox
from tenants.models import OutboxMessage
from tests import factories
from tests.core.helpers import assert_error
from tests.helpcases.test_cases import through_to_report
from tests.reporting.helpers import figures
from timeline.models import Event

REVIEWS = "/api/v1/truth-reviews/"
PAGE = "/workbench/truth-reviews/"


def help_case_in_guangzhou(tree, *, is_real: bool, youth=None):
    youth = youth or tree["youth"]
    with schema_context("gd_gz"):
        case = help_cases.submit(
            youth=youth,
            title="老板拖欠三个月工资怎么办",
            body="公司在天河区，已经三个月没发工资",
            category="rights",
            contact="13812345678",
        )
        case = through_to_report(case, tree["gz_cadre"])
        help_cases.evaluate(
            case=case,
            youth=youth,
            stars=1 if not is_real else 5,
            is_real=is_real,
            is_solved=is_real,
            comment="根本没有人联系过我" if not is_real else "",
        )
    return case


def attended_booking(tree, youth=None):
    home_staff = factories.staff(tree.gz, "org_member")
    slot = factories.youth_home("gd-gz", home_staff)
    youth = youth or tree["youth"]
    with schema_context("gd_gz"):
        booking = homes.book(slot=slot, youth=youth)
        with time_machine.travel(slot.starts_at, tick=False):
            homes.check_in(code=booking.code, actor=home_staff)
    return booking, home_staff


def deliver(django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return outbox.deliver()


def test_help_said_not_real_is_reviewed_above_and_a_confirmation_counts_against_guangzhou(
    tree, django_capture_on_commit_callbacks
):
    case = help_case_in_guangzhou(tree, is_real=False)
    assert deliver(django_capture_on_commit_callbacks) == 1
    assert outbox.deliver() == 0  # applied once
    with schema_context("gd"):
        review = TruthReview.objects.get()
        assert (review.source_committee, review.subject_type, review.subject_id) == (
            "gd-gz",
            "helpcases.helpcase",
            case.pk,
        )
        assert review.reports == 1 and review.reasons[0]["reason"] == "根本没有人联系过我"
        assert review.category_id == "rights" and review.resolve_by is not None
        assert dict(review.details)["状态"]  # what the reviewers see, in Chinese
    assert Notification.objects.filter(user=tree["gd_admin"], kind="truth_flagged").exists()

    with schema_context("gd"):
        with pytest.raises(ServiceError) as cadre:
            truth.decide(review=review, actor=tree["gd_cadre"], is_fake=True)
        assert cadre.value.code == "forbidden"
        truth.decide(review=review, actor=tree["gd_admin"], is_fake=True, note="回访核实属实")
        with pytest.raises(ServiceError) as twice:
            truth.decide(review=review, actor=tree["gd_admin"], is_fake=False)
        assert twice.value.code == "decided"
    assert deliver(django_capture_on_commit_callbacks) == 1
    with schema_context("gd_gz"):
        confirmed = Event.objects.get(kind="help.fake_confirmed")
        assert (confirmed.subject_id, confirmed.data["note"]) == (case.pk, "回访核实属实")
    told = Notification.objects.get(user=tree["youth"], kind="truth_confirmed")
    assert told.data["note"] == "回访核实属实"

    shipping.ship_all()
    counted = figures(tree.gz, subtree=False)
    assert (counted["help_not_real"], counted["help_fake"], counted["help_closed"]) == (1, 1, 1)
    assert figures(tree.gd, subtree=True)["help_fake"] == 1  # in Guangdong's subtree too


def test_a_service_said_not_real_and_dismissed_marks_nothing_and_tells_the_youth(
    tree, django_capture_on_commit_callbacks
):
    booking, _staff = attended_booking(tree)
    with schema_context("gd_gz"):
        homes.rate(booking=booking, youth=tree["youth"], stars=1, is_real=False, comment="没开门")
    deliver(django_capture_on_commit_callbacks)
    with schema_context("gd"):
        review = TruthReview.objects.get()
        assert (review.subject_type, review.subject_id) == ("homes.booking", booking.pk)
        assert review.title == "自习室 · 天河青年之家"
        truth.decide(review=review, actor=tree["gd_admin"], is_fake=False, note="已核实正常开放")
    deliver(django_capture_on_commit_callbacks)
    with schema_context("gd_gz"):
        assert Event.objects.filter(kind="homes.fake_dismissed", subject_id=booking.pk).exists()
        assert not Event.objects.filter(kind="homes.fake_confirmed").exists()
    assert Notification.objects.filter(user=tree["youth"], kind="truth_dismissed").exists()
    shipping.ship_all()
    counted = figures(tree.gz, subtree=False)
    assert (counted["home_not_as_described"], counted["home_fake"]) == (1, 0)


def test_real_help_and_staffs_own_ratings_flag_nothing(tree):
    help_case_in_guangzhou(tree, is_real=True)
    booking, home_staff = attended_booking(tree, youth=tree["gz_cadre"])  # staff booked it
    with schema_context("gd_gz"):
        homes.rate(booking=booking, youth=tree["gz_cadre"], stars=1, is_real=False)
    outbox.deliver()
    with schema_context("gd"):
        assert not TruthReview.objects.exists()


def test_confirmed_flags_lower_the_assessments_truthfulness(
    tree, django_capture_on_commit_callbacks
):
    """Truthfulness is 1 − (said not real + confirmed not real) ÷ evaluated: one help case
    said not real and confirmed, of two evaluated, leaves 0."""
    help_case_in_guangzhou(tree, is_real=False)
    help_case_in_guangzhou(tree, is_real=True, youth=factories.account())
    deliver(django_capture_on_commit_callbacks)
    with schema_context("gd"):
        truth.decide(review=TruthReview.objects.get(), actor=tree["gd_admin"], is_fake=True)
    deliver(django_capture_on_commit_callbacks)
    shipping.ship_all()
    term = assessment.Term.parse(timezone.localdate().strftime("%Y-%m"))
    report = assessment.report(tree.gd, term)
    cell = next(r for r in report.rows if r.committee.code == "gd-gz").cells["truthfulness"]
    assert (cell.value, cell.sample) == (0.0, 2)


def test_the_reviews_api_and_page_refuse_others_and_let_the_admins_decide(
    tree, api, web, django_capture_on_commit_callbacks
):
    case = help_case_in_guangzhou(tree, is_real=False)
    deliver(django_capture_on_commit_callbacks)
    with schema_context("gd"):
        review = TruthReview.objects.get()
    decision = f"{REVIEWS}{review.pk}/decision/"

    assert_error(api("gd").get(REVIEWS), 401, "not_authenticated")
    assert_error(api("gd", tree["youth"]).get(REVIEWS), 403, "permission_denied")
    assert_error(api("gd", tree["bj_cadre"]).get(REVIEWS), 403, "permission_denied")
    listed = api("gd", tree["gd_cadre"]).get(REVIEWS)
    assert listed.status_code == 200
    body = listed.json()
    assert body["count"] == 1
    first = body["results"][0]
    assert (first["subject_type"], first["subject_id"], first["state"]) == (
        "helpcases.helpcase",
        case.pk,
        "open",
    )
    assert api("bj", tree["bj_admin"]).get(REVIEWS).json()["count"] == 0  # Beijing's own
    elsewhere = api("bj", tree["bj_admin"]).post(decision, {"is_fake": True}, format="json")
    assert_error(elsewhere, 404, "not_found")

    cadre = api("gd", tree["gd_cadre"]).post(decision, {"is_fake": True}, format="json")
    assert_error(cadre, 403, "permission_denied")
    bad = api("gd", tree["gd_admin"]).post(decision, {"is_fake": "也许"}, format="json")
    assert list(assert_error(bad, 400, "invalid")["fields"]) == ["is_fake"]

    page = web("gd", tree["gd_admin"]).get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "老板拖欠" in html and 'data-testid="confirm-fake"' in html
    assert web("gd", tree["youth"]).get(PAGE).status_code in (302, 403)
    read_only = web("gd", tree["auditor"]).get(PAGE).content.decode()
    assert "老板拖欠" in read_only and 'data-testid="confirm-fake"' not in read_only
    web("gd", tree["gd_cadre"]).post(PAGE, {"pk": review.pk, "action": "confirm"})
    with schema_context("gd"):
        assert TruthReview.objects.get().state == "open"  # a cadre may not decide

    admin = api("gd", tree["gd_admin"])
    made = admin.post(decision, {"is_fake": True, "note": "属实"}, format="json")
    assert made.status_code == 200 and made.json()["state"] == "confirmed"
    assert_error(admin.post(decision, {"is_fake": False}, format="json"), 409, "decided")


def test_a_late_review_goes_on_the_board_above(tree, django_capture_on_commit_callbacks):
    help_case_in_guangzhou(tree, is_real=False)
    deliver(django_capture_on_commit_callbacks)
    with schema_context("gd"):
        review = TruthReview.objects.get()
    late = time_machine.travel(review.resolve_by + timedelta(minutes=1), tick=False)
    with late, schema_context("gd"):
        assert supervision.sweep()["escalated"] == 1
        kinds = set(Event.objects.filter(subject_id=review.pk).values_list("kind", flat=True))
        assert {"casework.truth_overdue", "casework.truth_escalated"} <= kinds


def test_messages_of_the_old_fake_report_topics_are_applied_as_truthfulness_flags(tree):
    """Queued before an upgrade under the activities' own topics, none is lost."""
    activity = factories.activity("gd-gz", tree["gz_cadre"])
    OutboxMessage.objects.create(
        topic="activities.fake_report",
        sender="gd-gz",
        receiver="gd",
        payload={
            "activity": activity.pk,
            "title": activity.title,
            "link": f"/activities/{activity.pk}/",
            "reason": "根本没有举办",
            "report": 7,
            "category": activity.category_id,
            "details": {"place": "天河"},
        },
    )
    assert outbox.deliver() == 1
    with schema_context("gd"):
        review = TruthReview.objects.get()
        assert (review.subject_type, review.subject_id, review.reports) == (
            "activities.activity",
            activity.pk,
            1,
        )
        assert review.reasons == [{"ref": "report:7", "reason": "根本没有举办"}]
    OutboxMessage.objects.create(
        topic="activities.fake_decided",
        sender="gd",
        receiver="gd-gz",
        payload={
            "activity": activity.pk,
            "is_fake": True,
            "note": "经核实未举办",
            "review": review.pk,
            "decided_at": timezone.now().isoformat(),
        },
    )
    assert outbox.deliver() == 1
    with schema_context("gd_gz"):
        assert Event.objects.filter(kind="activities.fake_confirmed").count() == 1
