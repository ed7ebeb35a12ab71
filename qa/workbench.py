"""The staff workbench for questions: queues, handling one question, the supervision board
and a committee's set-up (teams, rules, deadlines, sub-categories, terms)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core import access
from core import services as accounts
from core.decorators import committee_reader, requires
from core.errors import InvalidInput, ServiceError
from core.forms import posted_id
from core.models import Role
from tenants.models import Committee

from . import presenters, selectors, services
from .forms import (
    DeadlineForm,
    LocalCategoryForm,
    LocalTermForm,
    MemberForm,
    ReplyForm,
    RuleForm,
    TeamForm,
    category_choices,
)
from .models import Deadline, LocalCategory, LocalTerm, Member, Question, Reply, RoutingRule, Team
from .views import act

QUEUE_NAMES = {
    "mine": _("My queue"),
    "team": _("Team queue"),
    "triage": _("Triage"),
    "overdue": _("Overdue"),
    "review": _("Review"),
}


def _grant(request) -> access.Access:
    return access.access_to(request.user, request.committee)


def _every_team(grant: access.Access) -> bool:
    return grant.has(Role.Kind.CADRE, Role.Kind.ADMIN) or not grant.can_write


@requires(committee_reader)
def queues(request):
    grant = _grant(request)
    name = request.GET.get("queue") or ("mine" if grant.can_write else "team")
    if name not in selectors.QUEUES:
        name = "mine"
    every_team = _every_team(grant)
    page = Paginator(selectors.queue(name, request.user, every_team=every_team), 20).get_page(
        request.GET.get("page")
    )
    # readers from above see the queues masked; the committee's own staff as written
    page.object_list = presenters.shown_all(
        page.object_list, presenters.STAFF if grant.can_write else presenters.PUBLIC
    )
    held_replies = list(selectors.review_replies()[:50]) if name == "review" else []
    return render(
        request,
        "qa/queues.html",
        {
            "grant": grant,
            "name": name,
            "tabs": [
                (key, QUEUE_NAMES[key], count)
                for key, count in selectors.queue_counts(
                    request.user, every_team=every_team
                ).items()
            ],
            "page": page,
            "held_replies": held_replies,
        },
    )


def _staff_action(request, question: Question, action: str) -> None:
    user, post = request.user, request.POST
    actions = {
        "claim": lambda: services.claim(question=question, user=user),
        "assign": lambda: services.assign(
            question=question, actor=user, assignee=posted_id(post, "assignee")
        ),
        "route": lambda: services.route(
            question=question,
            actor=user,
            team=posted_id(post, "team"),
            assignee=posted_id(post, "assignee") if post.get("assignee") else None,
        ),
        "reclassify": lambda: services.reclassify(
            question=question, actor=user, category=post.get("category", "")
        ),
        "transfer": lambda: services.transfer(
            question=question, actor=user, to=post.get("to", "").strip(), note=post.get("note", "")
        ),
        "close": lambda: services.close(
            question=question, actor=user, reason=post.get("reason", "")
        ),
        "answer": lambda: services.answer(
            question=question, author=user, body=post.get("body", "")
        ),
        "release": lambda: services.release(question=question, actor=user),
        "reject": lambda: services.reject(
            question=question, actor=user, reason=post.get("reason", "")
        ),
    }
    reviewing = {"release", "reject", "release_reply", "reject_reply"}
    if action in reviewing and not _grant(request).has(Role.Kind.CADRE, Role.Kind.ADMIN):
        raise PermissionDenied
    if action in ("release_reply", "reject_reply"):
        reply = get_object_or_404(Reply, pk=posted_id(post, "reply"), question=question)
        if action == "release_reply":
            act(request, lambda: services.release(reply=reply, actor=user))
        else:
            act(
                request,
                lambda: services.reject(reply=reply, actor=user, reason=post.get("reason", "")),
            )
        return
    if action not in actions:
        raise PermissionDenied
    try:
        act(request, actions[action])
    except InvalidInput:
        messages.error(request, _("Choose from the list."))


@requires(committee_reader)
def handle(request, pk):
    """One question as staff handle it: unmasked, with every action the state allows."""
    grant = _grant(request)
    question = get_object_or_404(
        Question.objects.select_related("category", "team", "asker"), pk=pk
    )
    if request.method == "POST":
        if not grant.can_write:
            raise PermissionDenied
        _staff_action(request, question, request.POST.get("action", ""))
        return redirect("qa:handle", pk=pk)
    rights = presenters.rights_over(question, user=request.user, grant=grant)
    attachments, attachment_count = presenters.attachments_for(question, rights)
    return render(
        request,
        "qa/handle.html",
        {
            "grant": grant,
            "question": presenters.shown(question, rights),
            "replies": presenters.shown_all(question.replies.select_related("author"), rights),
            "attachments": attachments,
            "attachment_count": attachment_count,
            "timeline": question.timeline.all(),
            "teams": Team.objects.filter(is_active=True),
            "members": Member.objects.filter(team=question.team, is_active=True).select_related(
                "user"
            )
            if question.team_id
            else [],
            "categories": category_choices(empty_label=None),
            "committees": Committee.objects.exclude(pk=request.committee.pk)
            .filter(status=Committee.Status.ACTIVE)
            .only("code", "name")[:300],
            "reply_form": ReplyForm(),
            "may_review": grant.can_write and grant.has(Role.Kind.CADRE, Role.Kind.ADMIN),
        },
    )


@requires(committee_reader)
def supervision(request):
    page = Paginator(selectors.supervision_board(), 20).get_page(request.GET.get("page"))
    return render(request, "qa/supervision.html", {"page": page})


SETUP_FORMS = {
    "team": TeamForm,
    "member": MemberForm,
    "rule": RuleForm,
    "deadline": DeadlineForm,
    "local_category": LocalCategoryForm,
    "term": LocalTermForm,
}
SETUP_MODELS = {
    "team": Team,
    "member": Member,
    "rule": RoutingRule,
    "deadline": Deadline,
    "local_category": LocalCategory,
    "term": LocalTerm,
}


def _save(kind: str, form) -> None:
    data = form.cleaned_data
    if kind == "member":
        user = accounts.account_by_phone(data["phone"])
        if selectors.member_taken(team=data["team"], user=user):
            raise ServiceError("duplicate", _("Already a member of this team."), field="phone")
        Member.objects.create(
            team=data["team"], user=user, kind=data["kind"], organisation=data["organisation"]
        )
    elif kind == "rule":
        local = LocalCategory.objects.filter(code=data["category"]).first()
        if selectors.rule_taken(category=data["category"], local_category=local):
            raise ServiceError(
                "duplicate", _("That category already has a rule."), field="category"
            )
        RoutingRule.objects.create(
            category_id=None if local else data["category"],
            local_category=local,
            team=data["team"],
            strategy=data["strategy"],
        )
    elif kind == "deadline":
        Deadline.objects.update_or_create(
            category=data["category"],
            defaults={
                "first_response_s": data["first_response_h"] * 3600,
                "resolution_s": data["resolution_h"] * 3600,
            },
        )
    else:
        form.save()


@requires(committee_reader)
def setup(request):
    """Teams and members, routing rules, deadlines, local sub-categories and terms."""
    grant = _grant(request)
    forms = {kind: form_class(prefix=kind) for kind, form_class in SETUP_FORMS.items()}
    if request.method == "POST":
        if not (grant.can_write and grant.has(Role.Kind.ADMIN)):
            raise PermissionDenied
        action, _sep, kind = request.POST.get("action", "").partition(":")
        if kind not in SETUP_FORMS:
            raise PermissionDenied
        if action == "delete":
            get_object_or_404(SETUP_MODELS[kind], pk=posted_id(request.POST, "pk")).delete()
            messages.success(request, _("Removed."))
            return redirect("qa:setup")
        forms[kind] = SETUP_FORMS[kind](request.POST, prefix=kind)
        if forms[kind].is_valid():
            try:
                _save(kind, forms[kind])
            except ServiceError as exc:
                field = exc.field if exc.field in forms[kind].fields else None
                forms[kind].add_error(field, exc.message)
            else:
                messages.success(request, _("Saved."))
                return redirect("qa:setup")
    return render(
        request,
        "qa/setup.html",
        {
            "grant": grant,
            "may_change": grant.can_write and grant.has(Role.Kind.ADMIN),
            "forms": forms,
            "teams": Team.objects.prefetch_related("members__user"),
            "rules": RoutingRule.objects.select_related("team", "local_category", "category"),
            "deadlines": Deadline.objects.select_related("category"),
            "local_categories": LocalCategory.objects.select_related("standard"),
            "terms": LocalTerm.objects.all(),
        },
    )
