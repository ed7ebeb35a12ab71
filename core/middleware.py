"""The read-only account (the central auditor) is refused every write on every domain.

One check in front of every view, pages and API alike: any request that is not GET, HEAD or
OPTIONS from a read-only account (``core.access.is_read_only``) is answered 403 — a branded
page, or the error shape under /api/ — unless it goes to one of ``core.access.READ_ONLY_MAY``
(signing in and out, its own profile). The attempt on a committee is in its audit log.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from config.errors import error_response
from tenants.middleware import is_api

from . import access

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _account(request: HttpRequest):
    """The signed-in account: the session's, else (under /api/) the bearer token's."""
    if request.user.is_authenticated:
        return request.user
    if not (is_api(request) and request.META.get("HTTP_AUTHORIZATION")):
        return None
    from rest_framework.exceptions import APIException
    from rest_framework_simplejwt.authentication import JWTAuthentication

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
