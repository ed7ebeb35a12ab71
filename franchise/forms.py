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


class CampaignForm(forms.Form):
    """Launching a campaign (the service decides what is allowed)."""

    code = forms.SlugField(label=_("Code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=100)
    theme = forms.CharField(label=_("Theme"), max_length=100)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    rules = forms.CharField(
        label=_("Rules"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    entry_guide = forms.CharField(
        label=_("What an entry contains"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    votes_per_account = forms.IntegerField(
        label=_("Votes per account"), min_value=1, max_value=20, initial=1
    )
    panel_weight = forms.IntegerField(
        label=_("Weight of the review panel (%)"), min_value=0, max_value=100, initial=0
    )


class AssessmentStandardForm(forms.Form):
    """A new version of an assessment standard: a weight for each indicator, the day it comes
    into force and why (``franchise.assessing`` decides what is allowed)."""

    effective_from = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note on this version"), required=False, max_length=200)

    def __init__(self, *args, indicators, initial_weights=None, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in indicators:
            self.fields[f"w_{code}"] = forms.FloatField(
                label=label,
                min_value=0,
                initial=(initial_weights or {}).get(code, 0),
                widget=forms.NumberInput(attrs={"step": "any"}),
            )
        self.codes = [code for code, _label in indicators]

    def weights(self) -> dict[str, float]:
        return {code: self.cleaned_data[f"w_{code}"] for code in self.codes}
