"""The youth's question pages: the archive, asking, my questions, one question."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import access
from core.errors import ServiceError
from franchise.models import Category
from franchise.privacy import mask_personal_data

from . import selectors, services
from .forms import AskForm


def archive(request):
    text = request.GET.get("q", "").strip()
    category = request.GET.get("category", "")
    questions = selectors.search_archive(text) if text else selectors.archive()
    if category:
        questions = questions.filter(category_id=category)
    page = Paginator(questions.select_related("category"), 20).get_page(request.GET.get("page"))
    for question in page:
        question.title = mask_personal_data(question.title)
    return render(
        request,
        "qa/archive.html",
        {
            "page": page,
            "q": text,
            "category": category,
            "categories": Category.objects.all(),
        },
    )


@login_required
def ask(request):
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = services.ask_question(
                asker=request.user,
                title=data["title"],
                body=data["body"],
                category=data["category"].code if data["category"] else None,
                is_anonymous=data["is_anonymous"],
                is_public=data["is_public"],
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
    return render(request, "qa/ask.html", {"form": form})


@login_required
def mine(request):
    page = Paginator(selectors.questions_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "qa/mine.html", {"page": page})


def question(request, pk):
    grant = access.access_to(request.user, request.committee)
    found = selectors.visible_question(pk=pk, user=request.user, is_staff=grant.can_read)
    if found is None:
        raise Http404
    mine = request.user.is_authenticated and found.asker_id == request.user.pk
    if not (grant.can_write or mine):
        found.title = mask_personal_data(found.title)
        found.body = mask_personal_data(found.body)
    return render(
        request,
        "qa/question.html",
        {
            "question": found,
            "timeline": found.timeline.all(),
            "mine": mine,
            "show_asker": grant.can_write or not found.is_anonymous,
        },
    )
