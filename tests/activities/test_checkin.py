"""Checking in at an activity's venue (签到定位): only its organisers show the rotating code;
a registered youth who scans the code shown now (or the one just before) is checked in once,
however often they scan or upload the scan again; an old, forged, re-keyed or another
committee's code is refused; a scan made offline during the activity is taken when uploaded
later, within two days; a phone that says it is far from the venue is refused (its stated
inaccuracy allowed, up to a limit), an online activity asks no position; and the organisers
may mark a youth present from the list instead."""

import math
import uuid
from datetime import timedelta

import pytest
import time_machine
from django_tenants.utils import schema_context

from activities import checkin, registration
from activities.models import Activity, CheckIn, new_secret
from core.errors import ServiceError
from core.geo import EARTH_RADIUS_M, distance_m
from tests import factories

VENUE = (23.138, 113.326)  # tests.factories.activity's venue
BEIJING = (39.9, 116.4)
CHECKED_IN = "activities.checked_in"


def refused(code: str, call) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.code == code, caught.value
    return caught.value


def events(kind: str = CHECKED_IN) -> int:
    from timeline.models import Event

    return Event.objects.filter(kind=kind).count()


def nonce() -> str:
    return uuid.uuid4().hex


def north_of_venue(metres: float) -> tuple[float, float]:
    """A position ``metres`` due north of the venue (along its meridian: exactly that far)."""
    return VENUE[0] + metres / (math.pi * EARTH_RADIUS_M / 180), VENUE[1]


def with_youths(tree, n: int = 1, **fields) -> tuple[Activity, list]:
    """An activity of Guangdong's (tomorrow 14:00–17:00) and ``n`` youths registered for it."""
    activity = factories.activity("gd", tree["gd_cadre"], **fields)
    youths = [factories.account(name=f"青年{i}") for i in range(n)]
    with schema_context("gd"):
        for youth in youths:
            registration.register(activity=activity, youth=youth)
    return activity, youths


def shown_now(activity: Activity, tree) -> checkin.VenueCode:
    return checkin.venue_code(activity, actor=tree["gd_cadre"])


def test_only_the_organisers_show_the_venue_code(tree):
    activity, (youth,) = with_youths(tree)
    with schema_context("gd"), time_machine.travel(activity.starts_at, tick=False):
        refused("forbidden", lambda: checkin.venue_code(activity, actor=youth))
        # Staff of the committee who do not run its activities do not show it either.
        refused("forbidden", lambda: checkin.venue_code(activity, actor=tree["gd_expert"]))
        shown = checkin.venue_code(activity, actor=tree["gd_cadre"])
        assert shown.code == checkin.venue_code(activity, actor=tree["gd_admin"]).code
        assert shown.code.startswith(f"{activity.pk}.{checkin.window_of(activity.starts_at)}.")
        assert shown.url.endswith(f"?c={shown.code}")
        assert shown.expires_at == activity.starts_at + timedelta(seconds=checkin.WINDOW_S)


def test_scanning_the_code_shown_now_checks_the_youth_in(tree):
    activity, (youth,) = with_youths(tree)
    with schema_context("gd"), time_machine.travel(activity.starts_at, tick=False):
        done = checkin.scan(code=shown_now(activity, tree).code, youth=youth, nonce=nonce())
        assert done.is_new
        made = CheckIn.objects.get()
        assert made == done.check_in
        assert (made.registration.youth_id, made.method, made.is_offline, made.by_id) == (
            youth.pk,
            "scan",
            False,
            youth.pk,
        )
        assert made.scanned_at == activity.starts_at
        from timeline.models import Event

        event = Event.objects.get(kind=CHECKED_IN)
        assert (event.youth_id, event.data["method"], event.data["offline"]) == (
            youth.pk,
            "scan",
            False,
        )
        assert event.data["activity"] == activity.pk


def test_the_code_of_the_window_just_before_still_scans_but_not_older(tree):
    activity, (late, later) = with_youths(tree, 2)
    during = activity.starts_at + timedelta(minutes=10)
    with schema_context("gd"), time_machine.travel(during, tick=False):
        now = checkin.window_of(during)
        just_before = checkin.code_for(activity, now - checkin.GRACE_WINDOWS)
        older = checkin.code_for(activity, now - checkin.GRACE_WINDOWS - 1)
        refused("expired", lambda: checkin.scan(code=older, youth=later, nonce=nonce()))
        assert checkin.scan(code=just_before, youth=late, nonce=nonce()).is_new
        # A code of a window still to come was never shown.
        ahead = checkin.code_for(activity, now + 1)
        refused("expired", lambda: checkin.scan(code=ahead, youth=later, nonce=nonce()))
        assert CheckIn.objects.count() == 1 and events() == 1


def test_a_code_scanned_seconds_later_works_in_the_next_window_not_the_one_after(tree):
    activity, (first, second) = with_youths(tree, 2)
    shown_at = activity.starts_at + timedelta(minutes=5)
    assert shown_at.timestamp() % checkin.WINDOW_S == 0  # the start of a window
    with schema_context("gd"):
        with time_machine.travel(shown_at, tick=False):
            code = shown_now(activity, tree).code
        with time_machine.travel(shown_at + timedelta(seconds=checkin.WINDOW_S + 1), tick=False):
            assert checkin.scan(code=code, youth=first, nonce=nonce()).is_new
        two_windows = timedelta(seconds=2 * checkin.WINDOW_S + 1)
        with time_machine.travel(shown_at + two_windows, tick=False):
            refused("expired", lambda: checkin.scan(code=code, youth=second, nonce=nonce()))
        assert list(CheckIn.objects.values_list("registration__youth", flat=True)) == [first.pk]


def test_a_forged_code_is_refused(tree):
    activity, (youth,) = with_youths(tree)
    other = factories.activity("gd", tree["gd_cadre"], title="另一个活动")
    with schema_context("gd"), time_machine.travel(activity.starts_at, tick=False):
        code = shown_now(activity, tree).code
        pk, window, mac = code.split(".")
        flipped = mac[:-1] + ("0" if mac[-1] != "0" else "1")
        for forged in (
            f"{pk}.{window}.{flipped}",  # the signature changed
            f"{pk}.{window}.{mac[:-1]}",  # cut short
            f"{other.pk}.{window}.{mac}",  # another activity's id with this signature
            f"{pk}.{int(window) - 1}.{mac}",  # another window with this signature
            f"{pk}.{window}.{mac}.1",
            "",
            "   ",
            "garbage",
            "1.2",
            "a.b.c",
            f"-{pk}.{window}.{mac}",
            f"{pk}.-{window}.{mac}",
            "99999999999999999999999.1.abcdef",  # no such row, and beyond any id
        ):
            refused("bad_code", lambda c=forged: checkin.scan(code=c, youth=youth, nonce=nonce()))
        assert CheckIn.objects.count() == 0 and events() == 0
        # The genuine code still works.
        assert checkin.scan(code=code, youth=youth, nonce=nonce()).is_new


def test_a_code_with_digits_that_are_not_decimal_is_refused_not_a_crash(tree):
    """str.isdigit() takes "²" and "٣"; int() refuses "²": a garbage code must still come back
    ``bad_code``, not an exception the scan page turns into a server error."""
    activity, (youth,) = with_youths(tree)
    with schema_context("gd"), time_machine.travel(activity.starts_at, tick=False):
        for garbage in ("².1.abc", f"{activity.pk}.².abc", "①.1.abc"):
            refused("bad_code", lambda c=garbage: checkin.scan(code=c, youth=youth, nonce=nonce()))


def test_a_new_checkin_secret_voids_the_codes_shown_before(tree):
    activity, (youth,) = with_youths(tree)
    with schema_context("gd"), time_machine.travel(activity.starts_at, tick=False):
        code = shown_now(activity, tree).code
        Activity.objects.filter(pk=activity.pk).update(checkin_secret=new_secret())
        refused("bad_code", lambda: checkin.scan(code=code, youth=youth, nonce=nonce()))
        fresh = shown_now(Activity.objects.get(pk=activity.pk), tree).code
        assert fresh != code
        assert checkin.scan(code=fresh, youth=youth, nonce=nonce()).is_new


def test_another_committees_code_is_refused(tree):
    activity, (youth,) = with_youths(tree)
    theirs = factories.activity("bj", tree["bj_cadre"], title="北京的活动")
    window = checkin.window_of(activity.starts_at)
    with time_machine.travel(activity.starts_at, tick=False):
        with schema_context("bj"):
            bj_code = checkin.venue_code(theirs, actor=tree["bj_cadre"]).code
            # Even this activity's id, window and secret, signed with Beijing's key.
            ours_signed_there = checkin.code_for(activity, window)
        with schema_context("gd"):
            assert ours_signed_there != checkin.code_for(activity, window)
            for code in (bj_code, ours_signed_there):
                refused("bad_code", lambda c=code: checkin.scan(code=c, youth=youth, nonce=nonce()))
            assert CheckIn.objects.count() == 0


def test_check_in_opens_an_hour_before_the_start(tree):
    activity, (early, on_time) = with_youths(tree, 2)
    too_early = activity.starts_at - checkin.CHECK_IN_FROM - timedelta(minutes=1)
    with schema_context("gd"):
        with time_machine.travel(too_early, tick=False):
            code = shown_now(activity, tree).code
            refused("not_now", lambda: checkin.scan(code=code, youth=early, nonce=nonce()))
        with time_machine.travel(activity.starts_at - checkin.CHECK_IN_FROM, tick=False):
            code = shown_now(activity, tree).code
            assert checkin.scan(code=code, youth=on_time, nonce=nonce()).is_new
        after = activity.ends_at + timedelta(minutes=1)
        with time_machine.travel(after, tick=False):
            code = shown_now(activity, tree).code
            refused("not_now", lambda: checkin.scan(code=code, youth=early, nonce=nonce()))
        assert CheckIn.objects.count() == 1


def test_the_scan_page_address_is_taken_as_well_as_the_bare_code(tree):
    activity, (by_url, by_link, by_code) = with_youths(tree, 3)
    with schema_context("gd"), time_machine.travel(activity.starts_at, tick=False):
        shown = shown_now(activity, tree)
        assert "?c=" in shown.url
        assert checkin.scan(code=shown.url, youth=by_url, nonce=nonce()).is_new
        link = f"https://gd.localhost{shown.url}"
        assert checkin.scan(code=link, youth=by_link, nonce=nonce()).is_new
        assert checkin.scan(code=f"  {shown.code}\n", youth=by_code, nonce=nonce()).is_new
        assert CheckIn.objects.count() == 3 and events() == 3


def test_an_offline_scan_is_taken_when_uploaded_later_once_and_within_two_days(tree):
    activity, (youth, late, just_in_time) = with_youths(tree, 3)
    shown_at = activity.starts_at + timedelta(minutes=30)
    with schema_context("gd"):
        with time_machine.travel(shown_at, tick=False):
            code = shown_now(activity, tree).code
        scan_nonce = nonce()
        with time_machine.travel(shown_at + timedelta(hours=3), tick=False):
            # Sent as if online, three hours on, it has expired.
            refused("expired", lambda: checkin.scan(code=code, youth=youth, nonce=scan_nonce))
            first = checkin.scan(code=code, youth=youth, nonce=scan_nonce, is_offline=True)
            again = checkin.scan(code=code, youth=youth, nonce=scan_nonce, is_offline=True)
        assert first.is_new and not again.is_new
        assert again.check_in.pk == first.check_in.pk
        made = CheckIn.objects.get()
        assert made.is_offline and made.scanned_at == shown_at
        assert made.uploaded_at == shown_at + timedelta(hours=3)
        assert events() == 1
        too_late = shown_at + checkin.OFFLINE_UPLOAD_WITHIN + timedelta(minutes=1)
        with time_machine.travel(too_late, tick=False):
            refused(
                "expired",
                lambda: checkin.scan(code=code, youth=late, nonce=nonce(), is_offline=True),
            )
        in_time = shown_at + checkin.OFFLINE_UPLOAD_WITHIN - timedelta(minutes=1)
        with time_machine.travel(in_time, tick=False):
            taken = checkin.scan(code=code, youth=just_in_time, nonce=nonce(), is_offline=True)
            assert taken.is_new and taken.check_in.is_offline
        assert CheckIn.objects.count() == 2 and events() == 2
        assert not CheckIn.objects.filter(registration__youth=late).exists()


def test_an_offline_scan_of_a_code_shown_before_check_in_opened_is_refused(tree):
    activity, (youth,) = with_youths(tree)
    shown_at = activity.starts_at - checkin.CHECK_IN_FROM - timedelta(minutes=5)
    with schema_context("gd"):
        with time_machine.travel(shown_at, tick=False):
            code = shown_now(activity, tree).code
        with time_machine.travel(activity.starts_at, tick=False):
            refused(
                "not_now",
                lambda: checkin.scan(code=code, youth=youth, nonce=nonce(), is_offline=True),
            )
        assert CheckIn.objects.count() == 0


def test_a_youth_scanning_again_stays_checked_in_once(tree):
    activity, (youth,) = with_youths(tree)
    with schema_context("gd"):
        with time_machine.travel(activity.starts_at, tick=False):
            first = checkin.scan(code=shown_now(activity, tree).code, youth=youth, nonce=nonce())
        with time_machine.travel(activity.starts_at + timedelta(minutes=20), tick=False):
            again = checkin.scan(code=shown_now(activity, tree).code, youth=youth, nonce=nonce())
        assert first.is_new and not again.is_new
        assert again.check_in.pk == first.check_in.pk
        assert again.check_in.scanned_at == activity.starts_at  # the first scan stands
        assert CheckIn.objects.count() == 1 and events() == 1


def test_a_nonce_used_by_another_youth_is_refused(tree):
    activity, (youth, copier) = with_youths(tree, 2)
    with schema_context("gd"), time_machine.travel(activity.starts_at, tick=False):
        code = shown_now(activity, tree).code
        taken = nonce()
        assert checkin.scan(code=code, youth=youth, nonce=taken).is_new
        refused("bad_code", lambda: checkin.scan(code=code, youth=copier, nonce=taken))
        assert not CheckIn.objects.filter(registration__youth=copier).exists()
        assert events() == 1
        # With a nonce of their own they check in.
        assert checkin.scan(code=code, youth=copier, nonce=nonce()).is_new


def test_a_scan_needs_its_nonce(tree):
    activity, (youth,) = with_youths(tree)
    with schema_context("gd"), time_machine.travel(activity.starts_at, tick=False):
        code = shown_now(activity, tree).code
        for bad in ("", "   ", "short", "x" * 65):
            refused("invalid", lambda n=bad: checkin.scan(code=code, youth=youth, nonce=n))
        assert CheckIn.objects.count() == 0


def test_a_phone_far_from_the_venue_is_refused_and_nothing_is_recorded(tree):
    activity, (youth,) = with_youths(tree)
    with schema_context("gd"), time_machine.travel(activity.starts_at, tick=False):
        code = shown_now(activity, tree).code
        error = refused(
            "too_far",
            lambda: checkin.scan(
                code=code,
                youth=youth,
                nonce=nonce(),
                latitude=BEIJING[0],
                longitude=BEIJING[1],
                accuracy_m=10_000,
            ),
        )
        km = distance_m(*BEIJING, *VENUE) / 1000
        assert f"{km:.1f}" in str(error.message) and km > 1800
        assert CheckIn.objects.count() == 0 and events() == 0


def test_how_far_a_phone_may_be_allows_its_stated_inaccuracy_up_to_a_limit(tree):
    activity, youths = with_youths(tree, 6)
    near, blurred, far_blurry, inaccurate, far_precise, no_accuracy = youths
    limit = checkin.PLAUSIBLE_M + checkin.ACCURACY_MAX_M  # the farthest ever taken
    with schema_context("gd"), time_machine.travel(activity.starts_at, tick=False):
        code = shown_now(activity, tree).code

        def scan(youth, metres, accuracy=None):
            lat, lng = north_of_venue(metres)
            return checkin.scan(
                code=code,
                youth=youth,
                nonce=nonce(),
                latitude=lat,
                longitude=lng,
                accuracy_m=accuracy,
            )

        done = scan(near, 300)
        assert done.is_new and done.check_in.distance_m == 300
        # 800 m with 50 m of stated inaccuracy: beyond 500 + 50.
        refused("too_far", lambda: scan(far_precise, 800, 50))
        # 650 m: refused with 50 m of inaccuracy, taken with 400 (counted as at most 200).
        refused("too_far", lambda: scan(blurred, 650, 50))
        assert scan(inaccurate, 650, 400).check_in.distance_m == 650
        # An inaccuracy beyond the limit buys no more than the limit.
        refused("too_far", lambda: scan(far_blurry, limit + 20, 5000))
        assert scan(far_blurry, limit - 20, 5000).is_new
        # No stated accuracy: the plausible distance alone.
        refused("too_far", lambda: scan(no_accuracy, checkin.PLAUSIBLE_M + 20))
        assert scan(no_accuracy, checkin.PLAUSIBLE_M - 20).is_new
        assert CheckIn.objects.count() == 4 and events() == 4
        assert not CheckIn.objects.filter(registration__youth__in=[blurred, far_precise]).exists()


def test_a_youth_who_did_not_register_is_refused(tree):
    activity, _ = with_youths(tree)
    stranger = factories.account(name="路人")
    with schema_context("gd"), time_machine.travel(activity.starts_at, tick=False):
        code = shown_now(activity, tree).code
        refused("not_registered", lambda: checkin.scan(code=code, youth=stranger, nonce=nonce()))
        assert CheckIn.objects.count() == 0 and events() == 0


def test_an_online_activity_asks_no_position(tree):
    activity, (youth,) = with_youths(tree, is_online=True, place="", latitude=None, longitude=None)
    assert not activity.has_venue
    with schema_context("gd"), time_machine.travel(activity.starts_at, tick=False):
        done = checkin.scan(
            code=shown_now(activity, tree).code,
            youth=youth,
            nonce=nonce(),
            latitude=BEIJING[0],
            longitude=BEIJING[1],
        )
        assert done.is_new and done.check_in.distance_m is None


def test_the_organisers_mark_a_youth_present_once(tree):
    activity, (youth,) = with_youths(tree)
    with schema_context("gd"):
        signed_up = activity.registrations.get(youth_id=youth.pk)
        too_early = activity.starts_at - checkin.CHECK_IN_FROM - timedelta(minutes=1)
        with time_machine.travel(too_early, tick=False):
            refused(
                "not_now",
                lambda: checkin.mark_present(registration=signed_up, actor=tree["gd_cadre"]),
            )
        with time_machine.travel(activity.starts_at + timedelta(minutes=15), tick=False):
            refused("forbidden", lambda: checkin.mark_present(registration=signed_up, actor=youth))
            refused(
                "forbidden",
                lambda: checkin.mark_present(registration=signed_up, actor=tree["gd_expert"]),
            )
            assert CheckIn.objects.count() == 0
            first = checkin.mark_present(registration=signed_up, actor=tree["gd_cadre"])
            again = checkin.mark_present(registration=signed_up, actor=tree["gd_admin"])
            # The youth scanning as well changes nothing.
            scanned = checkin.scan(code=shown_now(activity, tree).code, youth=youth, nonce=nonce())
        assert first.is_new and not again.is_new and not scanned.is_new
        made = CheckIn.objects.get()
        assert (made.method, made.by_id, made.registration_id) == (
            "staff",
            tree["gd_cadre"].pk,
            signed_up.pk,
        )
        from timeline.models import Event

        event = Event.objects.get(kind=CHECKED_IN)
        assert (event.actor_id, event.youth_id, event.data["method"]) == (
            tree["gd_cadre"].pk,
            youth.pk,
            "staff",
        )
