"""The central standards in the central admin (core.admin_site): categories, sensitive terms,
the influence index's and the standard score's versions, the synonym list's (read here, saved
on the console) and the working calendar's holidays and weekend days worked."""

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields as import_fields
from import_export import resources
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, TSV, XLSX

from core.admin_site import PlatformAdmin, label, site

from .models import (
    AssessmentStandard,
    CalendarDay,
    Category,
    IndexStandard,
    LocalSynonyms,
    ScoreStandard,
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


class SensitiveTermResource(resources.ModelResource):
    """The list as one column of terms: imported rows add the terms not listed yet (a term
    already listed is skipped, blanks and repeats too), exported rows are every term."""

    term = import_fields.Field(attribute="term", column_name="term")

    class Meta:
        model = SensitiveTerm
        fields = ["term"]
        import_id_fields = ["term"]
        report_skipped = False

    def before_import_row(self, row, **kwargs):
        row["term"] = str(row.get("term") or "").strip()

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return not row["term"] or original.pk is not None


@admin.register(SensitiveTerm, site=site)
class SensitiveTermAdmin(ImportExportMixin, PlatformAdmin):
    """Terms are added and removed, never edited in place: every process reloads the list
    when its size or newest entry changes (franchise.screening). Imported in bulk from a
    file (CSV, TSV or XLSX with a ``term`` column), previewed before it is saved, and
    exported the same way; each term added is in the change log."""

    resource_classes = [SensitiveTermResource]
    formats = [CSV, TSV, XLSX]
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


class VersionedForm(forms.ModelForm):
    """A new version of a versioned standard: numbered after the latest, in force from a
    future day, so that past periods keep the version they were computed with."""

    def clean_version(self):
        version = self.cleaned_data["version"]
        model = self._meta.model
        latest = model.objects.aggregate(latest=Max("version"))["latest"] or 0
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


class VersionedAdmin(PlatformAdmin):
    """Versioned: a period is computed with the version in force on its first day, so a
    version is never changed or removed; a new one is added from a future day. Before it is
    saved, "Preview" shows what it would change this period (``effect``)."""

    add_form_template = "franchise/admin/versioned_add.html"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def effect(self, proposed):
        """What ``proposed`` (unsaved) would change: a ``reporting.previews.Effect``."""
        raise NotImplementedError

    def add_view(self, request, form_url="", extra_context=None):
        if request.method == "POST" and "_preview" in request.POST:
            return self._preview(request, form_url)
        return super().add_view(request, form_url, extra_context)

    def _preview(self, request, form_url):
        form = self.get_form(request)(request.POST)
        effect = self.effect(form.save(commit=False)) if form.is_valid() else None
        admin_form = helpers.AdminForm(
            form,
            list(self.get_fieldsets(request)),
            self.get_prepopulated_fields(request),
            self.get_readonly_fields(request),
            model_admin=self,
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Add %s") % self.opts.verbose_name,
            "subtitle": None,
            "adminform": admin_form,
            "object_id": None,
            "original": None,
            "is_popup": False,
            "to_field": None,
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preserved_filters": self.get_preserved_filters(request),
            "effect": effect,
        }
        return self.render_change_form(request, context, add=True, form_url=form_url)


class IndexStandardForm(VersionedForm):
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


@admin.register(IndexStandard, site=site)
class IndexStandardAdmin(VersionedAdmin):
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

    def effect(self, proposed):
        from reporting import previews

        return previews.index_effect(proposed)


SCORE_FIELDS = [
    "version",
    "effective_from",
    "answer_weight",
    "help_weight",
    "booking_weight",
    "activity_weight",
    "prior_weight",
    "suspect_weight",
    "burst_accounts",
    "burst_window_s",
    "note",
]


class ScoreStandardForm(VersionedForm):
    class Meta:
        model = ScoreStandard
        fields = SCORE_FIELDS


@admin.register(ScoreStandard, site=site)
class ScoreStandardAdmin(VersionedAdmin):
    """The standard score's weights (青年评议标准分, ``reporting.standing``)."""

    form = ScoreStandardForm
    list_display = tuple(SCORE_FIELDS[:-1])

    def effect(self, proposed):
        from reporting import previews

        return previews.score_effect(proposed)


class ReadOnlyAdmin(PlatformAdmin):
    """Saved through the console's synonym pages (``franchise.services``), which check the
    list and make every process read it again; here they are only read."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentStandard, site=site)
class AssessmentStandardAdmin(ReadOnlyAdmin):
    """Published on the console's assessment standard page (``franchise.assessing``), which
    checks the weights and a province's latitude."""

    list_display = ["node", "version", "effective_from", "saved_by", "saved_at", "note"]
    list_select_related = ["node", "saved_by"]


@admin.register(SynonymList, site=site)
class SynonymListAdmin(ReadOnlyAdmin):
    list_display = ["version", "saved_at", "saved_by", "note"]
    fields = ["version", "saved_at", "saved_by", "note", "groups"]


@admin.register(LocalSynonyms, site=site)
class LocalSynonymsAdmin(ReadOnlyAdmin):
    list_display = ["committee", "version", "updated_at", "updated_by"]
    fields = ["committee", "version", "updated_at", "updated_by", "groups"]
    list_select_related = ["committee", "updated_by"]
