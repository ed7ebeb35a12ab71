"""Youth homes' pages: finding a home, booking a time on its page (or joining the waitlist),
my bookings with the QR code, and the door's check-in for the home's staff."""

from datetime import timedelta

import time_machine
from django_tenants.utils import schema_context

from homes import services
from homes.models import Booking
from tests import factories


def test_a_youth_finds_a_home_near_them_and_books_a_time_on_its_page(tree, web):
    slot = factories.youth_home("gd", places=1)
    home = slot.service.home_id
    listed = web("gd").get("/homes/", {"lat": 23.14, "lng": 113.33}).content.decode()
    assert "天河青年之家" in listed and 'data-testid="distance"' in listed and "公里" in listed
    wrong = web("gd").get("/homes/", {"lat": "北纬"}, follow=True)
    assert wrong.status_code == 200 and "天河青年之家" in wrong.content.decode()
    page = web("gd").get(f"/homes/{home}/").content.decode()
    assert "剩余 1 个名额" in page and 'data-testid="book"' in page
    assert web("bj").get(f"/homes/{home}/").status_code == 404
    anonymous = web("gd").post(f"/homes/{home}/", {"slot": slot.pk, "action": "book"})
    assert anonymous["Location"].startswith("/accounts/login/")

    booked = web("gd", tree["youth"]).post(
        f"/homes/{home}/", {"slot": slot.pk, "action": "book"}, follow=True
    )
    mine = booked.content.decode()
    assert booked.redirect_chain[-1][0] == "/homes/mine/"
    with schema_context("gd"):
        code = Booking.objects.get().code
    assert f'data-testid="check-in-code">{code}<' in mine and "<svg" in mine
    full = web("gd", factories.account()).get(f"/homes/{home}/").content.decode()
    assert "已约满" in full and 'data-testid="wait"' in full


def test_a_full_time_takes_a_waitlist_and_my_bookings_show_the_offer(tree, web):
    slot = factories.youth_home("gd", places=1)
    with schema_context("gd"):
        first = services.book(slot=slot, youth=factories.account())
    youth = web("gd", tree["youth"])
    youth.post(f"/homes/{slot.service.home_id}/", {"slot": slot.pk, "action": "wait"})
    assert 'data-testid="my-waitlists"' in youth.get("/homes/mine/").content.decode()
    with schema_context("gd"):
        services.cancel(booking=first, youth=first.youth)
    offered = youth.get("/homes/mine/").content.decode()
    assert 'data-testid="accept-offer"' in offered
    with schema_context("gd"):
        from capacity.models import Waiter

        waiter = Waiter.objects.get(youth=tree["youth"])
    taken = youth.post("/homes/mine/", {"action": "accept", "pk": waiter.pk}, follow=True)
    assert (
        "预约成功" in taken.content.decode()
        and 'data-testid="check-in-qr"' in taken.content.decode()
    )


def test_the_door_checks_youths_in_for_the_homes_staff_only(tree, web):
    home_staff = factories.staff(tree.gd, "org_member")
    slot = factories.youth_home("gd", home_staff, places=2)
    with schema_context("gd"):
        code = services.book(slot=slot, youth=tree["youth"]).code
    door = f"/workbench/homes/{slot.service.home_id}/"
    assert web("gd").get(door)["Location"].startswith("/accounts/login/")
    assert web("gd", tree["youth"]).get(door).status_code == 403
    assert web("bj", tree["bj_admin"]).get(door).status_code == 404
    expert = web("gd", tree["gd_expert"])
    assert 'data-testid="check-in"' not in expert.get(door).content.decode()
    assert expert.post(door, {"code": code}).status_code == 403
    staff = web("gd", home_staff)
    listed = staff.get("/workbench/homes/").content.decode()
    assert "天河青年之家" in listed and "你可在此办理签到" in listed
    with time_machine.travel(slot.starts_at + timedelta(minutes=1), tick=False):
        page = staff.get(door).content.decode()
        assert 'data-testid="scan-photo"' in page
        checked = staff.post(door, {"code": code}, follow=True).content.decode()
        assert "签到成功" in checked and "已签到" in checked
        again = staff.post(door, {"code": code}, follow=True).content.decode()
        assert "签到成功" in again
        unknown = staff.post(door, {"code": "NOPE"}, follow=True).content.decode()
        assert "没有与该签到码对应的预约" in unknown


def test_a_youth_who_came_rates_the_service_from_my_bookings(tree, web):
    home_staff = factories.staff(tree.gd, "org_member")
    slot = factories.youth_home("gd", home_staff, places=2)
    with schema_context("gd"):
        booking = services.book(slot=slot, youth=tree["youth"])
        with time_machine.travel(slot.starts_at, tick=False):
            services.check_in(code=booking.code, actor=home_staff)
    youth = web("gd", tree["youth"])
    assert 'data-testid="rate-form"' in youth.get("/homes/mine/").content.decode()
    youth.post("/homes/mine/", {"action": "rate", "pk": booking.pk, "stars": "9"})
    rated = youth.post(
        "/homes/mine/",
        {"action": "rate", "pk": booking.pk, "stars": "4", "is_real": "yes"},
        follow=True,
    ).content.decode()
    assert 'data-testid="rate-form"' not in rated
    home = web("gd").get(f"/homes/{slot.service.home_id}/").content.decode()
    assert "4.0" in home and 'data-testid="satisfaction"' in home


def test_an_admin_opens_a_home_and_gives_it_a_service_and_an_opening(tree, web):
    admin = web("gd", tree["gd_admin"])
    home_form = {
        "name": "海珠青年之家",
        "address": "广州市海珠区江南大道中",
        "latitude": "23.1",
        "longitude": "113.27",
    }
    assert web("gd", tree["gd_cadre"]).post("/workbench/homes/", home_form).status_code == 403
    bad = admin.post("/workbench/homes/", {**home_form, "latitude": "北纬"})
    assert bad.status_code == 200 and 'class="error"' in bad.content.decode()
    opened = admin.post("/workbench/homes/", home_form, follow=True)
    setup = opened.redirect_chain[-1][0]
    assert setup.endswith("/setup/") and "海珠青年之家" in opened.content.decode()
    admin.post(
        setup, {"action": "service", "name": "法律咨询", "category": "rights", "group_max": 1}
    )
    with schema_context("gd"):
        from homes.models import Service

        service = Service.objects.get(name="法律咨询")
    added = admin.post(
        setup,
        {
            "action": "schedule",
            "service": service.pk,
            "weekday": 2,
            "starts": "14:00",
            "ends": "16:00",
            "capacity": 8,
        },
        follow=True,
    ).content.decode()
    assert "星期三 14:00–16:00" in added and "8 个名额" in added
    assert web("gd", tree["gd_cadre"]).post(setup, {"action": "publish"}).status_code == 403
    assert web("bj", tree["bj_admin"]).get(setup).status_code == 404
    assert "海珠青年之家" in web("gd").get("/homes/").content.decode()


def test_a_youth_asks_a_home_from_its_page_and_follows_the_answer(tree, web):
    slot = factories.youth_home("gd")
    page = f"/homes/{slot.service.home_id}/"
    assert 'data-testid="send-question"' not in web("gd").get(page).content.decode()
    asked = web("gd", tree["youth"]).post(
        page, {"action": "ask", "title": "心理咨询需要预约吗"}, follow=True
    )
    assert asked.redirect_chain[-1][0].startswith("/questions/")
    assert "心理咨询需要预约吗" in asked.content.decode()
