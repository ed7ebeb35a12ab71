"""Which texts say the same thing: the one similarity service of every domain (similar
questions while typing, duplicates at asking time, the grouping of help cases into
collective demands).

A domain registers a ``Source``: the rows that may be found, each with a title, a body and a
search vector made by ``franchise.text.as_tsvector`` (title weighted A, body B). Given a text,
``similar`` returns the rows of the current committee's schema that say the same thing,
scored from 0 to 1 and best first; ``similar_across`` does the same over several committees
(a subtree). Nothing scoring under ``MINIMUM`` is returned.

How a text is judged alike:

* The typed words (the ordinary cut, without filler words, with the committee's words of
  the same meaning) are weighted by how rare they are in the committee's texts (inverse
  document frequency, from ``similarity.statistics``): a word found in every tenth question
  says little, a word found in a hundred says much. Words of the typed title count fully,
  words of the typed details less.
* Candidates come from the GIN index: the rows holding the rarest words (as many as
  ``CANDIDATES`` rows' worth); when every word is common, rows holding two of them.
* The database ranks the candidates by the weight of the typed words written in their
  titles (as written, so segmentation does not matter: 考公 is in 考公务员 too), and keeps
  the best ``RERANKED``; these are scored here: how much of the typed meaning the row has
  (in its title, or less in its details), how much of the row's title the typed words
  account for, and how many characters' pairs the titles share (a paraphrase cut into other
  words still shares them).
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django_tenants.utils import schema_context

from franchise import text as chinese

from .models import SourceCount, WordCount

# A row scoring under this is not suggested at all; at or above ``DUPLICATE`` it says the
# same thing in nearly the same words (the asking page offers its answer instead).
MINIMUM = 0.35
DUPLICATE = 0.72
# Rows' worth of the rarest words that make the candidates; rows re-scored in Python.
CANDIDATES = 4000
RERANKED = 40
# The typed words considered, from the title and from the details.
TITLE_WORDS = 10
BODY_WORDS = 8
# What a word of the typed details weighs against one of the title; what a word found only
# in a row's details counts against one found in its title.
BODY_WEIGHT = 0.4
BODY_MATCH = 0.35
# The share of the score made by the titles' common pairs of characters.
CHARACTERS = 0.2


@dataclass(frozen=True)
class Source:
    """A kind of text that may be found alike: ``rows()`` are those that may be suggested."""

    name: str
    rows: Callable[[], QuerySet]
    title: str = "title"
    body: str = "body"
    vector: str = "search"


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    """Make ``source`` known (from its app's ``AppConfig.ready``)."""
    _SOURCES[source.name] = source


def source(name: str) -> Source:
    return _SOURCES[name]


def sources() -> list[Source]:
    return list(_SOURCES.values())


@dataclass(frozen=True)
class Match:
    """A row that says the same thing, with its score (0–1) and, when several committees
    were searched, the committee's schema."""

    pk: int
    title: str
    score: float
    schema: str = ""

    @property
    def is_duplicate(self) -> bool:
        return self.score >= DUPLICATE


@dataclass
class _Word:
    """A typed word: the ways it may be written, its tsquery, its weight and rarity."""

    word: str
    forms: list[str]
    tsquery: str
    weight: float
    texts: int = 0
    idf: float = 0.0

    @property
    def mass(self) -> float:
        return self.weight * self.idf


@dataclass
class _Typed:
    title: str
    found: list[_Word] = field(default_factory=list)
    pairs: frozenset[str] = frozenset()

    @property
    def mass(self) -> float:
        return sum(word.mass for word in self.found)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _content(text: str, thesaurus: chinese.Thesaurus) -> list[str]:
    """The words of ``text`` that may say what it is about (no fillers, no bare numbers)."""
    return [word for word in chinese.query_words(text, thesaurus) if not word.isdigit()]


def _pairs(text: str, thesaurus: chinese.Thesaurus) -> frozenset[str]:
    """The pairs of adjacent characters of ``text``'s content words."""
    joined = "".join(_content(text, thesaurus))
    return frozenset(joined[i : i + 2] for i in range(len(joined) - 1))


def _typed(title: str, body: str, thesaurus: chinese.Thesaurus) -> _Typed:
    in_title = _content(title, thesaurus)[:TITLE_WORDS]
    in_body = [w for w in _content(body, thesaurus) if w not in in_title][:BODY_WORDS]
    body_weight = BODY_WEIGHT if in_title else 1.0
    found = [
        _Word(
            word,
            forms=[_normal(form) for form in chinese.forms_of(word, thesaurus)],
            tsquery=chinese.term(word, "", thesaurus),
            weight=weight,
        )
        for words, weight in ((in_title, 1.0), (in_body, body_weight))
        for word in words
    ]
    return _Typed(title=title, found=found, pairs=_pairs(title or body, thesaurus))


def _idf(texts: int, total: int) -> float:
    """The weight of a word found in ``texts`` of ``total`` texts (BM25's, never negative)."""
    return math.log(1 + (total - texts + 0.5) / (texts + 0.5))


def _counts(name: str, words: Iterable[str]) -> dict[str, int]:
    return dict(
        WordCount.objects.filter(source=name, word__in=set(words)).values_list("word", "texts")
    )


def _total(source: Source) -> int:
    """How many texts the source had when counted; before the first count, the planner's
    estimate of the table's rows."""
    counted = SourceCount.objects.filter(source=source.name).values_list("texts", flat=True)
    for texts in counted:
        return max(texts, 1)
    table = source.rows().model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT greatest(reltuples, 1)::bigint FROM pg_class WHERE oid = %s::regclass", [table]
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 1


def _weigh(source: Source, typed: _Typed) -> int:
    """Give each typed word its rarity; the number of texts counted."""
    total = _total(source)
    counts = _counts(source.name, (form for word in typed.found for form in word.forms))
    for word in typed.found:
        word.texts = max((counts.get(form, 0) for form in word.forms), default=0)
        word.idf = _idf(word.texts, total)
    return total


def _candidates(typed: _Typed) -> tuple[str, bool]:
    """The tsquery that finds the candidates, and whether it may find too many rows (then
    they are taken up to a bound, in no order)."""
    rarest = sorted(typed.found, key=lambda word: word.texts)
    chosen, rows = [], 0
    for word in rarest:
        if word.texts and rows + word.texts > CANDIDATES:
            break
        chosen.append(word)
        rows += word.texts
    covered = sum(word.mass for word in chosen)
    if covered >= 0.5 * typed.mass or len(chosen) == len(rarest):
        return " | ".join(f"({word.tsquery})" for word in chosen), False
    common = sorted(rarest[len(chosen) :], key=lambda word: -word.mass)[:4]
    parts = [f"({word.tsquery})" for word in chosen] + [
        f"(({a.tsquery}) & ({b.tsquery}))" for a, b in itertools.combinations(common, 2)
    ]
    if len(common) == 1:
        parts.append(f"({common[0].tsquery})")
    return " | ".join(parts), True


def _in_title_sql(source: Source, typed: _Typed, table: str) -> RawSQL:
    """The weight of the typed words written in a row's title."""
    terms, params = [], []
    for word in typed.found:
        found = " OR ".join(f"strpos(lower({table}.{source.title}), %s) > 0" for _ in word.forms)
        terms.append(f"(CASE WHEN {found} THEN %s ELSE 0 END)")
        params.extend([*word.forms, word.mass])
    return RawSQL(" + ".join(terms) or "0", params, output_field=FloatField())


def _ranked(source: Source, typed: _Typed) -> list[tuple[int, str, list[bool]]]:
    """The ``RERANKED`` candidates with most of the typed words in their titles: (pk, title,
    whether each typed word is anywhere in the row)."""
    query, bounded = _candidates(typed)
    if not query:
        return []
    rows = source.rows()
    table = rows.model._meta.db_table
    found = rows.filter(**{source.vector: SearchQuery(query, search_type="raw", config="simple")})
    if bounded:
        found = rows.filter(pk__in=Subquery(found.values("pk")[: CANDIDATES * 2]))
    best = list(
        found.annotate(in_title=_in_title_sql(source, typed, table))
        .order_by("-in_title", "-pk")
        .values_list("pk", flat=True)[:RERANKED]
    )
    if not best:
        return []
    # Only then, for these rows alone, whether each typed word is anywhere in them.
    anywhere = {
        f"has_{i}": RawSQL(
            f"{table}.{source.vector} @@ %s::tsquery", [word.tsquery], output_field=BooleanField()
        )
        for i, word in enumerate(typed.found)
    }
    result = (
        rows.model._default_manager.filter(pk__in=best)
        .annotate(**anywhere)
        .values_list("pk", source.title, *anywhere)
    )
    return [(row[0], row[1], list(row[2:])) for row in result]


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _score(
    typed: _Typed,
    title: str,
    anywhere: Sequence[bool],
    counts: dict[str, int],
    total: int,
    thesaurus: chinese.Thesaurus,
) -> float:
    normal = _normal(title)
    in_title = [any(form in normal for form in word.forms) for word in typed.found]
    had = sum(
        word.mass * (1.0 if here else BODY_MATCH if there else 0.0)
        for word, here, there in zip(typed.found, in_title, anywhere, strict=True)
    )
    recall = had / typed.mass if typed.mass else 0.0
    # How much of the row's own title the typed words account for.
    matched_forms = [
        form
        for word, here in zip(typed.found, in_title, strict=True)
        if here
        for form in word.forms
    ]
    own = _content(title, thesaurus)
    own_mass = sum(_idf(counts.get(w, 0), total) for w in own)
    covered = sum(
        _idf(counts.get(w, 0), total)
        for w in own
        if any(form in w or w in form for form in matched_forms)
    )
    precision = covered / own_mass if own_mass else 0.0
    words = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    return (1 - CHARACTERS) * words + CHARACTERS * _dice(typed.pairs, _pairs(title, thesaurus))


def similar(
    name: str,
    title: str,
    body: str = "",
    *,
    limit: int = 5,
    minimum: float = MINIMUM,
    thesaurus: chinese.Thesaurus | None = None,
    exclude: Iterable[int] = (),
) -> list[Match]:
    """The rows of source ``name`` in the current schema that say what ``title`` (and
    ``body``) say, best first, at most ``limit``, none scoring under ``minimum``."""
    source = _SOURCES[name]
    thesaurus = thesaurus if thesaurus is not None else _thesaurus()
    typed = _typed(title, body, thesaurus)
    if not typed.found:
        return []
    total = _weigh(source, typed)
    if not typed.mass:
        return []
    excluded = set(exclude)
    ranked = [row for row in _ranked(source, typed) if row[0] not in excluded]
    counts = _counts(name, (w for _pk, t, _a in ranked for w in _content(t, thesaurus)))
    scored = [
        Match(pk, row_title, round(_score(typed, row_title, anywhere, counts, total, thesaurus), 4))
        for pk, row_title, anywhere in ranked
    ]
    scored = [match for match in scored if match.score >= minimum]
    scored.sort(key=lambda match: (-match.score, -match.pk))
    return scored[:limit]


def similar_across(
    schemas: Iterable[str],
    name: str,
    title: str,
    body: str = "",
    *,
    limit: int = 5,
    minimum: float = MINIMUM,
    thesaurus: chinese.Thesaurus | None = None,
) -> list[Match]:
    """``similar`` in each of the committees' ``schemas`` (a subtree), best first over all;
    each word weighed by the rarity in its own committee."""
    found: list[Match] = []
    for schema in schemas:
        with schema_context(schema):
            found.extend(
                Match(m.pk, m.title, m.score, schema)
                for m in similar(
                    name, title, body, limit=limit, minimum=minimum, thesaurus=thesaurus
                )
            )
    found.sort(key=lambda match: (-match.score, match.schema, -match.pk))
    return found[:limit]


def _thesaurus() -> chinese.Thesaurus:
    return chinese.SEED
