"""The central figures in the central admin (core.admin_site): read-only, since only the
shipper and a rebuild may write them (each event counted exactly once)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_site import ReadOnlyAdmin, label, site

from .models import DailyFigures

label(
    DailyFigures,
    _("daily figures"),
    _("daily figures"),
    committee=_("committee"),
    is_subtree=_("with the committees below"),
    day=_("day"),
    category=_("category"),
    asked=_("asked"),
    answered=_("answered"),
    answered_by_league=_("answered by League cadres"),
    solved=_("solved"),
    overdue=_("overdue"),
    transferred_in=_("transferred in"),
    transferred_out=_("transferred out"),
    ratings=_("ratings"),
    rating_stars=_("stars"),
    ratings_high=_("ratings of 4–5 stars"),
    deflected=_("answers taken instead of asking"),
    visits=_("effective visits"),
)


@admin.register(DailyFigures, site=site)
class DailyFiguresAdmin(ReadOnlyAdmin):
    list_display = [
        "day",
        "committee",
        "is_subtree",
        "category",
        "asked",
        "answered",
        "solved",
        "overdue",
        "ratings",
        "visits",
    ]
    list_filter = ["is_subtree", "category"]
    search_fields = ["committee__code", "committee__name"]
    list_select_related = ["committee"]
    date_hierarchy = "day"
