"""The hand-judged sets of the archive benchmarks, kept out of the training corpus.

* ``paraphrases.tsv`` (``category``, ``paraphrase``, ``restates``): a question as another
  youth would type it, in other words, and the corpus title (``franchise/corpus/
  questions.tsv``) it restates: the question a person would pick as the best answer when
  looking for similar questions.
* ``search_queries.tsv`` (``query``, ``grade2``, ``grade1``): one word, or two words
  separated by one space, as typed into the search box; ``grade2`` lists the corpus titles
  about the query (wanted first), ``grade1`` those related to it (mentioning it in passing,
  or about a neighbouring matter), each list joined by `` | ``. Unlisted titles are grade 0.
* ``relevance.tsv``, below.

The archive search's relevance set (``relevance.tsv``): queries as people type them, each
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


HERE = Path(__file__).resolve().parent
PARAPHRASES = HERE / "paraphrases.tsv"
SEARCH_QUERIES = HERE / "search_queries.tsv"
SEPARATOR = " | "


@dataclass(frozen=True)
class Paraphrase:
    category: str
    text: str
    restates: str

    def is_restated_by(self, title: str) -> bool:
        return _bare(self.restates) in _bare(title)


@dataclass(frozen=True)
class SearchQuery:
    query: str
    grade2: tuple[str, ...]
    grade1: tuple[str, ...]

    @property
    def words(self) -> int:
        return len(self.query.split(" "))

    def grade(self, title: str) -> int:
        bare = _bare(title)
        if any(_bare(t) in bare for t in self.grade2):
            return 2
        if any(_bare(t) in bare for t in self.grade1):
            return 1
        return 0


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _titles(field: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in field.split(SEPARATOR) if t.strip())


def paraphrases() -> list[Paraphrase]:
    return [Paraphrase(r["category"], r["paraphrase"], r["restates"]) for r in _rows(PARAPHRASES)]


def search_queries() -> list[SearchQuery]:
    return [
        SearchQuery(r["query"], _titles(r["grade2"]), _titles(r["grade1"]))
        for r in _rows(SEARCH_QUERIES)
    ]
