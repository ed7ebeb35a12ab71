"""A committee's casework pages: its set-up (teams, members, rules, deadlines, local
sub-categories and terms, ready answers, calendar), its supervision board (督办) and its
truthfulness reviews (真实度复核)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core import access
from core import services as accounts
from core.decorators import committee_reader, requires
from core.errors import ServiceError
from core.forms import posted_id
from core.links import on_portal
from core.models import Role

from . import presenters, selectors, services, truth
from . import supervision as supervision_service
from .deadlines import DAY_S
from .forms import (
    CalendarAmendmentForm,
    DeadlineForm,
    LocalCategoryForm,
    LocalTermForm,
    MemberForm,
    ReplyTemplateForm,
    RuleForm,
    TeamForm,
    UrgeForm,
)
from .models import (
    CalendarAmendment,
    Deadline,
    LocalCategory,
    LocalTerm,
    Member,
    ReplyTemplate,
    RoutingRule,
    SupervisionItem,
    Team,
    TruthReview,
)


def _grant(request) -> access.Access:
    return access.access_to(request.user, request.committee)


@requires(committee_reader)
def supervision(request):
    """This committee's supervision board (督办); its cadres and admins urge (催办) items."""
    grant = _grant(request)
    may_urge = grant.can_write and grant.has(Role.Kind.CADRE, Role.Kind.ADMIN)
    form = UrgeForm()
    if request.method == "POST":
        if not may_urge:
            raise PermissionDenied
        item = get_object_or_404(SupervisionItem, pk=posted_id(request.POST, "pk"))
        form = UrgeForm(request.POST)
        if form.is_valid():
            try:
                supervision_service.urge(
                    item=item, actor=request.user, note=form.cleaned_data["note"]
                )
            except ServiceError as exc:
                form.add_error("note", exc.message)
            else:
                messages.success(
                    request,
                    _("Urged: %(committee)s is told.") % {"committee": item.committee_name},
                )
                return redirect("casework:supervision")
    page = Paginator(selectors.supervision_board(), 20).get_page(request.GET.get("page"))
    for item in page:
        item.url = presenters.item_url(request, item)
    return render(
        request, "casework/supervision.html", {"page": page, "may_urge": may_urge, "form": form}
    )


@requires(committee_reader)
def truth_reviews(request):
    """What youths said did not happen as described, on the committees below (真实度复核):
    this committee's admins confirm or dismiss each; its readers see them."""
    may_review = truth.may_review(request.user)
    if request.method == "POST":
        if not may_review:
            raise PermissionDenied
        review = get_object_or_404(TruthReview, pk=posted_id(request.POST, "pk"))
        action = request.POST.get("action", "")
        if action not in ("confirm", "dismiss"):
            raise PermissionDenied
        try:
            truth.decide(
                review=review,
                actor=request.user,
                is_fake=action == "confirm",
                note=request.POST.get("note", ""),
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Decided: the committee that holds it is told."))
        return redirect("casework:truth-reviews")
    page = Paginator(truth.reviews(), 20).get_page(request.GET.get("page"))
    for review in page:
        review.url = on_portal(request, review.source_committee, review.link)
        if review.state == TruthReview.State.OPEN:
            review.countdown = presenters.countdown(review.resolve_by)
    return render(request, "casework/truth_reviews.html", {"page": page, "may_review": may_review})


SETUP_FORMS = {
    "team": TeamForm,
    "member": MemberForm,
    "rule": RuleForm,
    "deadline": DeadlineForm,
    "local_category": LocalCategoryForm,
    "term": LocalTermForm,
    "template": ReplyTemplateForm,
    "day": CalendarAmendmentForm,
}
SETUP_MODELS = {
    "team": Team,
    "member": Member,
    "rule": RoutingRule,
    "deadline": Deadline,
    "local_category": LocalCategory,
    "term": LocalTerm,
    "template": ReplyTemplate,
    "day": CalendarAmendment,
}


def _save(kind: str, form, user) -> None:
    data = form.cleaned_data
    if kind == "template":
        services.save_reply_template(
            actor=user, team=data["team"], title=data["title"], body=data["body"]
        )
    elif kind == "member":
        services.add_member(
            team=data["team"],
            user=accounts.account_by_phone(data["phone"]),
            kind=data["kind"],
            organisation=data["organisation"],
        )
    elif kind == "rule":
        services.add_rule(category=data["category"], team=data["team"], strategy=data["strategy"])
    elif kind == "deadline":
        services.set_deadline(
            category=data["category"],
            first_response_s=int(data["first_response_days"] * DAY_S),
            resolution_s=int(data["resolution_days"] * DAY_S),
        )
    else:
        form.save()


@requires(committee_reader)
def setup(request):
    """Teams and members, routing rules, deadlines, local sub-categories and terms, ready
    answers and the calendar: one page for every domain's casework."""
    grant = _grant(request)
    forms = {kind: form_class(prefix=kind) for kind, form_class in SETUP_FORMS.items()}
    may_change = grant.can_write and grant.has(Role.Kind.ADMIN)
    may_edit_templates = grant.can_write and grant.has(*services.TEMPLATE_EDITORS)
    if request.method == "POST":
        action, _sep, kind = request.POST.get("action", "").partition(":")
        if kind not in SETUP_FORMS:
            raise PermissionDenied
        if not (may_edit_templates if kind == "template" else may_change):
            raise PermissionDenied
        if action == "delete":
            row = get_object_or_404(SETUP_MODELS[kind], pk=posted_id(request.POST, "pk"))
            if kind == "template":
                services.delete_reply_template(actor=request.user, template=row)
            else:
                row.delete()
            messages.success(request, _("Removed."))
            return redirect("casework:setup")
        forms[kind] = SETUP_FORMS[kind](request.POST, prefix=kind)
        if forms[kind].is_valid():
            try:
                _save(kind, forms[kind], request.user)
            except ServiceError as exc:
                field = exc.field if exc.field in forms[kind].fields else None
                forms[kind].add_error(field, exc.message)
            else:
                messages.success(request, _("Saved."))
                return redirect("casework:setup")
    return render(
        request,
        "casework/setup.html",
        {
            "grant": grant,
            "may_change": may_change,
            "may_edit_templates": may_edit_templates,
            "forms": forms,
            "templates": ReplyTemplate.objects.select_related("team"),
            "teams": Team.objects.prefetch_related("members__user"),
            "rules": RoutingRule.objects.select_related("team", "local_category", "category"),
            "deadlines": Deadline.objects.select_related("category"),
            "local_categories": LocalCategory.objects.select_related("standard"),
            "terms": LocalTerm.objects.all(),
            "days": CalendarAmendment.objects.all(),
        },
    )
