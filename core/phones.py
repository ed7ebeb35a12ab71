"""Mainland China mobile numbers: the login of every account."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")  # ASCII digits only: \d matches any script's


def normalise_phone(raw: str) -> str:
    """The 11-digit number, with spaces, dashes and a +86/0086 prefix taken off.

    Raises ValidationError when what is left is not a mainland mobile number.
    """
    # NFKC turns full-width digits and signs (typed with a Chinese input method) into ASCII.
    digits = re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", raw or ""))
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
            break
    if not _MOBILE.match(digits):
        raise ValidationError(
            _("Enter a mainland China mobile number (11 digits starting with 1)."),
            code="invalid_phone",
        )
    return digits
