from django import forms
from django.utils.translation import gettext_lazy as _

from .errors import InvalidInput

ASCII_DIGITS_ONLY = _("Write numbers with the digits 0–9.")
MAX_ID = 2**63 - 1  # PostgreSQL's bigint


class _AsciiDigits:
    """Numbers, ids and dates written with 0–9 only (see ``core.api.fields``)."""

    def to_python(self, value):
        if isinstance(value, str) and not value.isascii():
            raise forms.ValidationError(ASCII_DIGITS_ONLY, code="invalid")
        return super().to_python(value)  # type: ignore[misc]


class IntegerField(_AsciiDigits, forms.IntegerField):
    pass


class DecimalField(_AsciiDigits, forms.DecimalField):
    pass


class ModelChoiceField(_AsciiDigits, forms.ModelChoiceField):
    pass


class DateTimeField(_AsciiDigits, forms.DateTimeField):
    pass


class _IdForm(forms.Form):
    id = IntegerField(min_value=1, max_value=MAX_ID)


def posted_id(data, name: str) -> int:
    """The row id posted as ``name``; anything but a positive whole number raises
    ``InvalidInput`` (a 400 page)."""
    form = _IdForm({"id": data.get(name)})
    if not form.is_valid():
        raise InvalidInput({name: form.errors["id"]})
    return form.cleaned_data["id"]


class ChallengeForm(forms.Form):
    """The picture challenge's answer, asked after many failures from one address; the page
    renders it only then (``core.challenges``)."""

    challenge_key = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    challenge_answer = forms.CharField(
        label=_("The result shown in the picture"),
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def challenge(self):
        from .challenges import Answer

        key = self.cleaned_data.get("challenge_key")
        return Answer(key=key, text=self.cleaned_data.get("challenge_answer", "")) if key else None


def _phone_field():
    return forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


def _code_field():
    return forms.CharField(
        label=_("Code from the SMS"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class LoginForm(ChallengeForm):
    phone = _phone_field()
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    field_order = ["phone", "password"]


class CodeLoginForm(ChallengeForm):
    """验证码登录: the number, then the code sent to it."""

    phone = _phone_field()
    code = _code_field()
    field_order = ["phone", "code"]


class RegisterForm(ChallengeForm):
    phone = _phone_field()
    code = _code_field()
    name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    password = forms.CharField(
        label=_("Password"), required=False, widget=forms.PasswordInput(render_value=True)
    )
    field_order = ["phone", "code", "name", "password"]


class ResetPasswordForm(ChallengeForm):
    """忘记密码: the number, the code sent to it and the new password."""

    phone = _phone_field()
    code = _code_field()
    password = forms.CharField(
        label=_("New password"),
        required=False,
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
    )
    field_order = ["phone", "code", "password"]


class RelayForm(forms.Form):
    """The query of the sign-in relay's steps (``core.relay``)."""

    source = forms.CharField(max_length=255, required=False)
    to = forms.CharField(max_length=255, required=False)
    state = forms.CharField(max_length=64, required=False)
    ticket = forms.CharField(max_length=64, required=False)
    next = forms.CharField(max_length=2000, required=False)

    def __init__(self, data=None, **kwargs):
        if data is not None and "from" in data:  # "from" is a Python keyword
            data = data.copy()
            data["source"] = data.pop("from")[-1]
        super().__init__(data, **kwargs)


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=50, required=False)
