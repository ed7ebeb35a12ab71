from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms import category_choices
from core.forms import IntegerField

from .models import Reply


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
