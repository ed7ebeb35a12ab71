"""After an activity: its organisers and participants add photos once it has started (the
organisers' shown at once, a participant's once the organisers select it); an activity that
had registrations and, after it ended, photos counts for the influence index once, and a
confirmed fake is taken back in the period it counted in; its end is recorded once with its
registrations and check-ins; a participant who checked in rates it once and says whether it
happened as described (a staff member's rating is kept apart); and the central figures and
the index show all of it."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import schema_context
from PIL import Image

from activities import checkin, registration, services
from activities.models import Activity, ActivityPhoto, Registration
from core.errors import ServiceError
from franchise import influence
from reporting import selectors, shipping
from tests import factories
from tests.reporting.helpers import around_today, figures

COUNTED, UNCOUNTED = "activities.counted", "activities.uncounted"


def refused(code: str, call) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.code == code, caught.value
    return caught.value


def events(kind: str):
    from timeline.models import Event

    return Event.objects.filter(kind=kind)


def png(name: str = "photo.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (12, 8), "#c8161d").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), "image/png")


def with_youths(tree, n: int = 1, **fields) -> tuple[Activity, list]:
    """An activity of Guangdong's (tomorrow 14:00–17:00) and ``n`` youths registered for it."""
    activity = factories.activity("gd", tree["gd_cadre"], **fields)
    youths = [factories.account(name=f"青年{i}") for i in range(n)]
    with schema_context("gd"):
        for youth in youths:
            registration.register(activity=activity, youth=youth)
    return activity, youths


def photo(activity: Activity, by, **kwargs) -> ActivityPhoto:
    return services.add_photo(activity=activity, upload=png(), by=by, **kwargs)


def signed_up(activity: Activity, youth) -> Registration:
    return Registration.objects.get(activity=activity, youth_id=youth.pk)


def after_end(activity: Activity, **delta):
    return time_machine.travel(activity.ends_at + timedelta(**(delta or {"hours": 1})), tick=False)


def during(activity: Activity):
    return time_machine.travel(activity.starts_at + timedelta(hours=1), tick=False)


def index_term(committee) -> float:
    return selectors.summary(committee, around_today()).index.terms["activities"]


def weight() -> float:
    return influence.standard_for(around_today().start).activity_weight


# ---------------------------------------------------------------- photos


def test_photos_are_added_once_it_has_started_by_its_organisers_and_participants(tree):
    activity, (youth,) = with_youths(tree)
    stranger = factories.account(name="路人")
    with schema_context("gd"):
        refused("too_early", lambda: photo(activity, tree["gd_cadre"]))
        refused("too_early", lambda: photo(activity, youth))
        with during(activity):
            refused("forbidden", lambda: photo(activity, stranger))
            svg = SimpleUploadedFile("x.png", b"<svg onload=alert(1)></svg>", "image/png")
            refused(
                "invalid_image",
                lambda: services.add_photo(activity=activity, upload=svg, by=youth),
            )
            theirs = photo(activity, youth, caption="我们队")
            ours = photo(activity, tree["gd_cadre"])
        assert not theirs.is_selected and ours.is_selected
        assert theirs.image.name.startswith("activities/photos/") and theirs.image.size > 0
        assert list(activity.photos.values_list("uploaded_by", flat=True)) == [
            youth.pk,
            tree["gd_cadre"].pk,
        ]
        recorded = list(events("activities.photo").values_list("data", flat=True))
        assert [d["after_end"] for d in recorded] == [False, False]


def test_only_the_organisers_select_the_photos_shown(tree):
    activity, (youth,) = with_youths(tree)
    with schema_context("gd"):
        with during(activity):
            theirs = photo(activity, youth)
        refused(
            "forbidden", lambda: services.select_photo(photo=theirs, actor=youth, is_selected=True)
        )
        refused(
            "forbidden",
            lambda: services.select_photo(photo=theirs, actor=tree["gd_expert"], is_selected=True),
        )
        assert not ActivityPhoto.objects.get(pk=theirs.pk).is_selected
        services.select_photo(photo=theirs, actor=tree["gd_cadre"], is_selected=True)
        assert ActivityPhoto.objects.get(pk=theirs.pk).is_selected
        services.select_photo(photo=theirs, actor=tree["gd_admin"], is_selected=False)
        assert not ActivityPhoto.objects.get(pk=theirs.pk).is_selected


# ---------------------------------------------------------------- counting for the index


def test_a_photo_after_the_end_of_an_activity_with_registrations_counts_it_once(tree):
    activity, (youth,) = with_youths(tree)
    moment = activity.ends_at + timedelta(hours=1)
    with schema_context("gd"):
        with after_end(activity):
            photo(activity, tree["gd_cadre"])
        assert Activity.objects.get(pk=activity.pk).counted_at == moment
        assert events(COUNTED).count() == 1
        assert events(COUNTED).get().data == {"activity": activity.pk}
        with after_end(activity, days=1):
            photo(activity, youth)  # a participant's photo after it, too
            assert not services.count_if_due(activity, now=timezone.now())
        assert Activity.objects.get(pk=activity.pk).counted_at == moment
        assert events(COUNTED).count() == 1
        recorded = list(events("activities.photo").values_list("data", flat=True))
        assert [d["after_end"] for d in recorded] == [True, True]


def test_an_activity_without_registrations_never_counts(tree):
    activity = factories.activity("gd", tree["gd_cadre"])
    with schema_context("gd"), after_end(activity):
        photo(activity, tree["gd_cadre"])
        photo(activity, tree["gd_admin"])
        assert not services.count_if_due(activity, now=timezone.now())
        assert Activity.objects.get(pk=activity.pk).counted_at is None
        assert not events(COUNTED).exists()


def test_a_photo_during_the_activity_does_not_count_it(tree):
    activity, (youth,) = with_youths(tree)
    with schema_context("gd"):
        with during(activity):
            photo(activity, tree["gd_cadre"])
            photo(activity, youth)
            assert not services.count_if_due(activity, now=timezone.now())
        with after_end(activity):
            # Ended, but its photos were all taken before: still not.
            assert not services.count_if_due(activity, now=timezone.now())
        assert Activity.objects.get(pk=activity.pk).counted_at is None
        assert not events(COUNTED).exists()


def test_a_cancelled_activity_does_not_count(tree):
    activity, (youth,) = with_youths(tree)
    with schema_context("gd"):
        services.cancel(activity=activity, actor=tree["gd_cadre"], reason="天气原因")
        with after_end(activity):
            photo(activity, youth)  # registered still, and after the end
            assert services.counts(Activity.objects.get(pk=activity.pk))
            assert not services.count_if_due(activity, now=timezone.now())
        assert Activity.objects.get(pk=activity.pk).counted_at is None
        assert not events(COUNTED).exists()


def test_a_confirmed_fake_is_taken_back_at_the_moment_it_counted(tree):
    activity, _ = with_youths(tree)
    with schema_context("gd"):
        with after_end(activity):
            photo(activity, tree["gd_cadre"])
        counted = Activity.objects.get(pk=activity.pk)
        assert counted.counted_at is not None
        with after_end(activity, days=3):
            counted.fake_confirmed_at = timezone.now()
            counted.save(update_fields=["fake_confirmed_at"])
            services.uncount(counted, actor=tree["gd_admin"])
            assert not services.counts(counted)
            assert not services.count_if_due(counted, now=timezone.now())
        taken_back = events(UNCOUNTED).get()
        assert taken_back.at == counted.counted_at
        assert (taken_back.data, taken_back.actor_id) == (
            {"activity": activity.pk},
            tree["gd_admin"].pk,
        )


def test_an_activity_never_counted_is_not_taken_back(tree):
    activity, _ = with_youths(tree)
    with schema_context("gd"):
        services.uncount(activity, actor=tree["gd_admin"])
        assert not events(UNCOUNTED).exists()


# ---------------------------------------------------------------- its end


def test_the_end_is_recorded_once_with_registrations_and_check_ins(tree):
    activity, (came, stayed_away) = with_youths(tree, 2)
    with schema_context("gd"):
        with during(activity):
            checkin.mark_present(registration=signed_up(activity, came), actor=tree["gd_cadre"])
        assert services.end_due(now=activity.ends_at - timedelta(minutes=1)) == 0
        with after_end(activity, minutes=1):
            assert services.end_due() == 1
            assert services.end_due() == 0
        assert services.end_due(now=activity.ends_at + timedelta(days=1)) == 0
        ended = events("activities.ended").get()
        assert ended.data == {"activity": activity.pk, "registrations": 2, "check_ins": 1}
        assert ended.at == activity.ends_at + timedelta(minutes=1)
        assert Activity.objects.get(pk=activity.pk).ended_at == ended.at


# ---------------------------------------------------------------- the participants' judgement


def test_a_participant_who_checked_in_rates_it_once_and_says_if_it_was_real(tree):
    activity, (youth, other) = with_youths(tree, 2)
    with schema_context("gd"):
        mine = signed_up(activity, youth)
        refused(
            "not_ready",
            lambda: services.rate(registration=mine, youth=youth, stars=4, is_real=True),
        )
        with during(activity):
            checkin.mark_present(registration=mine, actor=tree["gd_cadre"])
        refused(
            "not_served",
            lambda: services.rate(registration=mine, youth=other, stars=1, is_real=False),
        )
        refused(
            "invalid", lambda: services.rate(registration=mine, youth=youth, stars=2, is_real="no")
        )
        refused(
            "invalid_stars",
            lambda: services.rate(registration=mine, youth=youth, stars=0, is_real=False),
        )
        rating = services.rate(
            registration=mine, youth=youth, stars=2, is_real=False, comment="和介绍不一样"
        )
        assert (rating.stars, rating.comment, rating.rater_id) == (2, "和介绍不一样", youth.pk)
        refused(
            "already_rated",
            lambda: services.rate(registration=mine, youth=youth, stars=5, is_real=True),
        )
        rated = events("activities.rated").get()
        assert rated.youth_id == youth.pk
        assert {k: rated.data[k] for k in ("activity", "stars", "real", "staff")} == {
            "activity": activity.pk,
            "stars": 2,
            "real": False,
            "staff": False,
        }


def test_a_staff_members_rating_is_kept_apart(tree):
    activity, _ = with_youths(tree)
    staff = tree["gd_expert"]
    with schema_context("gd"):
        registration.register(activity=activity, youth=staff)
        theirs = signed_up(activity, staff)
        with during(activity):
            checkin.mark_present(registration=theirs, actor=tree["gd_cadre"])
        services.rate(registration=theirs, youth=staff, stars=5, is_real=True)
        rated = events("activities.rated").get()
        assert (rated.data["staff"], rated.data["real"]) == (True, True)


# ---------------------------------------------------------------- the figures and the index


def test_the_figures_and_the_index_count_a_held_activity_and_take_back_a_fake(tree):
    activity, (scanner, marked) = with_youths(tree, 2)
    with schema_context("gd"):
        with during(activity):
            code = checkin.venue_code(activity, actor=tree["gd_cadre"]).code
            checkin.scan(code=code, youth=scanner, nonce="n-" + "1" * 16)
            checkin.mark_present(registration=signed_up(activity, marked), actor=tree["gd_cadre"])
            photo(activity, scanner)  # during: no "photo after"
        with after_end(activity):
            photo(activity, tree["gd_cadre"])
            photo(activity, marked)
            assert services.end_due() == 1
        services.rate(
            registration=signed_up(activity, scanner), youth=scanner, stars=4, is_real=False
        )
    assert shipping.ship_committee(tree.gd) > 0
    expected = {
        "activities_published": 1,
        "activities_held": 1,
        "activity_registrations": 2,
        "activity_check_ins": 2,
        "activity_photos": 2,
        "activity_ratings": 1,
        "activity_rating_stars": 4,
        "activity_not_as_described": 1,
        "activities_counted": 1,
        "activities_uncounted": 0,
    }
    for committee, subtree in ((tree.gd, False), (tree.gd, True), (tree.central, True)):
        shown = figures(committee, subtree=subtree)
        assert {k: shown[k] for k in expected} == expected, (committee.code, subtree)
    assert figures(tree.bj, subtree=True)["activities_counted"] == 0
    found = selectors.summary(tree.gd, around_today())
    assert found.index.terms["activities"] == 1 * weight() > 0
    assert found.youths == 2  # reached: checked in
    assert index_term(tree.central) == weight()

    with schema_context("gd"), after_end(activity, days=2):
        fake = Activity.objects.get(pk=activity.pk)
        fake.fake_confirmed_at = timezone.now()
        fake.save(update_fields=["fake_confirmed_at"])
        services.uncount(fake, actor=tree["gd_admin"])
    assert shipping.ship_committee(tree.gd) == 1
    shown = figures(tree.gd, subtree=True)
    assert (shown["activities_counted"], shown["activities_uncounted"]) == (1, 1)
    assert index_term(tree.gd) == 0
    assert index_term(tree.central) == 0


def test_an_activity_without_photos_after_it_adds_nothing_to_the_index(tree):
    activity, (youth,) = with_youths(tree)
    with schema_context("gd"):
        with during(activity):
            checkin.mark_present(registration=signed_up(activity, youth), actor=tree["gd_cadre"])
            photo(activity, tree["gd_cadre"])
        with after_end(activity):
            assert services.end_due() == 1
    assert shipping.ship_committee(tree.gd) > 0
    shown = figures(tree.gd, subtree=True)
    assert (shown["activity_registrations"], shown["activity_check_ins"]) == (1, 1)
    assert (shown["activity_photos"], shown["activities_counted"]) == (0, 0)
    assert index_term(tree.gd) == 0


def test_two_counted_activities_count_twice_and_losing_one_leaves_the_other(tree):
    first, _ = with_youths(tree)
    second, _ = with_youths(tree, title="第二场活动")
    with schema_context("gd"):
        for activity in (first, second):
            with after_end(activity):
                photo(activity, tree["gd_cadre"])
    shipping.ship_committee(tree.gd)
    assert index_term(tree.gd) == 2 * weight()
    with schema_context("gd"):
        fake = Activity.objects.get(pk=first.pk)
        fake.fake_confirmed_at = timezone.now()
        fake.save(update_fields=["fake_confirmed_at"])
        services.uncount(fake, actor=tree["gd_admin"])
        # The confirmation sent again (a retried task, a second click): taken back once.
        services.uncount(Activity.objects.get(pk=first.pk), actor=tree["gd_admin"])
    shipping.ship_committee(tree.gd)
    assert index_term(tree.gd) == 1 * weight()
