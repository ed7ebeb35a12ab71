"""Error answers on every domain: the one JSON shape under /api/, a branded page elsewhere.

Django calls the handlers below for 400, 403, 404 and 500 and ``csrf_failure`` for a refused
form; ``config.middleware`` sends Django's bare 405 and an oversized body (413) here too. With
DEBUG off none of them shows settings, paths, tracebacks or URL patterns: only a status, a
code and a sentence. A request that fails because the database cannot be reached (a restart)
is a 503 with ``Retry-After``, not a 500: the next one succeeds once the server is back.
"""

import logging
import sys

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.api.errors import error_body
from core.errors import InvalidInput
from tenants.middleware import is_api

logger = logging.getLogger(__name__)


def _messages() -> dict[int, tuple[str, str]]:
    """The code and message of each status (built per call: the messages follow the language)."""
    return {
        400: ("bad_request", _("The request could not be understood.")),
        403: ("permission_denied", _("Your account may not open this page here.")),
        404: ("not_found", _("This page does not exist.")),
        405: ("method_not_allowed", _("This address does not take that kind of request.")),
        413: ("request_too_large", _("The request is too large.")),
        500: ("server_error", _("Something went wrong on our side; it has been logged.")),
        503: (
            "service_unavailable",
            _("The service is briefly unavailable. Please try again in a moment."),
        ),
    }


def error_response(
    request: HttpRequest,
    status: int,
    *,
    code: str | None = None,
    message: str | None = None,
    fields: dict | None = None,
) -> HttpResponse:
    """The answer for ``status``: JSON under /api/, else the error page in the portal's look."""
    default_code, default_message = _messages().get(status, _messages()[400])
    code, message = code or default_code, message or default_message
    if is_api(request):
        return JsonResponse(error_body(code, message, fields), status=status)
    try:
        return render(request, "error.html", {"status": status, "message": message}, status=status)
    except Exception:  # the page needs the database (the account, the menu): answer without it
        logger.exception("the error page could not be drawn")
        page = (
            '<!doctype html><html lang="zh-hans"><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{status}</title><h1>{status}</h1><p>{escape(message)}</p>"
        )
        return HttpResponse(page, status=status)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return error_response(request, 413)
    if isinstance(exception, InvalidInput):
        return error_response(
            request, 400, code="invalid", message=exception.message, fields=exception.fields
        )
    return error_response(request, 400)


def not_found(request, exception=None):
    return error_response(request, 404)


def forbidden(request, exception=None):
    return error_response(request, 403)


def server_error(request):
    if is_database_unavailable(sys.exc_info()[1]):
        response = error_response(request, 503)
        response["Retry-After"] = "5"
        return response
    return error_response(request, 500)


def is_database_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what caused it) is the database not answering, rather than a bug:
    the server is down, restarting, or dropped the connection."""
    while exc is not None:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def csrf_failure(request, reason: str = ""):
    """A form posted without its token, or from another site: the reason stays in the log."""
    logger.info("CSRF check failed for %s: %s", request.path, reason)
    return error_response(
        request,
        403,
        code="csrf_failed",
        message=_(
            "This form has expired or came from another site. Reload the page and try again."
        ),
    )
