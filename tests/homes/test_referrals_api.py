"""One click online → offline (一键转至线下) over HTTP: the homes suggested to staff, the one
action that sends a question's or a help case's youth to a youth home, the home's staff
offering a time, the youth confirming or declining it, and the pages that carry each step
(the handling pages' offline box, the youth's pages, the home's referrals), with what
another committee, a youth and an anonymous visitor get (in the one error shape)."""

from datetime import timedelta

from django.urls import reverse
from django_tenants.utils import schema_context

from casework import cases
from core.models import Notification
from franchise.models import HomeListing
from helpcases import services as help_cases
from helpcases.models import HelpCase
from homes import referrals, services
from homes.models import Booking, Referral, Slot
from qa import services as questions
from qa.models import Question
from tenants import outbox
from tests import factories
from tests.core.helpers import assert_error
from timeline.models import Event

QUESTION = cases.of("qa.question")
HELP_CASE = cases.of("helpcases.helpcase")
SUGGESTED = "/api/v1/homes/suggested/"


def ask(code: str, youth, title="期末复习找不到安静的地方", category="study") -> Question:
    with schema_context(code.replace("-", "_")):
        return questions.ask_question(asker=youth, title=title, category=category)


def submit(code: str, youth, title="需要一个安静的地方备考") -> HelpCase:
    with schema_context(code.replace("-", "_")):
        return help_cases.submit(youth=youth, title=title, body="家里太吵", category="study")


def listing(slot: Slot, code: str) -> HomeListing:
    return HomeListing.objects.get(committee__code=code, home_id=slot.service.home_id)


def kinds(code: str, subject) -> list[str]:
    with schema_context(code.replace("-", "_")):
        return [
            e.kind
            for e in Event.objects.filter(
                subject_type=subject._meta.label_lower, subject_id=subject.pk
            ).order_by("id")
            if e.kind.startswith("homes.")
        ]


def referral_in(code: str, **filters) -> Referral:
    with schema_context(code.replace("-", "_")):
        return Referral.objects.select_related("slot").get(**filters)


def another_slot(slot: Slot, *, days: int = 2, **fields) -> Slot:
    """One more slot of ``slot``'s service, ``days`` later (in the schema the caller is in:
    its home's committee's)."""
    return Slot.objects.create(
        service=slot.service,
        capacity=fields.pop("capacity", 5),
        starts_at=slot.starts_at + timedelta(days=days),
        ends_at=slot.ends_at + timedelta(days=days),
        **fields,
    )


def told(user, kind: str) -> bool:
    return Notification.objects.filter(user=user, kind=kind).exists()


# ---------------------------------------------------------------- suggested homes


def test_staff_are_suggested_homes_nearest_in_the_tree_and_find_any_committees(tree, api):
    here = factories.youth_home("gd", name="天河青年之家")
    factories.youth_home("gd-gz", name="越秀青年之家")
    away = factories.youth_home("bj", name="东城青年之家")
    staff = api("gd", tree["gd_cadre"])
    found = staff.get(SUGGESTED, {"category": "study"})
    assert found.status_code == 200, found.content
    assert [(h["name"], h["committee"]) for h in found.json()] == [
        ("天河青年之家", "gd"),
        ("越秀青年之家", "gd-gz"),
        ("东城青年之家", "bj"),
    ]
    first = found.json()[0]
    assert first["id"] == listing(here, "gd").pk and first["home_id"] == here.service.home_id
    assert first["categories"] == ["study"] and first["committee_name"] == "共青团广东省委"
    assert (first["latitude"], first["longitude"]) == (23.135, 113.325)
    # Any staff of the committee reads it (here a home's organisation member).
    assert len(api("gd", tree["gd_org"]).get(SUGGESTED, {"category": "study"}).json()) == 3
    assert staff.get(SUGGESTED, {"category": "mental"}).json() == []  # none offers it
    # find=: homes of any committee by name, district or address, whatever they offer.
    by_name = staff.get(SUGGESTED, {"category": "mental", "find": "东城"}).json()
    assert [(h["id"], h["committee"]) for h in by_name] == [(listing(away, "bj").pk, "bj")]
    assert len(staff.get(SUGGESTED, {"category": "study", "find": "天河区"}).json()) == 3
    # From Guangzhou its own home comes first.
    below = api("gd-gz", tree["gz_cadre"]).get(SUGGESTED, {"category": "study"}).json()
    assert [h["name"] for h in below][0] == "越秀青年之家"

    missing = staff.get(SUGGESTED)
    assert_error(missing, 400, "invalid")
    assert list(missing.json()["error"]["fields"]) == ["category"]
    assert_error(staff.get(SUGGESTED, {"category": "x" * 17}), 400, "invalid")
    assert_error(
        api("gd", tree["youth"]).get(SUGGESTED, {"category": "study"}), 403, "permission_denied"
    )
    assert_error(
        api("gd", tree["bj_cadre"]).get(SUGGESTED, {"category": "study"}),
        403,
        "permission_denied",
    )
    assert_error(api("gd").get(SUGGESTED, {"category": "study"}), 401, "not_authenticated")


# ---------------------------------------------------------------- sending


def test_a_cadre_sends_the_asker_to_a_home_here_and_the_time_is_offered_at_once(
    tree, api, django_capture_on_commit_callbacks
):
    slot = factories.youth_home("gd", tree["gd_org"])
    question = ask("gd", tree["youth"])
    url = f"/api/v1/questions/{question.pk}/refer/"
    body = {"listing": listing(slot, "gd").pk, "slot": slot.pk, "note": "来自习室复习"}
    cadre = api("gd", tree["gd_cadre"])

    assert_error(api("gd").post(url, body, format="json"), 401, "not_authenticated")
    assert_error(api("gd", tree["youth"]).post(url, body, format="json"), 403, "permission_denied")
    # Central's auditor reads the workbench from above but sends nobody.
    assert_error(api("gd", tree["auditor"]).post(url, body, format="json"), 403, "read_only")
    # Beijing's portal has no such question.
    assert_error(api("bj", tree["bj_cadre"]).post(url, body, format="json"), 404, "not_found")
    assert_error(cadre.post(url, {**body, "listing": 999999}, format="json"), 404, "not_found")
    assert_error(cadre.post(url, {**body, "slot": 999999}, format="json"), 404, "not_found")
    no_listing = cadre.post(url, {"slot": slot.pk}, format="json")
    assert_error(no_listing, 400, "invalid")
    assert list(no_listing.json()["error"]["fields"]) == ["listing"]
    assert_error(
        cadre.post("/api/v1/questions/999999/refer/", body, format="json"), 404, "not_found"
    )
    assert kinds("gd", question) == []  # nothing refused was recorded

    with django_capture_on_commit_callbacks(execute=True):
        sent = cadre.post(url, body, format="json")
    assert sent.status_code == 201, sent.content
    shown = sent.json()
    assert shown["state"] == "offered" and shown["home"] == "天河青年之家"
    referral = referral_in("gd")
    assert shown["id"] == referral.pk and referral.slot_id == slot.pk
    assert (referral.youth_id, referral.note, referral.source_committee) == (
        tree["youth"].pk,
        "来自习室复习",
        "gd",
    )
    assert referral.thread.startswith("期末复习找不到安静的地方")
    with schema_context("gd"):
        slot.refresh_from_db()
    assert (slot.taken, slot.held) == (0, 1)
    assert told(tree["youth"], "home_referral_offer") and told(tree["gd_org"], "home_referred")
    assert kinds("gd", question) == ["homes.referred", "homes.referral_offered"]
    # Sent there and still open: not twice.
    assert_error(cadre.post(url, body, format="json"), 409, "already_referred")


def test_a_home_of_another_committee_is_asked_and_only_its_staff_offer_the_time(
    tree, api, django_capture_on_commit_callbacks
):
    bj_staff = factories.staff(tree.bj, "org_member")
    away = factories.youth_home("bj", bj_staff, name="东城青年之家")
    here = factories.youth_home("gd", tree["gd_org"])
    question = ask("gd", tree["youth"], title="暑假在北京想找个自习的地方")
    url = f"/api/v1/questions/{question.pk}/refer/"
    cadre = api("gd", tree["gd_cadre"])
    target = listing(away, "bj").pk

    wrong = cadre.post(url, {"listing": target, "slot": here.pk}, format="json")
    assert_error(wrong, 400, "invalid")
    assert list(wrong.json()["error"]["fields"]) == ["slot"]
    assert kinds("gd", question) == []  # nothing half done
    # A slot of a home of this committee that is not the listing's: the same.
    other_home = factories.youth_home("gd", name="越秀青年之家")
    mixed = cadre.post(
        url, {"listing": listing(here, "gd").pk, "slot": other_home.pk}, format="json"
    )
    assert_error(mixed, 400, "closed")
    assert kinds("gd", question) == []
    with schema_context("gd"):
        assert not Referral.objects.exists()

    sent = cadre.post(url, {"listing": target, "note": "暑期"}, format="json")
    assert sent.status_code == 201, sent.content
    assert sent.json() == {"id": None, "state": "sent", "home": "东城青年之家"}
    assert kinds("gd", question) == ["homes.referred"]
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.deliver() == 1
    assert told(bj_staff, "home_referred")
    # At Beijing the home's staff read it on their own portal.
    home = away.service.home_id
    listed = api("bj", bj_staff).get(f"/api/v1/homes/{home}/referrals/")
    assert listed.status_code == 200, listed.content
    rows = listed.json()["results"]
    assert [(r["state"], r["source_committee"], r["title"], r["note"]) for r in rows] == [
        ("requested", "gd", "暑假在北京想找个自习的地方", "暑期")
    ]
    offered = api("bj", bj_staff).post(
        f"/api/v1/referrals/{rows[0]['id']}/offer/", {"slot": away.pk}, format="json"
    )
    assert offered.status_code == 200 and offered.json()["state"] == "offered"
    assert outbox.deliver() == 1
    assert kinds("gd", question) == ["homes.referred", "homes.referral_offered"]
    # The youth confirms on Beijing's portal, where the home is.
    mine = api("bj", tree["youth"]).get("/api/v1/referrals/mine/").json()["results"]
    assert [r["id"] for r in mine] == [rows[0]["id"]]
    assert api("gd", tree["youth"]).get("/api/v1/referrals/mine/").json()["results"] == []


def test_a_slot_id_of_another_committees_home_is_refused_as_a_slot_not_as_not_found(tree, api):
    """The slot a cadre gives with another committee's listing is that committee's (its own
    schema's ids): refused as "invalid" on ``slot`` whether or not an id like it exists here."""
    bj_staff = factories.staff(tree.bj, "org_member")
    away = factories.youth_home("bj", bj_staff, name="东城青年之家")
    with schema_context("bj"):
        later = another_slot(away)
    factories.youth_home("gd", tree["gd_org"])
    with schema_context("gd"):
        assert not Slot.objects.filter(pk=later.pk).exists()  # an id only Beijing has
    question = ask("gd", tree["youth"])
    refused = api("gd", tree["gd_cadre"]).post(
        f"/api/v1/questions/{question.pk}/refer/",
        {"listing": listing(away, "bj").pk, "slot": later.pk},
        format="json",
    )
    assert_error(refused, 400, "invalid")
    assert list(refused.json()["error"]["fields"]) == ["slot"]


def test_a_help_cases_youth_is_sent_to_a_home_over_the_api(tree, api):
    slot = factories.youth_home("gd", tree["gd_org"])
    case = submit("gd", tree["youth"])
    url = f"/api/v1/help-cases/{case.pk}/refer/"
    body = {"listing": listing(slot, "gd").pk, "slot": slot.pk, "note": "备考"}
    assert_error(api("gd", tree["youth"]).post(url, body, format="json"), 403, "permission_denied")
    assert_error(api("bj", tree["bj_cadre"]).post(url, body, format="json"), 404, "not_found")
    assert_error(
        api("gd", tree["gd_cadre"]).post(url, {**body, "listing": 999999}, format="json"),
        404,
        "not_found",
    )
    sent = api("gd", tree["gd_cadre"]).post(url, body, format="json")
    assert sent.status_code == 201, sent.content
    assert sent.json()["state"] == "offered" and sent.json()["id"] is not None
    referral = referral_in("gd", pk=sent.json()["id"])
    assert (referral.source_type, referral.source_id) == ("helpcases.helpcase", case.pk)
    assert "家里太吵" in referral.thread and referral.youth_id == tree["youth"].pk
    assert kinds("gd", case) == ["homes.referred", "homes.referral_offered"]
    # Without a slot, to a home of another committee: sent, its staff offer the time.
    away = factories.youth_home("bj", name="东城青年之家")
    asked = api("gd", tree["gd_cadre"]).post(
        url, {"listing": listing(away, "bj").pk}, format="json"
    )
    assert asked.status_code == 201 and asked.json() == {
        "id": None,
        "state": "sent",
        "home": "东城青年之家",
    }


# ---------------------------------------------------------------- at the home


def test_the_homes_staff_read_who_was_sent_there_and_offer_a_time(
    tree, api, django_capture_on_commit_callbacks
):
    home_staff = factories.staff(tree.gd, "org_member")
    slot = factories.youth_home("gd", home_staff)
    elsewhere = factories.youth_home("gd", name="越秀青年之家")
    question = ask("gd", tree["youth"])
    with schema_context("gd"):
        referral = referrals.refer(
            QUESTION, question, actor=tree["gd_cadre"], listing=listing(slot, "gd"), note="先看看"
        )
    home = slot.service.home_id
    url = f"/api/v1/homes/{home}/referrals/"

    listed = api("gd", home_staff).get(url)
    assert listed.status_code == 200, listed.content
    rows = listed.json()["results"]
    assert [(r["id"], r["state"], r["home"], r["slot"]) for r in rows] == [
        (referral.pk, "requested", "天河青年之家", None)
    ]
    assert rows[0]["thread"].startswith("期末复习找不到安静的地方") and rows[0]["note"] == "先看看"
    assert rows[0]["category"] == "study" and rows[0]["source_committee"] == "gd"
    # The committee's cadres read every home's; another home's list is empty.
    assert [r["id"] for r in api("gd", tree["gd_cadre"]).get(url).json()["results"]] == [
        referral.pk
    ]
    assert (
        api("gd", tree["gd_cadre"])
        .get(f"/api/v1/homes/{elsewhere.service.home_id}/referrals/")
        .json()["results"]
        == []
    )
    assert_error(api("gd").get(url), 401, "not_authenticated")
    assert_error(api("gd", tree["youth"]).get(url), 403, "permission_denied")
    assert_error(api("gd", tree["gd_expert"]).get(url), 403, "permission_denied")  # not its team
    assert_error(api("bj", tree["bj_admin"]).get(url), 404, "not_found")

    offer = f"/api/v1/referrals/{referral.pk}/offer/"
    staff = api("gd", home_staff)
    assert_error(api("gd").post(offer, {"slot": slot.pk}, format="json"), 401, "not_authenticated")
    assert_error(
        api("gd", tree["youth"]).post(offer, {"slot": slot.pk}, format="json"),
        403,
        "permission_denied",
    )
    assert_error(
        api("gd", tree["gd_expert"]).post(offer, {"slot": slot.pk}, format="json"),
        403,
        "forbidden",
    )
    assert_error(
        api("bj", tree["bj_admin"]).post(offer, {"slot": slot.pk}, format="json"),
        404,
        "not_found",
    )
    closed = staff.post(offer, {"slot": elsewhere.pk}, format="json")
    assert_error(closed, 400, "closed")
    assert list(closed.json()["error"]["fields"]) == ["slot"]
    assert_error(staff.post(offer, {"slot": 999999}, format="json"), 404, "not_found")
    assert_error(staff.post(offer, {}, format="json"), 400, "invalid")
    assert referral_in("gd", pk=referral.pk).state == "requested"

    with django_capture_on_commit_callbacks(execute=True):
        offered = staff.post(offer, {"slot": slot.pk}, format="json")
    assert offered.status_code == 200, offered.content
    shown = offered.json()
    assert shown["id"] == referral.pk and shown["state"] == "offered"
    assert shown["slot"]["id"] == slot.pk and shown["offer_expires_at"]
    assert told(tree["youth"], "home_referral_offer")
    with schema_context("gd"):
        slot.refresh_from_db()
    assert slot.held == 1
    assert_error(staff.post(offer, {"slot": slot.pk}, format="json"), 409, "wrong_state")
    assert kinds("gd", question) == ["homes.referred", "homes.referral_offered"]


# ---------------------------------------------------------------- the youth


def test_the_youth_reads_what_they_were_sent_for_and_confirms_the_time(
    tree, api, django_capture_on_commit_callbacks
):
    slot = factories.youth_home("gd", tree["gd_org"])
    question = ask("gd", tree["youth"])
    other = factories.account(name="小红")
    ask("gd", other, title="想找个地方练琴")  # someone else's question, not sent anywhere
    with schema_context("gd"):
        referral = referrals.refer(
            QUESTION, question, actor=tree["gd_cadre"], listing=listing(slot, "gd"), slot=slot
        )
    mine = api("gd", tree["youth"]).get("/api/v1/referrals/mine/")
    assert mine.status_code == 200, mine.content
    rows = mine.json()["results"]
    assert [(r["id"], r["state"], r["home"]) for r in rows] == [
        (referral.pk, "offered", "天河青年之家")
    ]
    assert rows[0]["slot"]["id"] == slot.pk and rows[0]["booking"] is None
    assert api("gd", other).get("/api/v1/referrals/mine/").json()["results"] == []
    assert api("bj", tree["youth"]).get("/api/v1/referrals/mine/").json()["results"] == []
    assert_error(api("gd").get("/api/v1/referrals/mine/"), 401, "not_authenticated")

    accept = f"/api/v1/referrals/{referral.pk}/accept/"
    decline = f"/api/v1/referrals/{referral.pk}/decline/"
    assert_error(api("gd").post(accept), 401, "not_authenticated")
    assert_error(api("gd", other).post(accept), 404, "not_found")
    assert_error(api("gd", other).post(decline), 404, "not_found")
    assert_error(api("gd", tree["gd_cadre"]).post(accept), 404, "not_found")
    assert_error(api("bj", tree["youth"]).post(accept), 404, "not_found")

    with django_capture_on_commit_callbacks(execute=True):
        taken = api("gd", tree["youth"]).post(accept)
    assert taken.status_code == 201, taken.content
    booking = taken.json()
    assert booking["state"] == "confirmed" and len(booking["code"]) == 12
    assert booking["code"].isalnum() and booking["slot"]["id"] == slot.pk
    assert booking["slot"]["home_name"] == "天河青年之家"
    assert told(tree["youth"], "home_booked")
    with schema_context("gd"):
        assert Booking.objects.get().pk == booking["id"]
        slot.refresh_from_db()
        assert (slot.taken, slot.held) == (1, 0)
    done = referral_in("gd", pk=referral.pk)
    assert (done.state, done.booking_id) == ("booked", booking["id"])
    again = api("gd", tree["youth"]).get("/api/v1/referrals/mine/").json()["results"]
    assert [(r["state"], r["booking"]) for r in again] == [("booked", booking["id"])]
    assert [
        b["id"] for b in api("gd", tree["youth"]).get("/api/v1/bookings/mine/").json()["results"]
    ] == [booking["id"]]
    assert_error(api("gd", tree["youth"]).post(accept), 409, "wrong_state")
    assert_error(api("gd", tree["youth"]).post(decline), 409, "wrong_state")
    assert kinds("gd", question)[-1] == "homes.referral_booked"


def test_the_youth_declines_and_the_place_held_goes_back(tree, api):
    slot = factories.youth_home("gd", tree["gd_org"])
    case = submit("gd", tree["youth"])
    with schema_context("gd"):
        referral = referrals.refer(
            HELP_CASE, case, actor=tree["gd_cadre"], listing=listing(slot, "gd"), slot=slot
        )
    decline = f"/api/v1/referrals/{referral.pk}/decline/"
    assert_error(api("gd", factories.account()).post(decline), 404, "not_found")
    declined = api("gd", tree["youth"]).post(decline)
    assert declined.status_code == 200, declined.content
    assert declined.json()["id"] == referral.pk and declined.json()["state"] == "declined"
    with schema_context("gd"):
        slot.refresh_from_db()
    assert slot.held == 0
    assert_error(api("gd", tree["youth"]).post(decline), 409, "wrong_state")
    assert_error(
        api("gd", tree["youth"]).post(f"/api/v1/referrals/{referral.pk}/accept/"),
        409,
        "wrong_state",
    )
    assert kinds("gd", case)[-1] == "homes.referral_declined"


# ---------------------------------------------------------------- the pages


def test_from_the_handling_page_a_cadre_sends_the_asker_who_confirms_on_their_pages(
    tree, web, django_capture_on_commit_callbacks
):
    slot = factories.youth_home("gd", tree["gd_org"])
    away = factories.youth_home("bj", name="东城青年之家")
    question = ask("gd", tree["youth"])
    here = listing(slot, "gd")
    handle = reverse("qa:handle", args=[question.pk])
    refer = reverse("homes:refer", args=["qa.question", question.pk])
    cadre = web("gd", tree["gd_cadre"])

    page = cadre.get(handle)
    assert page.status_code == 200
    shown = page.content.decode()
    assert 'data-testid="refer-form"' in shown and f'action="{refer}"' in shown
    assert f'name="listing" value="{here.pk}"' in shown and "天河青年之家" in shown
    assert f'name="slot-{here.pk}"' in shown and f'<option value="{slot.pk}">' in shown
    assert 'data-testid="offline-steps"' not in shown  # nothing sent yet
    # Beijing's home is suggested, found by name too, without times to offer from here.
    there = listing(away, "bj")
    assert f'name="listing" value="{there.pk}"' in shown
    assert f'name="slot-{there.pk}"' not in shown
    found = cadre.get(handle, {"home_find": "东城"}).content.decode()
    assert f'name="listing" value="{there.pk}"' in found
    assert f'name="listing" value="{here.pk}"' not in found

    posted = {"listing": here.pk, f"slot-{here.pk}": slot.pk, "note": "来自习室复习"}
    youth = web("gd", tree["youth"])
    assert youth.post(refer, posted).status_code == 403
    assert web("gd").post(refer, posted)["Location"].startswith("/accounts/login/")
    assert web("gd", tree["auditor"]).post(refer, posted).status_code == 403  # reads only
    assert cadre.get(refer).status_code == 403
    assert (
        cadre.post(reverse("homes:refer", args=["nope.nope", question.pk]), posted).status_code
        == 403
    )
    assert web("bj", tree["bj_cadre"]).post(refer, posted).status_code == 404
    with schema_context("gd"):
        assert not Referral.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        sent = cadre.post(refer, posted)
    assert sent.status_code == 302 and sent["Location"] == handle + "#offline"
    referral = referral_in("gd")
    assert (referral.state, referral.slot_id, referral.note) == ("offered", slot.pk, "来自习室复习")
    assert told(tree["youth"], "home_referral_offer")
    assert 'data-testid="offline-steps"' in cadre.get(handle).content.decode()

    # The asker follows it on their question's page; another youth does not see the steps.
    asked = youth.get(reverse("qa:question", args=[question.pk])).content.decode()
    assert 'data-testid="offline-steps"' in asked and f"/homes/referrals/{referral.pk}/" in asked
    stranger = web("gd", factories.account(name="小红"))
    seen = stranger.get(reverse("qa:question", args=[question.pk]))
    assert seen.status_code == 404 or 'data-testid="offline-steps"' not in seen.content.decode()

    # The referral's own page: the youth's only.
    own = reverse("homes:referral", args=[referral.pk])
    page = youth.get(own)
    assert page.status_code == 200
    assert 'data-testid="referral"' in page.content.decode()
    assert 'data-testid="confirm-referral"' in page.content.decode()
    assert stranger.get(own).status_code == 404
    assert web("gd").get(own)["Location"].startswith("/accounts/login/")

    mine = youth.get("/homes/mine/").content.decode()
    assert 'data-testid="my-referrals"' in mine and 'data-testid="confirm-referral"' in mine
    assert 'data-testid="my-referrals"' not in stranger.get("/homes/mine/").content.decode()
    # The list's buttons post to the referral's page.
    assert f'action="{own}"' in mine
    assert stranger.post(own, {"action": "confirm"}).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        booked = youth.post(own, {"action": "confirm"}, follow=True)
    assert booked.redirect_chain[-1][0] == "/homes/mine/"
    with schema_context("gd"):
        booking = Booking.objects.get(youth=tree["youth"])
    assert referral_in("gd", pk=referral.pk).booking_id == booking.pk
    page = booked.content.decode()
    assert f'data-testid="check-in-code">{booking.code}<' in page and len(booking.code) == 12
    assert 'data-testid="my-referrals"' not in page  # booked: no longer waiting for an answer
    assert told(tree["youth"], "home_booked")
    assert kinds("gd", question) == [
        "homes.referred",
        "homes.referral_offered",
        "homes.referral_booked",
    ]
    state = youth.get(own).content.decode()
    assert 'data-testid="confirm-referral"' not in state and 'data-testid="referral-state"' in state


def test_the_youth_declines_on_the_referrals_page(tree, web):
    slot = factories.youth_home("gd", tree["gd_org"])
    question = ask("gd", tree["youth"])
    with schema_context("gd"):
        referral = referrals.refer(
            QUESTION, question, actor=tree["gd_cadre"], listing=listing(slot, "gd"), slot=slot
        )
    own = reverse("homes:referral", args=[referral.pk])
    assert web("gd", factories.account()).post(own, {"action": "decline"}).status_code == 404
    declined = web("gd", tree["youth"]).post(own, {"action": "decline"})
    assert declined.status_code == 302 and declined["Location"] == own
    assert referral_in("gd", pk=referral.pk).state == "declined"
    with schema_context("gd"):
        slot.refresh_from_db()
    assert slot.held == 0


def test_the_homes_staff_page_lists_who_was_sent_offers_a_time_and_shows_the_waitlists(
    tree, web, django_capture_on_commit_callbacks
):
    home_staff = factories.staff(tree.gd, "org_member")
    slot = factories.youth_home("gd", home_staff)
    elsewhere = factories.youth_home("gd", name="越秀青年之家")
    question = ask("gd", tree["youth"])
    with schema_context("gd"):
        referral = referrals.refer(
            QUESTION, question, actor=tree["gd_cadre"], listing=listing(slot, "gd"), note="先看看"
        )
        full = another_slot(slot, capacity=1, taken=1)
    home = slot.service.home_id
    url = f"/workbench/homes/{home}/referrals/"
    assert url == reverse("homes:referrals", args=[home])
    staff = web("gd", home_staff)

    page = staff.get(url)
    assert page.status_code == 200
    shown = page.content.decode()
    assert 'data-testid="referrals"' in shown and f'data-referral="{referral.pk}"' in shown
    assert "期末复习找不到安静的地方" in shown and "先看看" in shown
    assert 'data-testid="offer-slot"' in shown and f'<option value="{slot.pk}">' in shown
    assert f'<option value="{full.pk}">' not in shown  # full: not offered
    assert 'data-testid="waitlists"' in shown and "<td>1</td>" not in shown  # nobody waits

    youth = web("gd", tree["youth"])
    assert youth.get(url).status_code == 403
    assert youth.post(url, {"pk": referral.pk, "slot": slot.pk}).status_code == 403
    assert web("gd").get(url)["Location"].startswith("/accounts/login/")
    expert = web("gd", tree["gd_expert"])  # staff here, not of this home's team
    assert 'data-testid="offer-slot"' not in expert.get(url).content.decode()
    assert expert.post(url, {"pk": referral.pk, "slot": slot.pk}).status_code == 403
    assert web("bj", tree["bj_admin"]).get(url).status_code == 404
    # A time of another home is not this page's to offer.
    assert staff.post(url, {"pk": referral.pk, "slot": elsewhere.pk}).status_code == 404
    assert referral_in("gd", pk=referral.pk).state == "requested"

    with django_capture_on_commit_callbacks(execute=True):
        offered = staff.post(url, {"pk": referral.pk, "slot": slot.pk})
    assert offered.status_code == 302 and offered["Location"] == url
    done = referral_in("gd", pk=referral.pk)
    assert (done.state, done.slot_id) == ("offered", slot.pk)
    assert told(tree["youth"], "home_referral_offer")
    after = staff.get(url).content.decode()
    assert 'data-testid="offer-slot"' not in after  # offered: nothing more to offer
    # Offering again from a stale page changes nothing.
    again = staff.post(url, {"pk": referral.pk, "slot": slot.pk}, follow=True)
    assert again.status_code == 200
    assert referral_in("gd", pk=referral.pk).slot_id == slot.pk

    # A youth waits for the full time: the waitlists table counts them.
    with schema_context("gd"):
        services.join_waitlist(slot=full, youth=factories.account(name="小红"))
    waiting = staff.get(url).content.decode()
    assert 'data-testid="waitlists"' in waiting
    assert "<td>自习室</td><td>1</td><td>0</td>" in waiting


def test_the_help_case_handling_page_has_the_offline_box_and_sends_its_youth(tree, web):
    slot = factories.youth_home("gd", tree["gd_org"])
    case = submit("gd", tree["youth"])
    here = listing(slot, "gd")
    handle = reverse("helpcases:handle", args=[case.pk])
    refer = reverse("homes:refer", args=["helpcases.helpcase", case.pk])
    cadre = web("gd", tree["gd_cadre"])
    page = cadre.get(handle)
    assert page.status_code == 200
    shown = page.content.decode()
    assert 'data-testid="refer-form"' in shown and f'action="{refer}"' in shown
    assert f'name="listing" value="{here.pk}"' in shown
    assert f'<option value="{slot.pk}">' in shown

    assert web("gd", tree["youth"]).post(refer, {"listing": here.pk}).status_code == 403
    sent = cadre.post(refer, {"listing": here.pk, f"slot-{here.pk}": slot.pk})
    assert sent.status_code == 302 and sent["Location"] == handle + "#offline"
    referral = referral_in("gd")
    assert (referral.state, referral.source_type, referral.source_id) == (
        "offered",
        "helpcases.helpcase",
        case.pk,
    )
    assert 'data-testid="offline-steps"' in cadre.get(handle).content.decode()
    followed = web("gd", tree["youth"]).get(reverse("helpcases:case", args=[case.pk]))
    assert followed.status_code == 200
    assert 'data-testid="offline-steps"' in followed.content.decode()


def test_each_home_in_the_offline_box_has_its_own_test_ids(tree, web):
    here = factories.youth_home("gd", tree["gd_org"])
    away = factories.youth_home("bj", name="东城青年之家")
    assert here.service.home_id == away.service.home_id  # each schema counts from one
    question = ask("gd", tree["youth"])
    shown = web("gd", tree["gd_cadre"]).get(reverse("qa:handle", args=[question.pk]))
    page = shown.content.decode()
    assert 'data-testid="refer-form"' in page
    assert page.count(f'data-testid="listing-{listing(here, "gd").pk}"') == 1
    assert page.count(f'data-testid="listing-{listing(away, "bj").pk}"') == 1


def test_a_slot_that_is_no_whole_number_is_refused_on_the_refer_page(tree, web):
    slot = factories.youth_home("gd", tree["gd_org"])
    question = ask("gd", tree["youth"])
    here = listing(slot, "gd")
    cadre = web("gd", tree["gd_cadre"])
    cadre.raise_request_exception = False
    refer = reverse("homes:refer", args=["qa.question", question.pk])
    sent = cadre.post(refer, {"listing": here.pk, f"slot-{here.pk}": "²"})
    assert sent.status_code in (302, 400), sent.status_code
    with schema_context("gd"):
        assert not Referral.objects.filter(state="offered").exists()
