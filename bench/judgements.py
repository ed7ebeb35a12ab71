"""Two hand-judged sets for the archive benchmark, kept out of the training corpus.

* ``paraphrases.tsv`` (``category``, ``paraphrase``, ``restates``): a question as another
  youth would type it, in other words, and the corpus title (``franchise/corpus/
  questions.tsv``) it restates: the question a person would pick as the best answer when
  looking for similar questions.
* ``search_queries.tsv`` (``query``, ``grade2``, ``grade1``): one word, or two words
  separated by one space, as typed into the search box; ``grade2`` lists the corpus titles
  about the query (wanted first), ``grade1`` those related to it (mentioning it in passing,
  or about a neighbouring matter), each list joined by `` | ``. Unlisted titles are grade 0.

A stored question matches a corpus title as in ``bench/relevance.py``: its title, without
digits, contains the corpus title without digits (the benchmark's questions are corpus
titles with a prefix, a suffix or other numbers).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from bench.relevance import _bare

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
