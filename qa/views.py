"""The youth's question pages: the archive, asking, my questions, one question."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core import access
from core.api.query import parse_query
from core.errors import ServiceError
from core.forms import posted_id
from franchise import synonyms
from franchise.models import Category
from franchise.text import query_words, written_forms
from portal.presenters import question_items
from ratings.services import rating_of
from reporting.services import record_visit

from . import presenters, selectors, services
from .api.serializers import ArchivePageQuery
from .forms import AskForm, RateForm, ReplyForm
from .models import Attachment


def archive(request):
    query = parse_query(ArchivePageQuery, request)
    text, category, waiting = query["q"], query.get("category"), query["open"]
    if waiting:
        questions = selectors.open_questions()
    else:
        questions = selectors.search_archive(text) if text else selectors.archive()
    if category:
        questions = questions.filter(category=category)
    page = Paginator(selectors.with_list_facts(questions), 20).get_page(request.GET.get("page"))
    thesaurus = synonyms.current()
    searched = (
        written_forms(query_words(text, thesaurus), thesaurus) if text and not waiting else []
    )
    return render(
        request,
        "qa/archive.html",
        {
            "page": page,
            "items": question_items(page, found=searched),
            "q": text,
            "category": category.code if category else "",
            "categories": Category.objects.all(),
            "open": waiting,
        },
    )


@login_required
def ask(request):
    """Ask; the answered question saying the same thing is offered first (a card above the
    form's submit, filled by the page's script while typing, or shown here when the form is
    sent before it was): taking its answer asks nothing, "ask anyway" posts."""
    if request.method == "POST" and "take" in request.POST:
        return _take_existing_answer(request)
    form = AskForm(request.POST or None)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["offered"] is None:
            duplicate = selectors.duplicate_among(
                selectors.similar_questions(data["title"], data["body"], limit=1)
            )
        if duplicate is not None:
            # Not posted: the same form again, noting what was offered, under the card.
            form = AskForm({**request.POST.dict(), "offered": duplicate[0].pk})
            form.is_valid()
        else:
            try:
                question = services.ask_question(
                    asker=request.user,
                    title=data["title"],
                    body=data["body"],
                    category=data["category"] or None,
                    is_anonymous=data["is_anonymous"],
                    is_public=data["is_public"],
                    attachments=request.FILES.getlist("attachments"),
                    offered=data["offered"],
                )
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(
                    request,
                    _("Your question was received (%(category)s).")
                    % {"category": question.category.name},
                )
                return redirect("qa:question", pk=question.pk)
    return render(
        request, "qa/ask.html", {"form": form, "duplicate": presenters.duplicate_card(duplicate)}
    )


def _take_existing_answer(request):
    question = selectors.answered_question(posted_id(request.POST, "offered"))
    if question is None:
        raise Http404
    services.take_existing_answer(question=question, youth=request.user)
    messages.success(request, _("Glad this answer solved it; nothing was asked."))
    return redirect("qa:question", pk=question.pk)


@login_required
def mine(request):
    mine = selectors.with_list_facts(selectors.questions_of(request.user))
    page = Paginator(mine, 20).get_page(request.GET.get("page"))
    # The asker reads their own questions as written.
    return render(
        request, "qa/mine.html", {"page": page, "items": question_items(page, masked=False)}
    )


def act(request, run) -> None:
    """Run a service for a form post; its refusal becomes a message on the page."""
    try:
        run()
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))


def _youth_action(request, question, action: str) -> None:
    user, post = request.user, request.POST
    if action == "answer":
        act(
            request,
            lambda: services.answer(question=question, author=user, body=post.get("body", "")),
        )
    elif action == "follow_up":
        act(
            request,
            lambda: services.follow_up(question=question, asker=user, body=post.get("body", "")),
        )
    elif action == "solve":
        act(request, lambda: services.solve(question=question, asker=user))
    elif action == "rate":
        form = RateForm(post)
        if not form.is_valid():
            messages.error(request, _("Give 1 to 5 stars."))
            return
        act(request, lambda: services.rate(question=question, rater=user, **form.cleaned_data))
    elif action == "dislike":
        reply = question.replies.filter(pk=posted_id(post, "reply")).first()
        if reply is None:
            raise Http404
        act(request, lambda: services.dislike(reply=reply, user=user))
    else:
        raise Http404


def question(request, pk):
    grant = access.access_to(request.user, request.committee)
    found = selectors.visible_question(pk=pk, user=request.user, is_staff=grant.can_read)
    if found is None:
        raise Http404
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        _youth_action(request, found, request.POST.get("action", ""))
        return redirect("qa:question", pk=pk)
    record_visit(
        request,
        committee=request.committee,
        grant=grant,
        post_type="question",
        post_id=found.pk,
        category=found.category_id,
    )
    rights = presenters.rights_over(found, user=request.user, grant=grant)
    mine = rights.is_asker
    replies = selectors.replies_for(found, user=request.user, is_staff=grant.can_read)
    attachments, attachment_count = presenters.attachments_for(found, rights)
    return render(
        request,
        "qa/question.html",
        {
            "question": presenters.shown(found, rights),
            "timeline": found.timeline.all(),
            "replies": presenters.shown_all(replies, rights),
            "attachments": attachments,
            "attachment_count": attachment_count,
            "mine": mine,
            "staff": rights.is_staff,
            "show_asker": rights.sees_asker,
            "rating": rating_of(found, request.user) if mine else None,
            "rate_form": RateForm(),
            "reply_form": ReplyForm(),
            "handed_off": selectors.handed_off_to(found),
        },
    )


@login_required
def attachment(request, pk, attachment):
    """An attached image: for the asker and the staff handling the question; refused (403) to
    anyone else who may open the question, readers from above included."""
    grant = access.access_to(request.user, request.committee)
    found = selectors.visible_question(pk=pk, user=request.user, is_staff=grant.can_read)
    if found is None:
        raise Http404
    if not presenters.rights_over(found, user=request.user, grant=grant).sees_attachments:
        raise PermissionDenied
    image = get_object_or_404(Attachment, pk=attachment, question=found)
    return FileResponse(image.file.open("rb"), content_type=image.content_type)
