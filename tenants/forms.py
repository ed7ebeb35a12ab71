from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Committee


class ProvisionForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=64,
        help_text=_("Becomes the portal's address: gd → gd.<domain>"),
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    level = forms.ChoiceField(label=_("Level"), choices=Committee.Level.choices)
    parent = forms.ModelChoiceField(
        label=_("Parent committee"),
        queryset=Committee.objects.all(),
        required=False,
        to_field_name="code",
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Committee.Status.choices, initial=Committee.Status.ACTIVE
    )
    admin_phone = forms.CharField(label=_("First admin's mobile number"), max_length=20)
    admin_name = forms.CharField(label=_("First admin's name"), max_length=50, required=False)
    display_name = forms.CharField(label=_("Display name"), max_length=100, required=False)
    primary_colour = forms.CharField(
        label=_("Primary colour"),
        max_length=7,
        initial="#c8161d",
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    slogan = forms.CharField(label=_("Slogan"), max_length=120, required=False)
    logo = forms.FileField(label=_("Logo"), required=False)
    banner = forms.FileField(label=_("Banner"), required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Committee.Status.choices)


class BrandingForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=100, required=False)
    primary_colour = forms.CharField(
        label=_("Primary colour"), max_length=7, widget=forms.TextInput(attrs={"type": "color"})
    )
    slogan = forms.CharField(label=_("Slogan"), max_length=120, required=False)
    logo = forms.FileField(label=_("Logo"), required=False)
    banner = forms.FileField(label=_("Banner"), required=False)


class DiscardForm(forms.Form):
    """Discarding a dead message: the box ticked and a reason given, or nothing happens."""

    confirm = forms.BooleanField(label=_("I am sure"))
    reason = forms.CharField(label=_("Reason for discarding"), max_length=500)
