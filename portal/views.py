"""A committee's portal: the youth pages (mobile first) and the staff workbench."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core import access
from core import services as accounts
from core.api.query import parse_query
from core.decorators import committee_reader, requires
from core.errors import ServiceError
from core.models import Role
from qa.workbench import desk_context

from . import branding, mine, selectors, services
from .api.serializers import IconQuery
from .forms import GrantForm, NoticeForm
from .presenters import home_content


@require_safe
def home(request):
    return render(request, "portal/home.html", home_content(request.committee))


@require_safe
def notices(request):
    page = Paginator(selectors.notices_for(include_drafts=False), 20)
    return render(request, "portal/notices.html", {"page": page.get_page(request.GET.get("page"))})


@require_safe
def me(request):
    """我的: my questions, notifications and profile on this portal (a sign-in invitation for
    visitors)."""
    sections = mine.sections_for(request) if request.user.is_authenticated else []
    return render(request, "portal/me.html", {"sections": sections})


@require_safe
def favicon(request):
    """The committee's icon as a PNG (``?size=`` 32, 192 or 512)."""
    size = parse_query(IconQuery, request)["size"]
    response = HttpResponse(
        branding.icon_png(getattr(request, "committee", None), size), content_type="image/png"
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def web_manifest(request):
    response = JsonResponse(
        branding.manifest(getattr(request, "committee", None)),
        json_dumps_params={"ensure_ascii": False},
        content_type="application/manifest+json",
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


def notice_detail(request, pk):
    include_drafts = access.access_to(request.user, request.committee).can_read
    notice = get_object_or_404(selectors.notices_for(include_drafts=include_drafts), pk=pk)
    return render(request, "portal/notice.html", {"notice": notice})


@requires(committee_reader)
def workbench(request):
    """The staff workbench: notices (with the scheduled ones) and, for admins, staff roles."""
    grant = access.access_to(request.user, request.committee)
    notice_form, grant_form = NoticeForm(), GrantForm()
    if request.method == "POST":
        action = request.POST.get("action")
        may = {
            "notice": grant.has(Role.Kind.CADRE, Role.Kind.ADMIN),
            "grant": grant.has(Role.Kind.ADMIN),
        }
        if not grant.can_write or not may.get(action, False):
            raise PermissionDenied
        try:
            if action == "notice":
                notice_form = NoticeForm(request.POST)
                if notice_form.is_valid():
                    services.post_notice(author=request.user, **notice_form.cleaned_data)
                    messages.success(request, _("Notice saved."))
                    return redirect("portal:workbench")
            else:
                grant_form = GrantForm(request.POST)
                if grant_form.is_valid():
                    accounts.grant_role(
                        user=accounts.account_by_phone(grant_form.cleaned_data["phone"]),
                        committee=request.committee,
                        kind=grant_form.cleaned_data["kind"],
                    )
                    messages.success(request, _("Role granted."))
                    return redirect("portal:workbench")
        except ServiceError as exc:
            form = notice_form if action == "notice" else grant_form
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    notices = Paginator(selectors.notices_for(include_drafts=True), 20)
    return render(
        request,
        "portal/workbench.html",
        {
            **desk_context(request, grant),
            "grant": grant,
            "notice_form": notice_form,
            "grant_form": grant_form,
            "notices": notices.get_page(request.GET.get("page")),
            "staff": Role.objects.filter(committee=request.committee).select_related("user"),
        },
    )
