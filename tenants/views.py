"""The central console (on the bare base domain): committees, onboarding, suspension, and the
outbox's dead messages."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core import access
from core.api.query import parse_query
from core.decorators import central_admin, requires
from core.errors import InvalidInput, ServiceError
from core.forms import posted_id

from . import selectors, services
from .api.serializers import ConsoleQuery, DirectoryQuery
from .forms import BrandingForm, DiscardForm, ProvisionForm, StatusForm
from .models import Committee, OutboxMessage


def console_home(request):
    """The committees the account may read (the nation for the central office, its subtree for
    a province admin); a portal finder for everyone else."""
    readable = access.readable_committees(request.user)
    if not readable.exists():
        return landing(request)
    committees = readable.select_related("parent")
    filters = parse_query(ConsoleQuery, request)
    level, query = filters.get("level"), filters["q"]
    if level:
        committees = committees.filter(level=level)
    if query:
        committees = committees.filter(Q(name__icontains=query) | Q(code__startswith=query))
    counts = dict(readable.order_by().values_list("status").annotate(n=Count("pk")))
    return render(
        request,
        "tenants/console.html",
        {
            "page": Paginator(committees, 50).get_page(request.GET.get("page")),
            "levels": Committee.Level.choices,
            "level": level,
            "q": query,
            "can_manage": access.is_central_admin(request.user),
            "counts": {status: counts.get(status, 0) for status in Committee.Status.values},
        },
    )


LANDING_ROWS = 30


def landing(request):
    """The public landing page: any committee's portal, found by name or through the tree
    (the roots with the level below open; a branch opens in place with script, or by link)."""
    query = parse_query(DirectoryQuery, request)
    found, parent = query["q"], query["parent"]
    context: dict = {"q": found, "parent": parent, "results": None, "roots": []}
    if found or parent:
        results = Paginator(selectors.directory(q=found, parent=parent), LANDING_ROWS)
        context["results"] = results.get_page(request.GET.get("page"))
        context["branch"] = Committee.objects.filter(code=parent).first() if parent else None
    else:
        roots = list(selectors.directory())
        for root in roots:
            root.below = list(selectors.directory(parent=root.code)[:100])
        context["roots"] = roots
    return render(request, "tenants/landing.html", context)


def _may_read(request) -> bool:
    code = request.resolver_match.kwargs["code"]
    return access.readable_committees(request.user).filter(code=code).exists()


@requires(central_admin)
def onboard(request):
    """Onboard a committee: schema, portal address, branding and its first admin."""
    form = ProvisionForm(
        request.POST or None, request.FILES or None, initial={"parent": request.GET.get("parent")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.provision_committee(**form.cleaned_data)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("%(name)s is on the platform.") % {"name": committee.name})
            return redirect("tenants:detail", code=committee.code)
    return render(request, "tenants/onboard.html", {"form": form})


@requires(_may_read)
def committee_detail(request, code):
    committee = get_object_or_404(Committee.objects.select_related("parent"), code=code)
    can_manage = access.is_central_admin(request.user)
    status_form = StatusForm(initial={"status": committee.status})
    branding_form = BrandingForm(
        initial={
            "display_name": committee.display_name,
            "primary_colour": committee.primary_colour,
            "slogan": committee.slogan,
        }
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        try:
            if request.POST.get("action") == "status":
                status_form = StatusForm(request.POST)
                if status_form.is_valid():
                    services.set_status(committee=committee, **status_form.cleaned_data)
                    messages.success(request, _("Status changed."))
                    return redirect("tenants:detail", code=code)
            else:
                branding_form = BrandingForm(request.POST, request.FILES)
                if branding_form.is_valid():
                    services.update_branding(committee=committee, **branding_form.cleaned_data)
                    messages.success(request, _("Branding saved."))
                    return redirect("tenants:detail", code=code)
        except ServiceError as exc:
            branding_form.add_error(
                exc.field if exc.field in branding_form.fields else None, exc.message
            )
    return render(
        request,
        "tenants/detail.html",
        {
            "c": committee,
            "can_manage": can_manage,
            "status_form": status_form,
            "branding_form": branding_form,
            "children": committee.children.all(),
            "admins": committee.roles.filter(kind="admin").select_related("user"),
        },
    )


def _central_reader(request) -> bool:
    return access.is_central_reader(request.user)


DEAD_PER_PAGE = 50


@requires(_central_reader)
def outbox(request):
    """发件箱: the dead messages, each holding up its receiver's later ones, which the central
    admin retries (once the cause is fixed) or discards; and what was done to them."""
    may_act = access.is_central_admin(request.user)
    if request.method == "POST":
        if not may_act:
            raise PermissionDenied
        action = request.POST.get("action")
        if action not in ("retry", "discard"):
            raise InvalidInput({"action": [_("Retry or discard.")]})
        message = get_object_or_404(OutboxMessage, pk=posted_id(request.POST, "message"))
        try:
            if action == "discard":
                form = DiscardForm(request.POST)
                if not form.is_valid():
                    first = next(iter(form.errors.values()))
                    messages.error(request, first[0])
                    return redirect("tenants:outbox")
                services.discard_message(
                    message=message, actor=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(
                    request,
                    _("Message #%(id)s is discarded; %(receiver)s's later messages go on.")
                    % {"id": message.pk, "receiver": message.receiver},
                )
            else:
                services.retry_message(message=message, actor=request.user)
                messages.success(
                    request,
                    _("Message #%(id)s will be delivered again, ahead of the ones behind it.")
                    % {"id": message.pk},
                )
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("tenants:outbox")
    return render(
        request,
        "tenants/outbox.html",
        {
            "page": Paginator(selectors.dead_messages(), DEAD_PER_PAGE).get_page(
                request.GET.get("page")
            ),
            "counts": selectors.outbox_counts(),
            "actions": selectors.outbox_actions(),
            "may_act": may_act,
            "max_attempts": settings.OUTBOX_MAX_ATTEMPTS,
        },
    )
