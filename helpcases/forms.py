"""The help-case pages' forms: they parse; ``helpcases.services`` decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms import category_choices
from casework.models import Team
from core.forms import ModelChoiceField

from .models import Evaluation, Verification


class SubmitForm(forms.Form):
    title = forms.CharField(label=_("What do you need help with?"), max_length=100)
    body = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    place = forms.CharField(label=_("Where (optional)"), required=False, max_length=200)
    needed_by = forms.DateField(
        label=_("Needed by (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    contact = forms.CharField(
        label=_("How to reach you (optional)"),
        required=False,
        max_length=100,
        help_text=_("Only the staff handling your request see it."),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    designated = ModelChoiceField(
        label=_("An organisation you want to help (optional)"),
        required=False,
        queryset=Team.objects.none(),
        empty_label=_("Let the committee choose"),
    )
    is_public = forms.BooleanField(
        label=_("Others may read the details and join (your name and contact stay private)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        from . import services

        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(empty_label=_("Let the platform choose"))
        self.fields["designated"].queryset = services.designatable()


class VerifyForm(forms.Form):
    method = forms.ChoiceField(label=_("How"), choices=Verification.Method.choices)
    verified_on = forms.DateField(label=_("When"), widget=forms.DateInput(attrs={"type": "date"}))
    findings = forms.CharField(
        label=_("Findings"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verification.Verdict.choices)


class ActionForm(forms.Form):
    description = forms.CharField(label=_("What will be done"), max_length=500)
    organisation = ModelChoiceField(
        label=_("Organisation engaged (optional)"),
        required=False,
        queryset=Team.objects.filter(is_active=True),
    )
    resource = forms.CharField(
        label=_("Resource engaged (optional)"), required=False, max_length=100
    )
    due_on = forms.DateField(
        label=_("By (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ResolveForm(forms.Form):
    is_resolved = forms.TypedChoiceField(
        label=_("Outcome"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Resolved")), ("no", _("Could not be resolved"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Why not (if not resolved)"), required=False, max_length=500)


class ReportForm(forms.Form):
    report = forms.CharField(
        label=_("What was done, as the youth will read it"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EvaluateForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("How much did it help?"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    is_real = forms.TypedChoiceField(
        label=_("Did the help really happen as reported?"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
    )
    is_solved = forms.TypedChoiceField(
        label=_("Did it solve your problem?"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=500)
    next = forms.ChoiceField(
        label=_("If it did not work"),
        required=False,
        choices=Evaluation.Next.choices,
        widget=forms.RadioSelect,
    )


class JoinForm(forms.Form):
    details = forms.CharField(label=_("Your situation (optional)"), required=False, max_length=500)
