from django import forms
from django.utils.translation import gettext_lazy as _


class RealRateForm(forms.Form):
    """A youth's rating of something they attended, and whether it happened as described
    (真实度): a youth-home service, an activity."""

    stars = forms.TypedChoiceField(
        label=_("Stars"), choices=[(n, "★" * n) for n in range(5, 0, -1)], coerce=int
    )
    is_real = forms.TypedChoiceField(
        label=_("Did it happen as described?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
    )
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)
