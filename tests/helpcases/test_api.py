"""Help cases over the API: every endpoint, who may call it and what the others get (in the
one error shape), what the public sees of a case, and the whole path once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from casework.models import Member, Team
from core.models import AuditAccess
from helpcases.models import HelpCase
from qa import services as questions
from ratings.models import Rating
from reporting import audit
from tenants import outbox
from tests import factories
from tests.core.helpers import assert_error

PHONE = "13812345678"
MASKED = "138****5678"
NEED = {
    "title": f"老板拖欠三个月工资怎么办 {PHONE}",
    "body": f"公司在天河区，我的电话{PHONE}",
    "place": "天河区",
    "contact": PHONE,
    "category": "rights",
    "is_public": True,
}
TODAY = timezone.localdate()


def organisation(code: str = "gd", *members, name: str = "青年法律援助中心", listed=True) -> Team:
    """A League organisation youths may designate, with ``members`` answering for it."""
    with schema_context(code.replace("-", "_")):
        team = Team.objects.create(
            name=name,
            kind="organisation",
            sector="league",
            is_listed=listed,
            categories=["rights"],
            description="免费法律咨询",
        )
        for user in members:
            Member.objects.create(team=team, user=user, kind="organisation", organisation=name)
    return team


def submit(api, youth, **extra) -> dict:
    made = api("gd", youth).post("/api/v1/help-cases/", {**NEED, **extra}, format="json")
    assert made.status_code == 201, made.content
    return made.json()


def url(case: dict, step: str = "") -> str:
    return f"/api/v1/help-cases/{case['id']}/" + (f"{step}/" if step else "")


def post(client, case: dict, step: str, data: dict | None = None):
    return client.post(url(case, step), data or {}, format="json")


def stored(case: dict) -> HelpCase:
    with schema_context("gd"):
        return HelpCase.objects.get(pk=case["id"])


def kinds(case: dict) -> list[str]:
    with schema_context("gd"):
        found = HelpCase.objects.get(pk=case["id"])
        return list(found.timeline.order_by("id").values_list("kind", flat=True))


GENUINE = {
    "method": "call",
    "verified_on": str(TODAY),
    "findings": "电话核实，情况属实",
    "verdict": "genuine",
}


def to_coordination(api, tree, case: dict, staff: str = "gd_cadre") -> None:
    client = api("gd", tree[staff])
    assert post(client, case, "start").status_code == 200
    assert post(client, case, "verify", GENUINE).json()["state"] == "coordinating"


def to_report(api, tree, case: dict, staff: str = "gd_cadre") -> None:
    to_coordination(api, tree, case, staff)
    client = api("gd", tree[staff])
    assert post(client, case, "resolve", {"is_resolved": True}).status_code == 200
    assert post(client, case, "report", {"report": "已协调发放工资"}).json()["state"] == "reported"


# ---------------------------------------------------------------- the whole path


def test_the_whole_help_case_path_over_the_api(tree, api):
    org = organisation("gd", tree["gd_org"])
    youth, staff = api("gd", tree["youth"]), api("gd", tree["gd_org"])
    case = submit(api, tree["youth"], designated=org.pk, needed_by=str(TODAY + timedelta(days=7)))
    assert (case["state"], case["designated"], case["designated_name"]) == (
        "received",
        org.pk,
        "青年法律援助中心",
    )
    # The youth sees their own case as written.
    assert (case["title"], case["contact"]) == (NEED["title"], PHONE)
    assert case["viewer"] == {"is_member": True, "is_staff": False, "reads_from_above": False}
    assert case["handling"] is None
    # It went to the designated organisation, to its member.
    queued = staff.get("/api/v1/help-cases/queue/").json()["results"]
    assert [c["id"] for c in queued] == [case["id"]]
    assert (queued[0]["team"], queued[0]["assignee"]) == (org.pk, tree["gd_org"].pk)

    started = post(staff, case, "start")
    assert started.status_code == 200 and started.json()["state"] == "verifying"
    verified = post(staff, case, "verify", GENUINE)
    assert verified.status_code == 200, verified.content
    assert verified.json()["state"] == "coordinating"
    assert verified.json()["handling"]["verifications"][0]["verdict"] == "genuine"
    planned = post(
        staff,
        case,
        "actions",
        {"description": "联系劳动监察大队", "organisation": org.pk, "due_on": str(TODAY)},
    )
    assert planned.status_code == 200, planned.content
    action = planned.json()["handling"]["actions"][0]
    assert (action["organisation_name"], action["done_at"]) == ("青年法律援助中心", None)
    done = staff.post(f"/api/v1/help-cases/actions/{action['id']}/done/")
    assert done.status_code == 200 and done.json()["handling"]["actions"][0]["done_at"]
    assert post(staff, case, "resolve", {"is_resolved": True}).json()["state"] == "resolved"
    reported = post(staff, case, "report", {"report": "已协调发放拖欠的工资"})
    assert reported.json()["state"] == "reported"

    # Not solved: the youth reopens it, once.
    reopened = post(
        youth,
        case,
        "evaluate",
        {
            "stars": 2,
            "is_real": True,
            "is_solved": False,
            "comment": "只发了一半",
            "next": "reopen",
        },
    )
    assert reopened.status_code == 200, reopened.content
    assert (reopened.json()["state"], reopened.json()["round"]) == ("coordinating", 2)
    assert post(staff, case, "resolve", {"is_resolved": True}).json()["state"] == "resolved"
    assert post(staff, case, "report", {"report": "工资已全部到账"}).json()["state"] == "reported"
    satisfied = post(youth, case, "evaluate", {"stars": 5, "is_real": True, "is_solved": True})
    assert satisfied.status_code == 200, satisfied.content
    assert satisfied.json()["state"] == "evaluated"
    again = post(youth, case, "evaluate", {"stars": 5, "is_real": True, "is_solved": True})
    assert_error(again, 409, "already_evaluated")

    assert stored(case).state == "evaluated"
    assert kinds(case) == [
        "help.received",
        "help.routed",
        "help.verifying",
        "help.verified",
        "help.action",
        "help.action_done",
        "help.resolved",
        "help.reported",
        "help.evaluated",
        "help.reopened",
        "help.resolved",
        "help.reported",
        "help.evaluated",
        "help.rated",
    ]
    with schema_context("gd"):
        assert Rating.objects.get().stars == 5
    # The youth follows every step on the case; the public reads it masked.
    steps = [s["kind"] for s in youth.get(url(case)).json()["steps"]]
    assert steps[:4] == ["help.received", "help.routed", "help.verifying", "help.verified"]
    public = api("gd").get(url(case))
    assert public.status_code == 200 and PHONE not in public.content.decode()
    mine = youth.get("/api/v1/help-cases/mine/").json()["results"]
    assert [(c["id"], c["state"]) for c in mine] == [(case["id"], "evaluated")]


# ---------------------------------------------------------------- submitting


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "长" * 101}, "title"),
        ({"title": ["一个列表"]}, "title"),
        ({"category": "nope"}, "category"),
        ({"needed_by": "2020-01-01"}, "needed_by"),
        ({"needed_by": "下周"}, "needed_by"),
        ({"designated": "٣"}, "designated"),
        ({"designated": 999999}, "designated"),
        ({"is_public": "maybe"}, "is_public"),
        ({"body": "长" * 5001}, "body"),
    ],
)
def test_a_bad_request_for_help_names_the_field(tree, api, body, field):
    refused = api("gd", tree["youth"]).post("/api/v1/help-cases/", {**NEED, **body}, format="json")
    assert refused.status_code == 400, refused.content
    assert list(refused.json()["error"]["fields"]) == [field]
    with schema_context("gd"):
        assert not HelpCase.objects.exists()


def test_only_listed_organisations_may_be_designated(tree, api):
    hidden = organisation("gd", name="未公开的组织", listed=False)
    refused = api("gd", tree["youth"]).post(
        "/api/v1/help-cases/", {**NEED, "designated": hidden.pk}, format="json"
    )
    error = assert_error(refused, 400, "invalid_organisation")
    assert list(error["fields"]) == ["designated"]


def test_asking_for_help_needs_an_account_that_may_write(tree, api):
    assert_error(
        api("gd").post("/api/v1/help-cases/", NEED, format="json"), 401, "not_authenticated"
    )
    auditor = api("gd", tree["auditor"]).post("/api/v1/help-cases/", NEED, format="json")
    assert_error(auditor, 403, "read_only")
    with schema_context("gd"):
        assert not HelpCase.objects.exists()


def test_the_organisations_youths_may_designate(tree, api):
    listed = organisation("gd")
    organisation("gd", name="未公开的组织", listed=False)
    found = api("gd").get("/api/v1/organisations/")
    assert found.status_code == 200
    assert [(o["id"], o["sector"], o["description"]) for o in found.json()["results"]] == [
        (listed.pk, "league", "免费法律咨询")
    ]
    assert api("bj").get("/api/v1/organisations/").json()["results"] == []


# ---------------------------------------------------------------- what each viewer sees


def test_the_public_reads_public_cases_masked_and_never_the_youths_contact(tree, api):
    public = submit(api, tree["youth"])
    submit(api, tree["youth"], is_public=False, title="不公开的求助")
    other = api("gd", factories.account(name="路人"))
    for client in (api("gd"), other):
        listed = client.get("/api/v1/help-cases/").json()
        assert [c["id"] for c in listed["results"]] == [public["id"]] and listed["count"] == 1
        assert listed["results"][0]["title"] == f"老板拖欠三个月工资怎么办 {MASKED}"
        shown = client.get(url(public)).json()
        assert shown["title"] == f"老板拖欠三个月工资怎么办 {MASKED}"
        assert shown["body"] == f"公司在天河区，我的电话{MASKED}"
        assert (shown["contact"], shown["youth"]) == ("", _("A youth"))
        assert shown["handling"] is None
        assert PHONE not in client.get(url(public)).content.decode()
    # The youth and this committee's staff read it as written.
    for who in ("youth", "gd_cadre"):
        shown = api("gd", tree[who]).get(url(public)).json()
        assert (shown["title"], shown["contact"]) == (NEED["title"], PHONE)
    assert api("gd", tree["gd_cadre"]).get(url(public)).json()["handling"]["team"] is None


def test_a_private_case_is_for_its_youth_and_the_committees_staff(tree, api):
    case = submit(api, tree["youth"], is_public=False)
    assert_error(api("gd").get(url(case)), 401, "not_authenticated")
    for user in (factories.account(), tree["bj_admin"]):
        assert_error(api("gd", user).get(url(case)), 404, "not_found")
    assert api("gd", tree["youth"]).get(url(case)).status_code == 200
    assert api("gd", tree["gd_expert"]).get(url(case)).json()["handling"] is not None
    # A reader from above reads it masked, without the handling, and it is in the audit log.
    above = api("gd", tree["auditor"]).get(url(case)).json()
    assert PHONE not in above["title"] and above["contact"] == ""
    assert above["viewer"]["reads_from_above"] and above["handling"] is None
    assert AuditAccess.objects.filter(user=tree["auditor"], path=url(case)).exists()
    assert_error(api("gd").get("/api/v1/help-cases/999999/"), 404, "not_found")


def test_a_case_of_one_committee_is_not_found_from_another(tree, api):
    case = submit(api, tree["youth"])
    for client in (api("bj"), api("bj", tree["youth"]), api("bj", tree["bj_admin"])):
        assert_error(client.get(url(case)), 404, "not_found")
        assert client.get("/api/v1/help-cases/").json()["results"] == []
    bj = api("bj", tree["bj_cadre"])
    assert_error(post(bj, case, "start"), 404, "not_found")
    assert_error(bj.get(url(case, "suggestions")), 404, "not_found")
    assert bj.get("/api/v1/help-cases/queue/").json()["results"] == []
    joined = post(api("bj", factories.account()), case, "join")
    assert_error(joined, 404, "not_found")
    assert stored(case).state == "received"


def test_my_cases_are_the_ones_i_asked_for_or_joined(tree, api):
    mine = submit(api, tree["youth"])
    other = factories.account()
    assert api("gd", other).get("/api/v1/help-cases/mine/").json()["results"] == []
    joined = post(api("gd", other), mine, "join", {"details": "我也被拖欠工资"})
    assert joined.status_code == 200, joined.content
    assert joined.json()["viewer"]["is_member"] and joined.json()["size"] == 2
    listed = api("gd", other).get("/api/v1/help-cases/mine/").json()["results"]
    assert [c["id"] for c in listed] == [mine["id"]]
    assert listed[0]["title"] == NEED["title"]  # a member reads it as written
    assert_error(post(api("gd", other), mine, "join"), 409, "already_joined")
    assert_error(api("gd").get("/api/v1/help-cases/mine/"), 401, "not_authenticated")


def test_joining_needs_a_public_case_and_an_account_that_may_write(tree, api):
    private = submit(api, tree["youth"], is_public=False)
    public = submit(api, tree["youth"])
    assert_error(post(api("gd"), public, "join"), 401, "not_authenticated")
    assert_error(post(api("gd", factories.account()), private, "join"), 404, "not_found")
    assert_error(post(api("gd", tree["auditor"]), public, "join"), 403, "read_only")
    too_long = post(api("gd", factories.account()), public, "join", {"details": "长" * 501})
    assert list(assert_error(too_long, 400, "too_long")["fields"]) == ["details"]


# ---------------------------------------------------------------- the staff's side


def test_the_queue_is_for_the_committees_staff_and_readers_from_above(tree, api):
    org = organisation("gd", tree["gd_org"])
    case = submit(api, tree["youth"], designated=org.pk)
    queue = "/api/v1/help-cases/queue/"
    for who in ("gd_org", "gd_cadre", "gd_admin"):
        listed = api("gd", tree[who]).get(queue).json()["results"]
        assert [(c["id"], c["title"]) for c in listed] == [(case["id"], NEED["title"])], who
    assert api("gd", tree["gd_expert"]).get(queue).json()["results"] == []  # not its team
    for who in ("auditor", "central_admin"):
        listed = api("gd", tree[who]).get(queue).json()["results"]
        assert [c["id"] for c in listed] == [case["id"]] and PHONE not in listed[0]["title"]
    assert_error(api("gd").get(queue), 401, "not_authenticated")
    for who in ("youth", "bj_admin", "gz_cadre"):
        assert_error(api("gd", tree[who]).get(queue), 403, "permission_denied")


STAFF_STEPS = {
    "start": {},
    "claim": {},
    "verify": GENUINE,
    "actions": {"description": "联系劳动监察大队"},
    "resolve": {"is_resolved": True},
    "report": {"report": "已协调"},
    "release": {},
    "reject": {"reason": "广告"},
    "transfer": {"to": "bj"},
}


@pytest.mark.parametrize("step", STAFF_STEPS)
def test_staff_steps_refuse_everyone_but_the_cases_handlers(tree, api, step):
    org = organisation("gd", tree["gd_org"])
    case = submit(api, tree["youth"], designated=org.pk)
    body = STAFF_STEPS[step]
    assert_error(post(api("gd"), case, step, body), 401, "not_authenticated")
    for who in ("youth", "bj_admin", "central_admin"):
        assert_error(post(api("gd", tree[who]), case, step, body), 403, "permission_denied")
    assert_error(post(api("gd", tree["auditor"]), case, step, body), 403, "read_only")
    # Staff of this committee outside the case's team: the service refuses them.
    assert_error(post(api("gd", tree["gd_expert"]), case, step, body), 403, "forbidden")
    assert kinds(case) == ["help.received", "help.routed"]
    assert_error(post(api("gd", tree["gd_cadre"]), {"id": 999999}, step, body), 404, "not_found")


def test_a_case_is_transferred_to_another_committee_which_handles_it(tree, api):
    case = submit(api, tree["youth"])
    cadre = api("gd", tree["gd_cadre"])
    refused = post(cadre, case, "transfer", {"to": "nowhere"})
    assert_error(refused, 400, "invalid_committee")
    assert list(refused.json()["error"]["fields"]) == ["to"]
    assert_error(post(cadre, case, "transfer", {}), 400, "invalid")
    moved = post(cadre, case, "transfer", {"to": "bj", "note": "用人单位在北京"})
    assert moved.status_code == 200, moved.content
    assert (moved.json()["transferred_to"], moved.json()["state"]) == ("bj", "received")
    assert api("gd", tree["gd_cadre"]).get("/api/v1/help-cases/queue/").json()["results"] == []
    again = post(cadre, case, "transfer", {"to": "gd-gz"})
    assert_error(again, 409, "transferred")
    assert "共青团北京市委" in again.json()["error"]["message"]
    # The youth is told, and reads where it went on the case here.
    assert api("gd", tree["youth"]).get(url(case)).json()["transferred_to"] == "bj"
    outbox.deliver()
    listed = api("bj", tree["bj_cadre"]).get("/api/v1/help-cases/queue/").json()["results"]
    assert [c["title"] for c in listed] == [NEED["title"]]
    there = api("bj", tree["youth"]).get(f"/api/v1/help-cases/{listed[0]['id']}/").json()
    assert (there["origin_committee"], there["contact"]) == ("gd", PHONE)


def test_a_step_out_of_turn_is_a_conflict(tree, api):
    case = submit(api, tree["youth"])
    cadre = api("gd", tree["gd_cadre"])
    for step in ("actions", "resolve", "report", "release", "reject"):
        assert_error(post(cadre, case, step, STAFF_STEPS[step]), 409, "wrong_state")
    assert_error(
        post(
            api("gd", tree["youth"]),
            case,
            "evaluate",
            {"stars": 5, "is_real": True, "is_solved": True},
        ),
        409,
        "wrong_state",
    )


@pytest.mark.parametrize(
    ("step", "body", "field"),
    [
        ("verify", {**GENUINE, "findings": ""}, "findings"),
        ("verify", {**GENUINE, "verified_on": str(TODAY + timedelta(days=1))}, "verified_on"),
        ("verify", {**GENUINE, "verified_on": "昨天"}, "verified_on"),
        ("verify", {**GENUINE, "method": "telepathy"}, "method"),
        ("verify", {"method": "call", "findings": "属实", "verdict": "genuine"}, "verified_on"),
        ("actions", {"description": ""}, "description"),
        ("actions", {"description": "联系", "organisation": 999999}, "organisation"),
        ("actions", {"description": "联系", "due_on": "３"}, "due_on"),
        ("resolve", {"is_resolved": False}, "reason"),
        ("resolve", {}, "is_resolved"),
    ],
)
def test_bad_steps_name_the_field(tree, api, step, body, field):
    case = submit(api, tree["youth"])
    cadre = api("gd", tree["gd_cadre"])
    if step != "verify":
        to_coordination(api, tree, case)
    refused = post(cadre, case, step, body)
    assert refused.status_code == 400, refused.content
    assert list(refused.json()["error"]["fields"]) == [field]


def test_a_report_and_an_evaluation_are_checked(tree, api):
    case = submit(api, tree["youth"])
    to_coordination(api, tree, case)
    cadre, youth = api("gd", tree["gd_cadre"]), api("gd", tree["youth"])
    post(cadre, case, "resolve", {"is_resolved": True})
    assert list(
        assert_error(post(cadre, case, "report", {"report": " "}), 400, "required")["fields"]
    ) == ["report"]
    post(cadre, case, "report", {"report": "已协调"})
    for body, field in [
        ({"stars": 6, "is_real": True, "is_solved": True}, "stars"),
        ({"stars": "五", "is_real": True, "is_solved": True}, "stars"),
        ({"stars": 3, "is_solved": True}, "is_real"),
        ({"stars": 5, "is_real": True, "is_solved": True, "next": "reopen"}, "next"),
        ({"stars": 1, "is_real": False, "is_solved": False, "next": "later"}, "next"),
    ]:
        refused = post(youth, case, "evaluate", body)
        assert refused.status_code == 400, (body, refused.content)
        assert list(refused.json()["error"]["fields"]) == [field], body
    # Only the youths the case serves evaluate it.
    stranger = post(
        api("gd", factories.account()),
        case,
        "evaluate",
        {"stars": 1, "is_real": False, "is_solved": False},
    )
    assert_error(stranger, 403, "not_served")
    assert_error(
        post(api("gd"), case, "evaluate", {"stars": 1, "is_real": False, "is_solved": False}),
        401,
        "not_authenticated",
    )
    assert stored(case).state == "reported"


def test_a_held_case_is_released_or_rejected_by_a_cadre_or_admin(tree, api):
    held = submit(api, tree["youth"], title="哪里能办假证")
    assert held["state"] == "pending_review"
    assert api("gd").get("/api/v1/help-cases/").json()["results"] == []
    queued = api("gd", tree["gd_cadre"]).get("/api/v1/help-cases/queue/").json()["results"]
    assert queued[0]["held_for"] == ["办假证"]
    assert_error(post(api("gd", tree["gd_expert"]), held, "release"), 403, "forbidden")
    assert post(api("gd", tree["gd_cadre"]), held, "release").json()["state"] == "received"
    other = submit(api, tree["youth"], title="哪里能办假证")
    rejected = post(api("gd", tree["gd_admin"]), other, "reject", {"reason": "违法"})
    assert rejected.json()["state"] == "closed" and not rejected.json()["is_public"]


def test_completing_an_action_is_for_the_cases_handlers(tree, api):
    case = submit(api, tree["youth"])
    to_coordination(api, tree, case)
    planned = post(api("gd", tree["gd_cadre"]), case, "actions", {"description": "联系"})
    done = f"/api/v1/help-cases/actions/{planned.json()['handling']['actions'][0]['id']}/done/"
    assert_error(api("gd").post(done), 401, "not_authenticated")
    for who in ("youth", "bj_admin", "central_admin"):
        assert_error(api("gd", tree[who]).post(done), 403, "permission_denied")
    assert_error(api("gd", tree["auditor"]).post(done), 403, "read_only")
    assert_error(api("gd", tree["gd_expert"]).post(done), 403, "forbidden")
    assert_error(
        api("gd", tree["gd_cadre"]).post("/api/v1/help-cases/actions/999999/done/"),
        404,
        "not_found",
    )
    assert api("gd", tree["gd_cadre"]).post(done).status_code == 200
    assert "help.action_done" in kinds(case)


# ---------------------------------------------------------------- collective demands


def test_alike_cases_and_a_question_are_grouped_into_one_collective_demand(tree, api):
    first = submit(api, tree["youth"], title="电子厂拖欠三个月工资怎么办")
    second = submit(api, factories.account(), title="电子厂拖欠两个月工资怎么办")
    submit(api, factories.account(), title="考研复试需要准备什么", category="study")
    with schema_context("gd"):
        question = questions.ask_question(
            asker=factories.account(), title="电子厂拖欠工资不发怎么办", category="rights"
        )
    cadre = api("gd", tree["gd_cadre"])
    alike = cadre.get(url(first, "suggestions"))
    assert alike.status_code == 200, alike.content
    assert [c["id"] for c in alike.json()] == [second["id"]]
    made = cadre.post(
        "/api/v1/help-cases/group/",
        {"cases": [first["id"], second["id"]], "questions": [question.pk], "title": "电子厂欠薪"},
        format="json",
    )
    assert made.status_code == 201, made.content
    demand = made.json()
    assert (demand["is_collective"], demand["title"], demand["size"]) == (True, "电子厂欠薪", 3)
    assert {stored(c).state for c in (first, second)} == {"grouped"}
    assert {stored(c).collective_id for c in (first, second)} == {demand["id"]}
    assert "help.collected" in kinds(demand)
    # Each youth follows the demand: they are among its members.
    assert api("gd", tree["youth"]).get(url(demand)).json()["viewer"]["is_member"]
    assert_error(
        cadre.post(
            "/api/v1/help-cases/group/", {"cases": [first["id"], second["id"]]}, format="json"
        ),
        400,
        "not_groupable",
    )
    # A question is handled in one demand only.
    third, fourth = submit(api, factories.account()), submit(api, factories.account())
    regrouped = cadre.post(
        "/api/v1/help-cases/group/",
        {"cases": [third["id"], fourth["id"]], "questions": [question.pk]},
        format="json",
    )
    assert list(assert_error(regrouped, 400, "not_groupable")["fields"]) == ["questions"]
    assert {stored(c).state for c in (third, fourth)} == {"received"}


def test_grouping_is_checked_and_for_the_committees_staff(tree, api):
    first, second = submit(api, tree["youth"]), submit(api, tree["youth"])
    group = "/api/v1/help-cases/group/"
    body = {"cases": [first["id"], second["id"]]}
    assert_error(api("gd").post(group, body, format="json"), 401, "not_authenticated")
    for who in ("youth", "bj_admin", "central_admin"):
        assert_error(
            api("gd", tree[who]).post(group, body, format="json"), 403, "permission_denied"
        )
    assert_error(api("gd", tree["auditor"]).post(group, body, format="json"), 403, "read_only")
    assert_error(api("gd", tree["gd_expert"]).post(group, body, format="json"), 403, "forbidden")
    cadre = api("gd", tree["gd_cadre"])
    too_few = cadre.post(group, {"cases": [first["id"]]}, format="json")
    assert list(assert_error(too_few, 400, "too_few")["fields"]) == ["cases"]
    for bad in ({"cases": "1,2"}, {"cases": [0]}, {}, {"cases": [1], "questions": ["a"]}):
        refused = cadre.post(group, bad, format="json")
        assert refused.status_code == 400 and refused.json()["error"]["fields"], bad
    missing = cadre.post(group, {"cases": [first["id"], 999999]}, format="json")
    assert_error(missing, 404, "not_found")
    assert {stored(c).state for c in (first, second)} == {"received"}
    # The alike cases are the staff's too.
    suggestions = url(first, "suggestions")
    assert_error(api("gd").get(suggestions), 401, "not_authenticated")
    for who in ("youth", "bj_admin"):
        assert_error(api("gd", tree[who]).get(suggestions), 403, "permission_denied")
    assert api("gd", tree["auditor"]).get(suggestions).status_code == 200


# ---------------------------------------------------------------- from a question


def test_a_question_that_needs_offline_help_becomes_a_help_case(tree, api):
    with schema_context("gd"):
        question = questions.ask_question(
            asker=tree["youth"], title="被房东扣押金不退怎么办", category="rights"
        )
    turn = f"/api/v1/questions/{question.pk}/help-case/"
    assert_error(api("gd").post(turn), 401, "not_authenticated")
    for who in ("youth", "bj_admin", "central_admin"):
        assert_error(api("gd", tree[who]).post(turn), 403, "permission_denied")
    assert_error(api("gd", tree["auditor"]).post(turn), 403, "read_only")
    assert_error(api("bj", tree["bj_cadre"]).post(turn), 404, "not_found")
    made = api("gd", tree["gd_cadre"]).post(turn)
    assert made.status_code == 201, made.content
    case = made.json()
    assert (case["question"], case["title"], case["category"]) == (
        question.pk,
        "被房东扣押金不退怎么办",
        "rights",
    )
    assert api("gd", tree["youth"]).get(url(case)).json()["viewer"]["is_member"]
    again = api("gd", tree["gd_cadre"]).post(turn)
    assert again.status_code == 409, again.content
    assert_error(
        api("gd", tree["gd_cadre"]).post("/api/v1/questions/999999/help-case/"), 404, "not_found"
    )


# ---------------------------------------------------------------- names and documentation


def test_the_steps_share_the_url_name_the_audit_log_describes(tree, api):
    path = reverse("api:help-case-step", kwargs={"pk": 7, "step": "verify"})
    assert path == "/api/v1/help-cases/7/verify/"
    what, reading = audit.describe_path("POST", path)
    assert (what, reading) == (_("act on help case #%(pk)s") % {"pk": 7}, False)
    assert audit.describe_path("GET", "/api/v1/help-cases/7/")[0] == _("help case #%(pk)s") % {
        "pk": 7
    }
    assert audit.describe_path("GET", "/api/v1/help-cases/queue/")[0] == _("the help-case queue")
    documented = api("gd").get("/api/v1/schema/?format=json").json()["paths"]
    for step in ("start", "claim", "verify", "actions", "resolve", "report", "release", "reject"):
        assert "post" in documented[f"/api/v1/help-cases/{{id}}/{step}/"], step
    for path in (
        "/api/v1/help-cases/",
        "/api/v1/help-cases/mine/",
        "/api/v1/help-cases/queue/",
        "/api/v1/help-cases/{id}/",
        "/api/v1/help-cases/{id}/suggestions/",
        "/api/v1/help-cases/{id}/evaluate/",
        "/api/v1/help-cases/{id}/join/",
        "/api/v1/help-cases/group/",
        "/api/v1/help-cases/actions/{id}/done/",
        "/api/v1/questions/{id}/help-case/",
        "/api/v1/organisations/",
    ):
        assert path in documented, path
    assert "page" in {p["name"] for p in documented["/api/v1/help-cases/"]["get"]["parameters"]}
