"""Online to offline (一键转至线下) in the browser: at 390×844 in zh-hans a cadre sends the youth
who asked a question to a youth home with a time offered, from the question's handling page;
the youth follows the steps on their question's page and confirms the time, which gives them
a booking's check-in code. Then the central office's national service map on the console,
drawn with no tile server, with the homes of two provinces as points."""

from urllib.parse import urlparse

import pytest
from django.urls import reverse
from django.utils import translation
from django_tenants.utils import schema_context

from franchise.models import HomeListing
from homes import services as homes
from homes.models import Booking, HomeEvent, Referral
from qa import services as qa
from tests import factories
from tests.e2e.test_browser import page, sign_in  # noqa: F401 - the Chromium page fixture

TITLE = "暑假想找个安静的地方自习，附近有吗"
BODY = "家里弟弟妹妹太吵了，想找个能整天学习的地方准备考研。"


def _label(kind: str) -> str:
    with translation.override("zh-hans"):
        return str(HomeEvent(kind).label)


def _message(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def _only(tab, origin: str) -> list[str]:
    """Let the tab reach ``origin`` only: any other address is refused and noted in the list
    returned."""
    elsewhere: list[str] = []

    def only_here(route):
        if route.request.url.startswith(origin):
            return route.continue_()
        elsewhere.append(route.request.url)
        return route.abort()

    tab.route("**/*", only_here)
    return elsewhere


def _log_out(tab, site: str) -> None:
    tab.click("[data-testid=logout]")
    tab.wait_for_url(f"{site}/")


@pytest.mark.slow
@pytest.mark.browser
def test_a_cadre_sends_the_youth_to_a_home_and_the_youth_confirms_the_time(
    committed_tree,
    live_server,
    page,  # noqa: F811
    tmp_path,
):
    home_staff = factories.staff(committed_tree["gd"], "org_member")
    slot = factories.youth_home("gd", home_staff)
    home = slot.service.home_id
    cadre = factories.staff(committed_tree["gd"], "cadre")
    youth = factories.account(name="小青")
    with schema_context("gd"):
        question = qa.ask_question(asker=youth, title=TITLE, body=BODY, category="study")
    portal = f"http://gd.localhost:{urlparse(live_server.url).port}"
    elsewhere = _only(page, portal)

    # The cadre chooses the home and the time in the offline box and clicks the one button.
    handling = reverse("qa:handle", args=[question.pk])
    sign_in(page, portal, cadre, handling)
    box = page.locator("[data-testid=refer-form]")
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "handle-before.png"), full_page=True)
    listed = HomeListing.objects.get(committee__code="gd", home_id=home).pk
    page.check(f"[data-testid=listing-{listed}]")
    page.select_option(f"[data-testid=refer-slot-{listed}]", str(slot.pk))
    page.click("[data-testid=refer]")
    page.wait_for_selector(".messages .success")
    assert page.url.split("#")[0] == f"{portal}{handling}"
    sent = _message("Sent: the youth is offered the time and confirms.")
    assert sent in page.inner_text(".messages")
    steps = page.inner_text("[data-testid=offline-steps]")
    assert _label(HomeEvent.REFERRED) in steps
    assert _label(HomeEvent.REFERRAL_OFFERED) in steps
    assert "天河青年之家" in steps
    page.screenshot(path=str(tmp_path / "handle-sent.png"), full_page=True)
    with schema_context("gd"):
        referral = Referral.objects.get()
        assert (referral.state, referral.slot_id, referral.youth_id) == (
            "offered",
            slot.pk,
            youth.pk,
        )
    _log_out(page, portal)

    # The youth sees the steps where they asked, and confirms the time on their bookings.
    asked = reverse("qa:question", args=[question.pk])
    sign_in(page, portal, youth, asked)
    steps = page.inner_text("[data-testid=offline-steps]")
    assert _label(HomeEvent.REFERRAL_OFFERED) in steps
    assert _label(HomeEvent.REFERRAL_BOOKED) not in steps
    page.screenshot(path=str(tmp_path / "question-offered.png"), full_page=True)
    page.goto(f"{portal}/homes/mine/")
    assert "天河青年之家" in page.inner_text("[data-testid=my-referrals]")
    page.screenshot(path=str(tmp_path / "mine-offered.png"), full_page=True)
    page.click("[data-testid=confirm-referral]")
    page.wait_for_selector(".messages .success")
    assert _message("Booked: show your code at the door.") in page.inner_text(".messages")
    code = page.inner_text("[data-testid=check-in-code]")
    assert page.is_visible("[data-testid=check-in-qr] svg")
    assert not page.locator("[data-testid=my-referrals]").count()  # nothing left to confirm
    page.screenshot(path=str(tmp_path / "mine-booked.png"), full_page=True)

    page.goto(f"{portal}{asked}")
    steps = page.inner_text("[data-testid=offline-steps]")
    for kind in (HomeEvent.REFERRED, HomeEvent.REFERRAL_OFFERED, HomeEvent.REFERRAL_BOOKED):
        assert _label(kind) in steps
    page.screenshot(path=str(tmp_path / "question-booked.png"), full_page=True)
    assert elsewhere == []
    with schema_context("gd"):
        booking = Booking.objects.get(code=code)
        assert (booking.state, booking.slot_id) == ("confirmed", slot.pk)
        assert booking.youth_id == youth.pk
        assert Referral.objects.get().booking_id == booking.pk


@pytest.mark.slow
@pytest.mark.browser
def test_the_central_admin_sees_the_homes_of_two_provinces_on_the_national_map(
    committed_tree,
    live_server,
    page,  # noqa: F811
    tmp_path,
):
    factories.youth_home("gd", factories.staff(committed_tree["gd"], "org_member"))
    beijing = factories.youth_home(
        "bj", factories.staff(committed_tree["bj"], "org_member"), name="朝阳青年之家"
    )
    with schema_context("bj"):
        homes.change_home(
            home=beijing.service.home,
            address="北京市朝阳区工人体育场北路1号",
            district="朝阳区",
            latitude="39.930000",
            longitude="116.450000",
        )
    admin = factories.staff(committed_tree["central"], "admin")
    console = f"http://localhost:{urlparse(live_server.url).port}"
    page.set_viewport_size({"width": 1280, "height": 900})
    elsewhere = _only(page, console)

    sign_in(page, console, admin, "/reports/homes/")
    # The provinces from the app's own GeoJSON, each home as a point.
    page.wait_for_selector("[data-testid=home-map][data-ready='2']")
    assert page.get_attribute("[data-testid=home-map]", "data-total") == "2"
    assert page.locator("[data-testid=home-map] path").count() > 30  # provinces and points
    assert page.locator(".leaflet-interactive").count() == 2  # the points only
    assert page.inner_text("[data-testid=homes-count]") == "2"
    meeting = HomeListing.objects.filter(is_published=True, meets_standard=True).count()
    assert page.inner_text("[data-testid=homes-meeting]") == str(meeting)
    assert page.inner_text("[data-testid=node]").startswith("共青团中央")
    page.screenshot(path=str(tmp_path / "national-map.png"), full_page=True)
    assert elsewhere == []
