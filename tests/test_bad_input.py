"""Unusual but ordinary input gets a clear 4xx on pages and in the API, never a 500: control
characters, numbers in other digit scripts, over-long values, wrong JSON types, pages past
the end. Numbers are taken written with 0–9 only, as the URL patterns take them."""

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from qa import services as qa
from tests.conftest import host
from tests.core.helpers import assert_error
from tests.reporting.helpers import answer, ask

# Superscript two, circled one, full-width three, Arabic-Indic three, Devanagari four.
OTHER_DIGITS = ["²", "①", "３", "٣", "४"]
CONTROL = ["\x00", "\x01", "\x1b", "\x7f", "\x85"]


def api(code, user=None) -> APIClient:
    from rest_framework_simplejwt.tokens import RefreshToken

    client = APIClient(HTTP_HOST=host(code), raise_request_exception=False)
    if user is not None:
        token = RefreshToken.for_user(user).access_token
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def web(code, user=None) -> Client:
    browser = Client(HTTP_HOST=host(code), raise_request_exception=False)
    if user is not None:
        browser.force_login(user)
    return browser


@pytest.fixture
def answered(tree):
    question = ask("gd", tree["youth"])
    answer("gd", question, tree["gd_cadre"])
    return question


@override_settings(DEBUG=False)
@pytest.mark.parametrize("char", CONTROL)
def test_control_characters_anywhere_are_a_400(tree, answered, char):
    client = api("gd")
    error = assert_error(
        client.get("/api/v1/questions/", {"q": f"a{char}b"}), 400, "control_character"
    )
    assert list(error["fields"]) == ["q"]
    assert_error(client.get("/api/v1/questions/", {f"x{char}": "1"}), 400, "control_character")
    assert_error(client.get(f"/api/v1/questions/{char}/"), 400, "control_character")
    body = {"phone": f"1380000{char}0000", "password": "x"}
    error = assert_error(
        client.post("/api/v1/auth/token/", body, format="json"), 400, "control_character"
    )
    assert list(error["fields"]) == ["phone"]
    nested = {"title": "ok", "body": "ok", "extra": [{"deep": f"x{char}"}]}
    error = assert_error(
        client.post("/api/v1/questions/classify/", nested, format="json"), 400, "control_character"
    )
    assert list(error["fields"]) == ["extra.0.deep"]
    assert_error(client.post("/api/v1/auth/token/", body), 400, "control_character")  # a form
    assert_error(
        client.get("/api/v1/portal/", HTTP_USER_AGENT=f"agent{char}"), 400, "control_character"
    )
    for response in (
        web("gd").get("/questions/", {"q": f"a{char}b"}),
        web("gd").post("/accounts/login/", body),
    ):
        assert response.status_code == 400
        assert "控制字符" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_nul_in_the_session_cookie_is_a_400_not_a_database_error(tree):
    browser = web("gd")
    browser.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert browser.get("/").status_code == 400
    client = api("gd")
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert_error(client.get("/api/v1/me/"), 400, "control_character")


@override_settings(DEBUG=False)
def test_a_lone_surrogate_in_json_is_a_400(tree):
    raw = '{"title": "\\ud800", "body": ""}'
    response = api("gd").post("/api/v1/questions/classify/", raw, content_type="application/json")
    assert_error(response, 400, "control_character")


@override_settings(DEBUG=False)
@pytest.mark.parametrize("digit", OTHER_DIGITS)
def test_numbers_in_other_digit_scripts_are_refused_everywhere(tree, answered, digit):
    staff = api("gd", tree["gd_admin"])
    for params in ({"page": digit}, {"page_size": digit}, {"page": f"1{digit}"}):
        error = assert_error(api("gd").get("/api/v1/questions/", params), 400, "invalid")
        assert list(error["fields"]) == list(params)
    assert_error(staff.get("/api/v1/members/", {"team": digit}), 400, "invalid")
    console = api(None, tree["central_admin"])
    assert_error(console.get("/api/v1/reports/overview/", {"days": digit}), 400, "invalid")
    assert_error(
        console.get("/api/v1/reports/overview/", {"start": f"202{digit}-01-01"}), 400, "invalid"
    )
    question = qa_question(tree)
    asker = api("gd", tree["youth"])
    rated = asker.post(f"/api/v1/questions/{question.pk}/rating/", {"stars": digit}, format="json")
    assert_error(rated, 400, "invalid")
    assigned = staff.post(
        f"/api/v1/questions/{question.pk}/assign/", {"assignee": f"{digit}"}, format="json"
    )
    assert_error(assigned, 400, "invalid")
    marked = asker.post("/api/v1/notifications/read/", {"ids": [digit]}, format="json")
    assert_error(marked, 400, "invalid")
    # A path takes 0–9 only too: it is not an address on the platform.
    assert_error(asker.get(f"/api/v1/questions/{digit}/"), 404, "not_found")


def qa_question(tree):
    from django_tenants.utils import tenant_context

    with tenant_context(tree.gd):
        question = qa.ask_question(asker=tree["youth"], title="实习期间受伤怎么办", body="")
        qa.answer(question=question, author=tree["gd_cadre"], body="找单位协商")
        qa.solve(question=question, asker=tree["youth"])
    return question


@override_settings(DEBUG=False)
def test_numbers_from_other_scripts_in_page_forms_are_refused_too(tree, answered):
    admin = web("gd", tree["gd_admin"])
    response = admin.post("/workbench/setup/", {"action": "delete:team", "pk": "٣"})
    assert response.status_code == 400
    assert "0–9" in response.content.decode()
    response = admin.post(
        "/workbench/setup/",
        {
            "action": "add:deadline",
            "deadline-category": "study",
            "deadline-first_response_days": "２",
            "deadline-resolution_days": "4",
        },
    )
    assert response.status_code == 200
    assert "0–9" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_page_of_a_listing_on_a_page_never_fails(tree, answered):
    """Pages show the first page for what is no page number, the last for one past it."""
    for value in ("²", "abc", "0", "-1", "99999999999999999999999", "３"):
        assert web("gd").get("/questions/", {"page": value}).status_code == 200


@override_settings(DEBUG=False)
def test_pages_past_the_end_and_sizes_out_of_range(tree, answered):
    client = api("gd")
    assert_error(client.get("/api/v1/questions/", {"page": "99"}), 404, "not_found")
    for params in ({"page": "0"}, {"page_size": "0"}, {"page_size": "101"}, {"page": "abc"}):
        assert_error(client.get("/api/v1/questions/", params), 400, "invalid")
    assert client.get("/api/v1/questions/", {"page": "1", "page_size": "100"}).status_code == 200


@override_settings(DEBUG=False)
def test_over_long_values_are_a_400(tree, answered):
    client = api("gd")
    assert_error(client.get("/api/v1/questions/", {"q": "保险" * 51}), 400, "invalid")
    assert_error(client.get("/api/v1/questions/similar/", {"title": "x" * 201}), 400, "invalid")
    assert client.get("/api/v1/questions/", {"q": "保险" * 50}).status_code == 200
    assert web("gd").get("/questions/", {"q": "保险" * 51}).status_code == 400
    console = api(None, tree["central_admin"])
    assert_error(console.get("/api/v1/committees/", {"parent": "x" * 65}), 400, "invalid")
    assert_error(console.get("/api/v1/reports/overview/", {"node": "x" * 65}), 400, "invalid")
    # The dashboard names the bad filter and shows the defaults, without the bad node.
    dashboard = web(None, tree["central_admin"]).get("/reports/", {"node": "x" * 65})
    assert dashboard.status_code == 302 and dashboard["Location"] == "/reports/"


@override_settings(DEBUG=False)
def test_wrong_json_types_are_a_400(tree, answered):
    youth = api("gd", tree["youth"])
    for body in (
        {"title": ["a list"]},
        {"title": {"an": "object"}},
        {"title": "t", "is_public": "maybe"},
        {"title": "t", "category": 7},
    ):
        assert youth.post("/api/v1/questions/", body, format="json").status_code == 400, body
    for body in ([1, 2], "a string", 12, None):
        response = youth.post("/api/v1/questions/classify/", body, format="json")
        assert_error(response, 400, "invalid")
    for ids in ("abc", [True], [1.5], [{"id": 1}], [-1], [2**63]):
        response = youth.post("/api/v1/notifications/read/", {"ids": ids}, format="json")
        assert_error(response, 400, "invalid")
    assert youth.post("/api/v1/notifications/read/", {"ids": [1]}, format="json").status_code == 200


@override_settings(DEBUG=False)
def test_a_bad_id_posted_from_a_page_is_a_clear_answer(tree, answered):
    asker = web("gd", tree["youth"])
    response = asker.post(f"/questions/{answered.pk}/", {"action": "dislike", "reply": "abc"})
    assert response.status_code == 400
    cadre = web("gd", tree["gd_cadre"])
    response = cadre.post(
        f"/workbench/questions/{answered.pk}/", {"action": "assign", "assignee": "x"}, follow=True
    )
    assert response.status_code == 200
    assert "请从列表中选择" in response.content.decode()
