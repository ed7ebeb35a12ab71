"""The first and last thing every request passes: its id, its log line and its latency.

- ``X-Request-ID`` is taken from the caller (a proxy's) when it is a sensible one, else made,
  bound to every line logged while the request runs and sent back on the response.
- One line per request on the ``yv.request`` logger: method, path (never the query string:
  searches carry what people type), status, duration, view, committee and user.
- Its duration goes into the request-latency histogram by view (``core.monitoring``).
- The read-only account (the central auditor) is refused every write on every domain, by one
  check in front of every view, pages and API alike: any request that is not GET, HEAD or
  OPTIONS from a read-only account (``core.access.is_read_only``) is answered 403 — a branded
  page, or the error shape under /api/ — unless it goes to one of ``core.access.READ_ONLY_MAY``
  (signing in and out, its own profile). The attempt on a committee is in its audit log.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty
from django.utils.translation import gettext as _

from config.errors import error_response
from tenants.middleware import is_api

from . import access, addresses, logs, monitoring

log = logging.getLogger("yv.request")


def _user_id(request: HttpRequest) -> int | None:
    """The account that made the request, if something already looked it up (the page, DRF's
    authentication): the log line never queries the database, which may be the fault."""
    user = request.__dict__.get("user")
    if user is None:
        return None
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:  # type: ignore[attr-defined]
        return None
    return user.pk if getattr(user, "is_authenticated", False) else None


def _view(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "static" if request.path.startswith("/static/") else "unmatched"
    return match.view_name or match._func_path


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = logs.request_id_from(request.headers.get("X-Request-ID"))
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        logs.start_request(request_id=request_id)  # until Django's request_finished
        with addresses.serving(addresses.client_ip(request)):
            response = self.get_response(request)
        duration_s = time.perf_counter() - started
        committee = getattr(request, "committee", None)
        view = _view(request)
        logs.bind(user_id=_user_id(request), committee=getattr(committee, "code", None))
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        log.log(
            level,
            "%s %s %s %.1f ms",
            request.method,
            request.path,
            response.status_code,
            duration_s * 1000,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round(duration_s * 1000, 2),
                "view": view,
            },
        )
        monitoring.observe_request(
            view=view, method=request.method or "", status=response.status_code, seconds=duration_s
        )
        response["X-Request-ID"] = request_id
        return response


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _account(request: HttpRequest):
    """The signed-in account: the session's, else (under /api/) the bearer token's."""
    if request.user.is_authenticated:
        return request.user
    if not (is_api(request) and request.META.get("HTTP_AUTHORIZATION")):
        return None
    from rest_framework.exceptions import APIException

    from core.api.authentication import JWTAuthentication

    try:
        found = JWTAuthentication().authenticate(request)  # type: ignore[arg-type]
    except APIException:
        return None  # a bad token: DRF answers 401 itself
    return found[0] if found else None


class ReadOnlyAccountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS:
            return None
        match = request.resolver_match
        if match is None or match.view_name in access.READ_ONLY_MAY:
            return None
        user = _account(request)
        if not access.is_read_only(user):
            return None
        committee = getattr(request, "committee", None)
        access.log_read_from_above(request, committee, access.access_to(user, committee), user)
        return error_response(
            request,
            403,
            code="read_only",
            message=_("This account reads only: it cannot ask, answer or change anything."),
        )
