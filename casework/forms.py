"""The set-up forms of a committee's casework (teams, members, rules, deadlines, local
sub-categories and terms, ready answers, calendar) and the supervision board's urging."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DecimalField, ModelChoiceField
from franchise.models import Category

from .models import (
    CalendarAmendment,
    Deadline,
    LocalCategory,
    LocalTerm,
    Member,
    RoutingRule,
    Team,
)
from .services import organisation_problem
from .supervision import NOTE_MAX


def category_choices(*, empty_label) -> list[tuple[str, str]]:
    """Standard categories, each followed by this committee's sub-categories of it."""
    local: dict[str, list[LocalCategory]] = {}
    for sub in LocalCategory.objects.filter(is_active=True):
        local.setdefault(sub.standard_id, []).append(sub)
    choices = [("", empty_label)] if empty_label else []
    for category in Category.objects.all():
        choices.append((category.code, category.name))
        choices += [
            (sub.code, f"{category.name} · {sub.name}") for sub in local.get(category.code, [])
        ]
    return choices


class TeamForm(forms.ModelForm):
    """A team; an organisation also says whether it is of the League (团内) or outside
    (团外), what it serves and whether youths may designate it."""

    categories = forms.MultipleChoiceField(
        label=_("Categories served"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Team
        fields = ["name", "kind", "description", "sector", "categories", "contact", "is_listed"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [(c.code, c.name) for c in Category.objects.all()]

    def clean(self):
        data = super().clean()
        problem = organisation_problem(
            data.get("kind", ""), data.get("sector", ""), data.get("is_listed", False)
        )
        if problem:
            self.add_error(problem[0], problem[1])
        return data


class MemberForm(forms.ModelForm):
    phone = forms.CharField(label=_("Mobile number of the account"), max_length=20)

    class Meta:
        model = Member
        fields = ["team", "phone", "kind", "organisation"]
        field_classes = {"team": ModelChoiceField}
        labels = {"team": _("Team")}


class RuleForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"))
    team = ModelChoiceField(label=_("Team"), queryset=Team.objects.filter(is_active=True))
    strategy = forms.ChoiceField(label=_("Strategy"), choices=RoutingRule.Strategy.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(empty_label=None)


class DeadlineForm(forms.ModelForm):
    """A category's deadlines in working days (half a day is half a working day's hours)."""

    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all())
    first_response_days = DecimalField(
        label=_("First response within (working days)"),
        min_value=Decimal("0.1"),
        max_value=90,
        max_digits=4,
        decimal_places=1,
    )
    resolution_days = DecimalField(
        label=_("Resolution within (working days)"),
        min_value=Decimal("0.1"),
        max_value=180,
        max_digits=4,
        decimal_places=1,
    )

    class Meta:
        model = Deadline
        fields = ["category"]

    def clean(self):
        data = super().clean()
        first, resolve = data.get("first_response_days"), data.get("resolution_days")
        if first and resolve and first > resolve:
            self.add_error(
                "resolution_days", _("Resolution cannot come before the first response.")
            )
        return data


class LocalCategoryForm(forms.ModelForm):
    standard = forms.ModelChoiceField(label=_("Standard category"), queryset=Category.objects.all())

    class Meta:
        model = LocalCategory
        fields = ["code", "name", "standard"]

    def clean_code(self):
        code = self.cleaned_data["code"]
        if Category.objects.filter(code=code).exists():
            raise forms.ValidationError(_("That is a standard category's code."))
        return code


class LocalTermForm(forms.ModelForm):
    class Meta:
        model = LocalTerm
        fields = ["term"]


class ReplyTemplateForm(forms.Form):
    """A team's ready answer (常用回复), in the set-up page (``casework.services`` decides)."""

    team = ModelChoiceField(label=_("Team"), queryset=Team.objects.filter(is_active=True))
    title = forms.CharField(label=_("title"), max_length=40)
    body = forms.CharField(
        label=_("text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CalendarAmendmentForm(forms.ModelForm):
    class Meta:
        model = CalendarAmendment
        fields = ["date", "kind", "name"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class UrgeForm(forms.Form):
    note = forms.CharField(
        label=_("What do you expect of the handlers?"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_MAX}),
    )
