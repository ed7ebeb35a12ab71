"""Error pages: JSON under /api/, a page in the portal's own look elsewhere."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.api.errors import error_body


def _answer(request, status, code, message):
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(code, message), status=status)
    return render(request, "error.html", {"status": status, "message": message}, status=status)


def not_found(request, exception=None):
    return _answer(request, 404, "not_found", _("This page does not exist."))


def forbidden(request, exception=None):
    return _answer(
        request, 403, "permission_denied", _("Your account may not open this page here.")
    )


def server_error(request):
    return _answer(
        request, 500, "server_error", _("Something went wrong on our side; it has been logged.")
    )
