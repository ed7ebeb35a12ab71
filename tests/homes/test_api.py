"""Youth homes over the API: finding homes (near me, by category, open now), slots, booking,
the waitlist, cancelling and check-in, with what another committee, an unauthorised user and
a read-only account get (in the one error shape)."""

from datetime import timedelta

import time_machine
from django.conf import settings
from django_tenants.utils import schema_context

from homes import services
from homes.models import Booking, Slot
from tests import factories
from tests.core.helpers import assert_error

TIANHE = (23.135, 113.325)  # the factory's home, in Guangzhou's Tianhe district


def far_home(code="gd"):
    """A second home about 110 km away (Shaoguan direction), with a counselling service."""
    with schema_context(code):
        home = services.open_home(
            name="韶关青年之家",
            address="韶关市浈江区",
            latitude="24.130000",
            longitude="113.330000",
        )
        services.add_service(home=home, name="心理咨询", category="mental")
    return home


def test_homes_are_found_near_a_point_nearest_first_with_their_distance(tree, api):
    slot = factories.youth_home("gd")
    far = far_home()
    client = api("gd")
    everything = client.get("/api/v1/homes/").json()["results"]
    assert [h["name"] for h in everything] == ["天河青年之家", "韶关青年之家"]  # by name
    near = client.get("/api/v1/homes/", {"lat": 23.14, "lng": 113.33, "radius_km": 5}).json()
    assert [h["id"] for h in near["results"]] == [slot.service.home_id]
    assert 0.4 < near["results"][0]["distance_km"] < 1.0
    both = client.get("/api/v1/homes/", {"lat": 23.14, "lng": 113.33, "radius_km": 200}).json()
    assert [h["id"] for h in both["results"]] == [slot.service.home_id, far.pk]
    assert 105 < both["results"][1]["distance_km"] < 115
    mental = client.get("/api/v1/homes/", {"category": "mental"}).json()["results"]
    assert [h["id"] for h in mental] == [far.pk] and mental[0]["categories"] == ["mental"]
    assert client.get("/api/v1/homes/", {"open_now": "true"}).json()["results"] == []
    with time_machine.travel(slot.starts_at + timedelta(minutes=30), tick=False):
        running = client.get("/api/v1/homes/", {"open_now": "true"}).json()["results"]
    assert [h["id"] for h in running] == [slot.service.home_id]
    assert api("bj").get("/api/v1/homes/").json()["results"] == []  # Beijing's own homes


def test_a_bad_search_names_the_field(tree, api):
    for query, field in [
        ({"lat": 23.1}, "lng"),
        ({"lng": 113.3}, "lat"),
        ({"lat": "北纬", "lng": 113.3}, "lat"),
        ({"lat": 95, "lng": 113.3}, "lat"),
        ({"lat": 23.1, "lng": 113.3, "radius_km": 0}, "radius_km"),
    ]:
        refused = api("gd").get("/api/v1/homes/", query)
        assert_error(refused, 400, "invalid")
        assert list(refused.json()["error"]["fields"]) == [field], query


def test_a_home_and_its_slots_are_read_by_anyone_on_its_portal_only(tree, api):
    slot = factories.youth_home("gd", places=3, taken=1)
    home = slot.service.home_id
    shown = api("gd").get(f"/api/v1/homes/{home}/").json()
    assert [s["name"] for s in shown["services"]] == ["自习室"]
    slots = api("gd").get(f"/api/v1/homes/{home}/slots/").json()["results"]
    assert [(s["id"], s["free"], s["capacity"]) for s in slots] == [(slot.pk, 2, 3)]
    assert_error(api("bj").get(f"/api/v1/homes/{home}/"), 404, "not_found")
    assert_error(api("bj").get(f"/api/v1/homes/{home}/slots/"), 404, "not_found")


def test_booking_the_last_place_then_the_waitlist_and_the_offer(tree, api):
    slot = factories.youth_home("gd", places=1)
    youth, other = tree["youth"], factories.account(name="小红")
    assert_error(api("gd").post(f"/api/v1/slots/{slot.pk}/book/"), 401, "not_authenticated")
    assert_error(
        api("gd", tree["auditor"]).post(f"/api/v1/slots/{slot.pk}/book/"), 403, "read_only"
    )
    assert_error(api("bj", youth).post(f"/api/v1/slots/{slot.pk}/book/"), 404, "not_found")
    too_many = api("gd", youth).post(f"/api/v1/slots/{slot.pk}/book/", {"places": 9}, format="json")
    assert_error(too_many, 400, "invalid_places")
    made = api("gd", youth).post(f"/api/v1/slots/{slot.pk}/book/", {"note": "自习"}, format="json")
    assert made.status_code == 201, made.content
    booking = made.json()
    assert booking["state"] == "confirmed" and len(booking["code"]) == 12
    assert booking["slot"]["home_name"] == "天河青年之家"
    assert_error(api("gd", other).post(f"/api/v1/slots/{slot.pk}/book/"), 409, "full")
    waiting = api("gd", other).post(f"/api/v1/slots/{slot.pk}/waitlist/")
    assert waiting.status_code == 201 and waiting.json()["state"] == "waiting"
    line = api("gd", other).get("/api/v1/waitlist/mine/").json()["results"]
    assert [w["id"] for w in line] == [waiting.json()["id"]]

    assert_error(
        api("gd", other).post(f"/api/v1/bookings/{booking['id']}/cancel/"), 404, "not_found"
    )
    cancelled = api("gd", youth).post(f"/api/v1/bookings/{booking['id']}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    offer = api("gd", other).get("/api/v1/waitlist/mine/").json()["results"][0]
    assert offer["state"] == "offered" and offer["offered_until"]
    assert_error(api("gd", youth).post(f"/api/v1/waitlist/{offer['id']}/accept/"), 404, "not_found")
    taken = api("gd", other).post(f"/api/v1/waitlist/{offer['id']}/accept/")
    assert taken.status_code == 201 and taken.json()["state"] == "confirmed"
    mine = api("gd", other).get("/api/v1/bookings/mine/").json()["results"]
    assert [b["id"] for b in mine] == [taken.json()["id"]]
    assert (
        api("gd", youth).get("/api/v1/bookings/mine/").json()["results"][0]["state"] == "cancelled"
    )
    assert_error(api("gd").get("/api/v1/bookings/mine/"), 401, "not_authenticated")


def test_leaving_the_waitlist(tree, api):
    slot = factories.youth_home("gd", places=1, taken=1)
    waiting = api("gd", tree["youth"]).post(f"/api/v1/slots/{slot.pk}/waitlist/").json()
    assert_error(
        api("gd", tree["youth"]).post(f"/api/v1/slots/{slot.pk}/waitlist/"), 409, "already_waiting"
    )
    left = api("gd", tree["youth"]).post(f"/api/v1/waitlist/{waiting['id']}/leave/")
    assert left.status_code == 200 and left.json()["state"] == "left"
    assert api("gd", tree["youth"]).get("/api/v1/waitlist/mine/").json()["results"] == []


def test_check_in_is_for_the_homes_staff_and_a_second_scan_is_harmless(tree, api):
    home_staff = factories.staff(tree.gd, "org_member")
    slot = factories.youth_home("gd", home_staff, places=2)
    with schema_context("gd"):
        code = services.book(slot=slot, youth=tree["youth"]).code
    url = "/api/v1/bookings/check-in/"
    with time_machine.travel(slot.starts_at, tick=False):
        assert_error(api("gd").post(url, {"code": code}, format="json"), 401, "not_authenticated")
        for who in ("youth", "bj_admin"):
            refused = api("gd", tree[who]).post(url, {"code": code}, format="json")
            assert_error(refused, 403, "permission_denied")
        assert_error(
            api("gd", tree["gd_expert"]).post(url, {"code": code}, format="json"), 403, "forbidden"
        )
        assert_error(
            api("gd", home_staff).post(url, {"code": "NOPE"}, format="json"), 400, "unknown_code"
        )
        assert_error(
            api("bj", tree["bj_admin"]).post(url, {"code": code}, format="json"),
            400,
            "unknown_code",
        )
        for _ in range(2):
            scanned = api("gd", home_staff).post(url, {"code": code}, format="json")
            assert scanned.status_code == 200 and scanned.json()["state"] == "attended"
        arrivals = api("gd", home_staff).get(f"/api/v1/homes/{slot.service.home_id}/arrivals/")
    assert [(a["youth"], a["state"]) for a in arrivals.json()["results"]] == [("小青", "attended")]
    assert "code" not in arrivals.json()["results"][0]
    assert_error(
        api("gd", tree["gd_expert"]).get(f"/api/v1/homes/{slot.service.home_id}/arrivals/"),
        403,
        "permission_denied",
    )
    assert_error(
        api("gd", tree["youth"]).get(f"/api/v1/homes/{slot.service.home_id}/arrivals/"),
        403,
        "permission_denied",
    )
    with schema_context("gd"):
        assert Booking.objects.get().checked_in_by_id == home_staff.pk
        assert Slot.objects.get().taken == 1


def test_rating_a_booking_after_attending(tree, api):
    home_staff = factories.staff(tree.gd, "org_member")
    slot = factories.youth_home("gd", home_staff, places=2)
    with schema_context("gd"):
        booking = services.book(slot=slot, youth=tree["youth"])
    url = f"/api/v1/bookings/{booking.pk}/rate/"
    good = {"stars": 5, "is_real": True, "comment": "老师很耐心"}
    assert_error(api("gd").post(url, good, format="json"), 401, "not_authenticated")
    assert_error(api("gd", tree["youth"]).post(url, good, format="json"), 409, "not_ready")
    with schema_context("gd"), time_machine.travel(slot.starts_at, tick=False):
        services.check_in(code=booking.code, actor=home_staff)
    refused = api("gd", tree["youth"]).post(url, {"stars": 5}, format="json")
    assert_error(refused, 400, "invalid")
    assert list(refused.json()["error"]["fields"]) == ["is_real"]
    assert_error(api("gd", factories.account()).post(url, good, format="json"), 404, "not_found")
    assert_error(api("bj", tree["youth"]).post(url, good, format="json"), 404, "not_found")
    rated = api("gd", tree["youth"]).post(url, good, format="json")
    assert rated.status_code == 201 and rated.json()["stars"] == 5
    assert_error(api("gd", tree["youth"]).post(url, good, format="json"), 409, "already_rated")
    shown = api("gd").get(f"/api/v1/homes/{slot.service.home_id}/").json()["satisfaction"]
    assert shown == {"ratings": 1, "stars": 5.0, "not_as_described": 0}


HOME = {
    "name": "海珠青年之家",
    "address": "广州市海珠区江南大道中",
    "district": "海珠区",
    "latitude": "23.100000",
    "longitude": "113.270000",
    "opening_hours": "周一至周五",
}


def test_admins_open_a_home_give_it_services_and_schedules_that_make_slots(tree, api):
    admin = api("gd", tree["gd_admin"])
    assert_error(api("gd").post("/api/v1/homes/", HOME, format="json"), 401, "not_authenticated")
    for who in ("gd_cadre", "youth", "bj_admin"):
        refused = api("gd", tree[who]).post("/api/v1/homes/", HOME, format="json")
        assert_error(refused, 403, "permission_denied")
    bad = admin.post("/api/v1/homes/", {**HOME, "latitude": "123"}, format="json")
    assert_error(bad, 400, "invalid")
    assert list(bad.json()["error"]["fields"]) == ["latitude"]
    made = admin.post("/api/v1/homes/", HOME, format="json")
    assert made.status_code == 201, made.content
    home = made.json()["id"]
    assert_error(admin.post("/api/v1/homes/", HOME, format="json"), 400, "taken")

    service = admin.post(
        f"/api/v1/homes/{home}/services/",
        {"name": "法律咨询", "category": "rights", "group_max": 2},
        format="json",
    )
    assert service.status_code == 201, service.content
    wrong = admin.post(
        f"/api/v1/homes/{home}/services/", {"name": "x", "category": "nope"}, format="json"
    )
    assert_error(wrong, 400, "invalid_category")
    schedules = f"/api/v1/services/{service.json()['id']}/schedules/"
    tuesday = {"weekday": 1, "starts": "14:00", "ends": "16:00", "capacity": 5}
    assert_error(
        api("gd", tree["gd_cadre"]).post(schedules, tuesday, format="json"),
        403,
        "permission_denied",
    )
    assert_error(admin.post(schedules, {**tuesday, "ends": "13:00"}, format="json"), 400, "invalid")
    added = admin.post(schedules, tuesday, format="json")
    assert added.status_code == 201, added.content
    slots = api("gd").get(f"/api/v1/homes/{home}/slots/").json()["results"]
    assert len(slots) in (1, 2) and {s["capacity"] for s in slots} == {5}  # two weeks of Tuesdays
    assert [s["weekday"] for s in api("gd", tree["gd_cadre"]).get(schedules).json()["results"]] == [
        1
    ]

    ended = admin.post(f"/api/v1/schedules/{added.json()['id']}/end/")
    assert ended.status_code == 200
    assert api("gd").get(f"/api/v1/homes/{home}/slots/").json()["results"] == []
    withdrawn = admin.patch(f"/api/v1/homes/{home}/", {"is_published": False}, format="json")
    assert withdrawn.status_code == 200
    assert_error(api("gd").get(f"/api/v1/homes/{home}/"), 404, "not_found")
    assert_error(
        api("gd", tree["youth"]).patch(f"/api/v1/homes/{home}/", {"contact": "x"}, format="json"),
        403,
        "permission_denied",
    )
    assert_error(
        api("bj", tree["bj_admin"]).patch(f"/api/v1/homes/{home}/", {}, format="json"),
        404,
        "not_found",
    )


def test_the_map_has_every_published_home_of_the_committee_and_its_subtree(tree, api):
    slot = factories.youth_home("gd")
    far = far_home()
    below = factories.youth_home("gd-gz", name="越秀青年之家")
    factories.youth_home("bj", name="东城青年之家")
    found = api("gd").get("/api/v1/homes/map/").json()
    assert found["total"] == 3 and found["cells"] == []
    assert [(p["id"], p["name"], p["committee"]) for p in found["points"]] == [
        (slot.service.home_id, "天河青年之家", "gd"),
        (far.pk, "韶关青年之家", "gd"),
        (below.service.home_id, "越秀青年之家", "gd-gz"),
    ]
    first = found["points"][0]
    assert (first["lat"], first["lng"], first["meets_standard"]) == (23.135, 113.325, False)
    assert first["url"] == f"/homes/{slot.service.home_id}/"
    # A home of a committee below is linked on its own portal.
    assert found["points"][2]["url"] == (
        f"http://gd-gz.{settings.BASE_DOMAIN}/homes/{below.service.home_id}/"
    )
    # Guangzhou's map is its own subtree only; Beijing sees none of Guangdong's.
    assert [p["name"] for p in api("gd-gz").get("/api/v1/homes/map/").json()["points"]] == [
        "越秀青年之家"
    ]
    assert [p["name"] for p in api("bj").get("/api/v1/homes/map/").json()["points"]] == [
        "东城青年之家"
    ]
    mental = api("gd").get("/api/v1/homes/map/", {"category": "mental"}).json()
    assert [p["id"] for p in mental["points"]] == [far.pk]
    # The view: only homes inside it (Shaoguan is north of 24°).
    north = api("gd").get("/api/v1/homes/map/", {"bbox": "112,23.9,114,25"}).json()
    assert [p["name"] for p in north["points"]] == ["韶关青年之家"]
    for bad in ("1,2,3", "114,23,112,25", "a,b,c,d"):
        assert_error(api("gd").get("/api/v1/homes/map/", {"bbox": bad}), 400, "invalid")


def test_too_many_homes_in_view_are_counted_by_area(tree, api, monkeypatch):
    from homes import directory

    factories.youth_home("gd")
    far_home()
    monkeypatch.setattr(directory, "POINTS_MAX", 1)
    found = api("gd").get("/api/v1/homes/map/").json()
    assert found["total"] == 2 and found["points"] == []
    # Over China areas are 2° across: the two homes, a degree apart, fall in two.
    assert sorted(c["count"] for c in found["cells"]) == [1, 1]
    wide = api("gd").get("/api/v1/homes/map/", {"bbox": "-180,-80,180,80"}).json()
    assert [c["count"] for c in wide["cells"]] == [2]  # areas of 16° hold both
    # An answer is kept until the directory changes: a third home shows at once.
    factories.youth_home("gd", name="越秀青年之家")
    again = api("gd").get("/api/v1/homes/map/", {"bbox": "-180,-80,180,80"}).json()
    assert [c["count"] for c in again["cells"]] == [3]


def test_a_youth_asks_a_home_and_its_staff_get_the_question(tree, api):
    from qa.models import Question

    home_staff = factories.staff(tree.gd, "org_member")
    slot = factories.youth_home("gd", home_staff)
    url = f"/api/v1/homes/{slot.service.home_id}/questions/"
    ask = {"title": "自习室周末开放吗", "body": "想周六去复习"}
    assert_error(api("gd").post(url, ask, format="json"), 401, "not_authenticated")
    assert_error(api("gd", tree["youth"]).post(url, {"body": "x"}, format="json"), 400, "invalid")
    assert_error(api("bj", tree["youth"]).post(url, ask, format="json"), 404, "not_found")
    asked = api("gd", tree["youth"]).post(url, ask, format="json")
    assert asked.status_code == 201, asked.content
    assert asked.json()["state"] == "routed" and asked.json()["url"].startswith("/questions/")
    with schema_context("gd"):
        question = Question.objects.get(pk=asked.json()["id"])
        assert (question.team_id, question.assignee_id) == (
            slot.service.home.team_id,
            home_staff.pk,
        )
        assert question.category_id == "study"  # the home's service
        kinds = list(question.timeline.values_list("kind", flat=True))
        assert kinds == ["qa.asked", "qa.routed", "homes.consulted"]
