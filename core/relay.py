"""One sign-in for every portal (一号通): a browser signed in on one committee's domain is
signed in on all of them.

A session cookie for the base domain would do it, but browsers refuse a cookie for a bare
name such as ``localhost`` (the development and test base domain), and a committee may one day
have a domain of its own. So every host keeps its own session cookie, and the central
console's host (the hub) relays one session to the others: all hosts then hold the *same*
session key, so signing out anywhere ends it everywhere.

- **Push**: right after signing in on a portal, the browser goes to the hub, which takes the
  portal's session.
- **Pull**: an anonymous browser opening a portal page goes by the hub first, which hands its
  session over if it has one (checked again after ``RELAY_RECHECK_S``, and on every visit
  of a sign-in page).

A hand-over goes host A → hub ``/accounts/relay/out/`` → A ``/accounts/relay/in/``: A puts a
random ``state`` in its own session and the hub answers with a one-time ticket (60 s, in Redis,
naming A's host and that state), so a ticket cannot be replayed, used on another host, or
planted in someone else's browser (a login CSRF). Only top-level browser navigations relay
(``Sec-Fetch-Mode: navigate``): the API, scripts and crawlers are never redirected. The CSRF
cookie stays with each host, and roles are still checked per committee (``core.access``).
"""

from __future__ import annotations

import json
import secrets
from importlib import import_module
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.http.request import split_domain_port, validate_host
from django.utils import timezone
from django_redis import get_redis_connection
from redis.exceptions import RedisError

TICKET_TTL_S = 60
STATE = "relay_state"
CHECKED_AT = "relay_checked_at"
JUST_BACK = "relay_just_back"
NO_COOKIES = "relay-off"
OUT = "/accounts/relay/out/"
IN = "/accounts/relay/in/"
START = "/accounts/relay/start/"
# Paths that never relay: the API, files, health and the relay itself.
_NEVER = ("/api/", "/static/", "/media/", "/captcha/", "/healthz", "/accounts/relay/", "/i18n/")
_SIGN_IN = ("/accounts/login/", "/accounts/register/", "/accounts/password/")


def _redis_key(ticket: str) -> str:
    return f"{settings.CACHES['default']['KEY_PREFIX']}:relay:{ticket}"


def is_navigation(request: HttpRequest) -> bool:
    """A top-level page load by a browser (not the API, a script or a crawler)."""
    return (
        request.headers.get("Sec-Fetch-Mode") == "navigate"
        and request.headers.get("Sec-Fetch-Dest", "document") == "document"
    )


def hub_host(request: HttpRequest) -> str:
    """The central console's host, with the port this request came to."""
    _host, port = split_domain_port(request.get_host())
    default = "443" if request.is_secure() else "80"
    return settings.BASE_DOMAIN + (f":{port}" if port and port != default else "")


def is_ours(host: str) -> bool:
    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)


def safe_next(request: HttpRequest, target: str, *, default_host: str | None = None) -> str:
    """``target`` when it is a path or an address on one of the platform's hosts (over this
    request's scheme), else the home page of ``default_host`` or of this host."""
    parts = urlsplit(target or "")
    if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
        if target.startswith("//"):
            return "/"
        if default_host and default_host != request.get_host():
            return f"{request.scheme}://{default_host}{target}"
        return target
    if parts.scheme == request.scheme and is_ours(parts.netloc):
        return target
    return f"{request.scheme}://{default_host}/" if default_host else "/"


def _url(request: HttpRequest, host: str, path: str, **params: str) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{request.scheme}://{host}{path}" + (f"?{query}" if query else "")


def begin(request: HttpRequest, *, source: str, next_url: str) -> str:
    """Where to send the browser to take the session of ``source`` onto this host."""
    state = secrets.token_urlsafe(16)
    request.session[STATE] = state
    return _url(request, source, OUT, to=request.get_host(), state=state, next=next_url)


def hand_over(request: HttpRequest, *, to: str, state: str, next_url: str) -> str:
    """On the source host: where to send the browser back to ``to``, with a ticket for this
    session when it is signed in."""
    ticket = ""
    if request.user.is_authenticated and request.session.session_key and state:
        ticket = secrets.token_urlsafe(24)
        record = {"key": request.session.session_key, "host": to, "state": state}
        get_redis_connection("default").set(_redis_key(ticket), json.dumps(record), ex=TICKET_TTL_S)
    return _url(request, to, IN, ticket=ticket, next=next_url)


def _store(session_key: str | None = None) -> SessionBase:
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def take(request: HttpRequest, ticket: str) -> bool:
    """On the receiving host: adopt the session the ticket names, if the ticket is meant for
    this host and this browser's state and the session is signed in. A ticket works once."""
    state = request.session.pop(STATE, None)
    request.session[CHECKED_AT] = timezone.now().timestamp()
    request.session[JUST_BACK] = True
    if not ticket or not state:
        return False
    try:
        raw = get_redis_connection("default").getdel(_redis_key(ticket[:64]))
    except RedisError:
        return False
    if raw is None:
        return False
    record = json.loads(raw)
    if record["host"] != request.get_host() or not secrets.compare_digest(record["state"], state):
        return False
    shared = _store(record["key"])
    if shared.get("_auth_user_id") is None:  # signed out, or expired, meanwhile
        return False
    shared[CHECKED_AT] = timezone.now().timestamp()
    request.session.delete()
    shared.modified = True  # the session middleware sets this host's cookie to the shared key
    request.session = shared
    return True


def without_cookies(request: HttpRequest, next_url: str) -> str:
    """``next_url`` marked so as not to relay again when this browser sent back no session
    cookie (it keeps none: relaying again would never end)."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return next_url
    return next_url + ("&" if "?" in next_url else "?") + NO_COOKIES


def should_pull(request: HttpRequest) -> bool:
    """Whether this anonymous page load on a portal should first ask the hub."""
    if request.method != "GET" or request.user.is_authenticated or not is_navigation(request):
        return False
    if getattr(request, "committee", None) is None or request.path.startswith(_NEVER):
        return False
    if request.GET.get(NO_COOKIES) is not None:  # a browser that keeps no cookies
        return False
    if request.session.pop(JUST_BACK, False):  # the page the relay came back to
        return False
    if request.path.startswith(_SIGN_IN):  # about to sign in: the console may know already
        return True
    checked_at = request.session.get(CHECKED_AT)
    return checked_at is None or timezone.now().timestamp() - checked_at > settings.RELAY_RECHECK_S


def push_url(request: HttpRequest, next_url: str) -> str | None:
    """After signing in on a portal by a browser: the hub's address that takes the session
    there, then returns to ``next_url``; None when there is nothing to push."""
    hub = hub_host(request)
    if not is_navigation(request) or request.get_host() == hub:
        return None
    target = safe_next(request, next_url)
    if target.startswith("/"):
        target = f"{request.scheme}://{request.get_host()}{target}"
    return _url(request, hub, START, **{"from": request.get_host(), "next": target})


class RelayMiddleware:
    """Sends an anonymous browser opening a portal page by the hub first (see above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if should_pull(request):
            from django.shortcuts import redirect

            return redirect(
                begin(request, source=hub_host(request), next_url=request.get_full_path())
            )
        return self.get_response(request)
