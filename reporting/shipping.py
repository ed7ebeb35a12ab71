"""Shipping: every committee's timeline events and the posts' visits into the public figures.

Each batch is one transaction: it locks unshipped rows (``FOR UPDATE SKIP LOCKED``), adds what
they count to the figures and marks them shipped. Two shippers never take the same row, a
shipper killed mid-batch commits nothing, and a repeated task finds nothing left to count:
delivery is at least once, the effect exactly once. PostgreSQL holds all of it; Redis only
carries the tasks. ``rebuild`` recounts everything from the timelines with the same code.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache, partial

from django.db import connection, transaction
from django_tenants.utils import schema_context

from tenants.models import Committee

from . import freshness
from .metrics import COLUMNS, COUNTS, Tally
from .models import CampaignFigures, DailyFigures, ResponseTimes, ServedYouth, TopicCount

# Shippers hold it shared, a rebuild exclusively: a rebuild never races a batch, and
# batches wait (skip) while a rebuild runs.
LOCK = 0x5956_5250
BATCH = 5000

_EVENTS = "SELECT id, kind, category, data, at, youth_id, topic FROM timeline_event"


@lru_cache(maxsize=8192)
def _nodes(committee_id: int, path: str) -> tuple[tuple[int, bool], ...]:
    """(committee id, is_subtree) of every cell a committee's event adds to: its own, and
    the subtree of itself and of each ancestor. Keyed by id too: a committee removed and
    made again under the same code is a new row."""
    codes = path.strip("/").split("/")
    ids = dict(Committee.objects.filter(code__in=codes).values_list("code", "pk"))
    return ((committee_id, False), *((ids[code], True) for code in reversed(codes)))


def _may_ship() -> bool:
    """Whether a batch may run now: not while a rebuild does (it is shipped after)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock_shared(%s)", [LOCK])
        return bool(cursor.fetchone()[0])


def _tally_events(rows: Iterable[tuple], tally: Tally) -> list[int]:
    ids = []
    for event_id, kind, category, data, at, youth_id, topic in rows:
        # Django has psycopg hand JSON over as text.
        data = json.loads(data) if isinstance(data, str) else data or {}
        tally.event(kind=kind, category=category, data=data, at=at, youth_id=youth_id, topic=topic)
        ids.append(event_id)
    return ids


def ship_committee(committee: Committee, *, limit: int = BATCH) -> int:
    """Count one batch of the committee's unshipped events; how many were shipped."""
    tally = Tally()
    with transaction.atomic():
        if not _may_ship():
            return 0
        with schema_context(committee.schema_name), connection.cursor() as cursor:
            cursor.execute(
                _EVENTS + " WHERE shipped_at IS NULL ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                [limit],
            )
            ids = _tally_events(cursor.fetchall(), tally)
            if ids:
                cursor.execute(
                    "UPDATE timeline_event SET shipped_at = now() WHERE id = ANY(%s)", [ids]
                )
        save([(committee, tally)])
    return len(ids)


def ship_visits(*, limit: int = BATCH) -> int:
    """Count one batch of unshipped visits; how many were shipped."""
    tallies: dict[int, Tally] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        if not _may_ship():
            return 0
        cursor.execute(
            "SELECT id, committee_id, category, day FROM public.reporting_postvisit"
            " WHERE NOT is_shipped ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
            [limit],
        )
        rows = cursor.fetchall()
        for _id, committee_id, category, day in rows:
            tallies.setdefault(committee_id, Tally()).visit(day=day, category=category)
        if rows:
            cursor.execute(
                "UPDATE public.reporting_postvisit SET is_shipped = true WHERE id = ANY(%s)",
                [[row[0] for row in rows]],
            )
        committees = Committee.objects.filter(pk__in=tallies)
        save((committee, tallies[committee.pk]) for committee in committees)
    return len(rows)


def pending_committees() -> list[Committee]:
    """Committees with events not yet shipped (one query per 200 schemas)."""
    committees = {c.schema_name: c for c in Committee.objects.exclude(schema_name="public")}
    names = sorted(committees)
    found: list[Committee] = []
    with connection.cursor() as cursor:
        for start in range(0, len(names), 200):
            chunk = names[start : start + 200]
            cursor.execute(
                " UNION ALL ".join(
                    f"(SELECT %s FROM {connection.ops.quote_name(name)}.timeline_event"
                    " WHERE shipped_at IS NULL LIMIT 1)"
                    for name in chunk
                ),
                chunk,
            )
            found.extend(committees[row[0]] for row in cursor.fetchall())
    return found


def _drain(ship: Callable[[], int]) -> int:
    """Run ``ship`` until a batch comes back short; how many records it shipped."""
    shipped = 0
    while (batch := ship()) > 0:
        shipped += batch
        if batch < BATCH:
            break
    return shipped


def ship_all() -> int:
    """Ship everything waiting, committee by committee, then the visits; how many records."""
    shipped = sum(_drain(partial(ship_committee, c)) for c in pending_committees())
    return shipped + _drain(ship_visits)


# ---------------------------------------------------------------- writing the figures

LIVE, REBUILT = "reporting_", "reporting_rebuilt_"


def _figures_sql(prefix: str) -> str:
    """Add rows of every declared column to the figures (``reporting.metrics.COLUMNS``)."""
    return f"""
        INSERT INTO public.{prefix}dailyfigures AS t
            (committee_id, is_subtree, day, category, {", ".join(COLUMNS)})
        SELECT * FROM unnest(%s::bigint[], %s::bool[], %s::date[], %s::text[],
                             {", ".join(["%s::int[]"] * len(COLUMNS))})
        ON CONFLICT (committee_id, is_subtree, day, category)
        DO UPDATE SET {", ".join(f"{c} = t.{c} + EXCLUDED.{c}" for c in COLUMNS)}
    """


def _campaign_sql(prefix: str) -> str:
    """Add rows of every declared count to the campaigns' figures."""
    columns = [count.column for count in COUNTS]
    return f"""
        INSERT INTO public.{prefix}campaignfigures AS t
            (committee_id, is_subtree, day, category, campaign, {", ".join(columns)})
        SELECT * FROM unnest(%s::bigint[], %s::bool[], %s::date[], %s::text[], %s::text[],
                             {", ".join(["%s::int[]"] * len(columns))})
        ON CONFLICT (committee_id, is_subtree, day, category, campaign)
        DO UPDATE SET {", ".join(f"{c} = t.{c} + EXCLUDED.{c}" for c in columns)}
    """


_KEYED_SQL = """
    INSERT INTO public.{prefix}{table} AS t (committee_id, is_subtree, day, category, {key}, count)
    SELECT * FROM unnest(%s::bigint[], %s::bool[], %s::date[], %s::text[], %s::{type}[], %s::int[])
    ON CONFLICT (committee_id, is_subtree, day, category, {key})
    DO UPDATE SET count = t.count + EXCLUDED.count
"""
_SERVED_SQL = """
    INSERT INTO public.{prefix}servedyouth (committee_id, day, category, user_id)
    SELECT * FROM unnest(%s::bigint[], %s::date[], %s::text[], %s::bigint[])
    ON CONFLICT DO NOTHING
"""


def _columns(rows: list[tuple]) -> list[list]:
    return [list(column) for column in zip(*rows, strict=True)]


def save(tallies: Iterable[tuple[Committee, Tally]], *, prefix: str = LIVE) -> None:
    """Add each committee's tally to its own cells and its and its ancestors' subtree cells.
    Cells that several committees share are merged first, and all rows are written in key
    order, so that concurrent batches never deadlock."""
    figures: dict[tuple, list[int]] = {}
    campaigns: dict[tuple, list[int]] = {}
    counted = [count.column for count in COUNTS]
    keyed: dict[str, Counter] = {"responsetimes": Counter(), "topiccount": Counter()}
    served: set[tuple] = set()
    for committee, tally in tallies:
        nodes = _nodes(committee.pk, committee.path)
        for node, sub in nodes:
            for (day, category), counts in tally.counts.items():
                row = figures.setdefault((node, sub, day, category), [0] * len(COLUMNS))
                for position, column in enumerate(COLUMNS):
                    row[position] += counts.get(column, 0)
            for (day, category, campaign), counts in tally.campaigns.items():
                cell = campaigns.setdefault(
                    (node, sub, day, category, campaign), [0] * len(counted)
                )
                for position, column in enumerate(counted):
                    cell[position] += counts.get(column, 0)
            for table, counts in (("responsetimes", tally.responses), ("topiccount", tally.topics)):
                for key, n in counts.items():
                    keyed[table][(node, sub, *key)] += n
        served.update((committee.pk, *cell) for cell in tally.served)
    if prefix == LIVE and (figures or campaigns or served):
        freshness.moved_on()
    with connection.cursor() as cursor:
        if figures:
            rows = [(*key, *values) for key, values in sorted(figures.items())]
            cursor.execute(_figures_sql(prefix), _columns(rows))
        if campaigns:
            rows = [(*key, *values) for key, values in sorted(campaigns.items())]
            cursor.execute(_campaign_sql(prefix), _columns(rows))
        for table, key, kind in (
            ("responsetimes", "bucket", "int"),
            ("topiccount", "term", "text"),
        ):
            if keyed[table]:
                rows = [(*cell, n) for cell, n in sorted(keyed[table].items())]
                sql = _KEYED_SQL.format(prefix=prefix, table=table, key=key, type=kind)
                cursor.execute(sql, _columns(rows))
        if served:
            cursor.execute(_SERVED_SQL.format(prefix=prefix), _columns(sorted(served)))


# ---------------------------------------------------------------- rebuilding

FIGURE_TABLES = {
    "dailyfigures": DailyFigures,
    "campaignfigures": CampaignFigures,
    "responsetimes": ResponseTimes,
    "topiccount": TopicCount,
    "servedyouth": ServedYouth,
}


def rebuild(*, progress: Callable[[Iterable[Committee]], Iterable[Committee]] = iter) -> int:
    """Recount every figure from the timelines and the visits; how many records were counted.

    What is waiting is shipped first; then, with batches held off, every shipped record is
    counted into fresh tables, one committee per short transaction, and the fresh figures
    replace the live ones in one last transaction. Readers see the old figures until then, a
    rebuild that stops half way changes nothing, and records arriving meanwhile are shipped
    after it."""
    ship_all()
    counted = 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK])  # waits for batches in flight
    try:
        with connection.cursor() as cursor:
            for table in FIGURE_TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS public.{REBUILT}{table}")
                cursor.execute(
                    f"CREATE TABLE public.{REBUILT}{table}"
                    f" (LIKE public.{LIVE}{table} INCLUDING ALL)"
                )
        committees = list(Committee.objects.exclude(schema_name="public").order_by("path"))
        for committee in progress(committees):
            with transaction.atomic():
                counted += _recount(committee)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT committee_id, category, day, count(*) FROM public.reporting_postvisit"
                " WHERE is_shipped GROUP BY 1, 2, 3"
            )
            tallies: dict[int, Tally] = {}
            for committee_id, category, day, n in cursor.fetchall():
                tallies.setdefault(committee_id, Tally()).add(day, category, "visits", n)
                counted += n
            found = Committee.objects.filter(pk__in=tallies)
            save(((c, tallies[c.pk]) for c in found), prefix=REBUILT)
            freshness.moved_on()
            for table, model in FIGURE_TABLES.items():
                columns = ", ".join(
                    str(f.column) for f in model._meta.concrete_fields if not f.primary_key
                )
                cursor.execute(f"DELETE FROM public.{LIVE}{table}")
                cursor.execute(
                    f"INSERT INTO public.{LIVE}{table} ({columns})"
                    f" SELECT {columns} FROM public.{REBUILT}{table}"
                )
    finally:
        with connection.cursor() as cursor:
            for table in FIGURE_TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS public.{REBUILT}{table}")
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK])
    return counted


def _recount(committee: Committee) -> int:
    """Count the committee's shipped events into the fresh tables."""
    tally, last, counted = Tally(), 0, 0
    with schema_context(committee.schema_name), connection.cursor() as cursor:
        while True:
            cursor.execute(
                _EVENTS + " WHERE shipped_at IS NOT NULL AND id > %s ORDER BY id LIMIT %s",
                [last, BATCH * 4],
            )
            ids = _tally_events(cursor.fetchall(), tally)
            if not ids:
                break
            counted, last = counted + len(ids), ids[-1]
        save([(committee, tally)], prefix=REBUILT)
    return counted
