"""With DEBUG off, every error is a branded Chinese page on every domain and the one JSON shape
under /api/, whatever raised it: Django before any view, DRF, a service or a crash. Nothing in
them shows settings, paths, tracebacks or URL patterns."""

import json

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient
from rest_framework.throttling import BaseThrottle

from core.models import User
from tenants.api.views import PortalView

from .conftest import host
from .core.helpers import assert_error

pytestmark = pytest.mark.usefixtures("tree")

LEAKS = ("Traceback", 'File "', "settings", "DATABASE", "SECRET", "urlpatterns", "/work/", ".py")


def page(code: str | None, user: User | None = None, **options) -> Client:
    browser = Client(HTTP_HOST=host(code), raise_request_exception=False, **options)
    if user is not None:
        browser.force_login(user)
    return browser


def api_client(code: str | None, **options) -> APIClient:
    return APIClient(HTTP_HOST=host(code), raise_request_exception=False, **options)


def assert_page(response, status: int, *phrases: str) -> str:
    """A branded error page in Chinese: the status, the portal's name, a Chinese message."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert '<html lang="zh-hans">' in text
    assert f'<h1 class="status">{status}</h1>' in text
    for phrase in phrases:
        assert phrase in text, phrase
    assert not any(leak in text for leak in LEAKS), text
    return text


def assert_no_leak(response) -> None:
    text = response.content.decode()
    assert not any(leak in text for leak in LEAKS), text


@override_settings(DEBUG=False)
@pytest.mark.parametrize("code", ["gd", None])
def test_an_unknown_route_is_a_branded_404_page_and_json_under_the_api(code):
    title = "青年之声 · 广东" if code else "青年之声"
    assert_page(page(code).get("/no/such/page/"), 404, title, "页面")
    assert_error(api_client(code).get("/api/v1/no-such-thing/"), 404, "not_found")


@override_settings(DEBUG=False)
def test_a_method_not_allowed_is_a_405_page_and_json():
    response = page("gd").get("/accounts/logout/")
    assert_page(response, 405)
    assert response["Allow"] == "POST"
    refused = api_client("gd").delete("/api/v1/portal/")
    assert_error(refused, 405, "method_not_allowed")
    assert "GET" in refused["Allow"]


@override_settings(DEBUG=False, DATA_UPLOAD_MAX_MEMORY_SIZE=1000, MAX_REQUEST_BYTES=5000)
def test_a_body_too_large_is_413_for_json_forms_and_uploads():
    big = json.dumps({"title": "x" * 2000})
    answer = api_client("gd").post(
        "/api/v1/questions/classify/", big, content_type="application/json"
    )
    assert_error(answer, 413, "request_too_large")
    assert_page(page("gd").post("/accounts/login/", {"phone": "1" * 2000}), 413)
    upload = b"0" * 6000
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = api_client("gd").post(
        "/api/v1/questions/", {"title": "t", "attachments": SimpleUploadedFile("a.png", upload)}
    )
    assert_error(answer, 413, "request_too_large")


@override_settings(DEBUG=False, DATA_UPLOAD_MAX_NUMBER_FIELDS=5)
def test_too_many_form_fields_is_a_400():
    fields = {f"f{n}": "x" for n in range(10)}
    assert_error(api_client("gd").post("/api/v1/auth/token/", fields), 400, "too_many_fields")
    assert_page(page("gd").post("/accounts/login/", fields), 400)


@override_settings(DEBUG=False)
def test_a_malformed_body_is_a_400():
    client = api_client("gd")
    answer = client.post("/api/v1/auth/token/", "{nope", content_type="application/json")
    assert_error(answer, 400, "parse_error")
    broken = client.generic(
        "POST", "/api/v1/auth/token/", b"--x\r\n", content_type="multipart/form-data"
    )
    assert_error(broken, 400, "malformed_body")


@override_settings(DEBUG=False)
def test_a_host_that_is_not_ours_is_a_400():
    outsider = APIClient(HTTP_HOST="evil.example", raise_request_exception=False)
    assert_error(outsider.get("/api/v1/me/"), 400, "bad_request")
    assert_page(Client(HTTP_HOST="evil.example", raise_request_exception=False).get("/"), 400)


@override_settings(DEBUG=False)
def test_a_form_without_its_csrf_token_is_a_403_page_and_json(tree):
    refused = page("gd", enforce_csrf_checks=True).post(
        "/accounts/login/", {"phone": "13800000000", "password": "x"}
    )
    assert_page(refused, 403, "刷新")
    signed_in = page("gd", tree["youth"], enforce_csrf_checks=True)
    answer = signed_in.post("/api/v1/notifications/read/", {}, content_type="application/json")
    error = assert_error(answer, 403, "csrf_failed")
    assert "CSRF" not in error["message"]


class _Refuse(BaseThrottle):
    def allow_request(self, request, view):
        return False

    def wait(self):
        return 42


@override_settings(DEBUG=False)
def test_a_throttled_request_is_a_429_with_retry_after(monkeypatch):
    monkeypatch.setattr(PortalView, "throttle_classes", [_Refuse])
    answer = api_client("gd").get("/api/v1/portal/")
    assert_error(answer, 429, "throttled")
    assert answer["Retry-After"] == "42"


@override_settings(DEBUG=False)
def test_a_crash_is_a_500_that_shows_nothing_of_the_code(monkeypatch):
    from qa import selectors

    def crash(*args, **kwargs):
        raise RuntimeError("connection string postgres://secret@db/yv in settings.py")

    monkeypatch.setattr(selectors, "archive", crash)
    response = page("gd").get("/questions/")
    assert_page(response, 500, "青年之声 · 广东")
    assert "postgres" not in response.content.decode()
    answer = api_client("gd").get("/api/v1/questions/")
    assert_error(answer, 500, "server_error")
    assert_no_leak(answer)
    assert "postgres" not in answer.content.decode()


@override_settings(DEBUG=False)
def test_an_error_page_that_cannot_be_drawn_still_answers(monkeypatch):
    """The page needs the account and the menu; when drawing it fails, a bare page in the
    same words answers instead of a second crash."""
    from config import errors

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(errors, "render", broken)
    response = page("gd").get("/no/such/page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert_no_leak(response)
