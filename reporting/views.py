"""The central console's and the provincial dashboards' pages (统一后台数据)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core import access
from core.api.query import parse_query
from core.decorators import central_admin, requires
from core.errors import InvalidInput, ServiceError
from core.links import on_portal
from core.models import AuditAccess
from franchise import campaigns as campaign_services
from franchise.forms import CampaignForm
from franchise.models import Campaign, Category
from tenants.models import Committee

from . import audit, selectors, tables
from . import campaigns as campaign_views
from .api.serializers import AuditPageQuery
from .scope import scope_of

FORMATS = {
    "csv": ("text/csv; charset=utf-8", tables.as_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        tables.as_xlsx,
    ),
}


@login_required
def dashboard(request):
    """A subtree at a glance: totals, charts, the committees below ranked, hot topics.
    Bad filters are named in a message and the committee is shown with the defaults."""
    try:
        scope = scope_of(request, here=getattr(request, "committee", None))
    except InvalidInput as error:
        messages.error(request, error.message)
        node = request.GET.get("node") if "node" not in error.fields else None
        return redirect(f"{request.path}?{urlencode({'node': node})}" if node else request.path)
    period = scope.period
    summary, rows = selectors.overview(scope.node, period, sort=scope.sort, level=scope.level)
    readable = set(
        access.readable_committees(request.user)
        .filter(pk__in=[row.committee.pk for row in rows])
        .values_list("pk", flat=True)
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    trend = selectors.trend(scope.node, period)
    by_category = selectors.by_category(scope.node, period)
    categories = list(Category.objects.all())
    return render(
        request,
        "reporting/dashboard.html",
        {
            "scope": scope,
            "summary": summary,
            "headline": {name: tables.cell(summary, name) for name in tables.ranked()},
            "trail": [(c, "?" + scope.query(node=c.code, level="", page="")) for c in scope.trail],
            "page": page,
            "rows": [
                (
                    row,
                    [tables.cell(row, n) for n in tables.ranked()],
                    "?" + scope.query(node=row.committee.code, level="")
                    if row.committee.pk in readable
                    else "",
                )
                for row in page
            ],
            "columns": [
                (name, tables.label(name), "?" + scope.query(sort=name)) for name in tables.ranked()
            ],
            "pages": {
                "previous": "?" + scope.query(page=page.previous_page_number())
                if page.has_previous()
                else "",
                "next": "?" + scope.query(page=page.next_page_number()) if page.has_next() else "",
            },
            "exports": {
                name: {
                    fmt: reverse("reporting:export", args=[name, fmt]) + "?" + scope.query()
                    for fmt in FORMATS
                }
                for name in tables.TABLES
            },
            "topics": selectors.hot_topics(scope.node, today=period.end, category=period.category),
            "topic_rule": {"weeks": selectors.USUAL_WEEKS, "least": selectors.MIN_QUESTIONS},
            "chart": {
                "days": [row["day"].isoformat() for row in trend],
                "asked": [row["asked"] for row in trend],
                "answered": [row["answered"] for row in trend],
                "visits": [row["visits"] for row in trend],
                "categories": [c.name for c in categories],
                "by_category": [by_category.get(c.code, {}).get("asked", 0) for c in categories],
            },
            "categories": categories,
            "levels": Committee.Level.choices,
            "standard": selectors.standard_in_force(period),
            "homes": selectors.homes_in(scope.node),
            "map_link": reverse("reporting:homes-map") + "?" + urlencode({"node": scope.node.code}),
            "is_central_admin": access.is_central_admin(request.user),
        },
    )


@login_required
def home_map(request):
    """The service map of a subtree (of the nation on the console): every youth home, from
    the national directory; drawn with no tile server."""
    try:
        scope = scope_of(request, here=getattr(request, "committee", None))
    except InvalidInput as error:
        messages.error(request, error.message)
        return redirect(request.path)
    points = reverse("api:report-homes-map") + "?" + urlencode({"node": scope.node.code})
    return render(
        request,
        "reporting/home_map.html",
        {
            "scope": scope,
            "homes": selectors.homes_in(scope.node),
            "points": points,
            "categories": Category.objects.all(),
            "is_central_admin": access.is_central_admin(request.user),
        },
    )


@login_required
def export(request, table: str, fmt: str):
    """A console table as a CSV or XLSX file, for the same filters as the page."""
    if table not in tables.TABLES or fmt not in FORMATS:
        raise Http404
    scope = scope_of(request, here=getattr(request, "committee", None))
    content_type, write = FORMATS[fmt]
    response = HttpResponse(write(tables.TABLES[table](scope)), content_type=content_type)
    name = f"{scope.node.code}-{table}-{scope.period.start}-{scope.period.end}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires(central_admin)
def audit_log(request):
    """Who read which committee's workbench from above."""
    found = AuditAccess.objects.select_related("user", "committee")
    code = parse_query(AuditPageQuery, request)["q"]
    if code:
        found = found.filter(committee__code=code)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/audit.html",
        {"page": page, "entries": audit.entries(page), "code": code},
    )


# ---------------------------------------------------------------- campaigns


@login_required
def campaigns_page(request):
    """The campaigns a reader sees; the central office (or a province for its subtree)
    launches one here."""
    here = getattr(request, "committee", None)
    form = CampaignForm(request.POST or None)
    nodes = [
        c
        for c in access.readable_committees(request.user)
        .filter(level__in=[Committee.Level.CENTRAL, Committee.Level.PROVINCE])
        .order_by("path")[:100]
        if campaign_services.may_launch(request.user, c)
    ]
    if request.method == "POST":
        node = next((c for c in nodes if c.code == request.POST.get("node")), None)
        if node is None:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            share = data.pop("panel_weight") / 100
            try:
                made = campaign_services.launch(
                    actor=request.user,
                    node=node,
                    vote_weight=1 - share,
                    panel_weight=share,
                    **data,
                )
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Launched: every committee below receives it."))
                return redirect("reporting:campaign", code=made.code)
    found = campaign_views.visible(request.user, here).order_by("-starts_on", "-id")
    return render(
        request,
        "reporting/campaigns.html",
        {
            "page": Paginator(found, 20).get_page(request.GET.get("page")),
            "form": form,
            "nodes": nodes,
            "committee": here,
        },
    )


@login_required
def campaign_page(request, code):
    """A campaign's national page: its figures per province and city, and the activities
    and entries published under it."""
    campaign = get_object_or_404(Campaign, code=code)
    node, level = campaign_views.scope(
        request.user,
        campaign,
        here=getattr(request, "committee", None),
        node=request.GET.get("node", ""),
        level=request.GET.get("level", ""),
    )
    totals, rows = campaign_views.rollup(campaign, node, level=level)
    columns = campaign_views.shown_columns(totals)
    activities = Paginator(campaign_views.listings(campaign, node, "activity"), 20)
    entries = Paginator(campaign_views.listings(campaign, node, "entry"), 20)
    activity_page = activities.get_page(request.GET.get("page"))
    for item in activity_page:
        item.url = on_portal(request, item.committee.code, item.link)
    entry_page = entries.get_page(request.GET.get("entries"))
    for item in entry_page:
        item.url = on_portal(request, item.committee.code, item.link)
    return render(
        request,
        "reporting/campaign.html",
        {
            "campaign": campaign,
            "node": node,
            "level": level,
            "totals": totals,
            "columns": [(c, tables.label(c), totals.figures[c]) for c in columns],
            "rows": [(row, [row.figures.get(c, 0) for c in columns]) for row in rows],
            "activities": activity_page,
            "entries": entry_page,
            "levels": Committee.Level.choices,
            "committee": getattr(request, "committee", None),
        },
    )
