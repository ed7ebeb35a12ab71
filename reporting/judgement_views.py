"""青年评议 and 考核 pages: the standard scores ranked and each one's profile, the
assessment of the committees below with its files, and the assessment standard's versions."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import access
from core.errors import InvalidInput, ServiceError
from core.forms import posted_id
from franchise import assessing
from franchise.forms import AssessmentStandardForm
from franchise.models import AssessmentStandard
from tenants.models import Committee

from . import assessment, assessment_files, selectors
from . import standing as standing_rules
from .models import RatingFlag, StandardScore
from .scope import assessment_of, scope_of

STANDING_KINDS = {"account": gettext_lazy("Staff"), "team": gettext_lazy("Teams and organisations")}


@login_required
def standing(request):
    """青年评议标准分: the staff (or teams) of a committee or its subtree ranked by their
    standard score, each with the ratings behind it."""
    try:
        scope = scope_of(request, here=getattr(request, "committee", None))
    except InvalidInput as error:
        messages.error(request, error.message)
        return redirect(request.path)
    kind = request.GET.get("kind") if request.GET.get("kind") in STANDING_KINDS else "account"
    subtree = request.GET.get("subtree") == "1"
    found = selectors.standard_scores(scope.node, kind=kind, subtree=subtree)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    mine = selectors.standard_scores(scope.node, kind="account").filter(subject_id=request.user.pk)
    return render(
        request,
        "reporting/standing.html",
        {
            "node": scope.node,
            "page": page,
            "kind": kind,
            "kinds": list(STANDING_KINDS.items()),
            "subtree": subtree,
            "first_rank": page.start_index(),
            "mine": mine.first(),
            "standard": standing_rules.standard_for(selectors.local_day_now()),
            "may_review_flags": getattr(request, "committee", None) is None
            and access.is_central_admin(request.user),
        },
    )


@login_required
def standing_detail(request, pk: int):
    """One standard score: its terms, its ratings and where it ranks."""
    score = get_object_or_404(StandardScore.objects.select_related("committee"), pk=pk)
    here = getattr(request, "committee", None)
    readable = access.access_to(request.user, score.committee).can_read
    if not readable or (here is not None and not score.committee.is_within(here)):
        raise Http404
    return render(
        request,
        "reporting/standing_detail.html",
        {
            "score": score,
            "rank": selectors.rank_of(score),
            "terms": [(STANDING_TERMS.get(t, t), n, mean) for t, (n, mean) in score.terms.items()],
        },
    )


@login_required
def rating_flags(request):
    """The ratings the standard score flagged as suspect, for the central office to clear
    (they count in full) or confirm (they no longer count) from the next recompute; on the
    console only."""
    if getattr(request, "committee", None) is not None:
        raise Http404
    if not access.is_central_admin(request.user):
        raise PermissionDenied
    if request.method == "POST":
        flag = get_object_or_404(RatingFlag, pk=posted_id(request.POST, "pk"))
        try:
            standing_rules.decide(
                flag=flag, actor=request.user, decision=request.POST.get("decision", "")
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Reviewed: the scores follow from the next recompute."))
        return redirect(request.get_full_path())
    decision = request.GET.get("decision", "")
    if decision not in RatingFlag.Decision.values:
        decision = ""
    page = Paginator(selectors.rating_flags(decision), 50).get_page(request.GET.get("page"))
    page.object_list = selectors.with_people(page.object_list)
    return render(
        request,
        "reporting/rating_flags.html",
        {"page": page, "decision": decision, "decisions": RatingFlag.Decision.choices},
    )


STANDING_TERMS = {
    "answers": gettext_lazy("Answers to questions"),
    "help": gettext_lazy("Help cases"),
    "bookings": gettext_lazy("Youth-home services"),
    "activities": gettext_lazy("Activities"),
}


@login_required
def assessment_page(request):
    """考核: the committees below a node ranked for a month, a quarter or a year on every
    indicator, with the report to download as a PDF or an XLSX."""
    here = getattr(request, "committee", None)
    try:
        report = assessment_of(request, here=here)
    except InvalidInput as error:
        messages.error(request, error.message)
        return redirect(request.path)
    query = urlencode(
        {"node": report.node.code, "term": report.term.code, "level": report.level or ""}
    )
    return render(
        request,
        "reporting/assessment.html",
        {
            "report": report,
            "rows": assessment_files.cells_of(report),
            "files": {
                fmt: reverse("reporting:assessment-file", args=[fmt]) + "?" + query
                for fmt in assessment_files.FILES
            },
            "levels": Committee.Level.choices,
            "nodes": access.readable_committees(request.user).exclude(level="county")[:200]
            if here is None
            else [],
        },
    )


@login_required
def assessment_file(request, fmt: str):
    if fmt not in assessment_files.FILES:
        raise Http404
    try:
        report = assessment_of(request, here=getattr(request, "committee", None))
    except InvalidInput as error:
        messages.error(request, error.message)
        return redirect("reporting:assessment")
    return assessment_files.download(report, fmt)


def _standard_node(request) -> Committee | None:
    """Whose standard the page edits: the central one on the console, the province's own
    on a province's portal; PermissionDenied elsewhere."""
    here = getattr(request, "committee", None)
    if here is None:
        if not access.is_central_reader(request.user):
            raise PermissionDenied
        return None
    if here.level != Committee.Level.PROVINCE or not access.access_to(request.user, here).can_read:
        raise PermissionDenied
    return here


@login_required
def assessment_standard(request):
    """The assessment standard's versions, and a new one: previewed on the last month's
    assessment before it is published."""
    node = _standard_node(request)
    may_publish = assessing.may_publish(request.user, node)
    assessed = assessment.assessed_by(node)
    today = selectors.local_day_now()
    in_force = assessment.standard_for(assessed, today) if assessed else None
    form = AssessmentStandardForm(
        request.POST or None,
        indicators=[(i.code, i.label) for i in assessment.INDICATORS],
        initial_weights=in_force.weights if in_force else {},
        initial={"effective_from": today.replace(day=1) + timedelta(days=32)},
    )
    preview = None
    if request.method == "POST":
        if not may_publish:
            raise PermissionDenied
        if form.is_valid():
            try:
                weights = assessing.check_weights(
                    form.weights(), node=node, effective_from=form.cleaned_data["effective_from"]
                )
                if request.POST.get("action") == "publish":
                    assessing.publish(
                        actor=request.user,
                        node=node,
                        weights=weights,
                        effective_from=form.cleaned_data["effective_from"],
                        note=form.cleaned_data["note"],
                    )
                    messages.success(
                        request, _("Published: it assesses every period from that day.")
                    )
                    return redirect(request.path)
                preview = assessment.preview(
                    node,
                    weights=weights,
                    effective_from=form.cleaned_data["effective_from"],
                    today=today,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
    versions = AssessmentStandard.objects.filter(node=node).select_related("saved_by")
    return render(
        request,
        "reporting/assessment_standard.html",
        {
            "node": node,
            "form": form,
            "may_publish": may_publish,
            "versions": Paginator(versions, 10).get_page(request.GET.get("page")),
            "indicators": assessment.INDICATORS,
            "in_force": in_force,
            "preview": _compared(*preview) if preview else None,
        },
    )


def _compared(current, proposed) -> list[tuple]:
    """Each committee's rank and total now and under the proposed standard."""
    now = {row.committee.pk: row for row in current.rows}
    return [
        (
            row.committee,
            now[row.committee.pk].rank,
            now[row.committee.pk].total,
            row.rank,
            row.total,
        )
        for row in proposed.rows
    ]
