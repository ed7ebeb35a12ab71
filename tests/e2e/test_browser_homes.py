"""A youth home in the browser at 390×844 in zh-hans: a youth finds a home near them (the
phone gives its position), books a time and shows the QR code; the home's staff check them
in at the door from a photo of that code, decoded in the page."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest
import segno
from django.utils import timezone
from django_tenants.utils import schema_context

from homes.models import Booking
from tests import factories
from tests.e2e.test_browser import page, sign_in  # noqa: F401 - the Chromium page fixture


@pytest.mark.slow
@pytest.mark.browser
def test_a_youth_books_a_home_near_them_and_is_checked_in_by_scanning(
    committed_tree,
    live_server,
    page,  # noqa: F811
    tmp_path,
):
    staff = factories.staff(committed_tree["gd"], "org_member")
    soon = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=20)
    slot = factories.youth_home("gd", staff, places=3, starts_at=soon)
    home = slot.service.home_id
    youth = factories.account(name="小青")
    portal = f"http://gd.localhost:{urlparse(live_server.url).port}"
    # The network ends at this machine: any address but the portal's is refused and noted.
    elsewhere: list[str] = []

    def only_here(route):
        if route.request.url.startswith(portal):
            return route.continue_()
        elsewhere.append(route.request.url)
        return route.abort()

    page.route("**/*", only_here)
    page.context.grant_permissions(["geolocation"], origin=portal)
    page.context.set_geolocation({"latitude": 23.14, "longitude": 113.33})

    sign_in(page, portal, youth, "/homes/")
    # The service map: provinces drawn from the app's own GeoJSON, the home as a point.
    page.wait_for_selector("[data-testid=home-map][data-ready='1']")
    assert page.locator("[data-testid=home-map] path").count() > 30  # provinces and the home
    page.click("[data-testid=near-me]")
    page.wait_for_url("**/homes/?*lat=23.14*")
    assert "公里" in page.inner_text("[data-testid=distance]")
    page.wait_for_selector("[data-testid=home-map][data-ready='1']")
    page.screenshot(path=str(tmp_path / "near-me.png"), full_page=True)
    page.click("text=天河青年之家")
    page.wait_for_url(f"{portal}/homes/{home}/")
    assert "剩余 3 个名额" in page.inner_text("[data-testid=slots]")
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)
    page.click("[data-testid=book]")
    page.wait_for_url(f"{portal}/homes/mine/")
    code = page.inner_text("[data-testid=check-in-code]")
    assert page.is_visible("[data-testid=check-in-qr] svg")
    page.screenshot(path=str(tmp_path / "my-booking.png"), full_page=True)
    page.click("[data-testid=logout]")
    page.wait_for_url(f"{portal}/")

    # At the door: a photo of the youth's code, read in the page, checks them in.
    photo = tmp_path / "code.png"
    segno.make_qr(code, error="m").save(str(photo), scale=8, border=4)
    sign_in(page, portal, staff, f"/workbench/homes/{home}/")
    page.set_input_files("[data-testid=scan-photo]", str(photo))
    page.wait_for_selector(".messages .success")
    assert "签到成功：小青" in page.inner_text(".messages")
    assert "已签到" in page.inner_text("[data-testid=arrivals]")
    page.screenshot(path=str(tmp_path / "door.png"), full_page=True)
    assert elsewhere == []
    with schema_context("gd"):
        booking = Booking.objects.get(code=code)
        assert (booking.state, booking.checked_in_by_id) == ("attended", staff.pk)
