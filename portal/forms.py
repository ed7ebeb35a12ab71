from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateTimeField
from core.models import GRANTABLE_KINDS


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}))
    publish_at = DateTimeField(
        label=_("Publish at (leave empty to publish now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class GrantForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=20)
    kind = forms.ChoiceField(label=_("Role"), choices=GRANTABLE_KINDS)
