"""The youth-home standard (《“青年之家”建设基本要求》): a committee's admins record each item
of the version in force for a home, an admin of a committee above confirms or returns it, and
a home meets the standard only when every item is met and confirmed. The national directory
(``franchise.HomeListing``) follows each step, and the dashboards roll the homes up the tree."""

import re
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone, translation
from django_tenants.utils import schema_context

import timeline
from core import services as accounts
from core.errors import ServiceError
from franchise import standards
from franchise.models import HomeListing, HomeStandard
from homes import directory, services, standard
from homes.models import Compliance, HomeEvent
from reporting import selectors as reports
from tests import factories
from tests.core.helpers import assert_error

ITEMS = [item["code"] for item in standards.HOME_STANDARD["items"]]
EVIDENCE = "入口处悬挂标识牌，见照片"


@pytest.fixture(autouse=True)
def _home_standard(db):
    """Version 1 of the standard, as the migration installs it. The conftest's ``_standards``
    does not put it back after a transactional test's flush, so a run of the whole suite
    would otherwise measure homes against no standard at all."""
    standards.install_home_standard(HomeStandard)


def in_schema(code: str):
    return schema_context(code.replace("-", "_"))


def home_of(code: str, name: str = "天河青年之家"):
    """A published home of committee ``code`` with a study room (``factories.youth_home``)."""
    return factories.youth_home(code, name=name).service.home


def today():
    return timezone.localdate()


def record(home, item, actor, *, met=True, on=None):
    return standard.record(
        home=home, item=item, is_met=met, evidence=EVIDENCE, observed_on=on or today(), actor=actor
    )


def meet_the_standard(code: str, home, recorder, checker) -> None:
    """Every item recorded met by ``recorder`` and confirmed by ``checker``."""
    with in_schema(code):
        for item in ITEMS:
            record(home, item, recorder)
        for found in Compliance.objects.filter(home=home, state=Compliance.State.RECORDED):
            standard.check(compliance=found, confirm=True, actor=checker)
        assert standard.measure(home).meets_standard


def row_of(code: str, home) -> HomeListing:
    return HomeListing.objects.get(committee__code=code, home_id=home.pk)


def shown(text: str) -> str:
    """``text`` as the portals show it (in Chinese where it is translated)."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(text)


def badge(page: str) -> str:
    found = re.search(r'data-testid="meets-standard">([^<]*)<', page)
    assert found, "no meets-standard badge on the page"
    return found.group(1).strip()


def tile(page: str, testid: str) -> int:
    found = re.search(rf'data-testid="{testid}">\s*(\d+)\s*<', page)
    assert found, f"no {testid} on the page"
    return int(found.group(1))


# ---------------------------------------------------------------- the services


def test_a_home_meets_the_standard_only_when_every_item_is_met_and_confirmed(tree):
    gz_admin = factories.staff(tree.gz, "admin")
    home = home_of("gd-gz")
    with in_schema("gd-gz"):
        fresh = standard.measure(home)
        assert fresh.version == 1 and [line.code for line in fresh.lines] == ITEMS
        assert all(line.record is None for line in fresh.lines)
        assert (fresh.meets_standard, fresh.awaiting_check) == (False, 0)

        first, *rest = ITEMS
        not_met = record(home, first, gz_admin, met=False)
        for item in rest:
            record(home, item, gz_admin)
        recorded = standard.measure(home)
        assert (recorded.meets_standard, recorded.awaiting_check) == (False, 7)
        assert {line.record.state for line in recorded.lines} == {"recorded"}

        # Recorded met is not enough: each must be confirmed from above.
        for found in Compliance.objects.filter(home=home).exclude(item=first):
            standard.check(compliance=found, confirm=True, actor=tree["gd_admin"])
        almost = standard.measure(home)
        assert (almost.meets_standard, almost.awaiting_check) == (False, 1)
        # A "not met" confirmed does not count either.
        standard.check(compliance=not_met, confirm=True, actor=tree["gd_admin"])
        confirmed = standard.measure(home)
        assert (confirmed.meets_standard, confirmed.awaiting_check) == (False, 0)
        assert [line.is_confirmed_met for line in confirmed.lines] == [False] + [True] * 6
        assert confirmed.lines[0].record.state == "confirmed"

        # Recording it again (now met) puts it back to be checked, the check forgotten.
        again = record(home, first, gz_admin)
        assert again.pk == not_met.pk and again.is_met
        assert (again.state, again.checked_by, again.checked_at) == ("recorded", None, None)
        waiting = standard.measure(home)
        assert (waiting.meets_standard, waiting.awaiting_check) == (False, 1)
        standard.check(compliance=again, confirm=True, actor=tree["central_admin"])
        assert standard.measure(home).meets_standard

        # Re-recording a confirmed item loses the standard until it is checked again.
        redone = record(home, ITEMS[3], gz_admin)
        assert redone.state == "recorded"
        after = standard.measure(home)
        assert (after.meets_standard, after.awaiting_check) == (False, 1)
        assert Compliance.objects.filter(home=home).count() == 7  # one record per item


def test_what_the_services_refuse(tree):
    gz_admin = factories.staff(tree.gz, "admin")
    home = home_of("gd-gz")
    with in_schema("gd-gz"):
        for kwargs, code, field in [
            ({"item": "wifi"}, "invalid", "item"),  # not an item of version 1
            ({"observed_on": today() + timedelta(days=1)}, "invalid", "observed_on"),
            ({"evidence": "   "}, "required", "evidence"),
        ]:
            given = {
                "home": home,
                "item": "sign",
                "is_met": True,
                "evidence": EVIDENCE,
                "observed_on": today(),
                "actor": gz_admin,
                **kwargs,
            }
            with pytest.raises(ServiceError) as refused:
                standard.record(**given)
            assert (refused.value.code, refused.value.field) == (code, field), kwargs
        assert not Compliance.objects.exists()

        found = record(home, "sign", gz_admin, on=today() - timedelta(days=3))
        # Returning needs a note saying what is missing.
        with pytest.raises(ServiceError) as no_note:
            standard.check(compliance=found, confirm=False, actor=tree["gd_admin"], note="  ")
        assert (no_note.value.code, no_note.value.field) == ("required", "note")
        found.refresh_from_db()
        assert found.state == "recorded"
        returned = standard.check(
            compliance=found, confirm=False, actor=tree["gd_admin"], note="照片看不清"
        )
        assert (returned.state, returned.check_note) == ("returned", "照片看不清")
        assert returned.checked_by_id == tree["gd_admin"].pk and returned.checked_at
        # Checked once: a second check, either way, is refused.
        for confirm in (True, False):
            with pytest.raises(ServiceError) as twice:
                standard.check(compliance=found, confirm=confirm, actor=tree["gd_admin"], note="x")
            assert (twice.value.code, twice.value.status) == ("checked", 409)
        measured = standard.measure(home)
        assert (measured.meets_standard, measured.awaiting_check) == (False, 0)
        assert measured.lines[0].record.state == "returned"


def test_each_step_is_on_the_homes_timeline(tree):
    gz_admin = factories.staff(tree.gz, "admin")
    home = home_of("gd-gz")
    with in_schema("gd-gz"):
        first = record(home, "sign", gz_admin, met=False)
        standard.check(compliance=first, confirm=False, actor=tree["gd_admin"], note="缺照片")
        second = record(home, "sign", gz_admin)
        standard.check(compliance=second, confirm=True, actor=tree["central_admin"])
        with pytest.raises(ServiceError):
            standard.check(compliance=second, confirm=True, actor=tree["central_admin"])
        events = list(
            timeline.of(home)
            .filter(kind__startswith="homes.standard")
            .values_list("kind", "actor_id", "state", "data")
        )
    recorded, checked = HomeEvent.STANDARD_RECORDED, HomeEvent.STANDARD_CHECKED
    assert recorded == "homes.standard_recorded" and checked == "homes.standard_checked"
    about = {"home": home.pk, "version": 1, "item": "sign"}
    assert events == [  # the refused second check appended nothing
        (recorded, gz_admin.pk, "recorded", {**about, "met": False}),
        (checked, tree["gd_admin"].pk, "returned", {**about, "confirmed": False}),
        (recorded, gz_admin.pk, "recorded", {**about, "met": True}),
        (checked, tree["central_admin"].pk, "confirmed", {**about, "confirmed": True}),
    ]


def test_a_new_version_in_force_has_to_be_met_again(tree):
    gz_admin = factories.staff(tree.gz, "admin")
    home = home_of("gd-gz")
    meet_the_standard("gd-gz", home, gz_admin, tree["gd_admin"])
    row = row_of("gd-gz", home)
    assert (row.meets_standard, row.standard_version) == (True, 1)

    starts = today() + timedelta(days=3)
    HomeStandard.objects.create(
        version=2,
        effective_from=starts,
        items=[
            {"code": "sign", "area": "signage", "text": "入口处悬挂新版“青年之家”标识牌"},
            {"code": "wifi", "area": "equipment", "text": "提供免费无线网络"},
        ],
    )
    with in_schema("gd-gz"):
        assert standard.measure(home).version == 1  # not yet in force
        assert standard.measure(home).meets_standard
    later = timezone.make_aware(datetime.combine(starts + timedelta(days=1), time(10)))
    with time_machine.travel(later, tick=False), in_schema("gd-gz"):
        measured = standard.measure(home)
        assert measured.version == 2 and [line.code for line in measured.lines] == ["sign", "wifi"]
        # The record of "sign" was made against version 1: it is no record of version 2's.
        assert all(line.record is None for line in measured.lines)
        assert (measured.meets_standard, measured.awaiting_check) == (False, 0)
        assert row_of("gd-gz", home).meets_standard  # the directory waits for the resync
        assert directory.resync_all() == 1
        row = row_of("gd-gz", home)
        assert (row.meets_standard, row.standard_version, row.awaiting_check) == (False, 2, 0)
        assert reports.homes_in(tree.gd) == {"homes": 1, "meeting": 0, "awaiting": 0}
        # Version 1's records stay as they were.
        assert Compliance.objects.filter(standard_version=1, state="confirmed").count() == 7
        # Unknown to version 2: an item only version 1 had.
        with pytest.raises(ServiceError) as old_item:
            record(home, "space", gz_admin)
        assert old_item.value.field == "item"
        for item in ("sign", "wifi"):
            found = record(home, item, gz_admin)
            assert found.standard_version == 2
            standard.check(compliance=found, confirm=True, actor=tree["gd_admin"])
        assert standard.measure(home).meets_standard
        assert row_of("gd-gz", home).meets_standard


# ---------------------------------------------------------------- the directory


def test_the_directory_row_follows_the_home(tree):
    gz_admin = factories.staff(tree.gz, "admin")
    with in_schema("gd-gz"):
        home = services.open_home(
            name="越秀青年之家",
            address="广州市越秀区中山五路",
            district="越秀区",
            latitude="23.129000",
            longitude="113.264000",
        )
    row = row_of("gd-gz", home)
    assert (row.name, row.district, str(row.latitude), str(row.longitude)) == (
        "越秀青年之家",
        "越秀区",
        "23.129000",
        "113.264000",
    )
    assert (row.categories, row.is_published, row.meets_standard) == ([], True, False)
    assert (row.standard_version, row.awaiting_check) == (1, 0)

    with in_schema("gd-gz"):
        services.add_service(home=home, name="法律咨询", category="rights")
        services.add_service(home=home, name="自习室", category="study")
        services.add_service(home=home, name="劳动维权", category="rights")
    assert row_of("gd-gz", home).categories == ["rights", "study"]

    with in_schema("gd-gz"):
        services.change_home(home=home, is_published=False)
    assert not row_of("gd-gz", home).is_published
    assert reports.homes_in(tree.gd)["homes"] == 0
    with in_schema("gd-gz"):
        services.change_home(home=home, is_published=True, district="越秀")
    row = row_of("gd-gz", home)
    assert (row.is_published, row.district) == (True, "越秀")

    with in_schema("gd-gz"):
        sign = record(home, "sign", gz_admin)
        record(home, "notice", gz_admin)
    assert row_of("gd-gz", home).awaiting_check == 2
    with in_schema("gd-gz"):
        standard.check(compliance=sign, confirm=True, actor=tree["gd_admin"])
    row = row_of("gd-gz", home)
    assert (row.awaiting_check, row.meets_standard) == (1, False)
    meet_the_standard("gd-gz", home, gz_admin, tree["gd_admin"])
    row = row_of("gd-gz", home)
    assert (row.awaiting_check, row.meets_standard, row.standard_version) == (0, True, 1)
    assert HomeListing.objects.filter(home_id=home.pk, committee=tree.gz).count() == 1


# ---------------------------------------------------------------- who may


def test_who_records_and_who_checks(tree):
    gz_admin = factories.staff(tree.gz, "admin")
    people = {**tree.people, "gz_admin": gz_admin}
    with in_schema("gd-gz"):
        recorders = {who for who, user in people.items() if standard.may_record(user)}
        checkers = {who for who, user in people.items() if standard.may_check(user)}
    # The city's own admins record; the admins above it (province, centre) check. Not the
    # city's cadre, not a sibling province's admin, not the central auditor (read-only).
    assert recorders == {"gz_admin"}
    assert checkers == {"gd_admin", "central_admin"}
    with in_schema("gd"):
        assert {who for who, user in people.items() if standard.may_record(user)} == {"gd_admin"}
        assert {who for who, user in people.items() if standard.may_check(user)} == {
            "central_admin"
        }
    with in_schema("central"):
        assert not any(standard.may_check(user) for user in people.values())  # none above


def test_an_admin_of_the_city_and_of_its_province_does_not_check_their_own_record(tree, api):
    """The check from above is someone else's look at what the committee says of itself:
    an account that is the city's admin as well as the province's records as the city's
    admin and must not then confirm its own record."""
    both = factories.staff(tree.gd, "admin")
    accounts.grant_role(user=both, committee=tree.gz, kind="admin")
    home = home_of("gd-gz")
    made = api("gd-gz", both).post(
        f"/api/v1/homes/{home.pk}/standard/",
        {"item": "sign", "is_met": True, "evidence": EVIDENCE, "observed_on": today()},
        format="json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["lines"][0]["record"]["id"]
    own = api("gd-gz", both).post(
        f"/api/v1/compliance/{pk}/check/", {"confirm": True}, format="json"
    )
    with in_schema("gd-gz"):
        state = Compliance.objects.get(pk=pk).state
    assert (own.status_code, state) == (403, "recorded"), own.content


# ---------------------------------------------------------------- the API


def test_the_standard_over_the_api(tree, api):
    home = home_of("gd")
    url = f"/api/v1/homes/{home.pk}/standard/"
    read = api("gd").get(url)
    assert read.status_code == 200
    body = read.json()
    assert (body["version"], body["meets_standard"], body["awaiting_check"]) == (1, False, 0)
    assert [line["code"] for line in body["lines"]] == ITEMS
    assert body["lines"][0]["area"] == "signage" and body["lines"][0]["area_label"]
    assert all(line["record"] is None for line in body["lines"])
    assert_error(api("bj").get(url), 404, "not_found")  # Beijing's portal has no such home

    sign = {"item": "sign", "is_met": True, "evidence": EVIDENCE, "observed_on": today()}
    assert_error(api("gd").post(url, sign, format="json"), 401, "not_authenticated")
    for who in ("youth", "gd_cadre", "gd_expert", "bj_admin", "central_admin"):
        refused = api("gd", tree[who]).post(url, sign, format="json")
        assert_error(refused, 403, "permission_denied")
    assert_error(api("gd", tree["auditor"]).post(url, sign, format="json"), 403, "read_only")
    assert_error(api("bj", tree["bj_admin"]).post(url, sign, format="json"), 404, "not_found")
    admin = api("gd", tree["gd_admin"])
    for wrong, field in [
        ({"observed_on": today() + timedelta(days=1)}, "observed_on"),
        ({"item": "wifi"}, "item"),
        ({"observed_on": "昨天"}, "observed_on"),
    ]:
        refused = admin.post(url, {**sign, **wrong}, format="json")
        assert_error(refused, 400, "invalid")
        assert list(refused.json()["error"]["fields"]) == [field], wrong
    with in_schema("gd"):
        assert not Compliance.objects.exists()

    made = admin.post(url, sign, format="json")
    assert made.status_code == 201, made.content
    line = made.json()["lines"][0]
    assert line["code"] == "sign" and made.json()["awaiting_check"] == 1
    assert line["record"]["state"] == "recorded" and line["record"]["is_met"] is True
    assert line["record"]["observed_on"] == today().isoformat()
    assert line["record"]["evidence"] == EVIDENCE and line["record"]["checked_at"] is None

    check = f"/api/v1/compliance/{line['record']['id']}/check/"
    yes = {"confirm": True}
    assert_error(api("gd").post(check, yes, format="json"), 401, "not_authenticated")
    for who in ("gd_admin", "gd_cadre", "youth", "bj_admin"):  # gd's own admin included
        assert_error(api("gd", tree[who]).post(check, yes, format="json"), 403, "permission_denied")
    assert_error(api("gd", tree["auditor"]).post(check, yes, format="json"), 403, "read_only")
    # Another portal's records are not reached, even by the central admin.
    assert_error(api("bj", tree["central_admin"]).post(check, yes, format="json"), 404, "not_found")
    central = api("gd", tree["central_admin"])
    no_note = central.post(check, {"confirm": False}, format="json")
    assert_error(no_note, 400, "required")
    assert list(no_note.json()["error"]["fields"]) == ["note"]
    confirmed = central.post(check, yes, format="json")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["awaiting_check"] == 0
    record_shown = confirmed.json()["lines"][0]["record"]
    assert record_shown["state"] == "confirmed" and record_shown["checked_at"]
    assert_error(central.post(check, yes, format="json"), 409, "checked")
    back = {"confirm": False, "note": "x"}
    assert_error(central.post(check, back, format="json"), 409, "checked")

    detail = api("gd").get(f"/api/v1/homes/{home.pk}/").json()
    assert detail["standard"]["version"] == 1 and not detail["standard"]["meets_standard"]
    assert [line["code"] for line in detail["standard"]["lines"]] == ITEMS
    assert detail["standard"]["lines"][0]["record"]["state"] == "confirmed"
    assert detail["standard"]["lines"][1]["record"] is None


def test_a_province_admin_checks_its_citys_home_over_the_api(tree, api):
    gz_admin = factories.staff(tree.gz, "admin")
    home = home_of("gd-gz")
    url = f"/api/v1/homes/{home.pk}/standard/"
    sign = {"item": "sign", "is_met": True, "evidence": EVIDENCE, "observed_on": today()}
    for who in ("gd_admin", "gz_cadre", "youth"):  # the province's admin checks, not records
        refused = api("gd-gz", tree[who]).post(url, sign, format="json")
        assert_error(refused, 403, "permission_denied")
    made = api("gd-gz", gz_admin).post(url, sign, format="json")
    assert made.status_code == 201, made.content
    check = f"/api/v1/compliance/{made.json()['lines'][0]['record']['id']}/check/"
    for who in (gz_admin, tree["bj_admin"], tree["gz_cadre"]):
        refused = api("gd-gz", who).post(check, {"confirm": True}, format="json")
        assert_error(refused, 403, "permission_denied")
    returned = api("gd-gz", tree["gd_admin"]).post(
        check, {"confirm": False, "note": "请补充标识牌照片"}, format="json"
    )
    assert returned.status_code == 200, returned.content
    shown_record = returned.json()["lines"][0]["record"]
    assert (shown_record["state"], shown_record["check_note"]) == ("returned", "请补充标识牌照片")
    assert returned.json()["awaiting_check"] == 0
    assert row_of("gd-gz", home).awaiting_check == 0


# ---------------------------------------------------------------- the pages


def test_the_standard_page_records_for_the_admin_and_confirms_for_the_admin_above(tree, web):
    gz_admin = factories.staff(tree.gz, "admin")
    home = home_of("gd-gz")
    page = f"/workbench/homes/{home.pk}/standard/"
    sign = {
        "action": "record",
        "item": "sign",
        "is_met": "yes",
        "evidence": EVIDENCE,
        "observed_on": today().isoformat(),
    }
    assert web("gd-gz").get(page)["Location"].startswith("/accounts/login/")
    assert web("gd-gz", tree["youth"]).get(page).status_code == 403
    assert web("gd-gz", tree["youth"]).post(page, sign).status_code == 403
    assert web("gd-gz", tree["bj_admin"]).get(page).status_code == 403
    assert web("bj", tree["bj_admin"]).get(page).status_code == 404

    admin = web("gd-gz", gz_admin)
    blank = admin.get(page).content.decode()
    assert 'data-testid="standard"' in blank and 'data-testid="record-sign"' in blank
    assert 'data-testid="confirm-' not in blank
    future = admin.post(
        page, {**sign, "observed_on": (today() + timedelta(days=1)).isoformat()}, follow=True
    )
    assert shown("Not a day in the future.") in future.content.decode()
    with in_schema("gd-gz"):
        assert not Compliance.objects.exists()
    recorded = admin.post(page, sign, follow=True)
    assert recorded.redirect_chain[-1][0] == page
    assert "state-recorded" in recorded.content.decode()
    with in_schema("gd-gz"):
        found = Compliance.objects.get(home=home, item="sign")
    assert (found.is_met, found.state, found.recorded_by_id) == (True, "recorded", gz_admin.pk)
    assert (found.evidence, found.observed_on) == (EVIDENCE, today())
    # The city's own admin does not confirm its record.
    assert admin.post(page, {"action": "confirm", "pk": found.pk}).status_code == 403

    parent = web("gd-gz", tree["gd_admin"])
    above = parent.get(page).content.decode()
    assert 'data-testid="confirm-sign"' in above and 'data-testid="record-sign"' not in above
    assert parent.post(page, sign).status_code == 403
    confirmed = parent.post(page, {"action": "confirm", "pk": found.pk}, follow=True)
    assert confirmed.redirect_chain[-1][0] == page
    assert "state-confirmed" in confirmed.content.decode()
    assert 'data-testid="confirm-sign"' not in confirmed.content.decode()
    found.refresh_from_db()
    assert (found.state, found.checked_by_id) == ("confirmed", tree["gd_admin"].pk)
    # The auditor reads the page and neither records nor checks.
    audited = web("gd-gz", tree["auditor"]).get(page).content.decode()
    assert 'data-testid="record-' not in audited and 'data-testid="confirm-' not in audited


def test_the_homes_page_shows_the_standard(tree, web):
    home = home_of("gd")
    url = f"/homes/{home.pk}/"
    before = web("gd").get(url).content.decode()
    assert 'data-testid="home-standard"' in before
    assert badge(before) == shown("Not yet meeting the standard")
    assert before.count("✓") == 0
    meet_the_standard("gd", home, tree["gd_admin"], tree["central_admin"])
    after = web("gd", tree["youth"]).get(url).content.decode()
    assert 'data-testid="home-standard"' in after
    assert badge(after) == shown("Meets the standard")
    assert after.count("✓") == len(ITEMS)


# ---------------------------------------------------------------- the rollup


@pytest.fixture
def homes_tree(tree):
    """A home of Guangzhou meeting the standard, one of Beijing with a record awaiting the
    check, and one of Guangdong withdrawn (counted nowhere)."""
    gz_admin = factories.staff(tree.gz, "admin")
    gz = home_of("gd-gz", name="越秀青年之家")
    meet_the_standard("gd-gz", gz, gz_admin, tree["gd_admin"])
    bj = home_of("bj", name="东城青年之家")
    with in_schema("bj"):
        record(bj, "sign", tree["bj_admin"])
    hidden = home_of("gd", name="韶关青年之家")
    with in_schema("gd"):
        services.change_home(home=hidden, is_published=False)
    tree.homes = {"gz": gz, "bj": bj, "hidden": hidden}
    return tree


def test_the_dashboards_count_the_homes_of_the_subtree(homes_tree, web, api):
    tree = homes_tree
    nation = {"homes": 2, "meeting": 1, "awaiting": 1}
    guangdong = {"homes": 1, "meeting": 1, "awaiting": 0}
    console = api(None, tree["central_admin"])
    assert console.get("/api/v1/reports/overview/").json()["homes"] == nation
    assert console.get("/api/v1/reports/overview/", {"node": "gd"}).json()["homes"] == guangdong
    assert console.get("/api/v1/reports/overview/", {"node": "bj"}).json()["homes"] == {
        "homes": 1,
        "meeting": 0,
        "awaiting": 1,
    }
    portal = api("gd", tree["gd_admin"]).get("/api/v1/reports/overview/").json()
    assert portal["totals"]["code"] == "gd" and portal["homes"] == guangdong
    city = api("gd-gz", tree["gz_cadre"]).get("/api/v1/reports/overview/").json()
    assert city["homes"] == guangdong

    for browser, query, counts in [
        (web("gd", tree["gd_admin"]), {}, guangdong),
        (web(None, tree["central_admin"]), {}, nation),
        (web(None, tree["central_admin"]), {"node": "gd"}, guangdong),
    ]:
        response = browser.get("/reports/", query)
        assert response.status_code == 200
        page = response.content.decode()
        assert 'data-testid="home-figures"' in page
        assert (tile(page, "homes-count"), tile(page, "homes-meeting")) == (
            counts["homes"],
            counts["meeting"],
        ), query


def test_the_nations_map_on_the_console(homes_tree, api, web):
    tree = homes_tree
    gz, bj = tree.homes["gz"], tree.homes["bj"]
    url = "/api/v1/reports/homes/map/"
    found = api(None, tree["central_admin"]).get(url, {"node": "central"})
    assert found.status_code == 200, found.content
    body = found.json()
    assert body["total"] == 2 and body["cells"] == []
    assert [(p["id"], p["name"], p["committee"], p["meets_standard"]) for p in body["points"]] == [
        (gz.pk, "越秀青年之家", "gd-gz", True),
        (bj.pk, "东城青年之家", "bj", False),
    ]
    # On the console each home is linked on its own portal.
    assert body["points"][0]["url"] == f"http://gd-gz.{settings.BASE_DOMAIN}/homes/{gz.pk}/"
    assert body["points"][1]["url"] == f"http://bj.{settings.BASE_DOMAIN}/homes/{bj.pk}/"
    guangdong = api(None, tree["central_admin"]).get(url, {"node": "gd"}).json()
    assert [p["name"] for p in guangdong["points"]] == ["越秀青年之家"]
    province = api(None, tree["gd_admin"])
    assert [p["name"] for p in province.get(url, {"node": "gd"}).json()["points"]] == [
        "越秀青年之家"
    ]
    assert_error(province.get(url, {"node": "bj"}), 403, "permission_denied")
    assert_error(province.get(url, {"node": "central"}), 403, "permission_denied")
    assert_error(api(None, tree["youth"]).get(url, {"node": "central"}), 403, "permission_denied")
    assert_error(api(None).get(url, {"node": "central"}), 401, "not_authenticated")

    response = web(None, tree["central_admin"]).get("/reports/homes/")
    assert response.status_code == 200
    page = response.content.decode()
    assert (tile(page, "homes-count"), tile(page, "homes-meeting")) == (2, 1)
    assert 'data-testid="home-map"' in page and f"{url}?node=central" in page
    assert web(None, tree["youth"]).get("/reports/homes/").status_code == 403
