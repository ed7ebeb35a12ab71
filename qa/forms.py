from django import forms
from django.utils.translation import gettext_lazy as _

from franchise.models import Category


class AskForm(forms.Form):
    title = forms.CharField(label=_("Your question"), max_length=100)
    body = forms.CharField(
        label=_("Details (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("Let the platform choose"),
    )
    is_anonymous = forms.BooleanField(label=_("Ask anonymously"), required=False)
    is_public = forms.BooleanField(
        label=_("Others may read it once answered"), required=False, initial=True
    )
