"""The archive search's relevance set (``relevance.tsv``): queries as people type them, each
with the corpus questions (``franchise/corpus/questions.tsv``) a person expects to find.

Four kinds: ``subword`` (a word inside a compound of the title: 保险 in 平安保险),
``two_words``, ``body`` (words found only in the details) and ``colloquial`` (the title's
matter in other, everyday words). Recall is the share of queries with at least one expected
question on the first page; a stored question counts as an expected one when its title,
without digits, contains the expected title without digits (the benchmark's questions are
corpus titles with a prefix, a suffix or other numbers).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

PATH = Path(__file__).resolve().parent / "relevance.tsv"
PAGE = 20


@dataclass(frozen=True)
class Case:
    kind: str
    query: str
    expected: tuple[str, ...]


def cases() -> list[Case]:
    with PATH.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        Case(row["kind"], row["query"], tuple(t.strip() for t in row["expected"].split(" | ")))
        for row in rows
    ]


def _bare(title: str) -> str:
    return re.sub(r"\d+", "", title)


def is_expected(case: Case, title: str) -> bool:
    return any(_bare(expected) in _bare(title) for expected in case.expected)


@dataclass
class Recall:
    found: dict[str, list[Case]]
    missed: dict[str, list[Case]]

    def share(self, kind: str | None = None) -> float:
        kinds = [kind] if kind else list(self.found.keys() | self.missed.keys())
        hits = sum(len(self.found.get(k, [])) for k in kinds)
        total = hits + sum(len(self.missed.get(k, [])) for k in kinds)
        return hits / total if total else 0.0

    def lines(self) -> Iterable[str]:
        kinds = sorted(self.found.keys() | self.missed.keys())
        for kind in kinds:
            found, missed = len(self.found.get(kind, [])), len(self.missed.get(kind, []))
            yield f"{kind} {found}/{found + missed}"


def recall(first_page: Callable[[str], list[str]], chosen: list[Case] | None = None) -> Recall:
    """How many of the relevance set's queries find an expected question among the titles
    ``first_page(query)`` gives (the first ``PAGE`` results)."""
    result = Recall(found={}, missed={})
    for case in chosen if chosen is not None else cases():
        titles = first_page(case.query)[:PAGE]
        hit = any(is_expected(case, title) for title in titles)
        (result.found if hit else result.missed).setdefault(case.kind, []).append(case)
    return result


# ---------------------------------------------------------------- similar questions

PARAPHRASES = Path(__file__).resolve().parent / "paraphrases.tsv"
SEARCHES = Path(__file__).resolve().parent / "search_queries.tsv"


@dataclass(frozen=True)
class Paraphrase:
    """A question as a youth would type it, and the corpus title it restates."""

    category: str
    text: str
    restates: str


def paraphrases() -> list[Paraphrase]:
    """``paraphrases.tsv``: written by hand apart from the corpus and its variations."""
    with PARAPHRASES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [Paraphrase(row["category"], row["paraphrase"], row["restates"]) for row in rows]


def restates(paraphrase: Paraphrase, title: str) -> bool:
    """Whether a stored question's ``title`` was made from the title the paraphrase restates."""
    return _bare(paraphrase.restates) in _bare(title)


@dataclass(frozen=True)
class Search:
    """A search of one or two words with graded judgements of corpus titles: 2 for a title
    about it, 1 for one related, 0 for any other."""

    query: str
    grades: dict[str, int]

    def grade(self, title: str) -> int:
        bare = _bare(title)
        return max((g for t, g in self.grades.items() if _bare(t) in bare), default=0)


def searches() -> list[Search]:
    with SEARCHES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    found = []
    for row in rows:
        grades: dict[str, int] = {}
        for column, grade in (("grade1", 1), ("grade2", 2)):
            for title in (row.get(column) or "").split(" | "):
                if title.strip():
                    grades[title.strip()] = grade
        found.append(Search(row["query"].strip(), grades))
    return found
