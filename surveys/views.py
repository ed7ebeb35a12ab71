"""Surveys' pages: the open ones, one to answer (its display conditions kept by the page's
script and by the service), and for the committee's staff publishing one, its results as
charts, and the export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.decorators import committee_reader, requires
from core.errors import ServiceError

from . import selectors, services
from .api.views import ExportView
from .forms import SurveyForm
from .models import Question, Survey


def index(request):
    """The surveys open now."""
    page = Paginator(selectors.open_surveys(), 20).get_page(request.GET.get("page"))
    return render(request, "surveys/index.html", {"page": page})


def _posted(request, survey: Survey) -> dict:
    """The answers as the form posts them, by the question's position."""
    answers: dict[int, object] = {}
    for question in survey.questions.all():
        name = f"q{question.position}"
        if question.kind == Question.Kind.MULTIPLE:
            answers[question.position] = [
                int(v) for v in request.POST.getlist(name) if v.isdecimal()
            ]
        elif question.kind == Question.Kind.MATRIX:
            answers[question.position] = {
                str(row): int(request.POST[f"{name}-{row}"])
                for row in range(len(question.rows))
                if request.POST.get(f"{name}-{row}", "").isdecimal()
            }
        elif question.kind == Question.Kind.RANKING:
            ranks = [request.POST.get(f"{name}-{i}", "") for i in range(len(question.options))]
            if all(r.isdecimal() for r in ranks):
                if len(set(map(int, ranks))) == len(ranks):
                    answers[question.position] = sorted(
                        range(len(ranks)), key=lambda i: int(ranks[i])
                    )
                else:  # two options given the same rank: not a ranking
                    answers[question.position] = "tie"
        elif question.kind == Question.Kind.TEXT:
            answers[question.position] = request.POST.get(name, "")
        else:
            value = request.POST.get(name, "")
            answers[question.position] = int(value) if value.isdecimal() else None
    return answers


def survey(request, pk):
    """A survey to answer, once."""
    found = get_object_or_404(Survey.objects.prefetch_related("questions"), pk=pk)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            services.respond(survey=found, youth=request.user, answers=_posted(request, found))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Thank you: your answers are in."))
            return redirect("surveys:index")
    return render(
        request,
        "surveys/survey.html",
        {"survey": found, "is_open": services.is_open(found), "posted": request.POST},
    )


@requires(committee_reader)
def staff(request):
    """The committee's surveys, and publishing one (sent to every committee below if
    asked)."""
    may_manage = services.may_manage(request.user)
    form = SurveyForm(request.POST or None)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                made = services.publish(actor=request.user, **form.cleaned_data)
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Published: youths can answer it now."))
                return redirect("surveys:results", pk=made.pk)
    page = Paginator(selectors.managed(), 20).get_page(request.GET.get("page"))
    return render(
        request, "surveys/staff.html", {"page": page, "form": form, "may_manage": may_manage}
    )


@login_required
def results(request, pk):
    """A survey's results as charts, per option counts and words; the export."""
    if not services.may_manage(request.user):
        raise PermissionDenied
    found = get_object_or_404(Survey.objects.prefetch_related("questions"), pk=pk)
    shown = selectors.results(found)
    charts = [
        {"id": f"chart-{r.question.position}", "labels": r.labels, "counts": r.counts}
        for r in shown.questions
        if r.counts
    ]
    return render(
        request,
        "surveys/results.html",
        {"results": shown, "survey": found, "charts": charts},
    )


def export(request, pk, fmt):
    """The export, as the API gives it, for the page's links."""
    return ExportView.as_view()(request, pk=pk, fmt=fmt)
