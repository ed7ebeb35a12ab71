"""Masking personal data in text shown publicly (加强数据信息安全管理).

Mainland mobile numbers, 15- and 18-digit resident ID numbers, bank-card numbers and e-mail
addresses are masked however they are written. The text is read as a person reads it before
matching: full-width forms as ASCII (NFKC), digits of every Unicode script (Arabic-Indic,
Devanagari, superscript, circled, mathematical …) as 0–9, invisible format characters
(zero-width spaces and joiners, soft hyphens, byte-order marks …) as nothing, and up to three
separators between groups of digits (spaces of every width, dots, dashes, brackets, slashes,
plus signs) as a break between groups. A number is made of whole groups:

- a mobile number is ``1[3-9]`` and nine more digits, perhaps after ``+86``, ``0086`` or ``86``;
- an ID number is 18 digits (six of region, a birth date 18xx–20xx, three of sequence and a
  check digit or X) or 15 (the older form, with a two-digit year);
- a bank card is 16–19 digits passing the Luhn check or starting with 62 (UnionPay) or 955;
  one passing only one of the two must be written in groups of three digits or more (the last
  group aside) or digit by digit, so that dates and amounts next to each other are not taken
  for one;
- an e-mail address has a local part of letters (any script), digits and ``._%+-`` and a
  domain of labels (internationalised ones too) ending in a name of two letters or more.

When groups could be read as more than one number, a UnionPay card passing the Luhn check
comes first, then ID numbers, then mobile numbers, then other cards. Masking replaces the
hidden digits in place and keeps every other character as written: a mobile number keeps its
first three and last four digits (a prefix stays), ID and card numbers their first and last
four, an e-mail address the first character of its local part (then ``***``) and its domain.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

__all__ = ["has_personal_data", "mask_personal_data", "normalise"]

MAX_GAP = 3  # separators allowed between two groups of one number
MASK = "*"

# Characters read as a break between groups of digits, besides every Unicode space.
_SEPARATORS = (
    ".-_()[]{}/\\|+~"
    "．－＿（）［］｛｝／＼｜＋～"  # full-width forms
    "。｡·・•‧∙"  # dots
    "‐‑‒–—―−﹣﹘"  # dashes and the minus sign
    "【】〔〕〖〗〈〉《》「」『』﹙﹚﹝﹞"  # CJK brackets
)
# Invisible characters outside category Cf: the combining grapheme joiner, variation
# selectors, Mongolian free variation selectors and the Hangul fillers.
_INVISIBLE_EXTRA = "\u034f\u115f\u1160\u180b\u180c\u180d\u3164\uffa0" + "".join(
    chr(cp) for cp in (*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0))
)
_X = "XxＸｘ"
_AT = "@＠﹫"


def _char_class(chars) -> str:
    """A regular-expression class of ``chars``, as ranges."""
    parts: list[list[int]] = []  # [first, last] code points of each range
    for point in sorted({ord(ch) for ch in chars}):
        if parts and point == parts[-1][1] + 1:
            parts[-1][1] = point
        else:
            parts.append([point, point])
    text = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in parts
    )
    return f"[{text}]"


@dataclass(frozen=True)
class _Tables:
    digits: dict[str, str]  # every character read as digits, to those digits in 0–9
    invisible: frozenset[str]
    separators: frozenset[str]
    run: re.Pattern  # digits with at most MAX_GAP separators (and any invisibles) between
    has_invisible: re.Pattern
    has_wide_digit: re.Pattern  # a character read as two digits (⑩, ㉑)


@cache
def _tables() -> _Tables:
    """Built once from the Unicode database (some 50 ms)."""
    digits: dict[str, str] = {}
    invisible = set(_INVISIBLE_EXTRA)
    for point in (*range(0x30000), *range(0xE0000, 0xE1000)):
        ch = chr(point)
        category = unicodedata.category(ch)
        if category == "Nd":
            digits[ch] = str(unicodedata.decimal(ch))
        elif category == "No":
            value = unicodedata.digit(ch, None)
            if value is not None:
                digits[ch] = str(value)  # superscripts, circled and dingbat digits
            else:  # ⑩ and ㉑ are two digits; fractions such as ½ are not digits
                written = unicodedata.normalize("NFKC", ch).strip("().,")
                if written.isascii() and written.isdigit():
                    digits[ch] = written
        elif category == "Cf":
            invisible.add(ch)
    spaces = {chr(p) for p in range(0x3000 + 1) if chr(p).isspace()}
    separators = frozenset(_SEPARATORS) | frozenset(spaces)
    d, i, s = _char_class(digits), _char_class(invisible), _char_class(separators)
    run = re.compile(f"{d}(?:{i}*(?:{s}{i}*){{0,{MAX_GAP}}}{d})*")
    wide = _char_class(ch for ch, value in digits.items() if len(value) > 1)
    return _Tables(digits, frozenset(invisible), separators, run, re.compile(i), re.compile(wide))


def normalise(text: str) -> str:
    """``text`` as the masking reads it: NFKC, every digit as 0–9, no invisible characters."""
    tables = _tables()
    out = []
    for ch in text:
        if ch in tables.invisible:
            continue
        out.append(tables.digits.get(ch) or unicodedata.normalize("NFKC", ch))
    return "".join(out)


# ---------------------------------------------------------------- numbers

_DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_MOBILE = re.compile(r"(0086|86)?1[3-9]\d{9}")
_ID_18 = re.compile(rf"[1-9]\d{{5}}(?:18|19|20)\d{{2}}{_DATE}\d{{3}}[\dX]")
_ID_15 = re.compile(rf"[1-9]\d{{5}}\d{{2}}{_DATE}\d{{3}}")

STRONG_CARD, ID_NUMBER, MOBILE, CARD = 4, 3, 2, 1


def _luhn(number: str) -> bool:
    total = 0
    for position, ch in enumerate(reversed(number)):
        value = int(ch)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _card_grouping(sizes: list[int]) -> bool:
    return all(size >= 3 for size in sizes[:-1]) or all(size == 1 for size in sizes)


def _kind(number: str, sizes: list[int]) -> tuple[int, int, int] | None:
    """(strength, digits kept in front: a prefix and a head, digits kept at the end) of
    ``number`` read as a whole, or None if it is none of them."""
    mobile = _MOBILE.fullmatch(number)
    if mobile:
        prefix = len(mobile.group(1) or "")
        return MOBILE, prefix + 3, 4
    if (len(number) == 18 and _ID_18.fullmatch(number)) or (
        len(number) == 15 and _ID_15.fullmatch(number)
    ):
        return ID_NUMBER, 4, 4
    if 16 <= len(number) <= 19 and number.isdigit() and number[0] != "0":
        luhn, issuer = _luhn(number), number.startswith(("62", "955"))
        if luhn and issuer:
            return STRONG_CARD, 4, 4
        if (luhn or issuer) and _card_grouping(sizes):
            return CARD, 4, 4
    return None


def _latin_or_digit(ch: str) -> bool:
    read = normalise(ch)
    return read.isascii() and read.isalnum()


def _numbers(text: str, start: int, end: int, tables: _Tables) -> list[tuple[int, str]]:
    """(index in ``text``, replacement) of every character to mask in the run text[start:end]."""
    groups: list[list[tuple[str, int]]] = []  # each group: (digit, index of its character)
    current: list[tuple[str, int]] = []
    for index in range(start, end):
        ch = text[index]
        value = tables.digits.get(ch) or (ch if "0" <= ch <= "9" else None)
        if value is not None:
            current.extend((digit, index) for digit in value)
        elif ch not in tables.invisible and current:
            groups.append(current)
            current = []
    groups.append(current)
    # An X after the last digit (or after a group) may end an ID number, unless a Latin
    # letter or a digit follows it.
    after, gap = end, 0
    while after < len(text) and gap <= MAX_GAP:
        if text[after] in tables.separators:
            gap += 1
        elif text[after] not in tables.invisible:
            break
        after += 1
    if (
        after < len(text)
        and text[after] in _X
        and gap <= MAX_GAP
        and not (after + 1 < len(text) and _latin_or_digit(text[after + 1]))
    ):
        groups[-1] = [*groups[-1], ("X", after)]

    strings = ["".join(digit for digit, _index in group) for group in groups]
    candidates = []
    for first in range(len(groups)):
        number, sizes = "", []
        for last in range(first, len(groups)):
            number += strings[last]
            sizes.append(len(strings[last]))
            if len(number) > 20:  # 19 and an X
                break
            if len(number) < 11:
                continue
            drop = 0
            kind = _kind(number, sizes) if "X" not in number or len(number) == 18 else None
            if kind is None and number.endswith("X"):
                # the X may be an ordinary letter after a number without it
                kind, drop = _kind(number[:-1], [*sizes[:-1], sizes[-1] - 1]), 1
            if kind is not None:
                used = [pair for group in groups[first : last + 1] for pair in group]
                candidates.append((kind, first, last, used[: len(used) - drop]))

    taken: set[int] = set()
    masked: list[tuple[int, str]] = []
    for (_strength, head, tail), first, last, digits in sorted(
        candidates, key=lambda c: (-c[0][0], -len(c[3]), c[1])
    ):
        span = set(range(first, last + 1))
        if span & taken:
            continue
        taken |= span
        hidden = {index for _digit, index in digits[head : len(digits) - tail]}
        for index in sorted(hidden):
            masked.append((index, MASK * len(tables.digits.get(text[index], "0"))))
        # invisible characters inside the number go: they only ever serve to hide it
        for index in range(digits[0][1], digits[-1][1]):
            if text[index] in tables.invisible:
                masked.append((index, ""))
    return masked


# ---------------------------------------------------------------- e-mail addresses

_CJK = (
    "\u2e80-\u2fff\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff"
)
_EMAIL = re.compile(
    rf"(?P<local>(?:(?![{_CJK}])[\w.%+\-])+|[{_CJK}]+)"
    r"@(?P<domain>[\w\-]+(?:[.。][\w\-]+)*[.。](?:[^\W\d_]{2,}|xn--[\w\-]+))"
)
_BEFORE, _AFTER = 64, 128  # the longest local part, and as much of a domain as needed
_AT_SIGN = re.compile(f"[{_AT}]")


def _emails(text: str, tables: _Tables) -> list[tuple[int, int]]:
    """(start, end) in ``text`` of the local part of every e-mail address, to be masked."""
    found: list[tuple[int, int]] = []
    done = -1
    for sign in _AT_SIGN.finditer(text):
        at = sign.start()
        if at < done:
            continue
        low, high = max(0, at - _BEFORE), min(len(text), at + _AFTER)
        window = text[low:high]
        if unicodedata.is_normalized("NFKC", window) and not tables.has_invisible.search(window):
            origin: list[int] | range = range(low, high)  # read as written
        else:
            chars, origin = [], []
            for index in range(low, high):
                ch = text[index]
                if ch in tables.invisible:
                    continue
                for piece in ch if ch.isascii() else unicodedata.normalize("NFKC", ch):
                    chars.append(piece)
                    origin.append(index)
            window = "".join(chars)
        for match in _EMAIL.finditer(window):
            if origin[match.start("local") + len(match.group("local"))] != at:
                continue
            start = origin[match.start("local")]
            found.append((start, at))
            done = origin[match.end("domain") - 1] + 1
            break
    return found


# ---------------------------------------------------------------- masking


def _replacements(text: str) -> tuple[list[tuple[int, str]], list[tuple[int, int]]]:
    tables = _tables()
    digits: list[tuple[int, str]] = []
    for run in tables.run.finditer(text):
        start, end = run.span()
        # the shortest number has eleven digits
        if end - start >= 11 or tables.has_wide_digit.search(text, start, end):
            digits.extend(_numbers(text, start, end, tables))
    emails = _emails(text, tables) if _AT_SIGN.search(text) else []
    return digits, emails


def mask_personal_data(text: str) -> str:
    """``text`` with every mobile, ID-card and bank-card number and e-mail address masked,
    everything else as written."""
    if not text:
        return text
    digits, emails = _replacements(text)
    if not digits and not emails:
        return text
    out = list(text)
    for index, replacement in digits:
        out[index] = replacement
    for start, at in emails:
        # the first character of the local part stays (with any invisible ones before it)
        keep = start + 1
        out[keep:at] = ["***"] + [""] * (at - keep - 1) if at > keep else []
        if at - start == 1:
            out[start] = "***"
    return "".join(out)


def has_personal_data(text: str) -> bool:
    if not text:
        return False
    digits, emails = _replacements(text)
    return bool(digits or emails)
