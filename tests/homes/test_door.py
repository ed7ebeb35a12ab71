"""At a home's door and on its page: the youth scans the home's own code to check themselves
in (twice is harmless; another home's or committee's code is not this home's), and the
photos its admins show (raster images only, six at most)."""

import io
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image

from core.errors import ServiceError
from homes import services
from homes.models import Booking, HomePhoto
from tests import factories
from tests.core.helpers import assert_error
from timeline.models import Event


def picture(name="door.jpg", kind="JPEG") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "#c8161d").save(out, format=kind)
    return SimpleUploadedFile(name, out.getvalue(), f"image/{kind.lower()}")


def booked(tree, code="gd"):
    slot = factories.youth_home(code, tree["gd_org"])
    with schema_context(code):
        booking = services.book(slot=slot, youth=tree["youth"])
        home = slot.service.home
        return slot, booking, home, services.home_code(home)


def test_a_youth_checks_in_by_scanning_the_homes_code_once_however_often(tree):
    slot, booking, home, code = booked(tree)
    with schema_context("gd"):
        with pytest.raises(ServiceError) as early:
            services.arrive(home=home, code=code, youth=tree["youth"])
        assert early.value.code == "no_booking"  # a day before: nothing to check in
        with time_machine.travel(slot.starts_at - timedelta(minutes=10), tick=False):
            arrived = services.arrive(home=home, code=code, youth=tree["youth"])
            again = services.arrive(home=home, code=code, youth=tree["youth"])
        assert arrived.pk == again.pk == booking.pk
        found = Booking.objects.get(pk=booking.pk)
        assert (found.state, found.checked_in_by_id) == ("attended", tree["youth"].pk)
        assert Event.objects.filter(kind="homes.attended", subject_id=booking.pk).count() == 1
        # Checked in by themselves, their rating still counts as a youth's judgement.
        services.rate(booking=found, youth=tree["youth"], stars=5, is_real=True)
        assert Event.objects.get(kind="homes.rated", subject_id=booking.pk).data["staff"] is False


def test_only_this_homes_code_checks_in_here(tree):
    slot, booking, home, code = booked(tree)
    other = factories.youth_home("gd", name="越秀青年之家")
    with schema_context("gd"):
        others_code = services.home_code(other.service.home)
    with schema_context("bj"):
        beijing_home = factories.youth_home("bj", name="东城青年之家").service.home
    with schema_context("bj"):
        beijing_code = services.home_code(beijing_home)
    with schema_context("gd"), time_machine.travel(slot.starts_at, tick=False):
        for wrong in (others_code, beijing_code, "", code + "x"):
            with pytest.raises(ServiceError) as caught:
                services.arrive(home=home, code=wrong, youth=tree["youth"])
            assert caught.value.code == "unknown_code", wrong
        # Someone else with the code but no booking is not checked in.
        with pytest.raises(ServiceError) as caught:
            services.arrive(home=home, code=code, youth=tree["gd_cadre"])
        assert caught.value.code == "no_booking"
        assert Booking.objects.get(pk=booking.pk).state == "confirmed"


def test_the_door_shows_the_homes_code_and_the_youth_checks_in_from_it(tree, web, api):
    slot, booking, home, code = booked(tree)
    door = web("gd", tree["gd_org"]).get(f"/workbench/homes/{home.pk}/")
    assert b'data-testid="home-code"' in door.content and b"<svg" in door.content
    youth = web("gd", tree["youth"])
    address = f"/homes/{home.pk}/arrive/?code={code}"
    assert youth.get(address).status_code == 200
    anonymous = web("gd").get(address)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    with time_machine.travel(slot.starts_at, tick=False):
        done = youth.post(f"/homes/{home.pk}/arrive/", {"code": code})
        assert done.status_code == 302 and done["Location"] == "/homes/mine/"
    with schema_context("gd"):
        assert Booking.objects.get(pk=booking.pk).state == "attended"
    # Over the API, the same; a wrong code in the one error shape.
    url = f"/api/v1/homes/{home.pk}/arrive/"
    with time_machine.travel(slot.starts_at, tick=False):
        assert api("gd", tree["youth"]).post(url, {"code": code}).json()["state"] == "attended"
        assert_error(api("gd", tree["youth"]).post(url, {"code": "nope"}), 400, "unknown_code")
        assert_error(api("gd").post(url, {"code": code}), 401, "not_authenticated")
        assert_error(api("bj", tree["youth"]).post(url, {"code": code}), 404, "not_found")
    assert parse_qs(urlparse(address).query)["code"] == [code]


def test_admins_show_photos_of_a_home_and_only_pictures_are_taken(tree, api, web):
    slot = factories.youth_home("gd")
    home = slot.service.home_id
    admin = api("gd", tree["gd_admin"])
    url = f"/api/v1/homes/{home}/photos/"
    added = admin.post(url, {"image": picture(), "caption": "大门"}, format="multipart")
    assert added.status_code == 201, added.content
    assert added.json()["caption"] == "大门" and added.json()["url"].endswith(".jpg")
    shown = api("gd").get(f"/api/v1/homes/{home}/").json()["photos"]
    assert [p["caption"] for p in shown] == ["大门"]
    svg = SimpleUploadedFile("x.png", b"<svg onload=alert(1)></svg>", "image/png")
    assert_error(admin.post(url, {"image": svg}, format="multipart"), 400, "invalid_image")
    assert_error(
        api("gd", tree["youth"]).post(url, {"image": picture()}, format="multipart"),
        403,
        "permission_denied",
    )
    assert_error(
        api("bj", tree["bj_admin"]).post(url, {"image": picture()}, format="multipart"),
        404,
        "not_found",
    )
    for n in range(services.PHOTOS_MAX - 1):
        assert (
            admin.post(url, {"image": picture(f"{n}.png", "PNG")}, format="multipart").status_code
            == 201
        )
    assert_error(admin.post(url, {"image": picture()}, format="multipart"), 400, "too_many")
    page = web("gd").get(f"/homes/{home}/")
    assert page.content.count(b"<figure>") == services.PHOTOS_MAX
    with schema_context("gd"):
        first = HomePhoto.objects.order_by("id").first()
    assert_error(
        api("gd", tree["youth"]).delete(f"/api/v1/home-photos/{first.pk}/"),
        403,
        "permission_denied",
    )
    assert admin.delete(f"/api/v1/home-photos/{first.pk}/").status_code == 204
    with schema_context("gd"):
        assert HomePhoto.objects.count() == services.PHOTOS_MAX - 1
    # On the set-up page: the admin adds one; a youth may not.
    setup = f"/workbench/homes/{home}/setup/"
    form = {"action": "photo", "caption": "自习室", "image": picture("room.gif", "GIF")}
    assert web("gd", tree["youth"]).post(setup, form).status_code == 403
    form["image"] = picture("room.gif", "GIF")
    assert web("gd", tree["gd_admin"]).post(setup, form).status_code == 302
    with schema_context("gd"):
        assert HomePhoto.objects.order_by("id").last().caption == "自习室"
    assert b'data-testid="photos"' in web("gd", tree["gd_admin"]).get(setup).content
