"""Properties of masking over generated writings of personal data: every separator, invisible
character, digit script, prefix and grouping people use. The masked text never holds the
number (read in any script) nor an address's local part, keeps the text around as written,
and text without personal data comes back unchanged."""

import datetime
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from franchise.privacy import has_personal_data, mask_personal_data, normalise

PROPERTIES = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Ten digits in each script: 0–9 as the code point of zero and the nine after it, or listed.
SCRIPTS = [
    "0123456789",
    "０１２３４５６７８９",  # full-width
    "٠١٢٣٤٥٦٧٨٩",  # Arabic-Indic
    "۰۱۲۳۴۵۶۷۸۹",  # Extended Arabic-Indic (Persian)
    "०१२३४५६७८९",  # Devanagari
    "০১২৩৪৫৬৭৮৯",  # Bengali
    "๐๑๒๓๔๕๖๗๘๙",  # Thai
    "၀၁၂၃၄၅၆၇၈၉",  # Myanmar
    "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",  # mathematical bold
    "𝟘𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠𝟡",  # mathematical double-struck
    "⁰¹²³⁴⁵⁶⁷⁸⁹",  # superscript
    "₀₁₂₃₄₅₆₇₈₉",  # subscript
    "⓪①②③④⑤⑥⑦⑧⑨",  # circled
    "⓿❶❷❸❹❺❻❼❽❾",  # negative circled
]
SEPARATORS = [
    " ",
    "\u00a0",  # no-break space
    "\u3000",  # ideographic space
    "\u2009",  # thin space
    "\u202f",  # narrow no-break space
    "-",
    "－",
    "–",
    "—",
    "‐",
    "−",
    ".",
    "．",
    "。",
    "·",
    "・",
    "/",
    "／",
    "(",
    ")",
    "（",
    "）",
    "[",
    "]",
    "【",
    "】",
    "_",
]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u034f"]
BEFORE = ["", "我的电话是", "联系方式：", "请打", "有事找我 ", "手机号码（", "Tel: "]
AFTER = ["", "，谢谢", " 随时联系", "）", "。", "!"]


def digits_of(text: str) -> str:
    return re.sub(r"[^0-9]", "", normalise(text))


@st.composite
def written(draw, digits: str, *, any_grouping: bool = True) -> str:
    """``digits`` as a person might write them: in groups, with separators and invisible
    characters between them, each digit in a script of its own or all in one."""
    if len(digits) == 1:
        cuts = set()
    elif any_grouping:
        cuts = draw(st.sets(st.integers(1, len(digits) - 1), max_size=len(digits) - 1))
    else:  # groups of three digits or more, the last one aside
        cuts, at = set(), 0
        while True:
            at += draw(st.integers(3, 8))
            if at >= len(digits) - 1:
                break
            cuts.add(at)
    one_script = draw(st.sampled_from(SCRIPTS))
    mixed = draw(st.booleans())
    out = []
    for index, digit in enumerate(digits):
        if index in cuts:
            out.append("".join(draw(st.lists(st.sampled_from(SEPARATORS), min_size=1, max_size=3))))
        if index and draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from(INVISIBLE)))
        script = draw(st.sampled_from(SCRIPTS)) if mixed else one_script
        out.append(digit if digit == "X" else script[int(digit)])
    return "".join(out)


def in_context(draw, number: str) -> tuple[str, str, str]:
    before, after = draw(st.sampled_from(BEFORE)), draw(st.sampled_from(AFTER))
    return before, after, f"{before}{number}{after}"


def assert_masked(text: str, before: str, after: str, secret: str) -> str:
    masked = mask_personal_data(text)
    assert secret not in digits_of(masked), (text, masked)
    assert masked.startswith(before) and masked.endswith(after), (text, masked)
    assert masked.count("*") >= 4, (text, masked)
    assert has_personal_data(text)
    assert mask_personal_data(masked) == masked  # masking again changes nothing
    return masked


mobiles = st.builds(
    lambda second, rest: f"1{second}{rest}",
    st.sampled_from("3456789"),
    st.text("0123456789", min_size=9, max_size=9),
)


@PROPERTIES
@given(data=st.data(), mobile=mobiles, prefix=st.sampled_from(["", "86", "0086", "+86", "+0086"]))
def test_a_mobile_number_is_masked_however_it_is_written(data, mobile, prefix):
    number = data.draw(written(mobile))
    if prefix:
        digits = prefix.lstrip("+")
        shown = ("+" if prefix.startswith("+") else "") + data.draw(written(digits))
        gap = "".join(data.draw(st.lists(st.sampled_from([" ", "-", ")", "（"]), max_size=2)))
        number = ("(" if data.draw(st.booleans()) else "") + shown + gap + number
    before, after, text = in_context(data.draw, number)
    masked = assert_masked(text, before, after, mobile)
    # the first three and last four digits stay as written, nothing of the middle
    assert digits_of(masked).endswith(mobile[:3] + mobile[-4:])


def _id_check(body: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


@st.composite
def id_numbers(draw) -> str:
    region = draw(st.integers(110000, 659999))
    born = draw(st.dates(datetime.date(1930, 1, 1), datetime.date(2025, 12, 31)))
    sequence = draw(st.integers(0, 999))
    if draw(st.integers(0, 4)) == 0:  # the first generation's 15 digits
        return f"{region}{born:%y%m%d}{sequence:03d}"
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    return body + _id_check(body)


@PROPERTIES
@given(data=st.data(), number=id_numbers(), x=st.sampled_from("XxＸｘ"))
def test_an_id_number_is_masked_however_it_is_written(data, number, x):
    shown = data.draw(written(number))
    if number.endswith("X"):
        shown = shown[:-1] + x
    before, after, text = in_context(data.draw, shown)
    assert_masked(text, before, after, number[:17] if len(number) == 18 else number)


def _luhn_digit(body: str) -> str:
    total = 0
    for position, ch in enumerate(reversed(body)):
        value = int(ch)
        if position % 2 == 0:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return str(-total % 10)


@st.composite
def cards(draw) -> tuple[str, bool]:
    """A card number and whether its issuer is UnionPay (any grouping) or not (the Luhn
    check alone: written in groups of three digits or more, as cards are)."""
    length = draw(st.integers(16, 19))
    union_pay = draw(st.booleans())
    head = draw(st.sampled_from(["62", "955"] if union_pay else ["4", "51", "35", "37"]))
    body = head + draw(st.text("0123456789", min_size=length - 1 - len(head)))[
        : length - 1 - len(head)
    ].ljust(length - 1 - len(head), "0")
    return body + _luhn_digit(body), union_pay


@PROPERTIES
@given(data=st.data(), card=cards())
def test_a_bank_card_is_masked_in_any_grouping(data, card):
    number, union_pay = card
    shown = data.draw(written(number, any_grouping=union_pay))
    before, after, text = in_context(data.draw, shown)
    assert_masked(text, before, after, number)


LOCAL = st.one_of(
    st.from_regex(r"[a-z][a-z0-9._\-]{1,15}[a-z0-9]", fullmatch=True),
    st.from_regex(r"[а-я]{2,8}", fullmatch=True),  # Cyrillic
    st.from_regex(r"[α-ω]{2,8}", fullmatch=True),  # Greek
    st.from_regex(r"[\u4e00-\u9fa5]{2,4}", fullmatch=True),  # Chinese
)
DOMAIN = st.sampled_from(
    ["qq.com", "163.com", "example.com", "bücher.de", "例子.中国", "пример.рф", "mail.gd.gov.cn"]
)


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


@PROPERTIES
@given(
    data=st.data(),
    local=LOCAL,
    domain=DOMAIN,
    wide=st.booleans(),
    before=st.sampled_from(["", "邮箱：", "发到 ", "Email: "]),
    after=st.sampled_from(["", " 谢谢", "，收到请回"]),
)
def test_an_email_address_is_masked_however_it_is_written(data, local, domain, wide, before, after):
    shown = list(local)
    for _ in range(data.draw(st.integers(0, 3))):
        shown.insert(data.draw(st.integers(1, len(shown))), data.draw(st.sampled_from(INVISIBLE)))
    address = "".join(shown) + "@" + domain
    if wide:
        address = full_width(address)
    text = before + address + after
    masked = mask_personal_data(text)
    assert normalise(local) + "@" not in normalise(masked), (text, masked)
    assert masked.startswith(before) and masked.endswith(after)
    assert normalise(masked).endswith(f"***@{normalise(domain)}{normalise(after)}")
    assert has_personal_data(text)


# ---------------------------------------------------------------- text without personal data

PHRASES = [
    "高考",
    "分数线",
    "工资拖欠",
    "第",
    "个月",
    "元",
    "年",
    "号楼",
    "青年之声",
    "考研",
    "，",
    "！",
    "？",
]


@st.composite
def ordinary_numbers(draw) -> str:
    """A number that is no personal data: up to ten digits (perhaps grouped), a date, a time,
    an amount, a percentage or a year."""
    day = draw(st.dates(datetime.date(1990, 1, 1), datetime.date(2030, 12, 31)))
    kinds = [
        lambda: draw(written(draw(st.text("0123456789", min_size=1, max_size=10)))),
        lambda: day.strftime(draw(st.sampled_from(["%Y-%m-%d", "%Y.%m.%d", "%Y/%m/%d"]))),
        lambda: f"{day.year}年{day.month}月{day.day}日",
        lambda: f"{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}",
        lambda: f"¥{draw(st.integers(0, 10**9)):,}.{draw(st.integers(0, 99)):02d}",
        lambda: f"{draw(st.integers(0, 100))}%",
        lambda: f"{draw(st.integers(1949, 2035))}",
    ]
    return draw(st.sampled_from(kinds))()


@PROPERTIES
@given(data=st.data(), pieces=st.integers(1, 12))
def test_text_without_personal_data_is_unchanged(data, pieces):
    parts = []
    for _ in range(pieces):
        parts.append(data.draw(st.sampled_from(PHRASES)))  # something between two numbers
        if data.draw(st.booleans()):
            parts.append(data.draw(ordinary_numbers()))
        else:
            parts.append(data.draw(st.text(st.characters(categories=["Lo", "Ll", "Lu"]))))
    text = "".join(parts)
    assert mask_personal_data(text) == text
    assert not has_personal_data(text)
