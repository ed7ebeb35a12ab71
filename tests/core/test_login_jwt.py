"""Logging in with a mobile number and password; JWTs that work on every committee's domain."""

from datetime import timedelta

import pytest
import time_machine
from captcha.models import CaptchaStore
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_redis import get_redis_connection

from core.models import User
from tests import factories

from .helpers import assert_error

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
LOGOUT = "/api/v1/auth/logout/"


def _login(client, phone, password=factories.PASSWORD, **extra):
    return client.post(TOKEN, {"phone": phone, "password": password}, format="json", **extra)


def _bearer(api, code, access):
    client = api(code)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def test_a_token_from_one_portal_works_on_every_portal_with_local_permissions(tree, api):
    cadre = tree["gd_cadre"]
    answer = _login(api("gd"), cadre.phone)
    assert answer.status_code == 200, answer.content
    tokens = answer.json()
    assert set(tokens) == {"access", "refresh"}

    on_gd = _bearer(api, "gd", tokens["access"]).get("/api/v1/me/")
    on_bj = _bearer(api, "bj", tokens["access"]).get("/api/v1/me/")
    on_console = _bearer(api, None, tokens["access"]).get("/api/v1/me/")
    assert on_gd.status_code == on_bj.status_code == on_console.status_code == 200
    accounts = [r.json()["account"] for r in (on_gd, on_bj, on_console)]
    assert {a["id"] for a in accounts} == {cadre.pk}
    assert accounts[0]["roles"] == [
        {"committee": "gd", "committee_name": "青年之声 · 广东", "kind": "cadre"}
    ]
    assert on_gd.json()["here"] == {"kinds": ["cadre"], "can_read": True, "can_write": True}
    assert on_bj.json()["here"] == {"kinds": [], "can_read": False, "can_write": False}
    assert on_console.json()["here"] is None
    # The same token may act on gd but not on bj.
    post = {"title": "通知", "body": "正文"}
    assert _bearer(api, "gd", tokens["access"]).post("/api/v1/notices/", post).status_code == 201
    refused = _bearer(api, "bj", tokens["access"]).post("/api/v1/notices/", post)
    assert_error(refused, 403, "permission_denied")


def test_a_province_admins_token_reads_the_city_below_but_does_not_write_there(tree, api):
    tokens = _login(api(None), tree["gd_admin"].phone).json()
    here = _bearer(api, "gd-gz", tokens["access"]).get("/api/v1/me/").json()["here"]
    assert here == {"kinds": [], "can_read": True, "can_write": False}
    here = _bearer(api, "gd", tokens["access"]).get("/api/v1/me/").json()["here"]
    assert here == {"kinds": ["admin"], "can_read": True, "can_write": True}


def test_login_accepts_a_formatted_number(tree, api):
    phone = tree["youth"].phone
    assert _login(api("gd"), f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}").status_code == 200


def test_wrong_password_and_unknown_number_get_the_same_refusal(tree, api):
    wrong = assert_error(
        _login(api("gd"), tree["youth"].phone, "not-it"), 401, "invalid_credentials"
    )
    unknown = assert_error(_login(api("gd"), factories.phone()), 401, "invalid_credentials")
    assert wrong["message"] == unknown["message"]  # does not tell which numbers have accounts
    assert_error(_login(api("gd"), "12345"), 400, "invalid_phone")
    assert_error(api("gd").post(TOKEN, {}, format="json"), 400, "invalid")


def test_a_deactivated_account_cannot_log_in_or_use_its_tokens(tree, api):
    user = factories.account()
    tokens = _login(api("gd"), user.phone).json()
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert_error(_login(api("gd"), user.phone), 401, "invalid_credentials")
    assert _bearer(api, "gd", tokens["access"]).get("/api/v1/me/").status_code == 401
    assert api("gd").post(REFRESH, {"refresh": tokens["refresh"]}).status_code == 401


def test_refresh_rotates_and_the_old_refresh_token_is_refused(tree, api):
    tokens = _login(api("gd"), tree["youth"].phone).json()
    rotated = api("bj").post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    assert rotated.status_code == 200, rotated.content
    fresh = rotated.json()
    assert set(fresh) == {"access", "refresh"}
    assert fresh["refresh"] != tokens["refresh"]
    assert fresh["access"] != tokens["access"]
    me = _bearer(api, "gd", fresh["access"]).get("/api/v1/me/")
    assert me.json()["account"]["id"] == tree["youth"].pk
    # Blacklisted after rotation, on every domain.
    for code in ("gd", "bj", None):
        assert_error(
            api(code).post(REFRESH, {"refresh": tokens["refresh"]}, format="json"),
            401,
            "token_not_valid",
        )
    # The new refresh token works (once).
    again = api("gd").post(REFRESH, {"refresh": fresh["refresh"]}, format="json")
    assert again.status_code == 200
    assert api("gd").post(REFRESH, {"refresh": fresh["refresh"]}).status_code == 401


def test_an_access_token_expires_and_the_refresh_token_gets_a_new_one(tree, api):
    tokens = _login(api("gd"), tree["youth"].phone).json()
    later = timezone.now() + settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"] + timedelta(minutes=1)
    with time_machine.travel(later):
        expired = _bearer(api, "gd", tokens["access"]).get("/api/v1/me/")
        assert_error(expired, 401, "token_not_valid")
        fresh = api("gd").post(REFRESH, {"refresh": tokens["refresh"]}, format="json").json()
        assert _bearer(api, "gd", fresh["access"]).get("/api/v1/me/").status_code == 200


def test_logout_blacklists_the_refresh_token(tree, api):
    tokens = _login(api("gd"), tree["youth"].phone).json()
    assert api("gd").post(LOGOUT, {"refresh": tokens["refresh"]}, format="json").status_code == 204
    assert_error(
        api("bj").post(REFRESH, {"refresh": tokens["refresh"]}, format="json"),
        401,
        "token_not_valid",
    )
    # Logging out twice, or with something that is not a token, is a clear refusal.
    error = assert_error(
        api("gd").post(LOGOUT, {"refresh": tokens["refresh"]}, format="json"), 401, "token_invalid"
    )
    assert list(error["fields"]) == ["refresh"]
    assert_error(
        api("gd").post(LOGOUT, {"refresh": "nonsense"}, format="json"), 401, "token_invalid"
    )
    # An access token is no refresh token.
    assert_error(
        api("gd").post(LOGOUT, {"refresh": tokens["access"]}, format="json"), 401, "token_invalid"
    )
    # Other sessions of the account are not logged out.
    other = _login(api("gd"), tree["youth"].phone).json()
    assert api("gd").post(REFRESH, {"refresh": other["refresh"]}, format="json").status_code == 200


def test_garbage_bearer_tokens_are_refused(tree, api):
    assert_error(_bearer(api, "gd", "not.a.token").get("/api/v1/me/"), 401, "token_not_valid")
    assert_error(api("gd").get("/api/v1/me/"), 401, "not_authenticated")
    # On a write too, where the read-only check looks at the token before the view does.
    refused = _bearer(api, "gd", "not.a.token").post("/api/v1/questions/", {}, format="json")
    assert_error(refused, 401, "token_not_valid")


def test_a_write_with_a_token_looks_its_account_up_once(tree, api):
    """The read-only check before the view and the view's own sign-in share one look-up."""
    youth = tree["youth"]
    access = _login(api("gd"), youth.phone).json()["access"]
    with CaptureQueriesContext(connection) as queries:
        answer = _bearer(api, "gd", access).post(
            "/api/v1/questions/", {"title": " "}, format="json"
        )
    assert_error(answer, 400, "invalid")  # signed in: the body, not the account, is refused
    lookups = [q["sql"] for q in queries if 'FROM "core_user"' in q["sql"]]
    assert len(lookups) == 1, lookups


def test_repeated_wrong_passwords_lock_the_number_even_for_the_right_password(tree, api, web):
    user = factories.account()
    client = api("gd")
    for attempt in range(settings.LOGIN_MAX_FAILURES):
        # From different addresses: the number is locked by itself.
        answer = _login(client, user.phone, "wrong-password", REMOTE_ADDR=f"10.0.0.{attempt}")
        assert_error(answer, 401, "invalid_credentials")
    locked = _login(client, user.phone, REMOTE_ADDR="10.9.9.9")
    assert_error(locked, 429, "too_many_attempts")
    # On every portal and on the login page too.
    assert_error(_login(api("bj"), user.phone), 429, "too_many_attempts")
    page = web("gd").post("/accounts/login/", {"phone": user.phone, "password": factories.PASSWORD})
    assert page.status_code == 200 and page.context["form"].non_field_errors()
    # Other numbers are not locked.
    assert _login(client, tree["youth"].phone, REMOTE_ADDR="10.9.9.9").status_code == 200
    # The count expires within the failure window.
    redis = get_redis_connection("default")
    key = f"{settings.CACHES['default']['KEY_PREFIX']}:rate:login-phone:{user.phone}"
    assert 0 < redis.ttl(key) <= settings.LOGIN_FAILURE_WINDOW_S


def test_failures_from_one_address_never_refuse_another_accounts_right_password(tree, api):
    """A campus network puts thousands behind one address: past the limit its logins need
    the picture challenge, and with it the right password still gets in."""
    client = api("gd")
    for _ in range(settings.LOGIN_CHALLENGE_AFTER_FAILURES_PER_ADDRESS):
        _login(client, factories.phone(), "wrong-password", REMOTE_ADDR="10.0.1.1")
    asked = assert_error(
        _login(client, tree["youth"].phone, REMOTE_ADDR="10.0.1.1"), 429, "challenge_required"
    )
    assert list(asked["fields"]) == ["challenge"]
    challenge = client.post("/api/v1/auth/challenges/", format="json")
    assert challenge.status_code == 201
    key = challenge.json()["key"]
    answer = CaptchaStore.objects.get(hashkey=key).response
    done = client.post(
        TOKEN,
        {
            "phone": tree["youth"].phone,
            "password": factories.PASSWORD,
            "challenge_key": key,
            "challenge_answer": answer,
        },
        format="json",
        REMOTE_ADDR="10.0.1.1",
    )
    assert done.status_code == 200, done.content
    # Another address is asked nothing.
    assert _login(client, tree["youth"].phone, REMOTE_ADDR="10.0.1.2").status_code == 200


def test_a_successful_login_clears_the_numbers_failures(tree, api):
    user = factories.account()
    client = api("gd")
    for round_ in range(2):
        ip = f"10.0.2.{round_}"
        for _ in range(settings.LOGIN_MAX_FAILURES - 1):
            _login(client, user.phone, "wrong-password", REMOTE_ADDR=ip)
        assert _login(client, user.phone, REMOTE_ADDR=ip).status_code == 200


@pytest.mark.parametrize("code", ["gd", None])
def test_the_login_page_logs_in_by_session_and_goes_next(tree, web, code):
    browser = web(code)
    assert browser.get("/accounts/login/").status_code == 200
    refused = browser.post(
        "/accounts/login/", {"phone": tree["youth"].phone, "password": "wrong-password"}
    )
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors()
    done = browser.post(
        "/accounts/login/",
        {
            "phone": tree["youth"].phone,
            "password": factories.PASSWORD,
            "next": "/accounts/profile/",
        },
    )
    assert done.status_code == 302
    assert done["Location"] == "/accounts/profile/"
    assert browser.get("/accounts/profile/").context["user"] == tree["youth"]
    assert browser.post("/accounts/logout/").status_code == 302
    assert browser.get("/accounts/profile/").status_code == 302


def test_a_shared_address_is_not_locked_by_a_few_peoples_typos(tree, api):
    """A campus network puts many people behind one address."""
    client = api("gd")
    for _ in range(settings.LOGIN_MAX_FAILURES * 2):
        _login(client, factories.phone(), "wrong-password", REMOTE_ADDR="10.0.3.1")
    assert _login(client, tree["youth"].phone, REMOTE_ADDR="10.0.3.1").status_code == 200
