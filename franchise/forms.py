from django import forms
from django.utils.translation import gettext_lazy as _

MAX_TEXT_CHARS = 200_000


class SynonymsForm(forms.Form):
    """A synonym list as written on the page: one group per line (checked by the service)."""

    text = forms.CharField(
        label=_("Groups, one per line, words separated by spaces"),
        required=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false", "class": "synonyms"}),
    )


class CentralSynonymsForm(SynonymsForm):
    note = forms.CharField(label=_("Note on this version"), required=False, max_length=200)
