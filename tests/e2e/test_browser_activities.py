"""An activity in the browser at 390×844 in zh-hans: a committee's cadre publishes an
activity for teams from the workbench and puts its check-in code on the venue's screen; a
youth forms a team, a friend joins it by the invitation link, the captain registers the
team, checks in at the venue by a photo of the screen's code (decoded in the page) and rates
the activity. Nothing the youths see is left in English."""

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
import segno
from django.utils import timezone
from django_tenants.utils import schema_context

from activities.models import Activity, CheckIn, Registration, Squad
from ratings.models import Rating
from tests import factories
from tests.e2e.test_browser import page, sign_in  # noqa: F401 - the Chromium page fixture
from tests.portal.test_no_english import ALLOWED, LATIN_WORD, NOT_WORDS

TITLE = "青春志愿行 · 城市定向赛"
VENUE = (23.138, 113.326)  # 广州市天河区体育中心
LOCAL = "%Y-%m-%dT%H:%M"  # what a datetime-local field takes


def english(tab) -> list[str]:
    """The Latin words a person sees on the page (names of formats and addresses aside)."""
    text = NOT_WORDS.sub(" ", tab.inner_text("body"))
    return [word for word in LATIN_WORD.findall(text) if word not in ALLOWED]


@pytest.mark.slow
@pytest.mark.browser
def test_a_team_registers_for_an_activity_checks_in_by_scanning_and_rates_it(
    committed_tree,
    live_server,
    page,  # noqa: F811
    tmp_path,
):
    organiser = factories.staff(committed_tree["gd"], "cadre")
    captain, friend = factories.account(name="小青"), factories.account(name="小红")
    portal = f"http://gd.localhost:{urlparse(live_server.url).port}"
    # The network ends at this machine: any address but the portal's is refused and noted.
    elsewhere: list[str] = []

    def only_here(route):
        if route.request.url.startswith(portal):
            return route.continue_()
        elsewhere.append(route.request.url)
        return route.abort()

    def tab():
        """Another phone: a browser context of its own (its own session)."""
        context = page.context.browser.new_context(
            viewport={"width": 390, "height": 844}, locale="zh-CN"
        )
        opened = context.new_page()
        opened.route("**/*", only_here)
        return opened

    def shot(tab_, name: str) -> None:
        tab_.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)

    seen_in_english: dict[str, list[str]] = {}

    def youth_page(tab_, name: str) -> None:
        shot(tab_, name)
        if words := english(tab_):
            seen_in_english[name] = words

    page.route("**/*", only_here)
    page.context.grant_permissions(["geolocation"], origin=portal)
    page.context.set_geolocation({"latitude": 23.1381, "longitude": 113.3261, "accuracy": 20})

    # The cadre publishes an activity starting in ten minutes (check-in opens an hour before).
    venue = tab()
    sign_in(venue, portal, organiser, "/workbench/activities/")
    starts = timezone.localtime().replace(second=0, microsecond=0) + timedelta(minutes=10)
    form = venue.locator("[data-testid=publish]")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=description]").fill("以队为单位完成城市定向任务，结束后分享照片。")
    form.locator("select[name=category]").select_option("volunteer")
    form.locator("input[name=place]").fill("广州市天河区体育中心")
    form.locator("input[name=latitude]").fill(f"{VENUE[0]:.6f}")
    form.locator("input[name=longitude]").fill(f"{VENUE[1]:.6f}")
    form.locator("input[name=starts_at]").fill(starts.strftime(LOCAL))
    form.locator("input[name=ends_at]").fill((starts + timedelta(hours=3)).strftime(LOCAL))
    form.locator("input[name=registration_closes_at]").fill(starts.strftime(LOCAL))
    form.locator("input[name=capacity]").fill("10")
    form.locator("input[name=allows_teams]").check()
    form.locator("input[name=team_min]").fill("2")
    form.locator("input[name=team_max]").fill("3")
    form.locator("input[name=team_max]").blur()
    shot(venue, "publish")
    venue.click("[data-testid=publish-button]")
    venue.wait_for_url(re.compile(rf"{re.escape(portal)}/workbench/activities/\d+/$"))
    assert "已发布" in venue.inner_text(".messages")
    with schema_context("gd"):
        activity = Activity.objects.get()
    assert (activity.title, activity.allows_teams, activity.team_min, activity.team_max) == (
        TITLE,
        True,
        2,
        3,
    )
    assert activity.starts_at == starts and activity.created_by_id == organiser.pk
    assert venue.url == f"{portal}/workbench/activities/{activity.pk}/"
    assert venue.inner_text("[data-testid=registered-count]") == "0 / 10"
    shot(venue, "manage")

    # The venue's screen shows the rotating code as a QR.
    venue.click("[data-testid=venue-link]")
    venue.wait_for_url(f"{portal}/workbench/activities/{activity.pk}/venue/")
    assert venue.locator("[data-testid=venue-code] svg").count() == 1
    assert venue.is_visible("[data-testid=venue-code] svg")
    box = venue.locator("[data-testid=venue-code] svg").bounding_box()
    assert box["width"] <= 390 and box["x"] >= 0  # the QR fits the phone's width
    shot(venue, "venue")

    # The captain forms a team on the activity's page and gets its invitation link.
    sign_in(page, portal, captain, f"/activities/{activity.pk}/")
    assert TITLE in page.inner_text("[data-testid=activity]")
    assert "10" in page.inner_text("[data-testid=places]")
    youth_page(page, "activity")
    page.fill("[data-testid=form-team] input[name=name]", "追风队")
    page.click("[data-testid=form-team-button]")
    page.wait_for_url(re.compile(rf"{re.escape(portal)}/activities/teams/[\w-]+/$"))
    assert "队伍已组建" in page.inner_text(".messages")
    invite = page.input_value("[data-testid=invite-link]")
    with schema_context("gd"):
        squad = Squad.objects.get()
    assert invite == f"{portal}/activities/teams/{squad.token}/"
    assert page.inner_text("[data-testid=team] h1") == "追风队"
    youth_page(page, "team-forming")

    # A friend opens the link and joins.
    other = tab()
    sign_in(other, portal, friend, urlparse(invite).path)
    assert "小青" in other.inner_text("[data-testid=members]")
    other.click("[data-testid=join-team]")
    other.wait_for_selector("[data-testid=members] li >> nth=1")
    assert "你已加入队伍" in other.inner_text(".messages")
    assert other.inner_text("[data-testid=members]").count("\n") >= 1
    assert "小红" in other.inner_text("[data-testid=members]")
    youth_page(other, "team-joined")

    # The captain registers the team: a place for each member.
    page.reload()
    page.click("[data-testid=register-team]")
    page.wait_for_selector(".messages .success")
    assert "队伍报名成功" in page.inner_text(".messages")
    with schema_context("gd"):
        registered = set(
            Registration.objects.filter(activity=activity, state="registered").values_list(
                "youth_id", flat=True
            )
        )
        assert Squad.objects.get().state == "registered"
    assert registered == {captain.pk, friend.pk}
    youth_page(page, "team-registered")

    # At the venue: a photo of the screen's code, read in the page, checks the captain in.
    shown = venue.evaluate(
        "url => fetch(url, {credentials: 'same-origin'}).then(r => r.json())",
        f"/api/v1/activities/{activity.pk}/venue-code/",
    )
    assert shown["url"] == f"{portal}/activities/scan/?c={shown['code']}"
    photo = tmp_path / "venue-code.png"
    segno.make_qr(shown["url"]).save(str(photo), scale=8)
    page.goto(f"{portal}/activities/scan/")
    youth_page(page, "scanner")
    page.set_input_files("[data-testid=scan-photo]", str(photo))
    page.wait_for_selector("[data-testid=scan-status][data-state]")
    status = page.inner_text("[data-testid=scan-status]")
    assert "签到成功" in status and TITLE in status, status
    youth_page(page, "checked-in")
    with schema_context("gd"):
        check_in = CheckIn.objects.select_related("registration").get()
    assert (check_in.registration.youth_id, check_in.method) == (captain.pk, "scan")
    assert check_in.distance_m is not None and check_in.distance_m < 100  # the phone's position

    # The friend checks in from a photo of the venue's screen itself.
    screen = tmp_path / "venue-screen.png"
    venue.locator("[data-testid=venue-code]").screenshot(path=str(screen))
    other.goto(f"{portal}/activities/scan/")
    other.set_input_files("[data-testid=scan-photo]", str(screen))
    other.wait_for_selector("[data-testid=scan-status][data-state]")
    assert "签到成功" in other.inner_text("[data-testid=scan-status]")
    with schema_context("gd"):
        assert CheckIn.objects.filter(registration__youth=friend).exists()

    # The captain rates the activity on its page.
    page.goto(f"{portal}/activities/{activity.pk}/")
    assert "已签到" in page.inner_text("[data-testid=registered]")
    rate = page.locator("[data-testid=rate]")
    rate.locator("select[name=stars]").select_option("5")
    rate.locator("select[name=is_real]").select_option("yes")
    rate.locator("input[name=comment]").fill("路线设计很用心，队友配合默契")
    youth_page(page, "rate")
    page.click("[data-testid=send-rating]")
    page.wait_for_selector(".messages .success")
    assert "感谢评价" in page.inner_text(".messages")
    assert not page.locator("[data-testid=rate]").count()  # once
    youth_page(page, "rated")
    with schema_context("gd"):
        rating = Rating.objects.get()
    assert (rating.stars, rating.rater_id, rating.comment) == (
        5,
        captain.pk,
        "路线设计很用心，队友配合默契",
    )

    # The organisers' page counts the check-in and the rating.
    venue.goto(f"{portal}/workbench/activities/{activity.pk}/")
    assert venue.inner_text("[data-testid=registered-count]") == "2 / 10"
    assert venue.inner_text("[data-testid=checked-in-count]") == "2"
    shot(venue, "manage-after")
    assert seen_in_english == {}
    assert elsewhere == []


def _soon_activity(committee, youth):
    """An activity of gd starting in ten minutes (inside its check-in window), ``youth``
    registered for it."""
    from activities import registration

    organiser = factories.staff(committee, "cadre")
    soon = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=10)
    activity = factories.activity("gd", organiser, starts_at=soon)
    with schema_context("gd"):
        registration.register(activity=activity, youth=youth)
    return activity, organiser


@pytest.mark.slow
@pytest.mark.browser
def test_a_scan_made_offline_is_kept_on_the_phone_and_sent_when_it_is_back_online(
    committed_tree,
    live_server,
    page,  # noqa: F811
    tmp_path,
):
    from activities import checkin

    youth = factories.account(name="小青")
    activity, organiser = _soon_activity(committed_tree["gd"], youth)
    portal = f"http://gd.localhost:{urlparse(live_server.url).port}"
    with schema_context("gd"):
        code = checkin.venue_code(activity, actor=organiser)
    photo = tmp_path / "venue-code.png"
    segno.make_qr(f"{portal}{code.url}").save(str(photo), scale=8)

    sign_in(page, portal, youth, "/activities/scan/")
    page.context.set_offline(True)
    page.set_input_files("[data-testid=scan-photo]", str(photo))
    page.wait_for_selector("[data-testid=scan-status][data-state=kept]")
    assert "无网络" in page.inner_text("[data-testid=scan-status]")
    assert page.is_visible("[data-testid=pending]")
    assert page.inner_text("[data-testid=pending]").endswith("1")
    page.screenshot(path=str(tmp_path / "kept-offline.png"), full_page=True)
    with schema_context("gd"):
        assert not CheckIn.objects.exists()

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("[data-testid=scan-status][data-state=done]")
    assert "签到成功" in page.inner_text("[data-testid=scan-status]")
    with schema_context("gd"):
        check_in = CheckIn.objects.select_related("registration").get()
    assert check_in.registration.youth_id == youth.pk and not check_in.is_offline
    assert page.evaluate("localStorage.getItem('yv.activity-scans')") == "[]"
    page.screenshot(path=str(tmp_path / "sent-online.png"), full_page=True)
    # Nothing waits to be sent any more: the count of waiting scans is not shown.
    assert not page.is_visible("[data-testid=pending]"), page.inner_text("[data-testid=pending]")


@pytest.mark.slow
@pytest.mark.browser
def test_an_activitys_page_says_baoming_for_registering_not_zhuce(
    committed_tree,
    live_server,
    page,  # noqa: F811
):
    """报名 is taking part in an activity; 注册 is opening an account."""
    organiser = factories.staff(committed_tree["gd"], "cadre")
    activity = factories.activity("gd", organiser)
    youth = factories.account(name="小青")
    portal = f"http://gd.localhost:{urlparse(live_server.url).port}"
    sign_in(page, portal, youth, f"/activities/{activity.pk}/")
    facts = page.inner_text("[data-testid=activity] .facts")
    button = page.inner_text("[data-testid=register]")
    assert "报名" in button and "注册" not in button, button
    assert "注册" not in facts, facts
