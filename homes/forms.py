from django import forms
from django.utils.translation import gettext_lazy as _

from franchise.models import Category


class ConsultForm(forms.Form):
    """A youth's question to a home."""

    title = forms.CharField(label=_("Your question"), max_length=100)
    body = forms.CharField(
        label=_("Details"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HomeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    address = forms.CharField(label=_("Address"), max_length=200)
    district = forms.CharField(label=_("District"), max_length=50, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=200, required=False)
    contact = forms.CharField(label=_("Contact"), max_length=100, required=False)


class ServiceForm(forms.Form):
    name = forms.CharField(label=_("Service"), max_length=100)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), to_field_name="code", empty_label=None
    )
    group_max = forms.IntegerField(
        label=_("People a booking"), min_value=1, max_value=20, initial=1
    )


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class ScheduleForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day of the week"), choices=WEEKDAYS, coerce=int)
    starts = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000)


class ComplianceForm(forms.Form):
    """A home against one item of the youth-home standard."""

    item = forms.SlugField(max_length=20, widget=forms.HiddenInput)
    is_met = forms.TypedChoiceField(
        label=_("Met?"),
        choices=[("yes", _("Met")), ("no", _("Not met"))],
        coerce=lambda value: value == "yes",
    )
    evidence = forms.CharField(label=_("Evidence"), max_length=500)
    observed_on = forms.DateField(
        label=_("Seen on"), widget=forms.DateInput(attrs={"type": "date"})
    )
