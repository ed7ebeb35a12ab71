"""Registration with a one-time code: through the API and through the register page."""

from datetime import timedelta

import pytest
import time_machine
from captcha.models import CaptchaStore
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.utils import timezone

from core import sms
from core.models import PhoneCode, User
from tests import factories

from .helpers import assert_error, last_code

CODES = "/api/v1/auth/codes/"
REGISTER = "/api/v1/auth/register/"
GOOD_PASSWORD = "Tuanwei-2026-xyz"


def _send(client, phone, **extra):
    return client.post(CODES, {"phone": phone}, format="json", **extra)


def _register(client, phone, code, password=GOOD_PASSWORD, name="小明"):
    return client.post(
        REGISTER,
        {"phone": phone, "code": code, "password": password, "name": name},
        format="json",
    )


def _latest(phone) -> PhoneCode:
    return PhoneCode.objects.filter(phone=phone).latest("created_at")


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


@pytest.fixture
def gd(tree, api):
    return api("gd")


def test_a_code_arrives_by_sms_and_registers_an_account(gd, api):
    phone = factories.phone()
    sent_before = len(sms.outbox)
    answer = _send(gd, phone)
    assert answer.status_code == 202
    assert answer.json() == {"expires_in_s": settings.SMS_CODE_TTL_S}
    assert len(sms.outbox) == min(sent_before + 1, 100)
    code = last_code(phone)
    record = _latest(phone)
    assert record.code_hash != code and check_password(code, record.code_hash)  # only a hash

    created = _register(gd, phone, code, name="  小明 ")
    assert created.status_code == 201, created.content
    tokens = created.json()
    assert set(tokens) == {"access", "refresh"}
    user = User.objects.get(phone=phone)
    assert user.name == "小明"
    assert user.check_password(GOOD_PASSWORD)
    assert _latest(phone).used_at is not None
    # The tokens it returns work at once, and on another committee's portal too.
    me = api("bj")
    me.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    body = me.get("/api/v1/me/").json()
    assert body["account"]["phone"] == phone
    assert body["here"] == {"kinds": [], "can_read": False, "can_write": False}


def test_formatted_numbers_register_the_plain_number(gd):
    phone = factories.phone()
    formatted = f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"
    assert _send(gd, formatted).status_code == 202
    code = last_code(phone)  # the SMS goes to the normalised number
    assert _register(gd, f"0086-{phone}", code).status_code == 201
    assert User.objects.filter(phone=phone).count() == 1


def test_a_wrong_code_is_refused_and_the_attempt_is_counted(gd):
    phone = factories.phone()
    _send(gd, phone)
    code = last_code(phone)
    error = assert_error(_register(gd, phone, _wrong(code)), 400, "code_invalid")
    assert list(error["fields"]) == ["code"]
    assert not User.objects.filter(phone=phone).exists()
    # The attempt is stored (not rolled back with the refused request).
    assert PhoneCode.objects.get(phone=phone).attempts == 1
    assert_error(_register(gd, phone, _wrong(code)), 400, "code_invalid")
    assert PhoneCode.objects.get(phone=phone).attempts == 2
    # The right code still works while attempts are left.
    assert _register(gd, phone, code).status_code == 201


def test_after_the_maximum_of_wrong_codes_even_the_right_one_is_refused(gd):
    phone = factories.phone()
    _send(gd, phone)
    code = last_code(phone)
    for _ in range(settings.SMS_CODE_MAX_ATTEMPTS):
        assert_error(_register(gd, phone, _wrong(code)), 400, "code_invalid")
    assert PhoneCode.objects.get(phone=phone).attempts == settings.SMS_CODE_MAX_ATTEMPTS
    assert_error(_register(gd, phone, code), 429, "code_attempts_exceeded")
    assert not User.objects.filter(phone=phone).exists()
    assert PhoneCode.objects.get(phone=phone).used_at is None
    # A new code (once the resend wait is over) gives new attempts.
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SMS_CODE_RESEND_S + 1)):
        assert _send(gd, phone).status_code == 202
        assert _register(gd, phone, last_code(phone)).status_code == 201


def test_an_expired_code_is_refused(gd):
    phone = factories.phone()
    _send(gd, phone)
    code = last_code(phone)
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SMS_CODE_TTL_S - 5)):
        # Still valid just before it expires: a wrong guess is judged as wrong, not expired.
        assert_error(_register(gd, phone, _wrong(code)), 400, "code_invalid")
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SMS_CODE_TTL_S + 1)):
        error = assert_error(_register(gd, phone, code), 400, "code_expired")
    assert list(error["fields"]) == ["code"]
    assert not User.objects.filter(phone=phone).exists()


def test_a_second_code_within_the_resend_wait_is_refused(gd):
    phone = factories.phone()
    assert _send(gd, phone).status_code == 202
    first = last_code(phone)
    sent = len(sms.outbox)
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SMS_CODE_RESEND_S - 5)):
        assert_error(_send(gd, phone), 429, "code_sent_recently")
    assert len(sms.outbox) == sent  # no SMS was sent
    assert PhoneCode.objects.filter(phone=phone).count() == 1
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SMS_CODE_RESEND_S + 1)):
        assert _send(gd, phone).status_code == 202
        second = last_code(phone)
        assert PhoneCode.objects.filter(phone=phone).count() == 2
        if second != first:  # one chance in a million that the two codes are the same
            # Only the newest code counts.
            assert_error(_register(gd, phone, first), 400, "code_invalid")
        assert _register(gd, phone, second).status_code == 201


def test_registering_without_asking_for_a_code_is_refused(gd):
    phone = factories.phone()
    assert_error(_register(gd, phone, "123456"), 400, "code_missing")


def test_a_registered_number_gets_no_code(tree, gd):
    youth = tree["youth"]
    sent = len(sms.outbox)
    error = assert_error(_send(gd, youth.phone), 400, "phone_taken")
    assert list(error["fields"]) == ["phone"]
    assert len(sms.outbox) == sent
    assert not PhoneCode.objects.filter(phone=youth.phone).exists()


def test_a_number_registered_after_its_code_was_sent_is_refused(gd):
    phone = factories.phone()
    _send(gd, phone)
    code = last_code(phone)
    User.objects.create_user(phone, factories.PASSWORD)  # e.g. registered on another portal
    assert_error(_register(gd, phone, code), 400, "phone_taken")
    assert User.objects.filter(phone=phone).count() == 1


@pytest.mark.parametrize(
    "password",
    ["short1!", "12345678901", "password123", "{phone}"],
    ids=["too-short", "numeric", "common", "the-phone-number"],
)
def test_a_weak_password_is_refused_without_using_the_code(gd, password):
    phone = factories.phone()
    _send(gd, phone)
    code = last_code(phone)
    error = assert_error(
        _register(gd, phone, code, password=password.format(phone=phone)), 400, "weak_password"
    )
    assert list(error["fields"]) == ["password"]
    assert not User.objects.filter(phone=phone).exists()
    record = PhoneCode.objects.get(phone=phone)
    assert (record.used_at, record.attempts) == (None, 0)
    assert _register(gd, phone, code).status_code == 201


def test_missing_fields_are_named(gd):
    error = assert_error(gd.post(REGISTER, {"phone": "13800000000"}, format="json"), 400, "invalid")
    assert {"code", "password"} <= set(error["fields"])
    assert_error(gd.post(CODES, {}, format="json"), 400, "invalid")


def test_codes_from_one_address_past_the_limit_need_the_picture_challenge(gd):
    for _ in range(settings.SMS_CODES_PER_IP_HOUR):
        assert _send(gd, factories.phone(), REMOTE_ADDR="10.1.2.3").status_code == 202
    phone = factories.phone()
    sent = len(sms.outbox)
    assert_error(_send(gd, phone, REMOTE_ADDR="10.1.2.3"), 429, "challenge_required")
    assert len(sms.outbox) == sent
    key = gd.post("/api/v1/auth/challenges/", format="json").json()["key"]
    wrong = {"phone": phone, "challenge_key": key, "challenge_answer": "999"}
    assert_error(
        gd.post(CODES, wrong, format="json", REMOTE_ADDR="10.1.2.3"), 400, "challenge_invalid"
    )
    key = gd.post("/api/v1/auth/challenges/", format="json").json()["key"]
    right = {
        "phone": phone,
        "challenge_key": key,
        "challenge_answer": CaptchaStore.objects.get(hashkey=key).response,
    }
    assert gd.post(CODES, right, format="json", REMOTE_ADDR="10.1.2.3").status_code == 202
    assert sms.outbox[-1].phone == phone
    # Another address is not affected.
    assert _send(gd, factories.phone(), REMOTE_ADDR="10.1.2.4").status_code == 202


def test_the_code_and_account_are_shared_by_every_domain(tree, api):
    """The code is asked on one portal and used on another: accounts are national."""
    phone = factories.phone()
    assert _send(api("gd"), phone).status_code == 202
    assert _register(api(None), phone, last_code(phone)).status_code == 201
    assert User.objects.filter(phone=phone).exists()


# The register page: the same flow with action=send_code, then action=register.


def _page_send(browser, phone):
    return browser.post("/accounts/register/", {"action": "send_code", "phone": phone})


def _page_register(browser, phone, code, password=GOOD_PASSWORD, name="小红", **extra):
    return browser.post(
        "/accounts/register/",
        {"action": "register", "phone": phone, "code": code, "password": password, "name": name}
        | extra,
    )


def test_the_register_page_sends_a_code_then_creates_and_logs_in_the_account(tree, web):
    browser = web("gd")
    assert browser.get("/accounts/register/").status_code == 200
    phone = factories.phone()
    page = _page_send(browser, phone)
    assert page.status_code == 200
    assert 'role="alert"' not in page.content.decode()
    code = last_code(phone)
    assert browser.get("/accounts/profile/").status_code == 302  # not logged in yet

    done = _page_register(browser, phone, code, next="/workbench/")
    assert done.status_code == 302
    assert done["Location"] == "/workbench/"
    user = User.objects.get(phone=phone)
    assert user.name == "小红"
    profile = browser.get("/accounts/profile/")
    assert profile.status_code == 200
    assert profile.context["user"] == user


def test_the_register_page_refuses_a_wrong_code_and_counts_it(tree, web):
    browser = web("gd")
    phone = factories.phone()
    _page_send(browser, phone)
    code = last_code(phone)
    page = _page_register(browser, phone, _wrong(code))
    assert page.status_code == 200
    assert page.context["form"].errors["code"]
    assert PhoneCode.objects.get(phone=phone).attempts == 1
    assert not User.objects.filter(phone=phone).exists()
    assert browser.get("/accounts/profile/").status_code == 302


def test_the_register_page_refuses_after_too_many_wrong_codes(tree, web):
    browser = web("gd")
    phone = factories.phone()
    _page_send(browser, phone)
    code = last_code(phone)
    for _ in range(settings.SMS_CODE_MAX_ATTEMPTS):
        _page_register(browser, phone, _wrong(code))
    page = _page_register(browser, phone, code)
    assert page.status_code == 200
    assert page.context["form"].errors["code"]
    assert not User.objects.filter(phone=phone).exists()


def test_the_register_page_refuses_an_expired_code(tree, web):
    browser = web("gd")
    phone = factories.phone()
    _page_send(browser, phone)
    code = last_code(phone)
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SMS_CODE_TTL_S + 1)):
        page = _page_register(browser, phone, code)
    assert page.status_code == 200
    assert page.context["form"].errors["code"]
    assert not User.objects.filter(phone=phone).exists()


def test_the_register_page_shows_service_refusals_on_their_fields(tree, web):
    browser = web("gd")
    sent = len(sms.outbox)
    taken = _page_send(browser, tree["youth"].phone)
    assert taken.status_code == 200
    assert taken.context["form"].errors["phone"]
    assert len(sms.outbox) == sent

    phone = factories.phone()
    _page_send(browser, phone)
    again = _page_send(browser, phone)  # within the resend wait
    assert again.context["form"].errors["phone"]
    weak = _page_register(browser, phone, last_code(phone), password="12345678")
    assert weak.context["form"].errors["password"]
    invalid = _page_send(browser, "12345")
    assert invalid.context["form"].errors["phone"]
    assert not User.objects.filter(phone=phone).exists()


def test_the_register_page_does_not_redirect_to_another_site(tree, web):
    browser = web("gd")
    phone = factories.phone()
    _page_send(browser, phone)
    done = _page_register(browser, phone, last_code(phone), next="https://evil.example/")
    assert done.status_code == 302
    assert done["Location"] == "/"
