from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.errors import ServiceError

from . import services


@require_POST
def react(request):
    """A reaction button on a page: stored, then back to the page."""
    back = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    try:
        subject = services.load(request.POST.get("subject", ""), int(request.POST.get("id", 0)))
        services.react(youth=request.user, subject=subject, kind=request.POST.get("kind", ""))
    except (ServiceError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    return redirect(back)
