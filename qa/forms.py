from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import IntegerField, ModelChoiceField
from franchise.models import Category

from .models import (
    Deadline,
    LocalCategory,
    LocalTerm,
    Member,
    Reply,
    RoutingRule,
    Team,
)


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


class AskForm(forms.Form):
    title = forms.CharField(label=_("Your question"), max_length=100)
    body = forms.CharField(
        label=_("Details (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    is_anonymous = forms.BooleanField(label=_("Ask anonymously"), required=False)
    is_public = forms.BooleanField(
        label=_("Others may read it once answered"), required=False, initial=True
    )
    # The answered question offered as the same one (the ask page's card), when asking anyway.
    offered = IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(empty_label=_("Let the platform choose"))


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}))


class RateForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("How much did it help?"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=500)


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "kind", "description"]


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
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all())
    first_response_h = IntegerField(
        label=_("First response within (hours)"), min_value=1, max_value=2160
    )
    resolution_h = IntegerField(label=_("Resolution within (hours)"), min_value=1, max_value=4320)

    class Meta:
        model = Deadline
        fields = ["category"]

    def clean(self):
        data = super().clean()
        first, resolve = data.get("first_response_h"), data.get("resolution_h")
        if first and resolve and first > resolve:
            self.add_error("resolution_h", _("Resolution cannot come before the first response."))
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
    """A team's ready answer (常用回复), in the set-up page (``qa.handling`` decides)."""

    team = ModelChoiceField(label=_("Team"), queryset=Team.objects.filter(is_active=True))
    title = forms.CharField(label=_("title"), max_length=40)
    body = forms.CharField(
        label=_("text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 2000}),
    )


class ConfirmForm(forms.Form):
    """Closing or rejecting needs ``confirm``: the page's dialog sets it, and without
    script the box must be ticked; nothing happens without it."""

    confirm = forms.BooleanField(label=_("I am sure"))
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


AUTHOR_KINDS = dict(Reply.AuthorKind.choices)
