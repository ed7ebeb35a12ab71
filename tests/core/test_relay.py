"""One sign-in for every portal: signed in on one committee's domain, a browser is signed in on
all of them, through the console's host, with a cookie per host (core.relay)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django_redis import get_redis_connection

from core import relay
from tests import factories

NAV = {"HTTP_SEC_FETCH_MODE": "navigate", "HTTP_SEC_FETCH_DEST": "document"}


class Browser:
    """Test clients standing for one browser: a cookie jar per host, as for host-only cookies
    (the test client itself sends every cookie to every host)."""

    def __init__(self):
        self.jars: dict[str, Client] = {}
        self.visited: list[str] = []

    def on(self, host: str) -> Client:
        return self.jars.setdefault(host, Client(HTTP_HOST=host))

    def go(self, url: str, *, method: str = "get", data=None, hops: int = 10):
        """Open ``url`` (``http://host/path``) and follow redirects across hosts."""
        for _ in range(hops):
            parts = urlsplit(url)
            self.visited.append(url)
            client = self.on(parts.netloc)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            answer = getattr(client, method)(path, data, **NAV) if data else client.get(path, **NAV)
            method, data = "get", None
            if answer.status_code != 302:
                return answer
            location = answer["Location"]
            url = location if location.startswith("http") else f"http://{parts.netloc}{location}"
        raise AssertionError(f"too many redirects: {self.visited}")


def _signed_in_as(answer):
    user = answer.context["user"] if answer.context else None
    return user if user is not None and user.is_authenticated else None


def _sign_in(browser: Browser, host: str, user, next_path="/"):
    return browser.go(
        f"http://{host}/accounts/login/?next={next_path}",
        method="post",
        data={"phone": user.phone, "password": factories.PASSWORD, "next": next_path},
    )


def test_signed_in_on_one_portal_a_browser_is_signed_in_on_the_others_and_the_console(tree):
    browser = Browser()
    youth = tree["youth"]
    landed = _sign_in(browser, "gd.localhost", youth, "/accounts/profile/")
    assert browser.visited[-1] == "http://gd.localhost/accounts/profile/"
    assert _signed_in_as(landed) == youth
    # The console took the session on the way.
    assert any(url.startswith("http://localhost/accounts/relay/in/") for url in browser.visited)
    assert _signed_in_as(browser.go("http://localhost/accounts/profile/")) == youth
    # Another portal, never opened before, asks the console and is signed in.
    page = browser.go("http://bj.localhost/")
    assert _signed_in_as(page) == youth
    keys = {jar.cookies[settings.SESSION_COOKIE_NAME].value for jar in browser.jars.values()}
    assert len(keys) == 1  # one session, held by every host
    # Rights are still the committee's own: the youth's profile on bj shows no staff access.
    assert page.context["staff_access"].can_read is False


def test_signing_out_anywhere_signs_out_everywhere(tree):
    browser = Browser()
    _sign_in(browser, "gd.localhost", tree["youth"])
    browser.go("http://bj.localhost/")
    browser.on("bj.localhost").post("/accounts/logout/")
    for host in ("gd.localhost", "localhost"):
        assert browser.on(host).get("/accounts/profile/").status_code == 302


def test_an_anonymous_browser_is_checked_once_and_then_left_alone(tree):
    browser = Browser()
    page = browser.go("http://gd.localhost/questions/")
    assert page.status_code == 200 and _signed_in_as(page) is None
    assert [urlsplit(u).path for u in browser.visited] == [
        "/questions/",
        relay.OUT,
        relay.IN,
        "/questions/",
    ]
    browser.visited.clear()
    browser.go("http://gd.localhost/")
    assert len(browser.visited) == 1


def test_the_api_scripts_and_the_test_client_are_never_redirected(tree, web, api):
    assert web("gd").get("/questions/").status_code == 200
    assert api("gd").get("/api/v1/questions/", **NAV).status_code == 200
    # A form posted by the test client (no Sec-Fetch headers) goes straight to next.
    done = web("gd").post(
        "/accounts/login/",
        {"phone": tree["youth"].phone, "password": factories.PASSWORD, "next": "/questions/"},
    )
    assert done["Location"] == "/questions/"


def _ticket_for(browser: Browser, to: str, state: str) -> str:
    out = browser.on("localhost").get(relay.OUT, {"to": to, "state": state, "next": "/"}, **NAV)
    return parse_qs(urlsplit(out["Location"]).query).get("ticket", [""])[0]


def test_a_ticket_works_once_on_its_host_with_its_state_only(tree):
    victim, attacker = Browser(), Browser()
    _sign_in(attacker, "gd.localhost", tree["gd_cadre"])
    # The attacker's ticket, for the attacker's own state: useless in the victim's browser.
    start = attacker.on("bj.localhost")
    start.get("/", **NAV)  # puts a state in the attacker's bj session
    state = start.session[relay.STATE]
    ticket = _ticket_for(attacker, "bj.localhost", state)
    assert ticket
    victim.on("bj.localhost").get("/", **NAV)
    landed = victim.go(f"http://bj.localhost{relay.IN}?ticket={ticket}&next=/")
    assert _signed_in_as(landed) is None
    # A ticket is spent by its first use, and names one host.
    assert get_redis_connection("default").get(relay._redis_key(ticket)) is None
    other = _ticket_for(attacker, "gd-gz.localhost", state)
    landed = attacker.go(f"http://bj.localhost{relay.IN}?ticket={other}&next=/")
    assert _signed_in_as(landed) is None


def test_an_anonymous_console_hands_over_nothing(tree):
    browser = Browser()
    assert _ticket_for(browser, "gd.localhost", "some-state") == ""


@pytest.mark.parametrize(
    "path",
    [
        f"{relay.OUT}?to=evil.example&state=x",
        f"{relay.START}?from=evil.example",
        f"{relay.START}",
        f"{relay.OUT}?to=" + "a" * 300,
    ],
)
def test_hosts_that_are_not_ours_are_refused(tree, path):
    assert Client(HTTP_HOST="localhost").get(path, **NAV).status_code == 400


def test_next_never_leaves_the_platform(tree):
    browser = Browser()
    for target in ("https://evil.example/", "//evil.example/", "http://evil.example/x"):
        browser.go("http://gd.localhost/")  # a state for gd
        answer = browser.on("gd.localhost").get(relay.IN, {"next": target}, **NAV)
        assert answer["Location"] == "/"


def test_a_browser_that_keeps_no_cookies_is_not_relayed_forever(tree):
    client = Client(HTTP_HOST="gd.localhost")
    first = client.get("/questions/", **NAV)
    assert first.status_code == 302 and relay.OUT in first["Location"]
    client.cookies.clear()  # the browser keeps nothing
    back = client.get(relay.IN, {"next": "/questions/"}, **NAV)
    assert back["Location"] == f"/questions/?{relay.NO_COOKIES}"
    client.cookies.clear()
    assert client.get(back["Location"], **NAV).status_code == 200
