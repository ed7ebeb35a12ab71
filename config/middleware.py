"""One guard in front of every view on every domain.

- A body larger than the platform takes is refused (413) before anything reads it: up to
  ``MAX_REQUEST_BYTES`` for uploads (multipart), ``DATA_UPLOAD_MAX_MEMORY_SIZE`` for any other
  body (DRF reads a JSON body whole, past Django's own limit).
- Control characters (NUL and the other C0 and C1 controls but tab and line breaks) and lone
  surrogates are refused (400) in the path, the query string, headers and cookies, form fields
  and file names, and in every key and string of a JSON body: no text the platform stores or
  shows needs them, and PostgreSQL refuses NUL outright.
- Django's bare 405 (``require_POST`` and the like) becomes the error page or the JSON shape.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from .errors import error_response

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_control_character(text: str) -> bool:
    return FORBIDDEN.search(text) is not None


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _json_strings(value, where: str) -> Iterator[tuple[str, str]]:
    """(where, text) of every key and string in a parsed JSON document."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{where}.{key}" if where else str(key)
            yield name, str(key)
            yield from _json_strings(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, f"{where}.{index}" if where else str(index))


def _texts(request: HttpRequest) -> Iterator[tuple[str, str]]:
    """(where, text) of everything a request carries that the platform may read as text."""
    yield "path", request.path
    for key, values in request.GET.lists():
        yield key, key
        for value in values:
            yield key, value
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str):
            yield key[5:].replace("_", "-").title(), value
    for key, value in request.COOKIES.items():
        yield "Cookie", key + value
    content_type = request.content_type or ""
    if request.method == "POST" and content_type in FORM_TYPES:
        for key, values in request.POST.lists():
            yield key, key
            for value in values:
                yield key, value
        for key, uploads in request.FILES.lists():
            for upload in uploads:
                yield key, upload.name or ""
    elif content_type == "application/json" or content_type.endswith("+json"):
        try:
            document = json.loads(request.body) if request.body else None
        except ValueError:
            return  # not JSON: the parser refuses it with a parse_error
        yield from _json_strings(document, "")


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed):
            answer = error_response(request, 405)
            answer["Allow"] = response["Allow"]
            return answer
        return response

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        is_upload = request.content_type == "multipart/form-data"
        limit = settings.MAX_REQUEST_BYTES if is_upload else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and _content_length(request) > limit:
            return error_response(request, 413)
        try:
            for where, text in _texts(request):
                if has_control_character(text):
                    message = _("Control characters are not allowed here.")
                    return error_response(
                        request,
                        400,
                        code="control_character",
                        message=message,
                        fields={where: [message]},
                    )
        except RequestDataTooBig:
            return error_response(request, 413)
        except (TooManyFieldsSent, TooManyFilesSent):
            return error_response(
                request, 400, code="too_many_fields", message=_("The form has too many fields.")
            )
        except MultiPartParserError:
            return error_response(
                request, 400, code="malformed_body", message=_("The form could not be read.")
            )
        return None
