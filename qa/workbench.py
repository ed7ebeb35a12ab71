"""The staff workbench for questions: queues, handling one question, the supervision board
and a committee's set-up (teams, rules, deadlines, sub-categories, terms)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import presenters as deadline_presenters
from casework.models import (
    Member,
    Team,
)
from core import access
from core.decorators import committee_reader, requires
from core.errors import InvalidInput, ServiceError
from core.forms import posted_id
from core.models import Role
from tenants.models import Committee

from . import handling, presenters, selectors, services
from .forms import (
    ConfirmForm,
    NoteForm,
    ReplyForm,
    category_choices,
)
from .models import Question, Reply

QUEUE_NAMES = {
    "mine": gettext_lazy("My queue"),
    "team": gettext_lazy("Team queue"),
    "triage": gettext_lazy("Triage"),
    "overdue": gettext_lazy("Overdue"),
    "review": gettext_lazy("Review"),
}


def _grant(request) -> access.Access:
    return access.access_to(request.user, request.committee)


def _every_team(grant: access.Access) -> bool:
    return grant.has(Role.Kind.CADRE, Role.Kind.ADMIN) or not grant.can_write


DESK_ROWS = 8


def desk_context(request, grant: access.Access) -> dict:
    """The workbench home's part on questions: my queue, what is overdue or due today
    (local time), and each team's backlog; titles masked for readers from above."""
    now = timezone.now()
    found = selectors.desk(
        request.user,
        every_team=_every_team(grant),
        now=now,
        day_ends=deadline_presenters.end_of_today(now),
    )
    lists = {}
    for key in ("mine", "overdue", "due_today"):
        rows = list(found[key][:DESK_ROWS])
        for question in rows:
            question.countdown = deadline_presenters.countdown(question.respond_by, now)
        rights = presenters.STAFF if grant.can_write else presenters.PUBLIC
        lists[key] = {"rows": presenters.shown_all(rows, rights), "count": found[key].count()}
    return {
        "desk": lists,
        "backlog": list(found["backlog"]),
        "triage": found["triage"],
        "countdown_words": deadline_presenters.countdown_words(),
    }


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
    for question in page:
        question.countdown = deadline_presenters.countdown(question.respond_by)
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
            "countdown_words": deadline_presenters.countdown_words(),
        },
    )


def _act(request, run, done) -> None:
    """Run a service for a form post and say what was done (``done(result)``); a refusal
    becomes an error message on the page."""
    try:
        result = run()
    except InvalidInput:
        messages.error(request, _("Choose from the list."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done(result))


def _answered(reply: Reply) -> str:
    if reply.state == Reply.State.PENDING_REVIEW:
        return _("Your answer is held for review (%(terms)s).") % {
            "terms": "、".join(reply.held_for)
        }
    return _("Your answer is published; the asker is told.")


def _transferred(question: Question) -> str:
    target = Committee.objects.filter(code=question.transferred_to).first()
    return _("Transferred to %(committee)s.") % {
        "committee": target.title if target else question.transferred_to
    }


CONFIRMED = {"close", "reject", "reject_reply"}


def _staff_action(request, question: Question, action: str) -> None:
    user, post = request.user, request.POST
    reason = ""
    if action in CONFIRMED:
        confirm = ConfirmForm(post)
        if not confirm.is_valid():
            messages.error(request, _("Nothing was done: confirm first."))
            return
        reason = confirm.cleaned_data["reason"]
    reviewing = {"release", "reject", "release_reply", "reject_reply"}
    if action in reviewing and not _grant(request).has(Role.Kind.CADRE, Role.Kind.ADMIN):
        raise PermissionDenied
    if action in ("release_reply", "reject_reply"):
        reply = get_object_or_404(Reply, pk=posted_id(post, "reply"), question=question)
        if action == "release_reply":
            _act(
                request,
                lambda: services.release(reply=reply, actor=user),
                lambda _r: _("The reply is published."),
            )
        else:
            _act(
                request,
                lambda: services.reject(reply=reply, actor=user, reason=reason),
                lambda _r: _("The reply is rejected: only staff see it."),
            )
        return
    actions = {
        "claim": (
            lambda: services.claim(question=question, user=user),
            lambda _q: _("Claimed: it is in your queue."),
        ),
        "assign": (
            lambda: services.assign(
                question=question, actor=user, assignee=posted_id(post, "assignee")
            ),
            lambda q: _("Assigned to %(name)s.") % {"name": q.assignee},
        ),
        "route": (
            lambda: services.route(
                question=question,
                actor=user,
                team=posted_id(post, "team"),
                assignee=posted_id(post, "assignee") if post.get("assignee") else None,
            ),
            lambda q: _("Routed to %(team)s.") % {"team": q.team.name},
        ),
        "reclassify": (
            lambda: services.reclassify(
                question=question, actor=user, category=post.get("category", "")
            ),
            lambda q: (
                _("Re-classified as %(category)s.")
                % {"category": q.local_category.name if q.local_category else q.category.name}
            ),
        ),
        "transfer": (
            lambda: services.transfer(
                question=question,
                actor=user,
                to=post.get("to", "").strip(),
                note=post.get("note", ""),
            ),
            _transferred,
        ),
        "close": (
            lambda: services.close(question=question, actor=user, reason=reason),
            lambda _q: _("The question is closed; the asker is told."),
        ),
        "answer": (
            lambda: services.answer(question=question, author=user, body=post.get("body", "")),
            _answered,
        ),
        "note": (
            lambda: handling.add_note(question=question, author=user, body=post.get("body", "")),
            lambda _n: _("Note added: only staff see it."),
        ),
        "release": (
            lambda: services.release(question=question, actor=user),
            lambda _r: _("Released: the question is open and routed."),
        ),
        "reject": (
            lambda: services.reject(question=question, actor=user, reason=reason),
            lambda _r: _("Rejected: the question is closed and never public."),
        ),
    }
    if action not in actions:
        raise PermissionDenied
    run, done = actions[action]
    _act(request, run, done)


@requires(committee_reader)
def handle(request, pk):
    """One question as staff handle it, with every action the state allows grouped by what
    it does, the internal notes beside the public answers, and the deadlines as countdowns."""
    grant = _grant(request)
    question = get_object_or_404(
        Question.objects.select_related("category", "team", "asker", "local_category"), pk=pk
    )
    if request.method == "POST":
        if not grant.can_write:
            raise PermissionDenied
        _staff_action(request, question, request.POST.get("action", ""))
        return redirect("qa:handle", pk=pk)
    picker = deadline_presenters.transfer_picker(request, request.committee)
    rights = presenters.rights_over(question, user=request.user, grant=grant)
    attachments, attachment_count = presenters.attachments_for(question, rights)
    every_team = _every_team(grant)
    return render(
        request,
        "qa/handle.html",
        {
            "grant": grant,
            "question": presenters.shown(question, rights),
            "attachments": attachments,
            "attachment_count": attachment_count,
            "phone": presenters.asker_phone(request.user, question, grant),
            **deadline_presenters.peers(question),
            "respond": deadline_presenters.countdown(question.respond_by)
            if question.is_open and not question.first_answered_at
            else None,
            "resolve": deadline_presenters.countdown(question.resolve_by)
            if question.is_open
            else None,
            "replies": presenters.shown_all(question.replies.select_related("author"), rights),
            "notes": presenters.shown_all(selectors.notes_of(question), rights),
            "note_form": NoteForm(),
            "templates": selectors.reply_templates_for(
                request.user, question, every_team=every_team
            )
            if grant.can_write
            else [],
            "timeline": question.timeline.all(),
            "teams": Team.objects.filter(is_active=True),
            "members": Member.objects.filter(team=question.team, is_active=True).select_related(
                "user"
            )
            if question.team_id
            else [],
            "categories": category_choices(empty_label=None),
            "picker": picker,
            "reply_form": ReplyForm(),
            "countdown_words": deadline_presenters.countdown_words(),
            "may_review": grant.can_write and grant.has(Role.Kind.CADRE, Role.Kind.ADMIN),
            "may_assign": grant.has(Role.Kind.CADRE, Role.Kind.ADMIN)
            or (question.team is not None and question.team.supervisor_id == request.user.pk),
        },
    )
