from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import Team
from franchise.models import Category


def _when(label):
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class ActivityForm(forms.Form):
    """Publishing an activity (the service decides what is allowed)."""

    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(
        label=_("What youths will do"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), to_field_name="code", empty_label=None
    )
    organiser = forms.ModelChoiceField(
        label=_("Organiser"),
        queryset=Team.objects.filter(is_active=True, kind=Team.Kind.ORGANISATION),
        required=False,
        empty_label=_("The committee itself"),
    )
    is_online = forms.BooleanField(label=_("Online"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
    )
    starts_at = _when(_("Starts at"))
    ends_at = _when(_("Ends at"))
    registration_closes_at = _when(_("Registration closes"))
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=100_000)
    audience = forms.CharField(label=_("For whom"), max_length=100, required=False)
    allows_individuals = forms.BooleanField(
        label=_("Individuals may register"), required=False, initial=True
    )
    allows_teams = forms.BooleanField(label=_("Teams may register"), required=False)
    team_min = forms.IntegerField(label=_("Smallest team"), min_value=1, max_value=50, initial=2)
    team_max = forms.IntegerField(label=_("Largest team"), min_value=1, max_value=50, initial=5)
    cover = forms.FileField(label=_("Cover image"), required=False)
    campaign = forms.ChoiceField(label=_("Under a campaign"), required=False, choices=[])

    def __init__(self, *args, campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [("", _("None")), *((c.code, c.title) for c in campaigns)]


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=40)


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message to the participants"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Photo"))
    caption = forms.CharField(label=_("Caption"), max_length=100, required=False)


class BallotForm(forms.Form):
    title = forms.CharField(label=_("Title of the vote"), max_length=100)
    description = forms.CharField(
        label=_("Rules"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    opens_at = _when(_("Voting opens"))
    closes_at = _when(_("Voting closes"))
    votes_per_account = forms.IntegerField(
        label=_("Votes per account"), min_value=1, max_value=20, initial=1
    )
    panel_weight = forms.IntegerField(
        label=_("Weight of the review panel (%)"), min_value=0, max_value=100, initial=0
    )
    criteria = forms.CharField(
        label=_("Review criteria"),
        required=False,
        help_text=_("One a line: name and weight, e.g. 创意 40"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_criteria(self) -> list[dict]:
        found = []
        for n, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            parts = line.rsplit(maxsplit=1)
            if not line.strip():
                continue
            if len(parts) != 2 or not parts[1].isdecimal() or int(parts[1]) == 0:
                raise forms.ValidationError(_("Write a name and a weight on each line."))
            found.append({"code": f"c{n}", "name": parts[0], "weight": int(parts[1])})
        return found


class EntryForm(forms.Form):
    title = forms.CharField(label=_("Title of the entry"), max_length=100)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    image = forms.FileField(label=_("Image"), required=False)
