"""The synonym list's pages: the central office's on the console, a committee's additions on
its workbench."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import access
from core.decorators import committee_reader, requires
from core.errors import ServiceError
from core.models import Role
from tenants.models import Committee

from . import services, synonyms
from .forms import CentralSynonymsForm, SynonymsForm
from .models import LocalSynonyms, SynonymList

VERSIONS_PER_PAGE = 10


def _central_reader(request) -> bool:
    return access.is_central_reader(request.user)


def _save(form, save) -> bool:
    """Run ``save`` with the form's text; the service's refusals become the form's errors."""
    try:
        save(form.cleaned_data["text"])
    except ValidationError as exc:
        for message in exc.message_dict.get("groups", exc.messages):
            form.add_error("text", message)
        return False
    except ServiceError as exc:
        form.add_error("text", exc.message)
        return False
    return True


@requires(_central_reader)
def central(request):
    """同义词表: the central list in force, edited as text (a save is a new version), and
    every version with what it added and removed."""
    may_change = access.is_central_admin(request.user)
    latest = SynonymList.objects.order_by("-version").first()
    form = CentralSynonymsForm(
        initial={"text": synonyms.as_text(latest.groups if latest else synonyms.SEED.groups)}
    )
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        form = CentralSynonymsForm(request.POST)
        if form.is_valid() and _save(
            form,
            lambda text: services.publish(
                text, note=form.cleaned_data["note"], author=request.user
            ),
        ):
            messages.success(request, _("Saved as a new version."))
            return redirect("franchise:synonyms")
    versions = Paginator(
        SynonymList.objects.select_related("saved_by").order_by("-version"), VERSIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    history = []
    for row in versions:
        added, removed = synonyms.version_changes(row)
        history.append({"row": row, "added": added, "removed": removed})
    return render(
        request,
        "franchise/synonyms.html",
        {
            "form": form,
            "may_change": may_change,
            "latest": latest,
            "page": versions,
            "history": history,
        },
    )


@requires(committee_reader)
def local(request):
    """A committee's own synonyms: its additions, edited by its admins, beside the central
    groups and those its parents added, which apply here too."""
    committee = request.committee
    grant = access.access_to(request.user, committee)
    may_change = (
        grant.can_write
        and grant.has(Role.Kind.ADMIN)
        and committee.level != committee.Level.CENTRAL
    )
    row = LocalSynonyms.objects.select_related("updated_by").filter(committee=committee).first()
    form = SynonymsForm(initial={"text": synonyms.as_text(row.groups if row else [])})
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        form = SynonymsForm(request.POST)
        if form.is_valid() and _save(
            form, lambda text: services.set_local(committee, text, author=request.user)
        ):
            messages.success(request, _("Saved."))
            return redirect("franchise:local-synonyms")
    parts = synonyms.in_force(committee)
    names = dict(
        Committee.objects.filter(code__in=[code for code, _g in parts.additions]).values_list(
            "code", "name"
        )
    )
    return render(
        request,
        "franchise/local_synonyms.html",
        {
            "form": form,
            "may_change": may_change,
            "row": row,
            "parts": parts,
            "inherited": [
                (code, names.get(code, code), groups)
                for code, groups in parts.additions
                if code != committee.code
            ],
        },
    )
