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
  the same meaning) and the characters of the typed title are weighted by how rare they are
  among the committee's texts (inverse document frequency, counted by
  ``similarity.statistics``): a word in every tenth question says little, one in a hundred
  questions says much. Words of the typed title count fully, words of the details less.
* Candidates come from the GIN index: the rows holding the rarest typed words and the
  rarest characters of the typed title, each taking its share of about ``CANDIDATE_ROWS``
  rows (more in a larger archive); when every word is common, rows holding two of them.
* The candidates' distinct titles are ranked by the weight of the typed words and
  characters written in them (as written, so segmentation does not matter: 考公 is in
  考公务员 too), and the best ``RERANKED`` are scored: the cosine of the titles' characters
  weighted by rarity (paraphrases cut into other words still share their characters: 网课
  and 上网课, 考了三次 and 考三回), and the cosine of the words, the row's details counting for
  the typed words they hold.
"""

from __future__ import annotations

import itertools
import math
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django_tenants.utils import schema_context

from franchise import text as chinese
from franchise.matching import normalise

from .models import SourceCount, WordCount

# A row scoring under this is not suggested at all; at or above ``DUPLICATE`` it says the
# same thing in nearly the same words (the asking page offers its answer instead).
MINIMUM = 0.35
DUPLICATE = 0.72
# Rows' worth of the rarest words and characters that make the candidates at 100,000 texts,
# growing slowly with the texts (a larger archive holds more rows of each kind of question:
# a million texts take twice as many).
CANDIDATE_ROWS = 3000
CANDIDATE_GROWTH = 0.3
MIN_SHARE = 300
RERANKED = 60
# The typed words considered, from the title and from the details; the typed characters
# the database weighs (the rarest).
TITLE_WORDS = 10
BODY_WORDS = 8
RANKING_CHARACTERS = 12
CANDIDATE_CHARACTERS = 3
# What a word of the typed details weighs against one of the title; what a typed word
# found only in a row's details counts against one in its title.
BODY_WEIGHT = 0.4
BODY_MATCH = 0.35
# The score: the characters' cosine and the words' cosine, in this proportion.
WORDS = 0.5
# Titles sharing this share of their characters say the same: only the best is shown.
SAME_TITLE = 0.7
# Characters that say nothing of what a text is about.
_PLAIN_CHARACTERS = frozenset(
    "的了吗呢吧啊呀么我你他她它是在有和与就都也还又要会能想去给把让对从这那哪个些很太怎什如何"
)


@dataclass(frozen=True)
class Source:
    """A kind of text that may be found alike: ``rows()`` are those that may be suggested."""

    name: str
    rows: Callable[[], QuerySet]
    title: str = "title"
    body: str = "body"
    vector: str = "search"
    # Whether the vector also holds each character of the title as a word (then the rarest
    # typed characters find candidates too).
    has_characters: bool = False


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
    # The same as stored words alone (no phrases of its pieces): the GIN index answers it
    # without reading the rows' vectors again.
    plain: str = ""
    written: re.Pattern | None = None  # any of the forms, to find in a title
    texts: int = 0
    idf: float = 0.0

    @property
    def mass(self) -> float:
        return self.weight * self.idf


@dataclass
class _Typed:
    words: list[_Word] = field(default_factory=list)
    characters: dict[str, float] = field(default_factory=dict)  # each with its weight
    character_texts: dict[str, int] = field(default_factory=dict)
    ranking: list[tuple[str, float]] = field(default_factory=list)  # the rarest, weighed

    @property
    def mass(self) -> float:
        return sum(word.mass for word in self.words)


def _content(text: str, thesaurus: chinese.Thesaurus) -> list[str]:
    """The words of ``text`` that may say what it is about (no fillers, no bare numbers)."""
    return [word for word in chinese.query_words(text, thesaurus) if not word.isdigit()]


def characters(text: str, thesaurus: chinese.Thesaurus) -> set[str]:
    """The characters of ``text``'s content words, but the plainest."""
    return _characters_of(_content(text, thesaurus))


def _characters_of(words: Iterable[str]) -> set[str]:
    return {
        char
        for word in words
        for char in word
        if char not in _PLAIN_CHARACTERS and not char.isdigit()
    }


def _typed(title: str, body: str, thesaurus: chinese.Thesaurus) -> _Typed:
    in_title = _content(title, thesaurus)[:TITLE_WORDS]
    in_body = [w for w in _content(body, thesaurus) if w not in in_title][:BODY_WORDS]
    body_weight = BODY_WEIGHT if in_title else 1.0
    words = []
    for found, weight in ((in_title, 1.0), (in_body, body_weight)):
        for word in found:
            forms = [normalise(form) for form in chinese.forms_of(word, thesaurus)]
            words.append(
                _Word(
                    word,
                    forms=forms,
                    tsquery=chinese.term(word, "", thesaurus),
                    weight=weight,
                    plain=" | ".join(chinese.lexeme(form) for form in forms if " " not in form),
                    written=re.compile("|".join(map(re.escape, forms))),
                )
            )
    typed_characters = characters(title, thesaurus) or characters(body, thesaurus)
    return _Typed(words=words, characters=dict.fromkeys(typed_characters, 0.0))


def _idf(texts: int, total: int) -> float:
    """The weight of a word found in ``texts`` of ``total`` texts (BM25's, never negative)."""
    return math.log(1 + (total - texts + 0.5) / (texts + 0.5))


@dataclass(frozen=True)
class _Counted:
    texts: int
    characters: dict[str, int]
    at: float
    counted_at: object = None  # when the source was counted (None before the first count)


# The characters' counts of each committee's sources, per process: a few thousand each,
# read again when recounted (checked at most every ``_CHECK_S`` seconds).
_CHECK_S = 60.0
_counted: dict[tuple[str, str], _Counted] = {}


def _census(source: Source) -> _Counted:
    """How many texts the source had when counted, and its titles' characters' counts;
    before the first count, the planner's estimate of the table's rows and no characters."""
    key = (getattr(connection, "schema_name", "public"), source.name)
    now = time.monotonic()
    cached = _counted.get(key)
    if cached is not None and now - cached.at < _CHECK_S:
        return cached
    counted = SourceCount.objects.filter(source=source.name).values_list("texts", "counted_at")
    texts, counted_at = counted.first() or (None, None)
    if texts is None:
        table = source.rows().model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT greatest(reltuples, 1)::bigint FROM pg_class WHERE oid = %s::regclass",
                [table],
            )
            row = cursor.fetchone()
        found = _Counted(int(row[0]) if row else 1, {}, now)
    elif cached is not None and cached.counted_at == counted_at:
        found = _Counted(cached.texts, cached.characters, now, counted_at)
    else:
        chars = dict(
            WordCount.objects.filter(source=source.name, kind=WordCount.Kind.CHARACTER).values_list(
                "word", "texts"
            )
        )
        found = _Counted(max(texts, 1), chars, now, counted_at)
    _counted[key] = found
    return found


# Words' counts already read, per process, committee and source, as of one count (the
# words of a committee's questions repeat: most look-ups need no query).
_KNOWN_WORDS = 200_000
_known: dict[tuple[str, str], tuple[object, dict[str, int]]] = {}


def forget() -> None:
    """Drop what this process has read of the counts (they are read again when next used)."""
    _counted.clear()
    _known.clear()


def _counts(name: str, words: Iterable[str], census: _Counted) -> dict[str, int]:
    """In how many texts each of ``words`` is found (0 for a word not counted)."""
    wanted = set(words)
    key = (getattr(connection, "schema_name", "public"), name)
    cached_stamp, known = _known.get(key, (None, {}))
    if cached_stamp != census.counted_at or len(known) > _KNOWN_WORDS:
        known = {}
    missing = wanted - known.keys()
    if missing:
        found = dict(
            WordCount.objects.filter(
                source=name, kind=WordCount.Kind.WORD, word__in=missing
            ).values_list("word", "texts")
        )
        known.update({word: found.get(word, 0) for word in missing})
    _known[key] = (census.counted_at, known)
    return {word: known[word] for word in wanted}


def _weigh(source: Source, typed: _Typed) -> _Counted:
    """Give each typed word and character its rarity; the counts used."""
    census = _census(source)
    counts = _counts(source.name, (form for word in typed.words for form in word.forms), census)
    for word in typed.words:
        word.texts = max((counts.get(form, 0) for form in word.forms), default=0)
        word.idf = _idf(word.texts, census.texts)
    for char in typed.characters:
        texts = census.characters.get(char, 0)
        typed.character_texts[char] = texts
        typed.characters[char] = _idf(texts, census.texts)
    typed.ranking = sorted(typed.characters.items(), key=lambda item: -item[1])[:RANKING_CHARACTERS]
    return census


def _candidates(typed: _Typed, budget: int, *, characters: bool) -> tuple[list[str], bool]:
    """The tsqueries that find about ``budget`` candidate rows (each takes its share, in no
    order), and whether they are of common words only."""
    # A single character (问, 该) finds rows by chance: candidates come from longer words,
    # of the title when it has some (the details' words only weigh what the title found).
    titled = [word for word in typed.words if word.weight == 1.0] or typed.words
    longer = [word for word in titled if len(word.word) > 1] or titled
    rarest = sorted(longer, key=lambda word: word.texts)
    chosen, rows = [], 0
    for word in rarest:
        if word.texts and rows + word.texts > budget:
            break
        chosen.append(word)
        rows += word.texts
    parts = [f"({word.plain})" for word in chosen]
    if characters:
        # The rarest characters of the title find what is written in other words.
        for char, texts in sorted(typed.character_texts.items(), key=lambda item: item[1])[
            :CANDIDATE_CHARACTERS
        ]:
            if texts and rows + texts > budget:
                break
            parts.append(chinese.lexeme(char))
            rows += texts
    covered = sum(word.mass for word in chosen)
    if parts and (covered >= 0.5 * typed.mass or len(chosen) == len(rarest) or characters):
        return parts, False
    common = sorted(rarest[len(chosen) :], key=lambda word: -word.mass)[:4]
    parts += [f"(({a.plain}) & ({b.plain}))" for a, b in itertools.combinations(common, 2)]
    if len(common) == 1:
        parts.append(f"({common[0].plain})")
    return parts, True


def _prescore(typed: _Typed, title: str) -> float:
    """The weight of the typed words and (rarest) characters written in a title."""
    lowered = title.lower()
    score = sum(
        WORDS * word.mass for word in typed.words if word.written and word.written.search(lowered)
    )
    return score + sum(idf for char, idf in typed.ranking if char in lowered)


def _ranked(source: Source, typed: _Typed, total: int) -> list[tuple[int, str, list[bool]]]:
    """The ``RERANKED`` candidate titles with most of the typed words and characters (the
    newest row of each title): (pk, title, whether each typed word is anywhere in the row)."""
    budget = int(CANDIDATE_ROWS * max(1.0, total / 100_000) ** CANDIDATE_GROWTH)
    queries, bounded = _candidates(typed, budget, characters=source.has_characters)
    if not queries:
        return []
    rows = source.rows()
    table = rows.model._meta.db_table
    # Each word or character takes its share of the rows, so that a common one does not
    # crowd out the rest; the candidates' titles are weighed here (a title's words and
    # characters are tested faster in Python than by the database's string functions), once
    # per distinct title.
    share = max(MIN_SHARE, budget * (2 if bounded else 1) // len(queries))
    found = [
        rows.filter(**{source.vector: SearchQuery(query, search_type="raw", config="simple")})
        .order_by()
        .values_list("pk", source.title)[:share]
        for query in queries
    ]
    union = found[0].union(*found[1:], all=True) if len(found) > 1 else found[0]
    newest: dict[str, int] = {}
    for pk, title in union:
        if pk > newest.get(title, 0):
            newest[title] = pk
    best = sorted(newest.items(), key=lambda item: (-_prescore(typed, item[0]), -item[1]))
    best_pks = [pk for _title, pk in best[:RERANKED]]
    if not best_pks:
        return []
    # Only then, for these rows alone, whether each typed word is anywhere in them.
    anywhere = {
        f"has_{i}": RawSQL(
            f"{table}.{source.vector} @@ %s::tsquery", [word.tsquery], output_field=BooleanField()
        )
        for i, word in enumerate(typed.words)
    }
    result = (
        rows.model._default_manager.filter(pk__in=best_pks)
        .annotate(**anywhere)
        .values_list("pk", source.title, *anywhere)
    )
    return [(row[0], row[1], list(row[2:])) for row in result]


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    shared = sum(a[key] * b[key] for key in a.keys() & b.keys())
    return shared / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


@dataclass(frozen=True)
class _Row:
    pk: int
    title: str
    anywhere: Sequence[bool]  # whether each typed word is anywhere in the row
    words: list[str]  # the title's content words
    characters: set[str]


def _score(typed: _Typed, row: _Row, counts: dict[str, int], census: _Counted) -> float:
    """How alike the typed text and a row are, from 0 to 1."""
    chars = _cosine(
        typed.characters,
        {char: _idf(census.characters.get(char, 0), census.texts) for char in row.characters},
    )
    # The words: the typed words against the row's title words, a typed word found only in
    # the row's details counting for part of one.
    normal = normalise(row.title)
    typed_vector, row_vector = {}, {}
    for i, (word, there) in enumerate(zip(typed.words, row.anywhere, strict=True)):
        typed_vector[str(i)] = word.mass
        if any(form in normal for form in word.forms):
            row_vector[str(i)] = word.idf
        elif there:
            row_vector[str(i)] = BODY_MATCH * word.idf
    for own in row.words:
        if not any(form in own or own in form for word in typed.words for form in word.forms):
            row_vector[own] = _idf(counts.get(own, 0), census.texts)
    words = _cosine(typed_vector, row_vector)
    return (chars + WORDS * words) / (1 + WORDS)


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
    ``body``) say, best first, at most ``limit``, none scoring under ``minimum``; of rows
    whose titles are written nearly alike (``SAME_TITLE``), only the best."""
    source = _SOURCES[name]
    thesaurus = thesaurus if thesaurus is not None else _thesaurus()
    typed = _typed(title, body, thesaurus)
    if not typed.words:
        return []
    census = _weigh(source, typed)
    if not typed.mass:
        return []
    excluded = set(exclude)
    rows = []
    for pk, row_title, anywhere in _ranked(source, typed, census.texts):
        if pk not in excluded:
            own = _content(row_title, thesaurus)
            rows.append(_Row(pk, row_title, anywhere, own, _characters_of(own)))
    counts = _counts(name, (w for row in rows for w in row.words), census)
    scored = sorted(
        ((round(_score(typed, row, counts, census), 4), row) for row in rows),
        key=lambda pair: (-pair[0], -pair[1].pk),
    )
    shown: list[tuple[Match, set[str]]] = []
    for score, row in scored:
        if score < minimum:
            break
        if any(_jaccard(row.characters, other) >= SAME_TITLE for _m, other in shown):
            continue
        shown.append((Match(row.pk, row.title, score), row.characters))
        if len(shown) == limit:
            break
    return [match for match, _chars in shown]


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


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
    from franchise import synonyms

    return synonyms.current()
