"""The central standards in the central admin (core.admin_site): categories, sensitive terms,
the influence index's versions, the synonym list's (read here, saved on the console) and the
working calendar's holidays and weekend days worked."""

from django import forms
from django.contrib import admin
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.admin_site import PlatformAdmin, label, site

from .models import (
    CalendarDay,
    Category,
    IndexStandard,
    LocalSynonyms,
    SensitiveTerm,
    SynonymList,
)

label(
    Category,
    _("standard category"),
    _("standard categories"),
    code=_("code"),
    name_en=_("English name"),
    position=_("position"),
)
label(
    SensitiveTerm,
    _("sensitive term"),
    _("sensitive terms"),
    term=_("term"),
    created_at=_("added at"),
)


@admin.register(Category, site=site)
class CategoryAdmin(PlatformAdmin):
    """The nine codes are fixed (every committee's data maps to them): their names and
    default deadlines may change, the codes may not, and none is added or removed here."""

    list_display = ["code", "name", "position", "first_response_s", "resolution_s"]
    fields = ["code", "name", "name_en", "position", "first_response_s", "resolution_s"]
    readonly_fields = ["code"]

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SensitiveTerm, site=site)
class SensitiveTermAdmin(PlatformAdmin):
    """Terms are added and removed, never edited in place: every process reloads the list
    when its size or newest entry changes (franchise.screening)."""

    list_display = ["term", "created_at"]
    search_fields = ["term"]
    fields = ["term"]
    list_per_page = 200

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay, site=site)
class CalendarDayAdmin(PlatformAdmin):
    """The central working calendar (工作日历): the central office enters each year's
    holidays and weekend days worked as the State Council publishes them, and corrects them;
    every process counts deadlines on the change once saved (franchise.calendar).
    A date not listed is worked Monday to Friday and off at the weekend."""

    list_display = ["date", "weekday", "kind", "name"]
    list_filter = ["kind", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]
    fields = ["date", "kind", "name"]
    ordering = ["-date"]
    list_per_page = 100

    @admin.display(description=_("day of the week"), ordering="date")
    def weekday(self, day: CalendarDay) -> str:
        return formats.date_format(day.date, "l")


class IndexStandardForm(forms.ModelForm):
    class Meta:
        model = IndexStandard
        fields = [
            "version",
            "effective_from",
            "visit_weight",
            "league_answer_weight",
            "other_answer_weight",
            "help_weight",
            "activity_weight",
            "boost_threshold",
            "rating_prior_weight",
            "note",
        ]

    def clean_version(self):
        version = self.cleaned_data["version"]
        latest = IndexStandard.objects.aggregate(latest=Max("version"))["latest"] or 0
        if version <= latest:
            raise forms.ValidationError(
                _("A new version must be numbered after %(latest)s.") % {"latest": latest}
            )
        return version

    def clean_effective_from(self):
        day = self.cleaned_data["effective_from"]
        if day <= timezone.localdate():
            raise forms.ValidationError(
                _("A new version comes into force after today: past periods keep theirs.")
            )
        return day


@admin.register(IndexStandard, site=site)
class IndexStandardAdmin(PlatformAdmin):
    """Versioned: a period is scored with the version in force on its first day, so a
    version is never changed or removed; a new one is added from a future day."""

    form = IndexStandardForm
    list_display = [
        "version",
        "effective_from",
        "visit_weight",
        "league_answer_weight",
        "other_answer_weight",
        "help_weight",
        "activity_weight",
        "boost_threshold",
    ]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(PlatformAdmin):
    """Saved through the console's synonym pages (``franchise.services``), which check the
    list and make every process read it again; here they are only read."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SynonymList, site=site)
class SynonymListAdmin(ReadOnlyAdmin):
    list_display = ["version", "saved_at", "saved_by", "note"]
    fields = ["version", "saved_at", "saved_by", "note", "groups"]


@admin.register(LocalSynonyms, site=site)
class LocalSynonymsAdmin(ReadOnlyAdmin):
    list_display = ["committee", "version", "updated_at", "updated_by"]
    fields = ["committee", "version", "updated_at", "updated_by", "groups"]
    list_select_related = ["committee", "updated_by"]
