"""Signing in by SMS code (验证码登录) and resetting the password by code (忘记密码), through the
API and the pages, with the limits of every code: expiry, attempts, sends per number and per
address."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from core import sms
from core.models import PhoneCode, User
from tests import factories

from .helpers import assert_error, last_code

CODES = "/api/v1/auth/codes/"
CODE_LOGIN = "/api/v1/auth/token/code/"
RESET = "/api/v1/auth/password/reset/"
TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
NEW_PASSWORD = "Tuanwei-2027-abc"


def _send(client, phone, purpose, **extra):
    return client.post(CODES, {"phone": phone, "purpose": purpose}, format="json", **extra)


def _code_login(client, phone, code, **extra):
    return client.post(CODE_LOGIN, {"phone": phone, "code": code}, format="json", **extra)


def _reset(client, phone, code, password=NEW_PASSWORD):
    return client.post(RESET, {"phone": phone, "code": code, "password": password}, format="json")


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def _me(api, code, access):
    client = api(code)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client.get("/api/v1/me/")


def _later(seconds: float):
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds))


@pytest.fixture
def gd(tree, api):
    return api("gd")


def test_a_sign_in_code_logs_in_once_with_tokens_for_every_portal(tree, gd, api):
    user = factories.account()
    assert _send(gd, user.phone, "login").status_code == 202
    code = last_code(user.phone)
    assert "sign-in" in sms.outbox[-1].text or "登录" in sms.outbox[-1].text
    answer = _code_login(gd, user.phone, code)
    assert answer.status_code == 200, answer.content
    assert _me(api, "bj", answer.json()["access"]).json()["account"]["id"] == user.pk
    # A code is used once.
    assert_error(_code_login(gd, user.phone, code), 400, "code_missing")


def test_an_account_of_another_committee_signs_in_by_code_with_only_its_own_rights(tree, api):
    """The bj cadre signs in on gd's portal: the account is national, the rights are bj's."""
    cadre = tree["bj_cadre"]
    gd = api("gd")
    _send(gd, cadre.phone, "login")
    tokens = _code_login(gd, cadre.phone, last_code(cadre.phone)).json()
    here = _me(api, "gd", tokens["access"]).json()["here"]
    assert here == {"kinds": [], "can_read": False, "can_write": False}
    assert _me(api, "bj", tokens["access"]).json()["here"]["can_write"] is True


def test_a_number_without_an_account_gets_the_same_answer_and_no_sms(gd):
    phone = factories.phone()
    sent = len(sms.outbox)
    for purpose in ("login", "reset"):
        with _later(0 if purpose == "login" else settings.SMS_CODE_RESEND_S + 1):
            answer = _send(gd, phone, purpose)
            assert answer.status_code == 202
            assert answer.json() == {"expires_in_s": settings.SMS_CODE_TTL_S}
    assert len(sms.outbox) == sent
    # The waits are the same as for a number with an account.
    assert_error(_send(gd, phone, "login"), 429, "code_sent_recently")
    assert_error(_code_login(gd, phone, "123456"), 400, "code_invalid")
    assert not User.objects.filter(phone=phone).exists()


def test_codes_are_kept_apart_by_purpose(gd):
    user = factories.account()
    _send(gd, user.phone, "reset")
    reset_code = last_code(user.phone)
    assert_error(_code_login(gd, user.phone, reset_code), 400, "code_missing")
    assert _reset(gd, user.phone, reset_code).status_code == 200


def test_wrong_sign_in_codes_are_counted_up_to_the_limit(gd):
    user = factories.account()
    _send(gd, user.phone, "login")
    code = last_code(user.phone)
    for _ in range(settings.SMS_CODE_MAX_ATTEMPTS):
        assert_error(_code_login(gd, user.phone, _wrong(code)), 400, "code_invalid")
    assert_error(_code_login(gd, user.phone, code), 429, "code_attempts_exceeded")
    record = PhoneCode.objects.get(phone=user.phone, purpose="login")
    assert (record.attempts, record.used_at) == (settings.SMS_CODE_MAX_ATTEMPTS, None)


def test_an_expired_sign_in_code_is_refused(gd):
    user = factories.account()
    _send(gd, user.phone, "login")
    code = last_code(user.phone)
    with _later(settings.SMS_CODE_TTL_S + 1):
        assert_error(_code_login(gd, user.phone, code), 400, "code_expired")


def test_a_number_locked_by_wrong_passwords_still_signs_in_by_code_and_is_unlocked(gd):
    user = factories.account()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        gd.post(TOKEN, {"phone": user.phone, "password": "nope-nope"}, format="json")
    locked = gd.post(TOKEN, {"phone": user.phone, "password": factories.PASSWORD}, format="json")
    assert_error(locked, 429, "too_many_attempts")
    _send(gd, user.phone, "login")
    assert _code_login(gd, user.phone, last_code(user.phone)).status_code == 200
    again = gd.post(TOKEN, {"phone": user.phone, "password": factories.PASSWORD}, format="json")
    assert again.status_code == 200


def test_a_deactivated_account_gets_no_code_and_cannot_sign_in_by_code(gd):
    user = factories.account()
    User.objects.filter(pk=user.pk).update(is_active=False)
    sent = len(sms.outbox)
    assert _send(gd, user.phone, "login").status_code == 202
    assert len(sms.outbox) == sent
    assert_error(_code_login(gd, user.phone, "000000"), 400, "code_invalid")


def test_codes_to_one_number_are_limited_per_day(gd):
    user = factories.account()
    step = settings.SMS_CODE_RESEND_S + 1
    for n in range(settings.SMS_CODES_PER_PHONE_DAY):
        with _later(n * step):
            purpose = "login" if n % 2 else "reset"
            assert _send(gd, user.phone, purpose, REMOTE_ADDR=f"10.7.0.{n}").status_code == 202
    with _later(settings.SMS_CODES_PER_PHONE_DAY * step):
        assert_error(_send(gd, user.phone, "login", REMOTE_ADDR="10.7.1.1"), 429, "too_many_codes")
    with _later(24 * 3600 + step):
        assert _send(gd, user.phone, "login").status_code == 202


def test_an_unknown_purpose_is_refused(gd):
    error = assert_error(_send(gd, factories.phone(), "everything"), 400, "invalid")
    assert list(error["fields"]) == ["purpose"]


def test_a_reset_sets_the_password_revokes_refresh_tokens_and_signs_in(gd, api):
    user = factories.account()
    old = gd.post(TOKEN, {"phone": user.phone, "password": factories.PASSWORD}, format="json")
    old_refresh = old.json()["refresh"]
    assert _send(gd, user.phone, "reset").status_code == 202
    code = last_code(user.phone)
    answer = _reset(api("bj"), user.phone, code)  # asked on one portal, used on another
    assert answer.status_code == 200, answer.content
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert_error(
        api("gd").post(REFRESH, {"refresh": old_refresh}, format="json"), 401, "token_not_valid"
    )
    assert _me(api, "gd", answer.json()["access"]).status_code == 200
    fresh = api("gd").post(REFRESH, {"refresh": answer.json()["refresh"]}, format="json")
    assert fresh.status_code == 200
    old_password = {"phone": user.phone, "password": factories.PASSWORD}
    assert_error(gd.post(TOKEN, old_password, format="json"), 401, "invalid_credentials")
    assert_error(_reset(gd, user.phone, code), 400, "code_missing")  # used once


def test_a_weak_new_password_is_refused_without_spending_the_code(gd):
    user = factories.account()
    _send(gd, user.phone, "reset")
    code = last_code(user.phone)
    assert_error(_reset(gd, user.phone, code, password="12345678"), 400, "weak_password")
    assert PhoneCode.objects.get(phone=user.phone).used_at is None
    assert _reset(gd, user.phone, code).status_code == 200


def test_reset_codes_expire_and_have_limited_attempts(gd):
    user = factories.account()
    _send(gd, user.phone, "reset")
    code = last_code(user.phone)
    with _later(settings.SMS_CODE_TTL_S + 1):
        assert_error(_reset(gd, user.phone, code), 400, "code_expired")
        assert _send(gd, user.phone, "reset").status_code == 202
        code = last_code(user.phone)
        for _ in range(settings.SMS_CODE_MAX_ATTEMPTS):
            assert_error(_reset(gd, user.phone, _wrong(code)), 400, "code_invalid")
        assert_error(_reset(gd, user.phone, code), 429, "code_attempts_exceeded")
    user.refresh_from_db()
    assert user.check_password(factories.PASSWORD)


def test_a_signed_in_account_may_use_the_anonymous_endpoints_too(tree, api):
    """The endpoints are anonymous; a token of another committee's staff changes nothing."""
    client = api("gd", tree["bj_admin"])
    assert _send(client, tree["bj_admin"].phone, "login").status_code == 202
    answer = _code_login(client, tree["bj_admin"].phone, last_code(tree["bj_admin"].phone))
    assert answer.status_code == 200


# The pages: 获取验证码 inline with the code field, then the main action.


def test_the_code_login_page_sends_a_code_then_signs_in(tree, web):
    browser = web("gd")
    user = factories.account(name="小码")
    page = browser.get("/accounts/login/code/")
    assert page.status_code == 200
    assert 'data-testid="send-code"' in page.content.decode()
    sent = browser.post("/accounts/login/code/", {"action": "send_code", "phone": user.phone})
    assert sent.status_code == 200
    html = sent.content.decode()
    assert f'data-wait="{settings.SMS_CODE_RESEND_S}"' in html  # the countdown starts at 60
    done = browser.post(
        "/accounts/login/code/",
        {
            "action": "login",
            "phone": user.phone,
            "code": last_code(user.phone),
            "next": "/questions/",
        },
    )
    assert done.status_code == 302 and done["Location"] == "/questions/"
    assert browser.get("/accounts/profile/").context["user"] == user


def test_the_code_login_page_shows_a_wrong_code_on_its_field(tree, web):
    browser = web("gd")
    user = factories.account()
    browser.post("/accounts/login/code/", {"action": "send_code", "phone": user.phone})
    page = browser.post(
        "/accounts/login/code/",
        {"action": "login", "phone": user.phone, "code": _wrong(last_code(user.phone))},
    )
    assert page.status_code == 200 and page.context["form"].errors["code"]
    assert browser.get("/accounts/profile/").status_code == 302


def test_the_reset_page_sets_a_new_password_and_signs_in(tree, web):
    browser = web("bj")
    user = factories.account()
    browser.post("/accounts/password/reset/", {"action": "send_code", "phone": user.phone})
    code = last_code(user.phone)
    weak = browser.post(
        "/accounts/password/reset/", {"phone": user.phone, "code": code, "password": "1234"}
    )
    assert weak.context["form"].errors["password"]
    done = browser.post(
        "/accounts/password/reset/", {"phone": user.phone, "code": code, "password": NEW_PASSWORD}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert browser.get("/accounts/profile/").context["user"] == user


def test_the_login_page_links_to_code_login_and_reset(tree, web):
    html = web("gd").get("/accounts/login/").content.decode()
    assert 'href="/accounts/login/code/' in html and 'href="/accounts/password/reset/' in html
