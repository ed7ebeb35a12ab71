"""The synonym list (同义词表): central versions, committees' additions merged down the tree,
the list in force per process, the API's permissions and errors, and the pages."""

import threading
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_tenants.utils import schema_context

from core.errors import ServiceError
from franchise import services, synonyms
from franchise.models import LocalSynonyms, SynonymList
from franchise.text import SEED, groups_of
from tests.core.helpers import ANON, assert_error

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def problems(raw) -> list[str]:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        synonyms.clean_groups(raw)
    return caught.value.message_dict["groups"]


# --- Reading and checking a list ----------------------------------------------------------


def test_text_and_lists_read_alike_normalised_and_lower_cased():
    text = "医保  医疗保险\n\n  ＷＩＦＩ 无线网 Wifi\n"
    assert synonyms.clean_groups(text) == [("医保", "医疗保险"), ("wifi", "无线网")]
    assert synonyms.clean_groups([["医保", "医疗保险"], ["ＷＩＦＩ", "无线网"]]) == [
        ("医保", "医疗保险"),
        ("wifi", "无线网"),
    ]
    assert synonyms.clean_groups(text) == groups_of(text)
    assert synonyms.clean_groups("") == []


def test_a_group_needs_two_different_words():
    assert problems("医保 医疗保险\n挂科\n") == ["第 2 行：一组至少需要两个不同的词。"]
    assert problems([["丢", "丢", "ＡＢ", "ab"][:2]]) == ["第 1 组：一组至少需要两个不同的词。"]


def test_words_are_short_and_have_no_space_inside():
    long_word = "青" * 21
    assert problems(f"{long_word} 青年") == [f"第 1 行：“{long_word}”超过 20 个字。"]
    assert synonyms.clean_groups([["青" * 20, "青年"]]) == [("青" * 20, "青年")]
    # A full-width space reads as a space (NFKC): no word may hold one.
    assert problems([["公务员　考试", "考公"]]) == [
        "第 1 组：“公务员 考试”中间有空格，一个词里不能有空格。"
    ]
    assert problems([["", "考公"]]) == ["第 1 组：有一个词是空的。"]


def test_a_word_is_in_one_group_only_and_every_problem_is_told():
    found = problems("丢 不见\n医保 医疗保险\n弄丢 丢\n挂科\n")
    assert found == [
        "第 3 行：“丢”也在第 1 行，一个词只能属于一组。",
        "第 4 行：一组至少需要两个不同的词。",
    ]


def test_at_most_two_thousand_groups():
    many = [[f"词{n}a", f"词{n}b"] for n in range(2001)]
    assert problems(many) == ["最多 2000 组，本表有 2001 组。"]
    assert len(synonyms.clean_groups(many[:2000])) == 2000


def test_merging_extends_central_groups_and_joins_those_a_local_group_bridges():
    central = [("不见", "丢"), ("医保", "医疗保险")]
    assert synonyms.merged(central, [("丢", "掉了")]) == [
        ("不见", "丢", "掉了"),
        ("医保", "医疗保险"),
    ]
    assert synonyms.merged(central, [("丢", "医保")]) == [("不见", "丢", "医保", "医疗保险")]
    assert synonyms.merged(central, [("团员", "共青团员")], [("入团", "团员")]) == [
        ("不见", "丢"),
        ("医保", "医疗保险"),
        ("团员", "共青团员", "入团"),
    ]


def test_changes_between_versions():
    added, removed = synonyms.changes(
        [("丢", "不见"), ("医保", "医疗保险")], [("不见", "丢"), ("医保", "社保")]
    )
    assert added == [("医保", "社保")]
    assert removed == [("医保", "医疗保险")]


# --- Versions and additions ---------------------------------------------------------------


def test_version_one_is_the_seed_list_and_each_save_is_a_new_version(tree):
    first = SynonymList.objects.get()
    assert first.version == 1
    assert [tuple(group) for group in first.groups] == list(SEED.groups)
    admin = tree["central_admin"]
    second = services.publish("丢 不见\n医保 医疗保险", note="精简", author=admin)
    third = services.publish([["丢", "不见", "掉了"]], note="", author=admin)
    assert (second.version, third.version) == (2, 3)
    assert second.saved_by == admin and second.note == "精简"
    assert SynonymList.objects.get(version=1).groups == first.groups  # old versions stay
    added, removed = synonyms.version_changes(third)
    assert added == [("丢", "不见", "掉了")]
    assert removed == [("丢", "不见"), ("医保", "医疗保险")]
    assert synonyms.thesaurus_for(None).groups == (("丢", "不见", "掉了"),)


def test_a_refused_list_saves_nothing(tree):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as empty:
        services.publish("\n", note="", author=tree["central_admin"])
    assert empty.value.message_dict["groups"] == ["中央词表至少需要一组词。"]
    with pytest.raises(ValidationError):
        services.publish("丢", note="", author=tree["central_admin"])
    with pytest.raises(ValidationError):
        services.set_local(tree.gd, "丢 不见\n不见 掉了", author=tree["gd_admin"])
    assert SynonymList.objects.count() == 1
    assert not LocalSynonyms.objects.exists()


def test_additions_apply_to_the_committee_and_those_below_it(tree):
    services.publish("不见 丢\n医保 医疗保险", author=tree["central_admin"])
    services.set_local(tree.gd, "丢 掉了\n粤通卡 高速卡", author=tree["gd_admin"])
    services.set_local(tree.gz, "穗康码 健康码", author=tree["gd_admin"])
    assert synonyms.thesaurus_for(tree.gz).groups == (
        ("不见", "丢", "掉了"),
        ("医保", "医疗保险"),
        ("粤通卡", "高速卡"),
        ("穗康码", "健康码"),
    )
    assert synonyms.thesaurus_for(tree.gd).alike("丢") == ("不见", "掉了")
    assert synonyms.thesaurus_for(tree.gd).alike("穗康码") == ()
    assert synonyms.thesaurus_for(tree.bj).alike("丢") == ("不见",)
    assert synonyms.thesaurus_for(tree.central).alike("粤通卡") == ()
    assert synonyms.thesaurus_for(None).alike("粤通卡") == ()


def test_saving_additions_again_replaces_them_and_counts_the_version(tree):
    first = services.set_local(tree.gd, "粤通卡 高速卡", author=tree["gd_admin"])
    second = services.set_local(tree.gd, [], author=tree["gd_cadre"])
    assert (first.version, second.version) == (1, 2)
    assert second.groups == [] and second.updated_by == tree["gd_cadre"]
    assert LocalSynonyms.objects.count() == 1
    assert synonyms.thesaurus_for(tree.gd).alike("粤通卡") == ()


def test_the_central_office_has_no_local_additions(tree):
    with pytest.raises(ServiceError) as refused:
        services.set_local(tree.central, "丢 不见", author=tree["central_admin"])
    assert refused.value.field == "groups"


# --- The list in force, per process -------------------------------------------------------


def test_current_reads_the_list_of_the_connections_committee(tree):
    services.set_local(tree.gd, "粤通卡 高速卡", author=tree["gd_admin"])
    assert synonyms.current().alike("粤通卡") == ()  # the public schema: central alone
    with schema_context("gd"):  # django-tenants' schema context (no committee row)
        assert synonyms.current().alike("粤通卡") == ("高速卡",)
    connection.set_tenant(tree.gz)  # as the tenant middleware sets it
    assert synonyms.current().alike("高速卡") == ("粤通卡",)
    connection.set_tenant(tree.bj)
    assert synonyms.current().alike("高速卡") == ()


def test_an_edit_is_seen_by_current_at_once_in_this_process(tree):
    connection.set_tenant(tree.gd)
    before = synonyms.current()
    assert before.alike("丢") == ("不见", "丢失", "弄丢", "遗失")  # the seed list, version 1
    services.publish("丢 掉了", author=tree["central_admin"])
    assert synonyms.current().alike("丢") == ("掉了",)
    services.set_local(tree.gd, "掉了 找不到", author=tree["gd_admin"])
    assert synonyms.current().alike("丢") == ("掉了", "找不到")
    assert before.alike("丢") != synonyms.current().alike("丢")


def test_a_warm_call_costs_no_query_and_a_check_one_without_building_again(tree):
    connection.set_tenant(tree.gz)
    with time_machine.travel(NOW, tick=False) as clock:
        built = synonyms.current()
        with CaptureQueriesContext(connection) as queries:
            assert synonyms.current() is built
        assert len(queries) == 0
        clock.shift(synonyms.RECHECK_S + 0.5)
        with CaptureQueriesContext(connection) as queries:
            assert synonyms.current() is built  # the versions did not change: not rebuilt
        assert len(queries) == 1


def test_another_processs_edit_is_seen_within_the_recheck_interval(tree):
    connection.set_tenant(tree.gd)
    with time_machine.travel(NOW, tick=False) as clock:
        assert synonyms.current().alike("粤通卡") == ()
        # Saved by another process: this one heard nothing of it.
        LocalSynonyms.objects.create(committee=tree.gd, groups=[["粤通卡", "高速卡"]])
        SynonymList.objects.create(version=2, groups=[["丢", "掉了"]])
        assert synonyms.current().alike("粤通卡") == ()
        clock.shift(synonyms.RECHECK_S + 0.1)
        assert synonyms.current().alike("粤通卡") == ("高速卡",)
        assert synonyms.current().alike("丢") == ("掉了",)


def test_the_seed_list_applies_when_no_version_is_stored(tree):
    SynonymList.objects.all().delete()
    synonyms.lists.forget()
    assert synonyms.thesaurus_for(tree.gd) == SEED


# --- The API ------------------------------------------------------------------------------

CONSOLE_READERS = {"central_admin", "auditor"}


@pytest.mark.parametrize(
    "who", [ANON, "youth", "gd_admin", "gd_cadre", "bj_admin", "auditor", "central_admin"]
)
def test_the_central_list_is_for_the_central_office(tree, api, who):
    client = api(None, None if who == ANON else tree[who])
    body = {"groups": [["丢", "不见"]], "note": "试"}
    responses = {
        "get": client.get("/api/v1/synonyms/"),
        "versions": client.get("/api/v1/synonyms/versions/"),
        "version": client.get("/api/v1/synonyms/versions/1/"),
        "put": client.put("/api/v1/synonyms/", body, format="json"),
    }
    if who == ANON:
        for response in responses.values():
            assert_error(response, 401, "not_authenticated")
        return
    for name in ("get", "versions", "version"):
        if who in CONSOLE_READERS:
            assert responses[name].status_code == 200, (name, responses[name].content)
        else:
            assert_error(responses[name], 403, "permission_denied")
    if who == "central_admin":
        assert responses["put"].status_code == 200
        assert responses["put"].json()["version"] == 2
    else:
        assert responses["put"].status_code == 403
        assert list(responses["put"].json()) == ["error"]
        assert SynonymList.objects.count() == 1


def test_the_central_admin_saves_reads_and_compares_versions(tree, api):
    client = api(None, tree["central_admin"])
    saved = client.put(
        "/api/v1/synonyms/", {"groups": "丢 不见\n医保 医疗保险", "note": "精简"}, format="json"
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["groups"] == [["丢", "不见"], ["医保", "医疗保险"]]
    now = client.get("/api/v1/synonyms/").json()
    assert now["version"] == 2 and now["note"] == "精简" and now["group_count"] == 2
    assert now["saved_by"] == str(tree["central_admin"])
    listed = client.get("/api/v1/synonyms/versions/", {"page_size": 1}).json()
    assert listed["count"] == 2
    assert [row["version"] for row in listed["results"]] == [2]
    assert "groups" not in listed["results"][0]
    detail = client.get("/api/v1/synonyms/versions/2/").json()
    assert detail["added"] == [["丢", "不见"]]  # 医保 医疗保险 was in version 1 as it is
    assert ["医保", "医疗保险"] in detail["groups"]
    assert ["不见", "丢", "丢失", "弄丢", "遗失"] in detail["removed"]
    assert ["社保", "社会保险"] in detail["removed"]
    assert ["医保", "医疗保险"] not in detail["removed"]
    first = client.get("/api/v1/synonyms/versions/1/").json()
    assert first["removed"] == [] and len(first["added"]) == len(SEED.groups)


def test_bad_input_to_the_central_list_is_in_the_one_error_shape(tree, api):
    client = api(None, tree["central_admin"])
    for body in ({"groups": 5}, {"groups": [["丢", 3]]}, {"groups": [None]}, {}):
        error = assert_error(client.put("/api/v1/synonyms/", body, format="json"), 400, "invalid")
        assert list(error["fields"]) == ["groups"], body
    error = assert_error(
        client.put(
            "/api/v1/synonyms/",
            {"groups": [["丢", "不见"], ["不见", "掉了"]]},
            format="json",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        ),
        400,
        "invalid",
    )
    assert error["fields"]["groups"] == ["第 2 组：“不见”也在第 1 组，一个词只能属于一组。"]
    long_note = {"groups": "丢 不见", "note": "注" * 201}
    error = assert_error(client.put("/api/v1/synonyms/", long_note, format="json"), 400, "invalid")
    assert list(error["fields"]) == ["note"]
    assert_error(client.get("/api/v1/synonyms/versions/9/"), 404, "not_found")
    assert_error(client.get("/api/v1/synonyms/versions/", {"page": 5}), 404, "not_found")
    assert_error(client.get("/api/v1/synonyms/versions/", {"page": "٣"}), 400, "invalid")
    assert_error(client.get("/api/v1/synonyms/versions/٣/"), 404, "not_found")
    assert SynonymList.objects.count() == 1


# who: (may read on gd, may change gd's additions)
PORTAL = {
    ANON: (401, 401),
    "youth": (403, 403),
    "gd_expert": (200, 403),
    "gd_cadre": (200, 403),
    "gd_admin": (200, 200),
    "gz_cadre": (403, 403),
    "bj_admin": (403, 403),  # another committee's admin
    "central_admin": (200, 403),  # reads from above, changes nothing here
    "auditor": (200, 403),
}


@pytest.mark.parametrize("who", list(PORTAL))
def test_a_committees_additions_are_its_admins(tree, api, who):
    read, change = PORTAL[who]
    client = api("gd", None if who == ANON else tree[who])
    for url in ("/api/v1/synonyms/", "/api/v1/synonyms/local/"):
        response = client.get(url)
        assert response.status_code == read, (url, response.content)
        if read != 200:
            assert list(response.json()) == ["error"]
    response = client.put("/api/v1/synonyms/local/", {"groups": "粤通卡 高速卡"}, format="json")
    assert response.status_code == change, response.content
    assert LocalSynonyms.objects.filter(committee=tree.gd).exists() == (change == 200)


def test_an_admin_above_does_not_change_the_additions_below(tree, api):
    response = api("gd-gz", tree["gd_admin"]).put(
        "/api/v1/synonyms/local/", {"groups": "穗康码 健康码"}, format="json"
    )
    assert_error(response, 403, "permission_denied")
    assert not LocalSynonyms.objects.exists()


def test_a_committees_admin_reads_the_merged_list_and_replaces_its_additions(tree, api):
    services.publish("不见 丢\n医保 医疗保险", author=tree["central_admin"])
    services.set_local(tree.gd, "丢 掉了", author=tree["gd_admin"])
    client = api("gd-gz", factories_admin(tree))
    saved = client.put("/api/v1/synonyms/local/", {"groups": [["穗康码", "健康码"]]}, format="json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == 1 and saved.json()["committee"] == "gd-gz"
    body = client.get("/api/v1/synonyms/").json()
    assert body["central_version"] == 2
    assert body["groups"] == [["不见", "丢", "掉了"], ["医保", "医疗保险"], ["穗康码", "健康码"]]
    assert body["additions"] == [
        {"committee": "gd", "groups": [["丢", "掉了"]]},
        {"committee": "gd-gz", "groups": [["穗康码", "健康码"]]},
    ]
    local = client.get("/api/v1/synonyms/local/").json()
    assert local["groups"] == [["穗康码", "健康码"]]
    empty = api("bj", tree["bj_admin"]).get("/api/v1/synonyms/local/").json()
    assert empty == {
        "committee": "bj",
        "groups": [],
        "version": 0,
        "updated_at": None,
        "updated_by": None,
    }


def factories_admin(tree):
    from tests import factories

    return factories.staff(tree.gz, "admin")


def test_bad_input_to_a_committees_additions_is_in_the_one_error_shape(tree, api):
    client = api("gd", tree["gd_admin"])
    for body in ({"groups": {"a": 1}}, {"groups": [["丢"], "x"]}, {}):
        error = assert_error(
            client.put("/api/v1/synonyms/local/", body, format="json"), 400, "invalid"
        )
        assert list(error["fields"]) == ["groups"]
    error = assert_error(
        client.put(
            "/api/v1/synonyms/local/",
            {"groups": "粤通卡"},
            format="json",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        ),
        400,
        "invalid",
    )
    assert error["fields"]["groups"] == ["第 1 行：一组至少需要两个不同的词。"]
    central = api("central", tree["central_admin"]).put(
        "/api/v1/synonyms/local/", {"groups": "丢 不见"}, format="json"
    )
    assert_error(central, 400, "central_list")
    assert not LocalSynonyms.objects.exists()


# --- Pages --------------------------------------------------------------------------------


def test_the_central_admin_saves_a_version_on_the_console_page(tree, web):
    browser = web(None, tree["central_admin"])
    page = browser.get("/synonyms/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "同义词表" in html and "医保 医疗保险" in html and 'data-testid="version-1"' in html
    saved = browser.post("/synonyms/", {"text": "丢 不见 掉了\n医保 医疗保险", "note": "加一个"})
    assert saved.status_code == 302
    assert SynonymList.objects.get(version=2).groups == [
        ["丢", "不见", "掉了"],
        ["医保", "医疗保险"],
    ]
    html = browser.get("/synonyms/").content.decode()
    assert 'data-testid="version-2"' in html and "加一个" in html
    refused = browser.post("/synonyms/", {"text": "丢 不见\n不见 掉了", "note": ""})
    assert refused.status_code == 200
    assert "一个词只能属于一组" in refused.content.decode()
    assert SynonymList.objects.count() == 2


def test_the_console_page_is_for_the_central_office(tree, web):
    assert web(None).get("/synonyms/").status_code == 302  # to log in
    for who in ("youth", "gd_admin", "bj_admin"):
        assert web(None, tree[who]).get("/synonyms/").status_code == 403
    auditor = web(None, tree["auditor"])
    page = auditor.get("/synonyms/")
    assert page.status_code == 200 and 'data-testid="read-only"' in page.content.decode()
    assert auditor.post("/synonyms/", {"text": "丢 不见"}).status_code == 403
    assert SynonymList.objects.count() == 1


def test_a_committees_admin_edits_its_additions_on_its_page(tree, web):
    services.set_local(tree.gd, "粤通卡 高速卡", author=tree["gd_admin"])
    admin = web("gd-gz", factories_admin(tree))
    page = admin.get("/workbench/synonyms/").content.decode()
    assert "粤通卡 · 高速卡" in page and "共青团广东省委" in page  # inherited, read-only
    assert 'name="text"' in page
    saved = admin.post("/workbench/synonyms/", {"text": "穗康码 健康码"})
    assert saved.status_code == 302
    assert LocalSynonyms.objects.get(committee=tree.gz).groups == [["穗康码", "健康码"]]
    cadre = web("gd", tree["gd_cadre"])
    page = cadre.get("/workbench/synonyms/").content.decode()
    assert 'data-testid="read-only"' in page and 'name="text"' not in page
    assert cadre.post("/workbench/synonyms/", {"text": "丢 不见"}).status_code == 403
    assert web("gd", tree["bj_admin"]).get("/workbench/synonyms/").status_code == 403
    assert web("gd", tree["youth"]).get("/workbench/synonyms/").status_code == 403
    assert web("gd").get("/workbench/synonyms/").status_code == 302
    assert LocalSynonyms.objects.get(committee=tree.gd).groups == [["粤通卡", "高速卡"]]


def test_the_schemas_document_the_synonym_endpoints(tree, api):
    console = api(None).get("/api/v1/schema/?format=json").json()
    put = console["paths"]["/api/v1/synonyms/"]["put"]
    body = put["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    groups = console["components"]["schemas"][body]["properties"]["groups"]
    assert [way["type"] for way in groups["oneOf"]] == ["array", "string"]
    assert {"/api/v1/synonyms/versions/", "/api/v1/synonyms/versions/{version}/"} <= set(
        console["paths"]
    )
    portal = api("gd").get("/api/v1/schema/?format=json").json()["paths"]
    assert {"get", "put"} <= set(portal["/api/v1/synonyms/local/"])
    assert set(portal["/api/v1/synonyms/"]) == {"get"}
    assert "/api/v1/synonyms/versions/" not in portal


def test_the_admin_reads_the_versions_and_additions_without_changing_them(tree, web):
    services.set_local(tree.gd, "粤通卡 高速卡", author=tree["gd_admin"])
    admin = web(None, tree["central_admin"])
    versions = admin.get("/admin/franchise/synonymlist/")
    assert versions.status_code == 200 and "同义词表版本" in versions.content.decode()
    row = SynonymList.objects.get()
    assert admin.get(f"/admin/franchise/synonymlist/{row.pk}/change/").status_code == 200
    assert admin.get("/admin/franchise/synonymlist/add/").status_code == 403
    local = LocalSynonyms.objects.get()
    assert admin.get(f"/admin/franchise/localsynonyms/{local.pk}/delete/").status_code == 403
    assert admin.get("/admin/franchise/localsynonyms/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_saves_at_the_same_time_are_numbered_one_after_the_other():
    from tests import factories

    central = factories.committee("central", level="central")
    committee = factories.committee("gd", level="province", parent=central)
    author = factories.account(name="管理员")
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def save(n: int) -> None:
        try:
            start.wait()
            if n % 2:
                services.publish(f"词{n} 同{n}", author=author)
            else:
                services.set_local(committee, f"词{n} 同{n}", author=author)
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connections.close_all()

    try:
        threads = [threading.Thread(target=save, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not failures, failures
        assert sorted(SynonymList.objects.values_list("version", flat=True)) == [1, 2, 3]
        assert LocalSynonyms.objects.get(committee=committee).version == 2
    finally:
        from tenants import services as committees

        committees.remove_committee(committee=committee)
        committees.remove_committee(committee=central)
