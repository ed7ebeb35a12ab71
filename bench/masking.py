"""Masking personal data: time per KB of question text, against the masking it replaced.

The texts are every question of the shipped corpus (franchise/corpus/questions.tsv, title and
body) as written, and the same questions each with one piece of personal data written in one
of the ways people write it (plain, spaced, dotted, full-width, +86, invisible characters,
other digit scripts, ID and card numbers, e-mail addresses). Both ways mask every text of a
round; the rounds alternate. The baseline is the previous ``franchise.privacy`` (ASCII and
full-width digits, spaces and dashes only), kept below as it was. Needs no database.

    .venv/bin/python bench/masking.py [--rounds 15]
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DATABASE_URL", "postgres://unused/none")  # no query is made
os.environ.setdefault("REDIS_URL", "redis://unused")

import django  # noqa: E402

django.setup()

from franchise import classifier  # noqa: E402
from franchise.privacy import mask_personal_data  # noqa: E402

GOAL_RATIO = 3.0  # the new masking at most this many times the old one's time per KB
GOAL_US_PER_KB = 1000.0  # a question of 200 characters in under 0.6 ms

# ---------------------------------------------------------------- the baseline, as it was

_DIGITS = r"(?<![0-9])(?:{})(?![0-9])"
_ID_CARD = re.compile(
    _DIGITS.format(r"[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]")
)
_BANK_CARD = re.compile(_DIGITS.format(r"[1-9]\d{3}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?"))
_MOBILE = re.compile(_DIGITS.format(r"(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}"))
_HALF_WIDTH = str.maketrans("０１２３４５６７８９＋Ｘｘ＠", "0123456789+Xx@")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def _keep_ends(value: str, head: int, tail: int) -> str:
    digits = [ch for ch in value if ch.isalnum()]
    return "".join(digits[:head]) + "*" * (len(digits) - head - tail) + "".join(digits[-tail:])


def baseline_mask(text: str) -> str:
    if not text:
        return text
    text = text.translate(_HALF_WIDTH)
    text = _ID_CARD.sub(lambda m: _keep_ends(m.group(), 4, 4), text)
    text = _MOBILE.sub(lambda m: _keep_ends(m.group()[-13:].lstrip("+86 -"), 3, 4), text)
    text = _BANK_CARD.sub(lambda m: _keep_ends(m.group(), 4, 4), text)
    return _EMAIL.sub(lambda m: f"{m.group()[0]}***@{m.group().split('@', 1)[1]}", text)


# ---------------------------------------------------------------- texts

WRITINGS = [
    "13812345678",
    "138 1234 5678",
    "138.1234.5678",
    "+86 138-1234-5678",
    "０１３８１２３４５６７８"[1:],
    "138\u200b1234\u200b5678",
    "١٣٨١٢٣٤٥٦٧٨",
    "(0086)13812345678",
    "440106199001011234",
    "4401 0619 9001 0112 34",
    "6222 0202 0011 2233 445",
    "xiaoqing.li@example.com",
    "小青@例子.中国",
]


def texts(seed: int = 7) -> tuple[list[str], list[str]]:
    """The corpus as written, and each question with one piece of personal data in it."""
    rng = random.Random(seed)
    plain = [f"{example.title}\n{example.body}" for example in classifier.shipped_corpus()]
    with_data = []
    for text in plain:
        cut = rng.randrange(len(text) + 1)
        with_data.append(f"{text[:cut]}联系我{rng.choice(WRITINGS)}{text[cut:]}")
    return plain, with_data


def per_kb(mask, batch: list[str], kb: float) -> float:
    started = time.perf_counter()
    for text in batch:
        mask(text)
    return (time.perf_counter() - started) * 1e6 / kb


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    mask_personal_data("预热 13812345678")  # builds the Unicode tables once; not counted
    plain, with_data = texts()
    print(f"{len(plain)} corpus questions, rounds: {args.rounds}")
    results = {}
    for name, batch in (("as written", plain), ("with personal data", with_data)):
        kb = sum(len(text.encode()) for text in batch) / 1024
        new, old = [], []
        for _round in range(args.rounds):
            new.append(per_kb(mask_personal_data, batch, kb))
            old.append(per_kb(baseline_mask, batch, kb))
        results[name] = (statistics.median(new), statistics.median(old))
        print(
            f"{name:>20}: {kb:7.1f} KB  new {results[name][0]:7.1f} µs/KB  "
            f"old {results[name][1]:7.1f} µs/KB  ratio {results[name][0] / results[name][1]:.2f}"
        )
    missed = [
        name
        for name, (new_us, old_us) in results.items()
        if new_us / old_us > GOAL_RATIO or new_us > GOAL_US_PER_KB
    ]
    caught = sum(mask_personal_data(text) != text for text in with_data)
    caught_old = sum(baseline_mask(text) != text.translate(_HALF_WIDTH) for text in with_data)
    print(
        f"texts with personal data masked: new {caught}/{len(with_data)}, "
        f"old {caught_old}/{len(with_data)}"
    )
    print(f"goal: ≤ {GOAL_RATIO}× the old time and ≤ {GOAL_US_PER_KB:.0f} µs per KB")
    print("GOAL MISSED" if missed else "GOAL MET")
    return 0


if __name__ == "__main__":
    sys.exit(main())
