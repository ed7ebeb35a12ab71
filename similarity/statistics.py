"""How many of a committee's texts hold each word: the rarity the similarity service weighs
words by. Counted from the texts' search vectors with PostgreSQL's ``ts_stat``, all at once
(a million questions take seconds), by a daily task in each committee's schema."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from .models import SourceCount, WordCount
from .service import Source, sources

# Counted again after this long; a word in a single text is not kept (it weighs as rare as a
# word never seen).
RECOUNT_AFTER = timedelta(hours=24)
MIN_TEXTS = 2


def recount(source: Source) -> int:
    """Count the words of ``source``'s texts in the current schema afresh; how many texts."""
    rows = source.rows()
    sql, params = rows.values(source.vector).query.sql_with_params()
    # The PostgreSQL backend composes a query with its parameters for ts_stat.
    texts_sql = connection.ops.compose_sql(sql, params)  # type: ignore[attr-defined]
    titles_sql, titles_params = rows.values(source.title).query.sql_with_params()
    table = WordCount._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) AS texts", params)
        (total,) = cursor.fetchone()
        cursor.execute(f"DELETE FROM {table} WHERE source = %s", [source.name])
        cursor.execute(
            f"""
            INSERT INTO {table} (source, kind, word, texts)
            SELECT %s, 'word', word, ndoc FROM ts_stat(%s)
            WHERE ndoc >= %s AND length(word) <= 50
            """,
            [source.name, texts_sql, MIN_TEXTS],
        )
        # In how many titles each character is written.
        cursor.execute(
            f"""
            INSERT INTO {table} (source, kind, word, texts)
            SELECT %s, 'character', c, count(*)
            FROM ({titles_sql}) AS texts (title),
                LATERAL (SELECT DISTINCT c FROM regexp_split_to_table(lower(title), '') AS c) AS x
            WHERE c ~ '\\w'
            GROUP BY c HAVING count(*) >= %s
            """,
            [source.name, *titles_params, MIN_TEXTS],
        )
        SourceCount.objects.update_or_create(
            source=source.name, defaults={"texts": total, "counted_at": timezone.now()}
        )
        # The planner reads a word's count by the index only if it knows the table's size.
        cursor.execute(f"ANALYZE {table}")
    return total


def recount_due(*, now=None) -> dict[str, int]:
    """Recount the sources of the current schema never counted or counted too long ago."""
    now = now or timezone.now()
    counted = dict(SourceCount.objects.values_list("source", "counted_at"))
    done = {}
    for source in sources():
        at = counted.get(source.name)
        if at is None or now - at >= RECOUNT_AFTER:
            done[source.name] = recount(source)
    return done
