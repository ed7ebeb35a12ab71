"""Reports of fake activities (虚假活动举报): a youth reports an activity of Guangzhou, the
report reaches Guangdong (the committee above) through the outbox, its admin confirms it,
and back in Guangzhou the activity is marked fake and its count for the index is taken back
in the period it was counted; a dismissal marks nothing; only the admins above decide."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import schema_context

from activities import registration, reports, services
from activities.models import Activity
from casework import supervision, truth
from casework.models import SupervisionItem, TruthReview
from core.errors import ServiceError
from core.models import Notification
from tenants import outbox
from tests import factories
from timeline.models import Event

from .images import png


def refused(code: str, call) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.code == code, caught.value
    return caught.value


def test_a_report_goes_above_and_a_confirmed_fake_stops_counting(
    tree, django_capture_on_commit_callbacks
):
    activity = factories.activity("gd-gz", tree["gz_cadre"])
    youth, other = tree["youth"], factories.account()
    with schema_context("gd_gz"):
        registration.register(activity=activity, youth=youth)
    after_the_end = time_machine.travel(activity.ends_at + timedelta(hours=1), tick=False)
    with after_the_end, schema_context("gd_gz"):
        services.add_photo(
            activity=activity,
            upload=SimpleUploadedFile("a.png", png(), "image/png"),
            by=tree["gz_cadre"],
        )
        counted_at = Activity.objects.get(pk=activity.pk).counted_at
        assert counted_at is not None
        reports.report(activity=activity, reporter=youth, reason="根本没有举办")
        reports.report(activity=activity, reporter=other, reason="照片是网上找的")
        refused(
            "already_reported",
            lambda: reports.report(activity=activity, reporter=youth, reason="再报一次"),
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.deliver() == 2
    assert outbox.deliver() == 0  # applied once
    with schema_context("gd"):
        review = TruthReview.objects.get()
        assert (review.source_committee, review.subject_type, review.subject_id) == (
            "gd-gz",
            "activities.activity",
            activity.pk,
        )
        assert review.reports == 2
        details = dict(review.details)
        assert (details["报名"], details["照片"]) == ("1", "1")
        assert Notification.objects.filter(user=tree["gd_admin"], kind="truth_flagged").exists()
        refused(
            "forbidden",
            lambda: truth.decide(review=review, actor=tree["gd_cadre"], is_fake=True),
        )
        truth.decide(review=review, actor=tree["gd_admin"], is_fake=True, note="经核实未举办")
        refused(
            "decided",
            lambda: truth.decide(review=review, actor=tree["gd_admin"], is_fake=False),
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.deliver() == 1
    with schema_context("gd_gz"):
        found = Activity.objects.get(pk=activity.pk)
        assert found.fake_confirmed_at is not None
        uncounted = Event.objects.get(kind="activities.uncounted")
        assert uncounted.at == counted_at  # taken back where it counted
        assert Event.objects.filter(kind="activities.fake_confirmed").count() == 1
    assert Notification.objects.filter(user=youth, kind="truth_confirmed").exists()


def test_a_dismissal_marks_nothing_and_new_reports_reopen_it(tree):
    activity = factories.activity("gd-gz", tree["gz_cadre"])
    with schema_context("gd_gz"):
        reports.report(activity=activity, reporter=tree["youth"], reason="地点不对")
    outbox.deliver()
    with schema_context("gd"):
        truth.decide(review=TruthReview.objects.get(), actor=tree["gd_admin"], is_fake=False)
    outbox.deliver()
    with schema_context("gd_gz"):
        assert Activity.objects.get(pk=activity.pk).fake_confirmed_at is None
        assert Event.objects.filter(kind="activities.fake_dismissed").count() == 1
        assert not Event.objects.filter(kind="activities.uncounted").exists()
        reports.report(activity=activity, reporter=factories.account(), reason="确实没办")
    outbox.deliver()
    with schema_context("gd"):
        review = TruthReview.objects.get()
        assert (review.state, review.reports) == ("open", 2)


def test_the_top_committee_reviews_its_own(tree):
    activity = factories.activity("central", tree["central_admin"])
    with schema_context("central"):
        reports.report(activity=activity, reporter=tree["youth"], reason="虚假宣传")
    outbox.deliver()
    with schema_context("central"):
        assert TruthReview.objects.get().source_committee == "central"


def test_a_late_review_is_supervised_from_above_like_every_case(tree):
    """A review is a casework case: due on the reviewing committee's calendar, flagged
    overdue and put on the board above when late, urged from there, cleared once decided."""
    activity = factories.activity("gd-gz", tree["gz_cadre"])
    with schema_context("gd_gz"):
        reports.report(activity=activity, reporter=tree["youth"], reason="根本没有举办")
    outbox.deliver()
    with schema_context("gd"):
        review = TruthReview.objects.get()
        assert review.category_id == activity.category_id
        assert review.respond_by is not None and review.resolve_by is not None
        assert review.resolve_by > timezone.now()
        assert supervision.sweep() == {"overdue": 0, "escalated": 0, "forwarded": 0}
    with time_machine.travel(review.resolve_by + timedelta(minutes=1), tick=False):
        with schema_context("gd"):
            assert supervision.sweep()["escalated"] == 1
            assert supervision.sweep()["escalated"] == 0  # once
            late = TruthReview.objects.get()
            assert late.overdue_at is not None and late.escalated_at is not None
            kinds = set(Event.objects.filter(subject_id=review.pk).values_list("kind", flat=True))
            assert {"casework.truth_overdue", "casework.truth_escalated"} <= kinds
            assert Notification.objects.filter(user=tree["gd_admin"], kind="escalated").exists()
        outbox.deliver()
    with schema_context("central"):  # Guangdong's board is the central office's
        item = SupervisionItem.objects.get()
        assert (item.committee_code, item.subject_type, item.subject_id) == (
            "gd",
            "casework.truthreview",
            review.pk,
        )
        supervision.urge(item=item, actor=tree["central_admin"], note="请尽快核实")
    outbox.deliver()
    with schema_context("gd"):
        urged = Event.objects.get(kind="casework.truth_urged")
        assert urged.data["note"] == "请尽快核实"
        assert Notification.objects.filter(user=tree["gd_admin"], kind="urged").exists()
        truth.decide(review=TruthReview.objects.get(), actor=tree["gd_admin"], is_fake=False)
    outbox.deliver()
    with schema_context("central"):
        assert SupervisionItem.objects.get().resolved_at is not None
