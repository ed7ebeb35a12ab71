"""The case library (案例库): the organisers of an activity that was held nominate it once
as a case (not before it ended, not a confirmed fake, nobody else), and the case keeps the
photos shown on its page, how many registered, came and rated it with their mean stars, and
its campaign's theme; an admin of a committee above it (or the central office) accepts or
declines it once, nobody else; staff of every committee then find the accepted cases by
category, theme, region (a committee and everything below it) and words, crediting the
committee that held it, over the API and on the workbench's library page, where the admins
above also curate the nominations."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import schema_context

from activities import cases, checkin, registration, services
from activities.models import Activity, Registration
from core.errors import ServiceError
from franchise import campaigns
from franchise.models import CaseStudy
from tenants import outbox
from tests import factories
from tests.core.helpers import assert_error

from .images import png

CASES = "/api/v1/cases/"
TODAY = timezone.localdate()
SUMMARY = "以队为单位完成城市定向任务，青年自己设计路线，结束后分享照片。"


def refused(code: str, call) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.code == code, caught.value
    return caught.value


def schema(code: str) -> str:
    return code.replace("-", "_")


def after_end(activity: Activity, **delta):
    return time_machine.travel(activity.ends_at + timedelta(**(delta or {"hours": 2})), tick=False)


def photo(activity: Activity, by):
    upload = SimpleUploadedFile("现场.png", png(), "image/png")
    return services.add_photo(activity=activity, upload=upload, by=by)


def nominate(code: str, activity: Activity, by, summary: str = SUMMARY) -> CaseStudy:
    """``by`` nominates the activity of committee ``code``, once it ended."""
    with schema_context(schema(code)), after_end(activity):
        return cases.nominate(activity=activity, actor=by, summary=summary)


def held(code: str, by, **fields) -> Activity:
    return factories.activity(code, by, **fields)


# ---------------------------------------------------------------- nominating


def test_only_its_organisers_nominate_a_held_activity_once(tree):
    activity = held("gd-gz", tree["gz_cadre"])
    with schema_context("gd_gz"):
        error = refused(
            "not_held",
            lambda: cases.nominate(activity=activity, actor=tree["gz_cadre"], summary=SUMMARY),
        )
        assert error.status == 409
        with after_end(activity):
            for who in ("youth", "gd_cadre", "bj_cadre"):
                error = refused(
                    "forbidden",
                    lambda who=who: cases.nominate(
                        activity=activity, actor=tree[who], summary=SUMMARY
                    ),
                )
                assert error.status == 403
            refused(
                "required",
                lambda: cases.nominate(activity=activity, actor=tree["gz_cadre"], summary=" "),
            )
        assert not CaseStudy.objects.exists()
    case = nominate("gd-gz", activity, tree["gz_cadre"])
    assert (case.committee, case.activity_id, case.state) == (tree.gz, activity.pk, "nominated")
    assert (case.title, case.category, case.summary) == (activity.title, "volunteer", SUMMARY)
    assert case.link == f"/activities/{activity.pk}/"
    assert case.nominated_by == tree["gz_cadre"].pk
    assert case.held_on == timezone.localtime(activity.starts_at).date()
    assert case.theme == "" and case.photos == []


def test_a_second_nomination_is_refused_and_the_transaction_goes_on(tree):
    """The duplicate is refused as ``already_nominated``, and whoever called the service in
    a transaction (a request, a task, another service) can go on using the database."""
    activity = held("gd-gz", tree["gz_cadre"])
    case = nominate("gd-gz", activity, tree["gz_cadre"])
    error = refused("already_nominated", lambda: nominate("gd-gz", activity, tree["gz_cadre"]))
    assert error.status == 409
    assert list(CaseStudy.objects.values_list("pk", flat=True)) == [case.pk]


def test_a_cancelled_or_confirmed_fake_activity_is_no_case(tree):
    fake = held("gd-gz", tree["gz_cadre"])
    cancelled = held("gd-gz", tree["gz_cadre"], title="取消的活动")
    with schema_context("gd_gz"):
        Activity.objects.filter(pk=fake.pk).update(fake_confirmed_at=timezone.now())
        fake = Activity.objects.get(pk=fake.pk)
        services.cancel(activity=cancelled, actor=tree["gz_cadre"], reason="天气原因")
        cancelled = Activity.objects.get(pk=cancelled.pk)
    assert refused("fake", lambda: nominate("gd-gz", fake, tree["gz_cadre"])).status == 409
    refused("not_held", lambda: nominate("gd-gz", cancelled, tree["gz_cadre"]))
    assert not CaseStudy.objects.exists()


def test_a_case_keeps_the_shown_photos_the_figures_and_its_campaigns_theme(tree):
    campaigns.launch(
        actor=tree["central_admin"],
        node=tree.central,
        code="qingchun-2026",
        title="青春志愿行",
        theme="志愿服务",
        starts_on=TODAY - timedelta(days=1),
        ends_on=TODAY + timedelta(days=30),
    )
    outbox.deliver()
    activity = held("gd-gz", tree["gz_cadre"], campaign="qingchun-2026")
    came, stayed_away = tree["youth"], factories.account(name="没来的")
    with schema_context("gd_gz"):
        for youth in (came, stayed_away):
            registration.register(activity=activity, youth=youth)
        mine = Registration.objects.get(activity=activity, youth_id=came.pk)
        with time_machine.travel(activity.starts_at + timedelta(hours=1), tick=False):
            checkin.mark_present(registration=mine, actor=tree["gz_cadre"])
        with after_end(activity, hours=1):
            shown = photo(activity, tree["gz_cadre"])  # the organisers': shown at once
            unselected = photo(activity, came)  # a participant's: not until selected
            chosen = photo(activity, came)
            services.select_photo(photo=chosen, actor=tree["gz_cadre"], is_selected=True)
        services.rate(registration=mine, youth=came, stars=4, is_real=True)
    case = nominate("gd-gz", activity, tree["gz_cadre"])
    assert case.photos == [shown.image.url, chosen.image.url]
    assert unselected.image.url not in case.photos
    assert all(url.startswith("/media/") or "://" in url for url in case.photos)
    assert case.figures == {"registered": 2, "checked_in": 1, "ratings": 1, "stars": 4.0}
    assert case.theme == "志愿服务"
    # As stored, too.
    stored = CaseStudy.objects.get(pk=case.pk)
    assert (stored.theme, stored.figures["checked_in"], len(stored.photos)) == ("志愿服务", 1, 2)


# ---------------------------------------------------------------- curating


def test_the_committee_above_curates_a_case_once(tree):
    case = nominate("gd-gz", held("gd-gz", tree["gz_cadre"]), tree["gz_cadre"])
    for who in ("gz_cadre", "bj_admin", "gd_cadre", "youth"):
        error = refused(
            "forbidden", lambda who=who: cases.curate(case=case, actor=tree[who], accept=True)
        )
        assert error.status == 403
    assert CaseStudy.objects.get(pk=case.pk).state == "nominated"
    cases.curate(case=case, actor=tree["gd_admin"], accept=True, note="路线设计有创意")
    stored = CaseStudy.objects.get(pk=case.pk)
    assert (stored.state, stored.note, stored.curated_by) == (
        "accepted",
        "路线设计有创意",
        tree["gd_admin"].pk,
    )
    assert stored.curated_at is not None
    for who in ("gd_admin", "central_admin"):
        error = refused(
            "decided", lambda who=who: cases.curate(case=stored, actor=tree[who], accept=False)
        )
        assert error.status == 409
    assert CaseStudy.objects.get(pk=case.pk).state == "accepted"


def test_the_central_admin_curates_any_case_and_a_province_not_its_own(tree):
    theirs = nominate("gd-gz", held("gd-gz", tree["gz_cadre"]), tree["gz_cadre"])
    ours = nominate("gd", held("gd", tree["gd_cadre"]), tree["gd_cadre"])
    refused("forbidden", lambda: cases.curate(case=ours, actor=tree["gd_admin"], accept=True))
    cases.curate(case=theirs, actor=tree["central_admin"], accept=False, note="材料不足")
    cases.curate(case=ours, actor=tree["central_admin"], accept=True)
    assert CaseStudy.objects.get(pk=theirs.pk).state == "declined"
    assert CaseStudy.objects.get(pk=ours.pk).state == "accepted"
    assert [c.pk for c in cases.library()] == [ours.pk]


# ---------------------------------------------------------------- finding cases


@pytest.fixture
def library(tree):
    """Accepted: gd-gz's 城市定向赛 (志愿服务, under a campaign) and bj's 职场沙龙 (career);
    declined: a gd-gz one; nominated only: a gd one."""
    campaigns.launch(
        actor=tree["central_admin"],
        node=tree.central,
        code="qingchun-2026",
        title="青春志愿行",
        theme="志愿服务",
        starts_on=TODAY - timedelta(days=1),
        ends_on=TODAY + timedelta(days=30),
    )
    outbox.deliver()
    orienteering = nominate(
        "gd-gz",
        held("gd-gz", tree["gz_cadre"], title="珠江城市定向赛", campaign="qingchun-2026"),
        tree["gz_cadre"],
        summary="青年自己设计路线，沿江打卡非遗点位。",
    )
    salon = nominate(
        "bj",
        held("bj", tree["bj_cadre"], title="青年职场沙龙", category="career"),
        tree["bj_cadre"],
        summary="邀请企业导师与应届生面对面交流。",
    )
    declined = nominate(
        "gd-gz", held("gd-gz", tree["gz_cadre"], title="定向赛（重复）"), tree["gz_cadre"]
    )
    pending = nominate("gd", held("gd", tree["gd_cadre"], title="省级定向赛"), tree["gd_cadre"])
    cases.curate(case=orienteering, actor=tree["gd_admin"], accept=True)
    cases.curate(case=salon, actor=tree["central_admin"], accept=True)
    cases.curate(case=declined, actor=tree["gd_admin"], accept=False)
    return {"orienteering": orienteering, "salon": salon, "declined": declined, "pending": pending}


def ids(found) -> set[int]:
    return {c.pk for c in found}


def test_the_library_has_only_accepted_cases_by_category_theme_region_and_words(tree, library):
    orienteering, salon = library["orienteering"].pk, library["salon"].pk
    assert ids(cases.library()) == {orienteering, salon}
    assert ids(cases.library(category="career")) == {salon}
    assert ids(cases.library(category="volunteer")) == {orienteering}
    assert ids(cases.library(category="study")) == set()
    assert ids(cases.library(theme="志愿服务")) == {orienteering}
    assert ids(cases.library(theme="创新创业")) == set()
    assert ids(cases.library(region="gd")) == {orienteering}  # gd-gz is in gd's subtree
    assert ids(cases.library(region="gd-gz")) == {orienteering}
    assert ids(cases.library(region="bj")) == {salon}
    assert ids(cases.library(region="central")) == {orienteering, salon}
    assert ids(cases.library(region="nowhere")) == set()
    assert ids(cases.library(words="定向赛")) == {orienteering}  # not the declined one
    assert ids(cases.library(words="非遗")) == {orienteering}  # in the summary
    assert ids(cases.library(words="企业导师")) == {salon}
    assert ids(cases.library(words="定向赛 导师")) == set()  # every word
    assert ids(cases.library(region="bj", words="定向赛")) == set()
    assert ids(cases.library(category="volunteer", theme="志愿服务", region="gd")) == {orienteering}
    assert cases.themes() == ["志愿服务"]


def test_each_admin_curates_the_nominations_of_the_committees_below(tree, library):
    fresh = nominate("gd-gz", held("gd-gz", tree["gz_cadre"], title="新提名"), tree["gz_cadre"])
    with schema_context("gd"):
        assert ids(cases.to_curate(tree["gd_admin"])) == {fresh.pk}  # not gd's own
        assert ids(cases.to_curate(tree["gd_cadre"])) == set()  # not an admin
    with schema_context("bj"):
        assert ids(cases.to_curate(tree["bj_admin"])) == set()
    with schema_context("gd_gz"):
        assert ids(cases.to_curate(tree["gz_cadre"])) == set()
        assert ids(cases.to_curate(tree["gd_admin"])) == set()  # gd-gz has nobody below
    with schema_context("central"):
        assert ids(cases.to_curate(tree["central_admin"])) == {fresh.pk, library["pending"].pk}


# ---------------------------------------------------------------- over the API


def test_the_library_over_the_api_for_staff_of_any_committee(tree, api, library):
    found = api("bj", tree["bj_cadre"]).get(CASES)
    assert found.status_code == 200, found.content
    rows = {row["id"]: row for row in found.json()["results"]}
    assert set(rows) == {library["orienteering"].pk, library["salon"].pk}
    row = rows[library["orienteering"].pk]
    assert (row["committee"], row["committee_name"]) == ("gd-gz", "共青团广州市委")
    assert (row["title"], row["theme"], row["state"]) == ("珠江城市定向赛", "志愿服务", "accepted")
    assert row["link"] == f"/activities/{row['activity_id']}/"
    assert set(row["figures"]) == {"registered", "checked_in", "ratings", "stars"}
    by_words = api("bj", tree["bj_cadre"]).get(CASES, {"q": "定向赛", "region": "gd"})
    assert [r["id"] for r in by_words.json()["results"]] == [library["orienteering"].pk]
    none = api("bj", tree["bj_cadre"]).get(CASES, {"region": "bj", "q": "定向赛"})
    assert none.json()["results"] == []
    career = api("gd-gz", tree["gz_cadre"]).get(CASES, {"category": "career"})
    assert [r["id"] for r in career.json()["results"]] == [library["salon"].pk]
    assert_error(api("bj", tree["youth"]).get(CASES), 403, "permission_denied")
    assert_error(api("bj").get(CASES), 401, "not_authenticated")
    # Staff of another committee read it on their own portal, not on Beijing's.
    assert_error(api("bj", tree["gz_cadre"]).get(CASES), 403, "permission_denied")


def test_nominating_and_curating_over_the_api(tree, api):
    activity = held("gd-gz", tree["gz_cadre"])
    path = f"/api/v1/activities/{activity.pk}/case/"
    summary = {"summary": SUMMARY}
    assert_error(api("gd-gz", tree["gz_cadre"]).post(path, summary, format="json"), 409, "not_held")
    with after_end(activity):
        assert_error(api("gd-gz").post(path, summary, format="json"), 401, "not_authenticated")
        assert_error(
            api("gd-gz", tree["youth"]).post(path, summary, format="json"), 403, "forbidden"
        )
        assert_error(
            api("bj", tree["bj_cadre"]).post(path, summary, format="json"), 404, "not_found"
        )
        assert_error(
            api("gd-gz", tree["gz_cadre"]).post(path, {"summary": ""}, format="json"),
            400,
            "invalid",
        )
        made = api("gd-gz", tree["gz_cadre"]).post(path, summary, format="json")
        assert made.status_code == 201, made.content
        body = made.json()
        assert (body["committee"], body["state"], body["activity_id"]) == (
            "gd-gz",
            "nominated",
            activity.pk,
        )
    assert CaseStudy.objects.count() == 1

    to_curate = api("gd", tree["gd_admin"]).get(f"{CASES}to-curate/")
    assert to_curate.status_code == 200
    assert [c["id"] for c in to_curate.json()["results"]] == [body["id"]]
    assert api("bj", tree["bj_admin"]).get(f"{CASES}to-curate/").json()["results"] == []
    assert_error(api("gd").get(f"{CASES}to-curate/"), 401, "not_authenticated")

    curation = f"{CASES}{body['id']}/curation/"
    accept = {"accept": True, "note": "值得推广"}
    assert_error(api("gd").post(curation, accept, format="json"), 401, "not_authenticated")
    for who, code in (("gz_cadre", "gd-gz"), ("bj_admin", "bj"), ("gd_cadre", "gd")):
        assert_error(api(code, tree[who]).post(curation, accept, format="json"), 403, "forbidden")
    assert_error(api("gd", tree["gd_admin"]).post(curation, {}, format="json"), 400, "invalid")
    done = api("gd", tree["gd_admin"]).post(curation, accept, format="json")
    assert done.status_code == 200, done.content
    assert (done.json()["state"], done.json()["note"]) == ("accepted", "值得推广")
    assert_error(
        api("central", tree["central_admin"]).post(curation, {"accept": False}, format="json"),
        409,
        "decided",
    )
    assert_error(
        api("gd", tree["gd_admin"]).post(f"{CASES}999999/curation/", accept, format="json"),
        404,
        "not_found",
    )
    assert api("gd", tree["gd_admin"]).get(f"{CASES}to-curate/").json()["results"] == []
    assert [c["id"] for c in api("bj", tree["bj_cadre"]).get(CASES).json()["results"]] == [
        body["id"]
    ]
    # Nominated once: again is a conflict (last, see the test of a second nomination).
    with after_end(activity):
        again = api("gd-gz", tree["gz_cadre"]).post(path, summary, format="json")
    assert_error(again, 409, "already_nominated")


# ---------------------------------------------------------------- the library's page


def test_the_library_page_credits_the_source_and_the_admin_above_curates_there(tree, web):
    activity = held("gd-gz", tree["gz_cadre"], title="珠江城市定向赛")
    case = nominate("gd-gz", activity, tree["gz_cadre"])
    beijing = web("bj", tree["bj_cadre"])
    assert "珠江城市定向赛" not in beijing.get("/workbench/cases/").content.decode()

    admin = web("gd", tree["gd_admin"])
    page = admin.get("/workbench/cases/").content.decode()
    assert 'data-testid="to-curate"' in page and "珠江城市定向赛" in page
    assert f'value="{case.pk}"' in page
    # Beijing's admin has nothing of Guangdong's to curate, and cannot by posting.
    assert (
        'data-testid="to-curate"'
        not in web("bj", tree["bj_admin"]).get("/workbench/cases/").content.decode()
    )
    web("bj", tree["bj_admin"]).post("/workbench/cases/", {"pk": case.pk, "action": "accept"})
    assert CaseStudy.objects.get(pk=case.pk).state == "nominated"
    assert admin.post("/workbench/cases/", {"pk": case.pk, "action": "promote"}).status_code == 403

    posted = admin.post("/workbench/cases/", {"pk": case.pk, "action": "accept", "note": "推广"})
    assert posted.status_code == 302 and posted["Location"] == "/workbench/cases/"
    stored = CaseStudy.objects.get(pk=case.pk)
    assert (stored.state, stored.note, stored.curated_by) == (
        "accepted",
        "推广",
        tree["gd_admin"].pk,
    )

    listed = beijing.get("/workbench/cases/")
    assert listed.status_code == 200
    html = listed.content.decode()
    assert "珠江城市定向赛" in html and "共青团广州市委" in html  # the source, credited
    assert f"http://gd-gz.localhost/activities/{activity.pk}/" in html  # on its own portal
    found = beijing.get("/workbench/cases/", {"region": "gd", "q": "定向赛"}).content.decode()
    assert "珠江城市定向赛" in found
    elsewhere = beijing.get("/workbench/cases/", {"region": "bj"}).content.decode()
    assert "珠江城市定向赛" not in elsewhere
    assert web("bj", tree["youth"]).get("/workbench/cases/").status_code == 403
    assert web("bj").get("/workbench/cases/").status_code == 302  # to sign in
