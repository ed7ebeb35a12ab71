"""Activities over the API: finding and reading activities, publishing, changing and
cancelling them, registering alone or as a team (formed by its invitation link), the
waitlist, checking in at the venue by its rotating code, photos, the participants' ratings,
and for the organisers the participants, marking them present, messages and the figures;
with what a youth, a stranger from another committee, an anonymous visitor and another
committee's portal get (in the one error shape)."""

import io
from datetime import timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image

from activities import checkin, registration
from activities.models import Activity, CheckIn, Registration
from casework.models import Member, Team
from core.models import Notification
from tests import factories
from tests.core.helpers import assert_error

ACTIVITIES = "/api/v1/activities/"
SCAN = "/api/v1/activities/check-ins/"
AT_THE_VENUE = {"latitude": 23.1381, "longitude": 113.3261, "accuracy_m": 20}  # the factory's
IN_BEIJING = {"latitude": 39.9042, "longitude": 116.4074, "accuracy_m": 20}


def of(activity, step: str = "") -> str:
    """The API address of ``activity`` (or of one of its steps)."""
    return f"{ACTIVITIES}{activity.pk}/" + (f"{step}/" if step else "")


def send(client, method: str, path: str, data=None):
    if method == "get":
        return client.get(path, data)
    return getattr(client, method)(path, data, format="json")


def refused_to_strangers(api, tree, method, path, data=None, *, code="forbidden"):
    """Anonymous on gd's portal: 401; Beijing's cadre on gd's portal: 403 ``code``; the
    same address asked on Beijing's portal: 404 (schemas are apart)."""
    assert_error(send(api("gd"), method, path, data), 401, "not_authenticated")
    assert_error(send(api("gd", tree["bj_cadre"]), method, path, data), 403, code)
    assert_error(send(api("bj", tree["bj_cadre"]), method, path, data), 404, "not_found")


def register(activity, youth) -> Registration:
    with schema_context("gd"):
        return registration.register(activity=activity, youth=youth)


def at_check_in(activity, minutes: int = -30):
    """Half an hour before the start: inside the check-in window (from an hour before)."""
    return time_machine.travel(activity.starts_at + timedelta(minutes=minutes), tick=False)


def forged(code: str) -> str:
    """``code`` with the last digit of its signature changed: always another signature (the
    digit is never replaced by itself, which a fixed "0" would be once in 16 secrets)."""
    return code[:-1] + ("1" if code[-1] == "0" else "0")


def photo_file(name: str = "现场.png") -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", (40, 30), "#c8161d").save(data, format="PNG")
    return SimpleUploadedFile(name, data.getvalue(), content_type="image/png")


def organisation(tree) -> Team:
    """A listed organisation of gd, with gd_org as its member."""
    with schema_context("gd"):
        org = Team.objects.create(
            name="青年志愿者协会", kind="organisation", sector="social", is_listed=True
        )
        Member.objects.create(
            team=org, user=tree["gd_org"], kind="organisation", organisation=org.name
        )
    return org


# ---------------------------------------------------------------- finding and reading


def test_activities_are_listed_and_read_by_anyone_on_their_own_portal_only(tree, api):
    soon = factories.activity("gd", tree["gd_cadre"], places=8)
    later = factories.activity(
        "gd",
        tree["gd_cadre"],
        title="青年创业沙龙",
        category="career",
        starts_at=soon.starts_at + timedelta(days=3),
    )
    with schema_context("gd"):
        Activity.objects.filter(pk=later.pk).update(taken=2)
    listed = api("gd").get(ACTIVITIES)
    assert listed.status_code == 200
    found = listed.json()["results"]
    assert [a["id"] for a in found] == [soon.pk, later.pk]  # soonest first
    first = found[0]
    assert first["title"] == "青春志愿行 · 城市定向赛" and first["category"] == "volunteer"
    assert (first["capacity"], first["free"], first["state"]) == (8, 8, "published")
    assert first["url"] == f"/activities/{soon.pk}/" and first["organiser"] is None
    assert found[1]["free"] == 8  # 10 places, 2 taken
    career = api("gd").get(ACTIVITIES, {"category": "career"}).json()["results"]
    assert [a["id"] for a in career] == [later.pk]
    assert api("gd").get(ACTIVITIES, {"when": "past"}).json()["results"] == []
    with time_machine.travel(later.ends_at + timedelta(hours=1), tick=False):
        past = api("gd").get(ACTIVITIES, {"when": "past"}).json()["results"]
    assert [a["id"] for a in past] == [later.pk, soon.pk]  # the latest first
    assert api("bj").get(ACTIVITIES).json()["results"] == []  # Beijing's own activities

    shown = api("gd").get(of(soon))
    assert shown.status_code == 200
    body = shown.json()
    assert body["activity"]["description"] == "以队为单位完成城市定向任务，结束后分享照片。"
    assert body["activity"]["photos"] == []
    assert body["mine"] == {
        "registration": None,
        "team": None,
        "waitlist": None,
        "checked_in": False,
        "may_manage": False,
    }
    assert api("gd", tree["gd_cadre"]).get(of(soon)).json()["mine"]["may_manage"] is True
    assert api("gd", tree["bj_cadre"]).get(of(soon)).json()["mine"]["may_manage"] is False
    assert_error(api("bj", tree["bj_cadre"]).get(of(soon)), 404, "not_found")
    assert_error(api("gd").get(f"{ACTIVITIES}999999/"), 404, "not_found")


# ---------------------------------------------------------------- publishing


def new_activity(**fields) -> dict:
    return {
        "title": "五四青年节 · 青春分享会",
        "description": "青年代表分享成长故事，现场交流。",
        "category": "volunteer",
        "place": "广州市越秀区青年文化宫",
        "latitude": "23.129000",
        "longitude": "113.264000",
        "starts_at": "2031-05-04T14:00:00+08:00",
        "ends_at": "2031-05-04T17:00:00+08:00",
        "capacity": 30,
        "allows_teams": True,
        "team_min": 2,
        "team_max": 5,
        **fields,
    }


def test_the_committees_cadres_publish_an_activity(tree, api):
    assert_error(
        api("gd").post(ACTIVITIES, new_activity(), format="json"), 401, "not_authenticated"
    )
    for who in ("youth", "gd_expert", "gd_org", "bj_cadre"):
        refused = api("gd", tree[who]).post(ACTIVITIES, new_activity(), format="json")
        assert_error(refused, 403, "forbidden")
    assert_error(
        api("gd", tree["auditor"]).post(ACTIVITIES, new_activity(), format="json"),
        403,
        "read_only",
    )
    made = api("gd", tree["gd_cadre"]).post(ACTIVITIES, new_activity(), format="json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["title"] == "五四青年节 · 青春分享会" and body["state"] == "published"
    assert (body["capacity"], body["free"], body["team_min"], body["team_max"]) == (30, 30, 2, 5)
    assert body["allows_teams"] is True and body["allows_individuals"] is True
    assert body["registration_closes_at"] == body["starts_at"]  # closes when it starts
    assert body["photos"] == [] and body["url"] == f"/activities/{body['id']}/"
    with schema_context("gd"):
        stored = Activity.objects.get(pk=body["id"])
        assert (stored.created_by_id, stored.place) == (
            tree["gd_cadre"].pk,
            "广州市越秀区青年文化宫",
        )
    assert [a["id"] for a in api("gd").get(ACTIVITIES).json()["results"]] == [body["id"]]
    assert api("bj").get(ACTIVITIES).json()["results"] == []
    # The admin publishes too.
    assert (
        api("gd", tree["gd_admin"]).post(ACTIVITIES, new_activity(), format="json").status_code
        == 201
    )


def test_an_organisation_publishes_for_itself_and_runs_only_its_own(tree, api):
    org = organisation(tree)
    member = api("gd", tree["gd_org"])
    assert_error(member.post(ACTIVITIES, new_activity(), format="json"), 403, "forbidden")
    made = member.post(ACTIVITIES, new_activity(organiser=org.pk), format="json")
    assert made.status_code == 201, made.content
    assert made.json()["organiser"] == "青年志愿者协会"
    ours = made.json()["id"]
    assert member.get(f"{ACTIVITIES}{ours}/").json()["mine"]["may_manage"] is True
    committees = factories.activity("gd", tree["gd_cadre"])
    assert member.get(of(committees)).json()["mine"]["may_manage"] is False
    refused = member.patch(of(committees), {"capacity": 5}, format="json")
    assert_error(refused, 403, "forbidden")
    changed = member.patch(f"{ACTIVITIES}{ours}/", {"capacity": 5}, format="json")
    assert changed.status_code == 200 and changed.json()["capacity"] == 5


def test_a_bad_activity_is_refused_naming_the_field(tree, api):
    cadre = api("gd", tree["gd_cadre"])
    for fields, code, field in [
        ({"ends_at": "2031-05-04T13:00:00+08:00"}, "invalid", "ends_at"),
        ({"capacity": 0}, "invalid", "capacity"),
        ({"capacity": "许多"}, "invalid", "capacity"),
        ({"title": ""}, "invalid", "title"),
        ({"starts_at": "明天下午"}, "invalid", "starts_at"),
        ({"category": "nope"}, "invalid_category", "category"),
        ({"place": ""}, "required", "place"),
        ({"latitude": None}, "invalid", "latitude"),
        ({"latitude": "123"}, "invalid", "latitude"),
        ({"team_max": 40}, "invalid", "team_max"),  # more than its 30 places
        ({"team_min": 4, "team_max": 3}, "invalid", "team_max"),
        ({"allows_individuals": False, "allows_teams": False}, "invalid", "allows_individuals"),
        (
            {"registration_closes_at": "2031-05-04T18:00:00+08:00"},
            "invalid",
            "registration_closes_at",
        ),
    ]:
        refused = cadre.post(ACTIVITIES, new_activity(**fields), format="json")
        error = assert_error(refused, 400, code)
        assert list(error["fields"]) == [field], (fields, error)
    missing = cadre.post(ACTIVITIES, {"title": "只有标题"}, format="json")
    assert_error(missing, 400, "invalid")
    assert {"description", "category", "starts_at", "ends_at", "capacity"} <= set(
        missing.json()["error"]["fields"]
    )
    with schema_context("gd"):
        assert not Activity.objects.exists()


def test_an_unknown_organiser_is_refused_naming_the_organiser_field(tree, api):
    refused = api("gd", tree["gd_cadre"]).post(
        ACTIVITIES, new_activity(organiser=999999), format="json"
    )
    error = assert_error(refused, 400, "invalid_team")
    assert list(error["fields"]) == ["organiser"], error  # the field the request named


# ---------------------------------------------------------------- changing and cancelling


def test_its_organisers_change_an_activity_and_its_participants_are_told(
    tree, api, django_capture_on_commit_callbacks
):
    activity = factories.activity("gd", tree["gd_cadre"], places=2)
    register(activity, tree["youth"])
    change = {"title": "青春志愿行 · 城市定向赛（升级版）", "capacity": 20}
    assert_error(
        api("gd", tree["youth"]).patch(of(activity), change, format="json"), 403, "forbidden"
    )
    refused_to_strangers(api, tree, "patch", of(activity), change)
    with django_capture_on_commit_callbacks(execute=True):
        changed = api("gd", tree["gd_cadre"]).patch(of(activity), change, format="json")
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert (body["title"], body["capacity"], body["free"]) == (change["title"], 20, 19)
    assert body["place"] == "广州市天河区体育中心"  # what was not sent stays
    assert not Notification.objects.filter(kind="activity_changed").exists()  # same time
    moved = {"place": "广州市天河区天河公园"}
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            api("gd", tree["gd_cadre"]).patch(of(activity), moved, format="json").status_code == 200
        )
    told = Notification.objects.get(kind="activity_changed")
    assert told.user_id == tree["youth"].pk and told.link == f"/activities/{activity.pk}/"

    backwards = {"ends_at": (activity.starts_at - timedelta(hours=1)).isoformat()}
    error = assert_error(
        api("gd", tree["gd_cadre"]).patch(of(activity), backwards, format="json"), 400, "invalid"
    )
    assert list(error["fields"]) == ["ends_at"]
    below = api("gd", tree["gd_cadre"]).patch(of(activity), {"capacity": 0}, format="json")
    assert list(assert_error(below, 400, "invalid")["fields"]) == ["capacity"]
    register(activity, factories.account(name="小红"))
    taken = api("gd", tree["gd_cadre"]).patch(of(activity), {"capacity": 1}, format="json")
    assert list(assert_error(taken, 400, "below_taken")["fields"]) == ["capacity"]


def test_moving_an_activity_moves_the_close_of_registration_it_was_published_with(tree, api):
    """Published without a close of registration, it closes when the activity starts: moved
    a week on, it still takes registrations until its new start; moved earlier, the move is
    not refused for a close of registration the organiser never set."""
    postponed = factories.activity("gd", tree["gd_cadre"])
    week = timedelta(days=7)
    later = {
        "starts_at": (postponed.starts_at + week).isoformat(),
        "ends_at": (postponed.ends_at + week).isoformat(),
    }
    moved = api("gd", tree["gd_cadre"]).patch(of(postponed), later, format="json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["registration_closes_at"] == moved.json()["starts_at"]

    brought_forward = factories.activity("gd", tree["gd_cadre"])
    earlier = {
        "starts_at": (brought_forward.starts_at - timedelta(hours=20)).isoformat(),
        "ends_at": (brought_forward.ends_at - timedelta(hours=20)).isoformat(),
    }
    moved = api("gd", tree["gd_cadre"]).patch(of(brought_forward), earlier, format="json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["registration_closes_at"] == moved.json()["starts_at"]


def test_its_organisers_cancel_an_activity(tree, api, django_capture_on_commit_callbacks):
    activity = factories.activity("gd", tree["gd_cadre"])
    register(activity, tree["youth"])
    path = of(activity, "cancel")
    reason = {"reason": "台风预警，活动取消"}
    assert_error(api("gd", tree["youth"]).post(path, reason, format="json"), 403, "forbidden")
    refused_to_strangers(api, tree, "post", path, reason)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = api("gd", tree["gd_cadre"]).post(path, reason, format="json")
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["state"] == "cancelled"
    told = Notification.objects.get(kind="activity_cancelled")
    assert told.user_id == tree["youth"].pk and told.data["reason"] == "台风预警，活动取消"
    assert api("gd").get(of(activity)).json()["activity"]["state"] == "cancelled"
    assert api("gd").get(ACTIVITIES).json()["results"] == []  # no longer listed
    again = api("gd", tree["gd_cadre"]).patch(of(activity), {"capacity": 5}, format="json")
    assert_error(again, 409, "cancelled")
    late = api("gd", factories.account()).post(of(activity, "registration"))
    assert_error(late, 409, "cancelled")


# ---------------------------------------------------------------- registering


def test_registering_alone_once_and_cancelling(tree, api):
    activity = factories.activity("gd", tree["gd_cadre"], places=3)
    path = of(activity, "registration")
    youth = api("gd", tree["youth"])
    assert_error(api("gd").post(path), 401, "not_authenticated")
    assert_error(api("bj", tree["youth"]).post(path), 404, "not_found")
    assert_error(api("gd", tree["auditor"]).post(path), 403, "read_only")
    made = youth.post(path)
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["state"], body["team"], body["checked_in"]) == ("registered", None, False)
    assert body["activity"]["id"] == activity.pk and body["activity"]["free"] == 2
    assert_error(youth.post(path), 409, "already_registered")
    # A stranger from Beijing is a youth on gd's portal too: accounts are shared.
    assert api("gd", tree["bj_cadre"]).post(path).status_code == 201
    assert youth.get(of(activity)).json()["mine"]["registration"] == body["id"]
    mine = youth.get(f"{ACTIVITIES}mine/")
    assert mine.status_code == 200
    assert [r["id"] for r in mine.json()["results"]] == [body["id"]]
    assert_error(api("gd").get(f"{ACTIVITIES}mine/"), 401, "not_authenticated")
    assert api("bj", tree["youth"]).get(f"{ACTIVITIES}mine/").json()["results"] == []

    withdrawn = youth.delete(path)
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "cancelled"
    assert withdrawn.json()["activity"]["free"] == 2
    assert_error(youth.delete(path), 404, "not_registered")
    assert_error(api("gd").delete(path), 401, "not_authenticated")
    assert_error(api("bj", tree["youth"]).delete(path), 404, "not_found")
    assert youth.get(of(activity)).json()["mine"]["registration"] is None
    with time_machine.travel(activity.starts_at + timedelta(minutes=5), tick=False):
        started = api("gd", tree["bj_cadre"]).delete(path)
    assert_error(started, 409, "started")


def test_a_full_activity_refuses_and_its_waitlist_offers_the_place_that_frees(tree, api):
    activity = factories.activity("gd", tree["gd_cadre"], places=1)
    first, second, third = tree["youth"], factories.account(name="小红"), factories.account()
    assert api("gd", first).post(of(activity, "registration")).status_code == 201
    assert_error(api("gd", second).post(of(activity, "registration")), 409, "full")

    path = of(activity, "waitlist")
    assert_error(api("gd").post(path), 401, "not_authenticated")
    assert_error(api("bj", second).post(path), 404, "not_found")
    assert_error(api("gd", first).post(path), 409, "already_registered")
    waiting = api("gd", second).post(path)
    assert waiting.status_code == 201, waiting.content
    line = waiting.json()
    assert (line["activity"], line["places"], line["state"]) == (activity.pk, 1, "waiting")
    assert_error(api("gd", second).post(path), 409, "already_waiting")
    behind = api("gd", third).post(path).json()
    assert api("gd", second).get(of(activity)).json()["mine"]["waitlist"] == line["id"]
    mine = api("gd", second).get("/api/v1/activity-waitlist/mine/")
    assert mine.status_code == 200 and [w["id"] for w in mine.json()["results"]] == [line["id"]]
    assert_error(api("gd").get("/api/v1/activity-waitlist/mine/"), 401, "not_authenticated")
    assert api("bj", second).get("/api/v1/activity-waitlist/mine/").json()["results"] == []

    api("gd", first).delete(of(activity, "registration"))
    offer = api("gd", second).get("/api/v1/activity-waitlist/mine/").json()["results"][0]
    assert offer["state"] == "offered" and offer["offered_until"]
    accept = f"/api/v1/activity-waitlist/{offer['id']}/accept/"
    assert_error(api("gd").post(accept), 401, "not_authenticated")
    assert_error(api("gd", first).post(accept), 404, "not_found")  # someone else's
    assert_error(api("bj", second).post(accept), 404, "not_found")
    taken = api("gd", second).post(accept)
    assert taken.status_code == 200, taken.content
    assert taken.json()["state"] == "accepted"
    registered = api("gd", second).get(f"{ACTIVITIES}mine/").json()["results"]
    assert [r["state"] for r in registered] == ["registered"]
    assert api("gd").get(of(activity)).json()["activity"]["free"] == 0

    leave = f"/api/v1/activity-waitlist/{behind['id']}/leave/"
    assert_error(api("gd").post(leave), 401, "not_authenticated")
    assert_error(api("gd", second).post(leave), 404, "not_found")
    assert_error(api("bj", third).post(leave), 404, "not_found")
    left = api("gd", third).post(leave)
    assert left.status_code == 200 and left.json()["state"] == "left"
    assert api("gd", third).get("/api/v1/activity-waitlist/mine/").json()["results"] == []


# ---------------------------------------------------------------- teams


def test_a_team_forms_gathers_by_its_link_and_its_captain_registers_it(tree, api):
    activity = factories.activity(
        "gd", tree["gd_cadre"], places=5, allows_teams=True, team_min=2, team_max=3
    )
    captain, member = tree["youth"], factories.account(name="小红")
    path = of(activity, "teams")
    assert_error(api("gd").post(path, {"name": "追风队"}, format="json"), 401, "not_authenticated")
    assert_error(api("bj", captain).post(path, {"name": "追风队"}, format="json"), 404, "not_found")
    unnamed = api("gd", captain).post(path, {"name": ""}, format="json")
    assert list(assert_error(unnamed, 400, "invalid")["fields"]) == ["name"]
    formed = api("gd", captain).post(path, {"name": "追风队"}, format="json")
    assert formed.status_code == 201, formed.content
    team = formed.json()
    assert (team["name"], team["state"], team["captain"], team["members"]) == (
        "追风队",
        "forming",
        captain.pk,
        1,
    )
    token = team["token"]
    assert team["invite"] == f"/activities/teams/{token}/"
    assert_error(api("gd", captain).post(path, {"name": "另一队"}, format="json"), 409, "in_a_team")
    same_name = api("gd", factories.account()).post(path, {"name": "追风队"}, format="json")
    assert list(assert_error(same_name, 400, "taken")["fields"]) == ["name"]
    assert api("gd", captain).get(of(activity)).json()["mine"]["team"]["id"] == team["id"]

    # The invitation link shows the team to anyone on this portal.
    invitation = f"/api/v1/activity-teams/{token}/"
    shown = api("gd").get(invitation)
    assert shown.status_code == 200
    assert (shown.json()["name"], shown.json()["members"]) == ("追风队", 1)
    assert shown.json()["activity"]["id"] == activity.pk and "token" not in shown.json()
    assert_error(api("bj").get(invitation), 404, "not_found")
    assert_error(api("gd").get("/api/v1/activity-teams/nope/"), 404, "not_found")

    # Too small to register; a member joins by the link; the captain registers it.
    step = f"/api/v1/activity-teams/{team['id']}"
    assert_error(api("gd", captain).post(f"{step}/register/"), 409, "team_size")
    join = f"{invitation}join/"
    assert_error(api("gd").post(join), 401, "not_authenticated")
    assert_error(api("bj", member).post(join), 404, "not_found")
    joined = api("gd", member).post(join)
    assert joined.status_code == 201, joined.content
    assert (joined.json()["id"], joined.json()["members"]) == (team["id"], 2)
    assert_error(api("gd", member).post(join), 409, "in_a_team")
    assert_error(api("gd", member).post(f"{step}/register/"), 403, "forbidden")  # not the captain
    assert_error(api("gd").post(f"{step}/register/"), 401, "not_authenticated")
    assert_error(api("bj", captain).post(f"{step}/register/"), 404, "not_found")
    assert_error(api("gd", factories.account()).post(f"{step}/register/"), 404, "not_found")
    registered = api("gd", captain).post(f"{step}/register/")
    assert registered.status_code == 200, registered.content
    assert registered.json()["state"] == "registered"
    for who in (captain, member):
        mine = api("gd", who).get(f"{ACTIVITIES}mine/").json()["results"]
        assert [(r["team"], r["state"]) for r in mine] == [("追风队", "registered")]
    assert api("gd").get(of(activity)).json()["activity"]["free"] == 3
    assert_error(api("gd", factories.account()).post(join), 409, "team_closed")
    assert_error(api("gd", member).post(f"{step}/leave/"), 409, "team_closed")

    # The organisers (and readers above) see the teams; no one else does.
    teams = api("gd", tree["gd_cadre"]).get(path)
    assert teams.status_code == 200
    assert [(t["name"], t["state"], t["members"]) for t in teams.json()] == [
        ("追风队", "registered", 2)
    ]
    assert [t["name"] for t in api("gd", tree["central_admin"]).get(path).json()] == ["追风队"]
    assert_error(api("gd", captain).get(path), 403, "permission_denied")
    refused_to_strangers(api, tree, "get", path, code="permission_denied")


def test_a_member_leaves_a_forming_team_and_its_captain_leaving_disbands_it(tree, api):
    activity = factories.activity(
        "gd", tree["gd_cadre"], places=5, allows_teams=True, team_min=2, team_max=2
    )
    captain, member, late = tree["youth"], factories.account(), factories.account()
    team = api("gd", captain).post(of(activity, "teams"), {"name": "晨光队"}, format="json").json()
    invitation = f"/api/v1/activity-teams/{team['token']}/"
    api("gd", member).post(f"{invitation}join/")
    assert_error(api("gd", late).post(f"{invitation}join/"), 409, "team_full")  # at most 2
    leave = f"/api/v1/activity-teams/{team['id']}/leave/"
    assert_error(api("gd").post(leave), 401, "not_authenticated")
    assert_error(api("gd", late).post(leave), 404, "not_found")  # not a member
    assert_error(api("bj", member).post(leave), 404, "not_found")
    left = api("gd", member).post(leave)
    assert left.status_code == 200, left.content
    assert (left.json()["state"], left.json()["members"]) == ("forming", 1)
    assert api("gd", member).post(of(activity, "registration")).status_code == 201  # alone now
    disbanded = api("gd", captain).post(leave)
    assert disbanded.status_code == 200 and disbanded.json()["state"] == "disbanded"
    assert api("gd").get(invitation).json()["state"] == "disbanded"
    assert api("gd", tree["gd_cadre"]).get(of(activity, "teams")).json() == []


def test_a_team_that_does_not_fit_waits_as_one(tree, api):
    activity = factories.activity(
        "gd", tree["gd_cadre"], places=2, allows_teams=True, team_min=2, team_max=2
    )
    register(activity, factories.account())
    captain, member = tree["youth"], factories.account()
    team = api("gd", captain).post(of(activity, "teams"), {"name": "晨光队"}, format="json").json()
    api("gd", member).post(f"/api/v1/activity-teams/{team['token']}/join/")
    step = f"/api/v1/activity-teams/{team['id']}"
    assert_error(api("gd", captain).post(f"{step}/register/"), 409, "full")
    assert_error(api("gd", member).post(f"{step}/wait/"), 403, "forbidden")
    assert_error(api("gd").post(f"{step}/wait/"), 401, "not_authenticated")
    assert_error(api("bj", captain).post(f"{step}/wait/"), 404, "not_found")
    waiting = api("gd", captain).post(f"{step}/wait/")
    assert waiting.status_code == 200, waiting.content
    assert waiting.json()["state"] == "waiting"
    line = api("gd", captain).get("/api/v1/activity-waitlist/mine/").json()["results"]
    assert [(w["places"], w["state"]) for w in line] == [(2, "waiting")]
    figures = api("gd", tree["gd_cadre"]).get(of(activity, "figures")).json()
    assert (figures["registered"], figures["waiting"], figures["teams"]) == (1, 1, 0)


# ---------------------------------------------------------------- checking in


def test_the_venue_code_is_shown_to_its_organisers_only(tree, api):
    activity = factories.activity("gd", tree["gd_cadre"])
    path = of(activity, "venue-code")
    with at_check_in(activity):
        shown = api("gd", tree["gd_cadre"]).get(path)
        assert shown.status_code == 200, shown.content
        body = shown.json()
        window = checkin.window_of(activity.starts_at - timedelta(minutes=30))
        assert body["code"].startswith(f"{activity.pk}.{window}.")
        assert body["url"] == f"http://gd.localhost/activities/scan/?c={body['code']}"
        assert body["svg"].lstrip().startswith("<svg") and "</svg>" in body["svg"]
        assert body["expires_at"].startswith(
            (activity.starts_at - timedelta(minutes=29, seconds=30)).isoformat()[:19]
        )
        assert api("gd", tree["gd_admin"]).get(path).json()["code"] == body["code"]
        assert_error(api("gd", tree["youth"]).get(path), 403, "forbidden")
        assert_error(api("gd", tree["auditor"]).get(path), 403, "forbidden")
        refused_to_strangers(api, tree, "get", path)


def test_scanning_the_venue_code_checks_a_youth_in_once_however_often_it_arrives(tree, api):
    activity = factories.activity("gd", tree["gd_cadre"])
    mine = register(activity, tree["youth"])
    # Before check-in opens, the code shown and scanned at one moment: on a running clock a
    # slow suite could let it turn two windows between them, and it would be "expired".
    with at_check_in(activity, minutes=-90):
        with schema_context("gd"):
            early = checkin.venue_code(activity, actor=tree["gd_cadre"]).code
        scan = {"code": early, "nonce": "a1b2c3d4e5f60718", **AT_THE_VENUE}
        assert_error(api("gd", tree["youth"]).post(SCAN, scan, format="json"), 409, "not_now")

    with at_check_in(activity):
        youth = api("gd", tree["youth"])
        shown = api("gd", tree["gd_cadre"]).get(of(activity, "venue-code")).json()
        scan = {"code": shown["url"], "nonce": "a1b2c3d4e5f60718", **AT_THE_VENUE}
        assert_error(api("gd").post(SCAN, scan, format="json"), 401, "not_authenticated")
        assert_error(api("gd", tree["auditor"]).post(SCAN, scan, format="json"), 403, "read_only")
        stranger = api("gd", factories.account()).post(SCAN, scan, format="json")
        assert_error(stranger, 409, "not_registered")
        far = youth.post(SCAN, {**scan, **IN_BEIJING}, format="json")
        assert_error(far, 409, "too_far")
        fake = forged(shown["code"])
        assert fake != shown["code"]
        fake_scan = youth.post(SCAN, {**scan, "code": fake}, format="json")
        assert list(assert_error(fake_scan, 400, "bad_code")["fields"]) == ["code"]
        short = youth.post(SCAN, {**scan, "nonce": "abc"}, format="json")
        assert list(assert_error(short, 400, "invalid")["fields"]) == ["nonce"]
        elsewhere = api("bj", tree["youth"]).post(SCAN, scan, format="json")
        assert list(assert_error(elsewhere, 400, "bad_code")["fields"]) == ["code"]

        done = youth.post(SCAN, scan, format="json")  # what the QR carries: the scan page
        assert done.status_code == 201, done.content
        body = done.json()
        assert (body["activity"], body["title"], body["method"]) == (
            activity.pk,
            "青春志愿行 · 城市定向赛",
            "scan",
        )
        assert body["is_new"] is True and body["is_offline"] is False
        assert body["distance_m"] is not None and body["distance_m"] < 50
        again = youth.post(SCAN, scan, format="json")  # the same scan uploaded again
        assert again.status_code == 200, again.content
        assert (again.json()["id"], again.json()["is_new"]) == (body["id"], False)
        rescan = youth.post(
            SCAN, {**scan, "code": shown["code"], "nonce": "ffff0000ffff0000"}, format="json"
        )
        assert rescan.status_code == 200 and rescan.json()["id"] == body["id"]
        replayed = api("gd", register_and_get(activity)).post(SCAN, scan, format="json")
        assert_error(replayed, 409, "bad_code")  # someone else's scan
        assert youth.get(of(activity)).json()["mine"]["checked_in"] is True
        assert youth.get(f"{ACTIVITIES}mine/").json()["results"][0]["checked_in"] is True
    with schema_context("gd"):
        stored = CheckIn.objects.get(registration=mine)
        assert (stored.method, stored.by_id, stored.nonce) == (
            "scan",
            tree["youth"].pk,
            "a1b2c3d4e5f60718",
        )


def register_and_get(activity):
    youth = factories.account()
    register(activity, youth)
    return youth


def test_a_code_holds_one_window_more_and_an_offline_scan_is_uploaded_later(tree, api):
    activity = factories.activity("gd", tree["gd_cadre"])
    first, second, offline = (register_and_get(activity) for _ in range(3))
    with at_check_in(activity):
        code = api("gd", tree["gd_cadre"]).get(of(activity, "venue-code")).json()["code"]
    with at_check_in(activity, minutes=-29) as moment:  # 60 s later: two windows on
        stale = api("gd", first).post(SCAN, {"code": code, "nonce": "n" * 16}, format="json")
        assert_error(stale, 409, "expired")
        moment.move_to(activity.starts_at - timedelta(minutes=30) + timedelta(seconds=30))
        late = api("gd", second).post(SCAN, {"code": code, "nonce": "m" * 16}, format="json")
        assert late.status_code == 201, late.content  # the code shown just before still scans
    with at_check_in(activity, minutes=60 * 6):
        uploaded = api("gd", offline).post(
            SCAN, {"code": code, "nonce": "o" * 16, "is_offline": True}, format="json"
        )
    assert uploaded.status_code == 201, uploaded.content
    assert uploaded.json()["is_offline"] is True
    assert uploaded.json()["scanned_at"].startswith(
        (activity.starts_at - timedelta(minutes=30)).isoformat()[:16]
    )


def test_its_organisers_read_the_participants_and_mark_one_present(tree, api, web):
    activity = factories.activity("gd", tree["gd_cadre"])
    mine = register(activity, tree["youth"])
    path = of(activity, "participants")
    listed = api("gd", tree["gd_cadre"]).get(path)
    assert listed.status_code == 200, listed.content
    assert [
        (p["id"], p["youth"], p["state"], p["checked_in_at"], p["check_in_method"])
        for p in listed.json()["results"]
    ] == [(mine.pk, tree["youth"].pk, "registered", None, None)]
    for reader in ("central_admin", "auditor", "gd_admin"):
        assert api("gd", tree[reader]).get(path).json()["results"][0]["id"] == mine.pk
    assert_error(api("gd", tree["youth"]).get(path), 403, "permission_denied")
    # The committee's experts and the members of an organisation that does not run it see
    # the figures, not who registered.
    for staff in ("gd_expert", "gd_org"):
        assert_error(api("gd", tree[staff]).get(path), 403, "permission_denied")
        assert_error(api("gd", tree[staff]).get(of(activity, "teams")), 403, "permission_denied")
        assert api("gd", tree[staff]).get(of(activity, "figures")).status_code == 200
        page = web("gd", tree[staff]).get(f"/workbench/activities/{activity.pk}/")
        assert page.status_code == 200 and 'data-testid="participants"' not in page.text
    page = web("gd", tree["gd_cadre"]).get(f"/workbench/activities/{activity.pk}/")
    assert 'data-testid="participants"' in page.text
    refused_to_strangers(api, tree, "get", path, code="permission_denied")

    present = of(activity, "present")
    assert_error(
        api("gd", tree["gd_cadre"]).post(present, {"registration": mine.pk}, format="json"),
        409,
        "not_now",
    )
    with at_check_in(activity, minutes=10):
        body = {"registration": mine.pk}
        assert_error(
            api("gd", tree["youth"]).post(present, body, format="json"), 403, "permission_denied"
        )
        refused_to_strangers(api, tree, "post", present, body, code="permission_denied")
        unknown = api("gd", tree["gd_cadre"]).post(present, {"registration": 999999}, format="json")
        assert_error(unknown, 404, "not_found")
        bad = api("gd", tree["gd_cadre"]).post(present, {}, format="json")
        assert list(assert_error(bad, 400, "invalid")["fields"]) == ["registration"]
        marked = api("gd", tree["gd_cadre"]).post(present, body, format="json")
        assert marked.status_code == 200, marked.content
        assert marked.json()["check_in_method"] == "staff" and marked.json()["checked_in_at"]
        assert api("gd", tree["gd_cadre"]).post(present, body, format="json").status_code == 200
    with schema_context("gd"):
        assert CheckIn.objects.get().by_id == tree["gd_cadre"].pk


def test_its_organisers_message_the_participants(tree, api, django_capture_on_commit_callbacks):
    activity = factories.activity("gd", tree["gd_cadre"])
    register(activity, tree["youth"])
    path = of(activity, "messages")
    text = {"text": "明天 13:30 在南门集合，请带好身份证。"}
    assert_error(api("gd", tree["youth"]).post(path, text, format="json"), 403, "forbidden")
    refused_to_strangers(api, tree, "post", path, text)
    empty = api("gd", tree["gd_cadre"]).post(path, {"text": ""}, format="json")
    assert list(assert_error(empty, 400, "invalid")["fields"]) == ["text"]
    assert not Notification.objects.filter(kind="activity_message").exists()
    with django_capture_on_commit_callbacks(execute=True):
        sent = api("gd", tree["gd_cadre"]).post(path, text, format="json")
    assert sent.status_code == 201, sent.content
    assert sent.json() == {"sent_to": 1}
    told = Notification.objects.get(kind="activity_message")
    assert told.user_id == tree["youth"].pk and told.data["text"] == text["text"]


def test_the_figures_are_for_its_organisers_and_readers_above(tree, api):
    activity = factories.activity("gd", tree["gd_cadre"])
    register(activity, tree["youth"])
    path = of(activity, "figures")
    shown = api("gd", tree["gd_cadre"]).get(path)
    assert shown.status_code == 200, shown.content
    assert shown.json() == {
        "registered": 1,
        "checked_in": 0,
        "teams": 0,
        "waiting": 0,
        "photos": 0,
        "ratings": 0,
        "stars": None,
    }
    assert api("gd", tree["central_admin"]).get(path).json()["registered"] == 1
    assert_error(api("gd", tree["youth"]).get(path), 403, "permission_denied")
    refused_to_strangers(api, tree, "get", path, code="permission_denied")


# ---------------------------------------------------------------- photos and ratings


def test_photos_are_added_once_it_started_and_its_organisers_choose_those_shown(tree, api):
    activity = factories.activity("gd", tree["gd_cadre"])
    register(activity, tree["youth"])
    path = of(activity, "photos")
    assert api("gd").get(path).status_code == 200 and api("gd").get(path).json() == []
    assert_error(api("bj").get(path), 404, "not_found")
    early = api("gd", tree["youth"]).post(path, {"image": photo_file()}, format="multipart")
    assert_error(early, 409, "too_early")
    with at_check_in(activity, minutes=60):
        assert_error(
            api("gd").post(path, {"image": photo_file()}, format="multipart"),
            401,
            "not_authenticated",
        )
        outsider = api("gd", factories.account()).post(
            path, {"image": photo_file()}, format="multipart"
        )
        assert_error(outsider, 403, "forbidden")
        assert_error(
            api("bj", tree["youth"]).post(path, {"image": photo_file()}, format="multipart"),
            404,
            "not_found",
        )
        not_an_image = SimpleUploadedFile("照片.png", b"<html></html>", content_type="image/png")
        refused = api("gd", tree["youth"]).post(path, {"image": not_an_image}, format="multipart")
        assert list(assert_error(refused, 400, "invalid_image")["fields"]) == ["image"]
        theirs = api("gd", tree["youth"]).post(
            path, {"image": photo_file(), "caption": "出发前合影"}, format="multipart"
        )
        assert theirs.status_code == 201, theirs.content
        assert (theirs.json()["caption"], theirs.json()["is_selected"]) == ("出发前合影", False)
        assert theirs.json()["image"].startswith("/media/")
        ours = api("gd", tree["gd_cadre"]).post(path, {"image": photo_file()}, format="multipart")
        assert ours.status_code == 201 and ours.json()["is_selected"] is True
    theirs, ours = theirs.json(), ours.json()
    assert [p["id"] for p in api("gd").get(path).json()] == [ours["id"]]  # those shown
    managed = api("gd", tree["gd_cadre"]).get(path).json()
    assert {p["id"] for p in managed} == {theirs["id"], ours["id"]}

    photo = f"/api/v1/activity-photos/{theirs['id']}/"
    show = {"is_selected": True}
    assert_error(api("gd", tree["youth"]).patch(photo, show, format="json"), 403, "forbidden")
    refused_to_strangers(api, tree, "patch", photo, show)
    shown = api("gd", tree["gd_cadre"]).patch(photo, show, format="json")
    assert shown.status_code == 200 and shown.json()["is_selected"] is True
    assert {p["id"] for p in api("gd").get(path).json()} == {theirs["id"], ours["id"]}
    assert len(api("gd").get(of(activity)).json()["activity"]["photos"]) == 2

    mine = f"/api/v1/activity-photos/{ours['id']}/"
    assert_error(api("gd", tree["youth"]).delete(mine), 403, "forbidden")  # not theirs
    refused_to_strangers(api, tree, "delete", mine)
    assert api("gd", tree["youth"]).delete(photo).status_code == 204  # their own
    assert_error(api("gd", tree["gd_cadre"]).delete(photo), 404, "not_found")
    assert api("gd", tree["gd_cadre"]).delete(mine).status_code == 204
    assert api("gd").get(path).json() == []


def test_a_participant_who_checked_in_rates_the_activity_once(tree, api):
    activity = factories.activity("gd", tree["gd_cadre"])
    mine = register(activity, tree["youth"])
    path = f"/api/v1/activity-registrations/{mine.pk}/rating/"
    good = {"stars": 4, "is_real": True, "comment": "组织有序，路线有趣"}
    assert_error(api("gd").post(path, good, format="json"), 401, "not_authenticated")
    assert_error(api("gd", tree["youth"]).post(path, good, format="json"), 409, "not_ready")
    with schema_context("gd"), at_check_in(activity):
        code = checkin.venue_code(activity, actor=tree["gd_cadre"]).code
        checkin.scan(code=code, youth=tree["youth"], nonce="r" * 16)
    half = api("gd", tree["youth"]).post(path, {"stars": 4}, format="json")
    assert list(assert_error(half, 400, "invalid")["fields"]) == ["is_real"]
    too_many = api("gd", tree["youth"]).post(path, {**good, "stars": 6}, format="json")
    assert list(assert_error(too_many, 400, "invalid")["fields"]) == ["stars"]
    assert_error(api("gd", factories.account()).post(path, good, format="json"), 404, "not_found")
    assert_error(api("gd", tree["bj_cadre"]).post(path, good, format="json"), 404, "not_found")
    assert_error(api("bj", tree["youth"]).post(path, good, format="json"), 404, "not_found")
    rated = api("gd", tree["youth"]).post(path, good, format="json")
    assert rated.status_code == 201, rated.content
    assert (rated.json()["stars"], rated.json()["comment"]) == (4, "组织有序，路线有趣")
    assert_error(api("gd", tree["youth"]).post(path, good, format="json"), 409, "already_rated")
    figures = api("gd", tree["gd_cadre"]).get(of(activity, "figures")).json()
    assert (figures["checked_in"], figures["ratings"], figures["stars"]) == (1, 1, 4.0)


# ---------------------------------------------------------------- the documentation


def test_the_portals_api_documents_every_activity_endpoint(tree, api):
    schema = api("gd").get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    expected = {
        "/api/v1/activities/",
        "/api/v1/activities/mine/",
        "/api/v1/activities/check-ins/",
        "/api/v1/activities/{id}/",
        *(
            f"/api/v1/activities/{{id}}/{step}/"
            for step in (
                "cancel",
                "registration",
                "waitlist",
                "teams",
                "venue-code",
                "participants",
                "present",
                "messages",
                "photos",
                "figures",
            )
        ),
        "/api/v1/activity-teams/{token}/",
        "/api/v1/activity-teams/{token}/join/",
        "/api/v1/activity-teams/{id}/register/",
        "/api/v1/activity-teams/{id}/wait/",
        "/api/v1/activity-teams/{id}/leave/",
        "/api/v1/activity-waitlist/mine/",
        "/api/v1/activity-waitlist/{id}/accept/",
        "/api/v1/activity-waitlist/{id}/leave/",
        "/api/v1/activity-photos/{id}/",
        "/api/v1/activity-registrations/{id}/rating/",
    }
    assert expected - set(paths) == set()
    assert set(paths["/api/v1/activities/"]) == {"get", "post"}
    assert set(paths["/api/v1/activities/{id}/"]) == {"get", "patch"}
    assert set(paths["/api/v1/activities/{id}/registration/"]) == {"post", "delete"}
    assert set(paths["/api/v1/activity-photos/{id}/"]) == {"patch", "delete"}
    scan = paths["/api/v1/activities/check-ins/"]["post"]["responses"]
    assert {"200", "201"} <= set(scan)


def _fields(schema: dict, path: str, method: str, status: str) -> set[str]:
    """The properties of the component documenting ``path``'s answer."""
    answer = schema["paths"][path][method]["responses"][status]["content"]["application/json"]
    ref = answer["schema"]
    while "items" in ref:
        ref = ref["items"]
    name = ref["$ref"].rsplit("/", 1)[-1]
    return set(schema["components"]["schemas"][name]["properties"])


def test_the_activities_answers_are_documented_apart_from_the_homes_and_the_portals(tree, api):
    """Each answer's documented fields are its own: the activities' waitlist place, photo and
    "mine" do not share a component with the youth homes' or the portal's."""
    schema = api("gd").get("/api/v1/schema/?format=json").json()
    detail = schema["components"]["schemas"]["Detail"]["properties"]["mine"]["$ref"]
    mine = set(schema["components"]["schemas"][detail.rsplit("/", 1)[-1]]["properties"])
    assert mine == {"registration", "team", "waitlist", "checked_in", "may_manage"}
    place = {"id", "places", "state", "offered_until"}
    documented = {
        ("/api/v1/activities/{id}/waitlist/", "post", "201"): place | {"activity"},
        ("/api/v1/slots/{id}/waitlist/", "post", "201"): place | {"slot"},
        ("/api/v1/activities/{id}/photos/", "get", "200"): {
            "id",
            "image",
            "caption",
            "is_selected",
            "created_at",
        },
        ("/api/v1/homes/{id}/photos/", "post", "201"): {"id", "url", "caption"},
        ("/api/v1/mine/", "get", "200"): {"name", "phone", "sections"},
    }
    wrong = {
        where: _fields(schema, *where)
        for where, fields in documented.items()
        if _fields(schema, *where) != fields
    }
    assert wrong == {}


def test_the_map_shows_the_coming_activities_with_a_venue(tree, api):
    """The activities' map: coming ones with coordinates, as points, each linked to its page;
    an online one (no venue) is not on it, nor is another committee's."""
    at_venue = factories.activity("gd", tree["gd_cadre"])
    factories.activity(
        "gd", tree["gd_cadre"], is_online=True, place="", latitude=None, longitude=None
    )
    factories.activity("bj", tree["bj_cadre"])
    body = api("gd").get("/api/v1/activities/map/").json()
    assert body["total"] == 1 and body["cells"] == []
    (point,) = body["points"]
    assert point["url"] == f"/activities/{at_venue.pk}/"
    assert (point["lat"], point["lng"]) == (23.138, 113.326)
