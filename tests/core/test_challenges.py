"""The picture challenge that replaces a lock on a client address, and the throttles of the
endpoints anyone may call."""

import io
from datetime import timedelta

import pytest
import time_machine
from captcha.models import CaptchaStore
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from core import challenges
from core.errors import ServiceError
from tests import factories

from .helpers import assert_error

TOKEN = "/api/v1/auth/token/"
CHALLENGES = "/api/v1/auth/challenges/"


def _answer_of(key: str) -> str:
    return CaptchaStore.objects.get(hashkey=key).response


def _fail_logins(client, ip: str, times: int) -> None:
    for _ in range(times):
        client.post(
            TOKEN,
            {"phone": factories.phone(), "password": "wrong-password"},
            format="json",
            REMOTE_ADDR=ip,
        )


def test_a_challenge_is_a_sum_answered_once(db):
    for _ in range(50):
        shown, result = challenges.arithmetic_challenge()
        a, op, b = shown[0], shown[1], shown[2]
        assert shown.endswith("=") and op in "+-×"
        assert int(result) == {"+": int(a) + int(b), "-": int(a) - int(b), "×": int(a) * int(b)}[op]
        assert int(result) >= 0
    made = challenges.issue()
    answer = challenges.Answer(key=made.key, text=_answer_of(made.key))
    challenges.check(answer)
    with pytest.raises(ServiceError) as spent:
        challenges.check(answer)  # spent by its first answer
    assert spent.value.code == "challenge_invalid"
    wrong = challenges.issue()
    right_answer = _answer_of(wrong.key)
    with pytest.raises(ServiceError):
        challenges.check(challenges.Answer(key=wrong.key, text="999"))
    with pytest.raises(ServiceError):  # a wrong guess spends it too
        challenges.check(challenges.Answer(key=wrong.key, text=right_answer))
    with pytest.raises(ServiceError) as missing:
        challenges.check(None)
    assert (missing.value.code, missing.value.status) == ("challenge_required", 429)


def test_the_challenge_picture_is_a_png_on_every_domain(tree, api, web):
    body = api("gd").post(CHALLENGES, format="json").json()
    assert body["image_url"].startswith("http://gd.localhost/captcha/image/")
    path = body["image_url"].removeprefix("http://gd.localhost")
    for code in ("gd", "bj", None):
        picture = web(code).get(path)
        assert picture.status_code == 200
        assert picture["Content-Type"] == "image/png"
        assert Image.open(io.BytesIO(picture.content)).format == "PNG"
    assert web("gd").get("/captcha/image/" + "0" * 40 + "/").status_code == 410


def test_an_address_past_the_limit_is_asked_and_a_wrong_answer_does_not_check_the_password(
    tree, api
):
    client = api("gd")
    ip = "10.3.0.1"
    _fail_logins(client, ip, settings.LOGIN_CHALLENGE_AFTER_FAILURES_PER_ADDRESS)
    key = client.post(CHALLENGES, format="json").json()["key"]
    attempt = {
        "phone": tree["youth"].phone,
        "password": factories.PASSWORD,
        "challenge_key": key,
        "challenge_answer": "999",
    }
    error = assert_error(
        client.post(TOKEN, attempt, format="json", REMOTE_ADDR=ip), 400, "challenge_invalid"
    )
    assert list(error["fields"]) == ["challenge"]
    # The same (spent) challenge with the right answer is refused too.
    attempt["challenge_answer"] = "0"
    assert_error(
        client.post(TOKEN, attempt, format="json", REMOTE_ADDR=ip), 400, "challenge_invalid"
    )
    # A failure behind a solved challenge still counts for the number.
    key = client.post(CHALLENGES, format="json").json()["key"]
    wrong_password = {
        "phone": tree["youth"].phone,
        "password": "wrong-password",
        "challenge_key": key,
        "challenge_answer": _answer_of(key),
    }
    answer = client.post(TOKEN, wrong_password, format="json", REMOTE_ADDR=ip)
    assert_error(answer, 401, "invalid_credentials")


def test_the_login_page_shows_the_challenge_and_lets_the_right_password_in(tree, web, api):
    ip = "10.3.0.2"
    _fail_logins(api("gd"), ip, settings.LOGIN_CHALLENGE_AFTER_FAILURES_PER_ADDRESS)
    browser = web("gd")
    page = browser.get("/accounts/login/", REMOTE_ADDR=ip)
    assert page.context["challenge"] is not None
    assert 'data-testid="challenge"' in page.content.decode()
    # Without answering: refused on the challenge, and a new one is shown.
    data = {"phone": tree["youth"].phone, "password": factories.PASSWORD}
    refused = browser.post("/accounts/login/", data, REMOTE_ADDR=ip)
    assert refused.status_code == 200 and refused.context["form"].errors["challenge_answer"]
    key = refused.context["challenge"].key
    done = browser.post(
        "/accounts/login/",
        {**data, "challenge_key": key, "challenge_answer": _answer_of(key)},
        REMOTE_ADDR=ip,
    )
    assert done.status_code == 302
    # Another address sees no challenge.
    assert web("gd").get("/accounts/login/", REMOTE_ADDR="10.3.0.3").context["challenge"] is None


def test_the_register_page_asks_the_challenge_for_codes_past_the_address_limit(tree, web, api):
    ip = "10.3.0.4"
    for _ in range(settings.SMS_CODES_PER_IP_HOUR):
        api("gd").post("/api/v1/auth/codes/", {"phone": factories.phone()}, REMOTE_ADDR=ip)
    browser = web("gd")
    phone = factories.phone()
    asked = browser.post(
        "/accounts/register/", {"action": "send_code", "phone": phone}, REMOTE_ADDR=ip
    )
    assert asked.context["form"].errors["challenge_answer"]
    key = asked.context["challenge"].key
    sent = browser.post(
        "/accounts/register/",
        {
            "action": "send_code",
            "phone": phone,
            "challenge_key": key,
            "challenge_answer": _answer_of(key),
        },
        REMOTE_ADDR=ip,
    )
    assert not sent.context["form"].errors
    assert sent.context["code_wait_s"] == settings.SMS_CODE_RESEND_S


RATES = {
    **settings.REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "classify": "3/min",
        "search": "2/min",
        "similar": "2/min",
    },
}


@override_settings(REST_FRAMEWORK=RATES, TRUSTED_PROXIES=["10.9.0.0/16"])
def test_anonymous_endpoints_are_throttled_per_trusted_client_address(tree, api):
    client = api("gd")
    classify = {"title": "考研还是工作"}
    for _ in range(3):
        ok = client.post(
            "/api/v1/questions/classify/", classify, format="json", REMOTE_ADDR="10.4.0.1"
        )
        assert ok.status_code == 200
    throttled = client.post(
        "/api/v1/questions/classify/", classify, format="json", REMOTE_ADDR="10.4.0.1"
    )
    assert_error(throttled, 429, "throttled")
    assert 0 < int(throttled["Retry-After"]) <= 60
    # Counted for every domain at once.
    assert_error(
        api("bj").post(
            "/api/v1/questions/classify/", classify, format="json", REMOTE_ADDR="10.4.0.1"
        ),
        429,
        "throttled",
    )
    # A forwarded address from an untrusted peer is not believed...
    forged = client.post(
        "/api/v1/questions/classify/",
        classify,
        format="json",
        REMOTE_ADDR="10.4.0.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4",
    )
    assert forged.status_code == 429
    # ...but from the trusted proxy it names the client, each counted apart.
    via_proxy = client.post(
        "/api/v1/questions/classify/",
        classify,
        format="json",
        REMOTE_ADDR="10.9.0.5",
        HTTP_X_FORWARDED_FOR="1.2.3.4",
    )
    assert via_proxy.status_code == 200
    assert (
        client.post(
            "/api/v1/questions/classify/", classify, format="json", REMOTE_ADDR="10.4.0.2"
        ).status_code
        == 200
    )


@override_settings(REST_FRAMEWORK=RATES)
def test_search_and_similar_have_their_own_scopes_and_accounts_count_apart(tree, api):
    anonymous = api("gd")
    for _ in range(2):
        assert anonymous.get("/api/v1/questions/?q=考研", REMOTE_ADDR="10.5.0.1").status_code == 200
    assert_error(
        anonymous.get("/api/v1/questions/?q=考研", REMOTE_ADDR="10.5.0.1"), 429, "throttled"
    )
    # Another scope from the same address is not spent.
    assert (
        anonymous.get("/api/v1/questions/similar/?title=考研", REMOTE_ADDR="10.5.0.1").status_code
        == 200
    )
    # A signed-in youth behind the same address counts for the account.
    youth = api("gd", tree["youth"])
    assert youth.get("/api/v1/questions/?q=考研", REMOTE_ADDR="10.5.0.1").status_code == 200
    # The schema declares the 429.
    schema = api("gd").get("/api/v1/schema/?format=json").json()
    assert "429" in schema["paths"]["/api/v1/questions/similar/"]["get"]["responses"]


def test_expired_challenges_are_refused_and_removed(db):
    made = challenges.issue()
    answer = challenges.Answer(key=made.key, text=_answer_of(made.key))
    later = timezone.now() + timedelta(minutes=settings.CAPTCHA_TIMEOUT, seconds=1)
    with time_machine.travel(later):
        with pytest.raises(ServiceError) as expired:
            challenges.check(answer)
        assert expired.value.code == "challenge_invalid"
        challenges.issue()
    assert not CaptchaStore.objects.filter(hashkey=made.key).exists()
