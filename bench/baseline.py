"""The archive's search and similar questions as they were before the similarity service
(kept here only so that ``bench/relevance.py`` measures the gain in one run): similar
questions left out every word found in more than 1,000 of the committee's questions and
ranked the rest by how many typed words a question shares; the words of the same meaning
were the list once written in the code."""

from __future__ import annotations

import itertools
import math

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import BooleanField, Case, F, IntegerField, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from franchise.text import QUERY_STOP_WORDS, Thesaurus, groups_of, phrase, words
from franchise.text import any_of as _any_of
from franchise.text import every as _every
from qa.models import Question
from qa.selectors import archive

THESAURUS = Thesaurus(
    groups_of(
        """
        不见 丢 丢失 弄丢
        医保 医疗保险
        考公 公务员
        考编 事业编
        打游戏 玩游戏 游戏
        心慌 心悸 心跳
        放不下 放下
        分手 失恋
        不过 没过
        挂科 不及格
        找工作 求职
        工资 薪水 薪资
        """
    )
)
COMMON_WORD_ROWS = 1000
SIMILAR_SHARE = 0.4
SIMILAR_ENOUGH_WORDS = 3
SIMILAR_WORDS = 8


def any_of(found, weight=""):
    return _any_of(found, weight, THESAURUS)


def every(found, weight=""):
    return _every(found, weight, THESAURUS)


def query_words(text: str) -> list[str]:
    return [word for word in dict.fromkeys(words(text)) if word not in QUERY_STOP_WORDS]


def common_words() -> frozenset[str]:
    schema = getattr(connection, "schema_name", "public")
    table = Question._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT u.word
            FROM pg_stats s
            CROSS JOIN LATERAL unnest(
                s.most_common_elems::text::text[], s.most_common_elem_freqs
            ) AS u(word, freq)
            WHERE s.schemaname = %s AND s.tablename = %s AND s.attname = 'search'
              AND u.word IS NOT NULL
              AND u.freq * (SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)) > %s
            """,
            [schema, table, f'"{schema}"."{table}"', COMMON_WORD_ROWS],
        )
        return frozenset(word for (word,) in cursor.fetchall())


def _tsquery(raw: str) -> SearchQuery:
    return SearchQuery(raw, search_type="raw", config="simple")


def _matches(raw: str) -> RawSQL:
    return RawSQL(
        f"{Question._meta.db_table}.search @@ %s::tsquery", [raw], output_field=BooleanField()
    )


def _tier(*conditions: RawSQL) -> Case:
    best = len(conditions)
    return Case(
        *(When(condition, then=Value(best - i)) for i, condition in enumerate(conditions)),
        default=Value(0),
        output_field=IntegerField(),
    )


def search_archive(text: str) -> QuerySet[Question]:
    found = query_words(text)
    if not found:
        return archive().none()
    questions = archive().filter(search=_tsquery(every(found)))
    if len(found) > 1 and not questions.exists():
        return _most_words(found, needed=1)
    tier = _tier(_matches(phrase(found, "A")), _matches(every(found, "A")), _matches(phrase(found)))
    return questions.annotate(
        tier=tier, rank=SearchRank(F("search"), _tsquery(every(found)))
    ).order_by("-tier", "-rank", "-created_at")


def _shared(found: list[str]) -> RawSQL:
    column = f"{Question._meta.db_table}.search"
    sql = " + ".join(f"({column} @@ %s::tsquery)::int" for _ in found)
    return RawSQL(f"({sql})", [any_of([word]) for word in found], output_field=IntegerField())


def _most_words(found: list[str], *, needed: int) -> QuerySet[Question]:
    if needed <= 1:
        matching = any_of(found)
    else:
        matching = " | ".join(
            f"({every(list(some))})" for some in itertools.combinations(found, needed)
        )
    return (
        archive()
        .filter(search=_tsquery(matching))
        .annotate(
            shared=_shared(found),
            rank=SearchRank(F("search"), _tsquery(any_of(found))),
            tier=_tier(_matches(any_of(found, "A"))),
        )
        .order_by("-shared", "-tier", "-rank", "-created_at")
    )


def similar_questions(title: str, body: str = "", limit: int = 5) -> list[Question]:
    common = common_words()

    def meaningful(text: str) -> list[str]:
        return [
            word
            for word in dict.fromkeys(words(text))
            if len(word) > 1 and word not in QUERY_STOP_WORDS and word not in common
        ]

    found = meaningful(title)
    if len(found) < 2:
        found = list(dict.fromkeys(found + meaningful(body)))
    found = found[:SIMILAR_WORDS]
    if not found:
        return []
    needed = max(1, min(SIMILAR_ENOUGH_WORDS, math.ceil(len(found) * SIMILAR_SHARE)))
    return list(_most_words(found, needed=needed)[:limit])
