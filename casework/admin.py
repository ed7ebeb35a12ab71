"""Supervision boards (督办) in the central admin (core.admin_site), read-only: the items
live in each parent committee's schema and arrive through the outbox. The list shows one
committee's board at a time (the central committee's unless another is chosen)."""

from urllib.parse import parse_qs

from django.contrib import admin
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context

from casework.models import SupervisionItem
from core.admin_site import ReadOnlyAdmin, label, site
from tenants.models import Committee

label(
    SupervisionItem,
    _("supervision item"),
    _("supervision items"),
    committee_code=_("committee code"),
    committee_name=_("committee"),
    subject_type=_("kind of item"),
    subject_id=_("number"),
    level=_("levels up"),
    title=_("title"),
    category=_("category"),
    team=_("team"),
    escalated_at=_("escalated at"),
    resolved_at=_("resolved at"),
    urge_count=_("urged"),
)

BOARD = "board"


def _boards():
    """Committees with committees below them: only they have a supervision board."""
    return Committee.objects.filter(children__isnull=False).distinct().order_by("path")


def board_of(request) -> Committee | None:
    """The committee whose board is asked for (also from a change page's way back)."""
    code = request.GET.get(BOARD)
    if code is None and "_changelist_filters" in request.GET:
        code = (parse_qs(request.GET["_changelist_filters"]).get(BOARD) or [None])[0]
    boards = _boards()
    if code:
        return boards.filter(code=code).first()
    return boards.filter(level=Committee.Level.CENTRAL).first() or boards.first()


class BoardFilter(admin.SimpleListFilter):
    title = _("supervision board of")
    parameter_name = BOARD

    def __init__(self, request, params, model, model_admin):
        self.board = board_of(request)  # a filter is made for each request
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [(c.code, c.name) for c in _boards()]

    def queryset(self, request, queryset):
        return queryset  # the board is the schema the list is read from

    def choices(self, changelist):
        for code, name in self.lookup_choices:
            yield {
                "selected": self.board is not None and self.board.code == code,
                "query_string": changelist.get_query_string({BOARD: code}),
                "display": name,
            }


@admin.register(SupervisionItem, site=site)
class SupervisionItemAdmin(ReadOnlyAdmin):
    list_display = [
        "escalated_at",
        "committee_name",
        "subject_id",
        "level",
        "title",
        "category",
        "team",
        "resolved_at",
    ]
    list_filter = [BoardFilter]
    search_fields = ["title", "committee_code", "committee_name"]

    def _in_board(self, request, view, *args, **kwargs):
        board = board_of(request)
        if board is None:
            raise Http404
        with schema_context(board.schema_name):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()  # the template reads the items: still in the board's schema
        return response

    def changelist_view(self, request, extra_context=None):
        return self._in_board(request, super().changelist_view, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self._in_board(request, super().change_view, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        return self._in_board(request, super().history_view, object_id, extra_context)
