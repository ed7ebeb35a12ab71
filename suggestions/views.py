"""吐槽我们' pages: the youth's (write one, see mine with their answers) and the staff's
(every suggestion, newest waiting first: answer it, adopt it with what changed)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.decorators import committee_reader, requires
from core.errors import ServiceError
from core.forms import posted_id

from . import selectors, services
from .models import Announcement, Suggestion


def roast(request):
    """吐槽我们: anyone reads what was adopted lately; a signed-in youth writes and sees
    their own suggestions with the answers."""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            services.submit(
                youth=request.user,
                body=request.POST.get("body", ""),
                about=request.POST.get("about", Suggestion.About.COMMITTEE),
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
            return render(
                request,
                "suggestions/roast.html",
                _roast_context(request, body=request.POST.get("body", "")),
                status=400,
            )
        messages.success(request, _("Sent: the committee will answer you here."))
        return redirect("suggestions:roast")
    return render(request, "suggestions/roast.html", _roast_context(request))


def _roast_context(request, body: str = "") -> dict:
    mine = None
    if request.user.is_authenticated:
        mine = Paginator(selectors.mine(request.user), 20).get_page(request.GET.get("page"))
    return {
        "mine": mine,
        "body": body,
        "abouts": Suggestion.About.choices,
        "about": request.POST.get("about", Suggestion.About.COMMITTEE),
        "announcements": Announcement.objects.select_related("notice").order_by("-week")[:4],
    }


@requires(committee_reader)
def workbench(request):
    """Every suggestion to this committee, those waiting first; its cadres and admins
    answer and adopt them, readers from above read them."""
    may_handle = services.may_handle(request.user)
    if request.method == "POST":
        if not may_handle:
            raise PermissionDenied
        found = get_object_or_404(Suggestion, pk=posted_id(request.POST, "pk"))
        action = request.POST.get("action", "")
        try:
            if action == "answer":
                text = request.POST.get("text", "")
                services.answer(suggestion=found, actor=request.user, text=text)
                messages.success(request, _("Answered: the youth is told."))
            elif action == "adopt":
                services.adopt(
                    suggestion=found, actor=request.user, change=request.POST.get("change", "")
                )
                messages.success(request, _("Adopted: it goes in next Monday's announcement."))
            else:
                raise PermissionDenied
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("suggestions:workbench")
    state = request.GET.get("state", "")
    page = Paginator(selectors.for_staff(state), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/workbench.html",
        {
            "page": page,
            "may_handle": may_handle,
            "state": state,
            "states": Suggestion.State.choices,
            "figures": selectors.figures(),
        },
    )
