"""Masking personal data in text shown publicly (加强数据信息安全管理).

Mainland mobile numbers, 18-digit resident ID numbers, bank-card numbers and e-mail
addresses are masked; staff handling an item see the text unmasked.
"""

import re

_DIGITS = r"(?<![0-9])(?:{})(?![0-9])"
# 18-digit ID: region (6), birth date (8, 19xx/20xx), sequence (3), check digit or X.
_ID_CARD = re.compile(
    _DIGITS.format(r"[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]")
)
# 16 to 19 digits, perhaps in groups of four.
_BANK_CARD = re.compile(_DIGITS.format(r"[1-9]\d{3}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?"))
_MOBILE = re.compile(_DIGITS.format(r"(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}"))
# Full-width digits and signs, as a Chinese input method types them, count as ASCII ones.
_HALF_WIDTH = str.maketrans("０１２３４５６７８９＋Ｘｘ＠", "0123456789+Xx@")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def _keep_ends(value: str, head: int, tail: int) -> str:
    digits = [ch for ch in value if ch.isalnum()]
    return "".join(digits[:head]) + "*" * (len(digits) - head - tail) + "".join(digits[-tail:])


def _email(match: re.Match) -> str:
    local, domain = match.group().split("@", 1)
    return f"{local[0]}***@{domain}"


def mask_personal_data(text: str) -> str:
    """``text`` with every mobile, ID-card and bank-card number and e-mail address masked."""
    if not text:
        return text
    text = text.translate(_HALF_WIDTH)
    text = _ID_CARD.sub(lambda m: _keep_ends(m.group(), 4, 4), text)
    text = _MOBILE.sub(lambda m: _keep_ends(m.group()[-13:].lstrip("+86 -"), 3, 4), text)
    text = _BANK_CARD.sub(lambda m: _keep_ends(m.group(), 4, 4), text)
    return _EMAIL.sub(_email, text)


def has_personal_data(text: str) -> bool:
    return mask_personal_data(text) != (text or "").translate(_HALF_WIDTH)
