from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)


class RegisterForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    password = forms.CharField(
        label=_("Password"), required=False, widget=forms.PasswordInput(render_value=True)
    )


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=50, required=False)
