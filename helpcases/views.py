"""Help-case pages: youths ask for help, follow and join cases and evaluate the help; staff
work the queue and move a case through verification, coordination and the report back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from casework import presenters as deadline_presenters
from casework import routing
from casework.models import Team
from core.decorators import committee_reader, requires
from core.errors import ServiceError
from core.forms import posted_id
from core.links import on_portal
from franchise.privacy import mask_personal_data

from . import collective, presenters, selectors, services
from .forms import (
    ActionForm,
    EvaluateForm,
    JoinForm,
    ReportForm,
    ResolveForm,
    SubmitForm,
    VerifyForm,
)
from .models import Action, HelpCase


def _failed(request, form, exc: ServiceError) -> None:
    if form is not None and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        messages.error(request, exc.message)


def index(request):
    """The public cases (others may join them) and the way to ask for help."""
    page = Paginator(selectors.with_size(selectors.public_cases()), 20).get_page(
        request.GET.get("page")
    )
    for item in page:
        item.shown_title = mask_personal_data(item.title)  # the public reads it masked
    return render(
        request, "helpcases/index.html", {"page": page, "organisations": services.designatable()}
    )


@login_required
def submit(request):
    form = SubmitForm(request.POST or None, initial={"designated": request.GET.get("to")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.submit(
                youth=request.user,
                title=data["title"],
                body=data["body"],
                place=data["place"],
                needed_by=data["needed_by"],
                contact=data["contact"],
                category=data["category"] or None,
                designated=data["designated"],
                is_public=data["is_public"],
            )
        except ServiceError as exc:
            _failed(request, form, exc)
        else:
            messages.success(request, _("Your request was received; follow it here."))
            return redirect("helpcases:case", pk=case.pk)
    return render(request, "helpcases/submit.html", {"form": form})


@login_required
def mine(request):
    page = Paginator(selectors.cases_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "helpcases/mine.html", {"page": page})


def case(request, pk):
    """A case's tracking page: every step, masked for the public; members join or evaluate."""
    found = get_object_or_404(HelpCase.objects.select_related("category", "designated"), pk=pk)
    rights = selectors.rights_over(found, request.user)
    if rights is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    evaluate_form, join_form = EvaluateForm(), JoinForm()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        action = request.POST.get("action")
        form = EvaluateForm(request.POST) if action == "evaluate" else JoinForm(request.POST)
        if action not in ("evaluate", "join"):
            raise PermissionDenied
        if form.is_valid():
            try:
                if action == "evaluate":
                    services.evaluate(case=found, youth=request.user, **form.cleaned_data)
                    messages.success(request, _("Thank you: your evaluation is recorded."))
                else:
                    collective.join(
                        case=found, youth=request.user, details=form.cleaned_data["details"]
                    )
                    messages.success(request, _("You joined: you will be told as it goes on."))
            except ServiceError as exc:
                _failed(request, form, exc)
            else:
                return redirect("helpcases:case", pk=found.pk)
        evaluate_form, join_form = (
            (form, join_form) if action == "evaluate" else (evaluate_form, form)
        )
    evaluated = (
        request.user.is_authenticated
        and found.evaluations.filter(youth=request.user)
        .filter(Q(round=found.round) | Q(next=""))
        .exists()
    )
    user = request.user
    return render(
        request,
        "helpcases/case.html",
        {
            "shown": presenters.shown(found, rights),
            "rights": rights,
            "size": services.size(found),
            "may_evaluate": rights.is_member
            and not found.transferred_to
            and found.state in (HelpCase.State.REPORTED, HelpCase.State.EVALUATED)
            and not evaluated,
            "may_join": user.is_authenticated
            and not rights.is_member
            and found.is_public
            and not found.transferred_to
            and found.state in collective.JOINABLE,
            "evaluate_form": evaluate_form,
            "join_form": join_form,
            "question_url": _question_url(found),
            **_peers(request, found),
        },
    )


def _peers(request, case: HelpCase) -> dict:
    """Where a transferred case is handled, and where its youths follow it."""
    followed = case.transferred_to and on_portal(
        request, case.transferred_to, reverse("helpcases:mine")
    )
    return {**deadline_presenters.peers(case), "followed_at": followed or ""}


def _question_url(case: HelpCase) -> str:
    from django.urls import reverse

    return reverse("qa:question", args=[case.question_id]) if case.question_id else ""


# ---------------------------------------------------------------- the staff's side


@requires(committee_reader)
def queue(request):
    page = Paginator(selectors.queue(request.user), 20).get_page(request.GET.get("page"))
    for item in page:
        item.countdown = deadline_presenters.countdown(item.resolve_by)
    return render(request, "helpcases/queue.html", {"page": page})


STEPS = {
    "start": None,
    "claim": None,
    "verify": VerifyForm,
    "plan": ActionForm,
    "resolve": ResolveForm,
    "report": ReportForm,
    "release": None,
    "reject": None,
    "transfer": None,
}


def _step(request, found: HelpCase, step: str, form) -> None:
    user, data = request.user, form.cleaned_data if form is not None else {}
    if step == "start":
        services.start_verifying(case=found, actor=user)
    elif step == "claim":
        services.claim(case=found, user=user)
    elif step == "verify":
        services.verify(case=found, actor=user, **data)
    elif step == "plan":
        services.plan_action(case=found, actor=user, **data)
    elif step == "resolve":
        services.resolve(case=found, actor=user, **data)
    elif step == "report":
        services.report_back(case=found, actor=user, **data)
    elif step == "release":
        services.release(case=found, actor=user)
    elif step == "reject":
        services.reject(case=found, actor=user, reason=request.POST.get("reason", ""))
    elif step == "transfer":
        services.transfer(
            case=found,
            actor=user,
            to=request.POST.get("to", "").strip(),
            note=request.POST.get("note", ""),
        )


@requires(committee_reader)
def handle(request, pk):
    """One case on the workbench: its steps, and the forms for the step it is at."""
    found = get_object_or_404(HelpCase.objects.select_related("team", "category"), pk=pk)
    rights = selectors.rights_over(found, request.user)
    assert rights is not None  # a committee reader sees every case
    forms = {name: (cls() if cls else None) for name, cls in STEPS.items()}
    if request.method == "POST":
        if not rights.is_staff:
            raise PermissionDenied
        step = request.POST.get("action", "")
        if step == "done":
            action = get_object_or_404(Action, pk=posted_id(request.POST, "pk"), case=found)
            try:
                services.complete_action(action=action, actor=request.user)
            except ServiceError as exc:
                _failed(request, None, exc)
            return redirect("helpcases:handle", pk=found.pk)
        if step == "group":
            return _group(request, found)
        if step not in STEPS:
            raise PermissionDenied
        form = STEPS[step](request.POST) if STEPS[step] else None
        if form is None or form.is_valid():
            try:
                _step(request, found, step, form)
            except ServiceError as exc:
                _failed(request, form, exc)
            else:
                messages.success(request, _("Done: the youth sees this step on the case's page."))
                return redirect("helpcases:handle", pk=found.pk)
        if form is not None:
            forms[step] = form
    actions, verifications = found.actions.select_related("organisation"), found.verifications.all()
    if not rights.is_staff:  # readers from above read what staff wrote masked
        for row in [*actions, *verifications]:
            row.shown_text = mask_personal_data(getattr(row, "findings", "") or row.description)
    return render(
        request,
        "helpcases/handle.html",
        {
            "case": found,
            "shown": presenters.shown(found, rights),
            "rights": rights,
            "forms": forms,
            "size": services.size(found),
            "actions": actions,
            "verifications": verifications,
            "suggestions": collective.suggestions(found) if found.is_open else [],
            "respond": deadline_presenters.countdown(found.respond_by) if found.is_open else None,
            "resolve": deadline_presenters.countdown(found.resolve_by) if found.is_open else None,
            "countdown_words": deadline_presenters.countdown_words(),
            # A case moved on is handled where it went: here it is only read.
            "may_work": rights.is_staff
            and not found.transferred_to
            and routing.may_work_on(request.user, found.team),
            "teams": Team.objects.filter(is_active=True),
            "question_url": _question_url(found),
            "picker": deadline_presenters.transfer_picker(request, request.committee),
            **_peers(request, found),
        },
    )


def _group(request, found: HelpCase):
    others = [int(pk) for pk in request.POST.getlist("cases") if pk.isdecimal()]
    picked = [found, *HelpCase.objects.filter(pk__in=others).exclude(pk=found.pk)]
    try:
        demand = collective.group(
            actor=request.user, cases=picked, title=request.POST.get("title", "")
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("helpcases:handle", pk=found.pk)
    messages.success(request, _("Grouped into one collective demand."))
    return redirect("helpcases:handle", pk=demand.pk)


@requires(committee_reader)
def from_question(request, pk):
    """Turn a question that needs offline help into a help case (POST from its workbench)."""
    from qa.models import Question

    if request.method != "POST":
        raise PermissionDenied
    question = get_object_or_404(Question.objects.select_related("team", "asker"), pk=pk)
    try:
        case = services.from_question(question=question, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("qa:handle", pk=question.pk)
    messages.success(request, _("The question goes on as a help case; the asker follows it."))
    return redirect("helpcases:handle", pk=case.pk)
