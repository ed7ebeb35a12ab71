"""The outbox with one receiver stuck: messages per second delivered to 1,000 committees, by
one deliverer and by several at once, against the deliverer it replaced.

Provisions ``--receivers`` committees (by clone; ``--keep`` keeps them for the next run) and
queues ``--messages`` messages to each but the first, plus ``--stuck`` messages to the first
(r0000), whose handler always fails: its first message backs off and the others wait behind
it. The other receivers' handler writes one row into the receiver's own ``timeline_event``,
as a mirrored event does. The messages are queued by ``bulk_create`` in one of three orders:

* ``stuck first``: the stuck receiver's messages are the oldest (it went wrong before the
  others sent anything), then the others' round by round;
* ``interleaved``: the stuck receiver's messages spread evenly over the rounds;
* ``stuck last``: the others' first, the stuck receiver's last.

In each order three runs drain the outbox, each calling ``deliver(limit=500)`` until a call
applies nothing: the deliverer before per-receiver claims (one global lock, the first 500
waiting messages by id, a receiver skipped after its first failure; kept below as it was),
then ``tenants.outbox.deliver`` in one process and in ``--deliverers`` processes, each with
its own connection. Two more runs (stuck first, one deliverer and several) use a handler that
also waits ``--wait-ms`` on the database, as handlers with real queries on a busy database do:
there the machine's cores are not what limits several deliverers. A run is timed until every
deliverer stops (with the CPU the deliverers used); then every schema is checked: each message
applied once, in the order sent. Last, the query that finds due receivers is timed against a
``DISTINCT ON`` over the same index, with the messages waiting and with ten times as many.

    .venv/bin/python bench/outbox.py [--receivers 1000] [--messages 10] [--stuck 1000]
        [--deliverers 4] [--wait-ms 2] [--keep]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    bench_database,
    goal,
    provision_central,
    provision_plan,
    server_description,
)

TOPIC = "bench.applied"
STUCK_TOPIC = "bench.stuck"
ORDERS = ("stuck first", "interleaved", "stuck last")
GOAL_PARALLEL = 1.5  # several deliverers against one, on two cores
BATCH = 500

# ---------------------------------------------------------------- the handlers


def _register_handlers() -> None:
    from django.db import connection

    from tenants import outbox

    @outbox.handles(TOPIC)
    def applied(message) -> None:
        with connection.cursor() as cursor:
            if message.payload.get("wait_ms"):  # a handler that waits on the database
                cursor.execute("SELECT pg_sleep(%s)", [message.payload["wait_ms"] / 1000])
            cursor.execute(
                "INSERT INTO timeline_event (subject_type, subject_id, kind, state, category,"
                " topic, data, at) VALUES ('bench.outbox', %s, %s, '', 'other', '',"
                " jsonb_build_object('run', %s, 'seq', %s), now())",
                [message.pk, TOPIC, message.payload["run"], message.payload["seq"]],
            )

    @outbox.handles(STUCK_TOPIC)
    def stuck(message) -> None:
        raise RuntimeError("this committee cannot take anything")


# ---------------------------------------------------------------- the baseline, as it was

_EARLIER_LOCK = 7_361_204


def earlier_deliver(limit: int = BATCH) -> int:
    """``tenants.outbox.deliver`` before per-receiver claims (its backoff included)."""
    from django.db import connection, transaction
    from django.utils import timezone
    from django_tenants.utils import get_public_schema_name, schema_context

    from tenants import outbox
    from tenants.models import Committee, OutboxMessage

    with schema_context(get_public_schema_name()):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_EARLIER_LOCK])
            if not cursor.fetchone()[0]:
                return 0
        try:
            now = timezone.now()
            blocked: set[str] = set()
            applied = 0
            pending = list(
                OutboxMessage.objects.filter(delivered_at__isnull=True).order_by("id")[:limit]
            )
            receivers = {
                c.code: c for c in Committee.objects.filter(code__in={m.receiver for m in pending})
            }
            for message in pending:
                if message.receiver in blocked:
                    continue
                if message.next_attempt_at and message.next_attempt_at > now:
                    blocked.add(message.receiver)
                    continue
                try:
                    with transaction.atomic():
                        committee = receivers.get(message.receiver)
                        if committee is None:
                            raise LookupError(f"No committee {message.receiver!r}")
                        connection.set_tenant(committee)
                        outbox._handlers[message.topic](message)
                        connection.set_schema_to_public()
                        OutboxMessage.objects.filter(pk=message.pk).update(
                            delivered_at=timezone.now(),
                            attempts=message.attempts + 1,
                            last_error="",
                        )
                    applied += 1
                except Exception as exc:
                    connection.set_schema_to_public()
                    blocked.add(message.receiver)
                    backoff = min(3600, 10 * 2**message.attempts)
                    OutboxMessage.objects.filter(pk=message.pk).update(
                        attempts=message.attempts + 1,
                        next_attempt_at=now + timedelta(seconds=backoff),
                        last_error=f"{type(exc).__name__}: {exc}"[:2000],
                    )
            return applied
        finally:
            connection.set_schema_to_public()
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_EARLIER_LOCK])


# ---------------------------------------------------------------- the messages


def queue(
    run: str,
    codes: list[str],
    stuck: str,
    *,
    messages: int,
    stuck_count: int,
    order: str,
    wait_ms: float = 0,
) -> int:
    """Empty the outbox and queue the run's messages in ``order``; how many are not the
    stuck receiver's."""
    from tenants.models import OutboxMessage

    OutboxMessage.objects.all().delete()

    def to(code: str, seq: int) -> OutboxMessage:
        topic = STUCK_TOPIC if code == stuck else TOPIC
        return OutboxMessage(
            topic=topic,
            sender="public",
            receiver=code,
            payload={"run": run, "seq": seq, "wait_ms": wait_ms},
        )

    rows: list[OutboxMessage] = []
    stuck_rows = [to(stuck, seq) for seq in range(stuck_count)]
    if order == "stuck first":
        rows.extend(stuck_rows)
    share = -(-stuck_count // messages) if messages else stuck_count  # per round
    for seq in range(messages):
        if order == "interleaved":
            rows.extend(stuck_rows[seq * share : (seq + 1) * share])
        rows.extend(to(code, seq) for code in codes)
    if order == "stuck last":
        rows.extend(stuck_rows)
    OutboxMessage.objects.bulk_create(rows, batch_size=5000)
    return len(rows) - stuck_count


def _drain(way: str) -> int:
    """One deliverer: deliver until a call applies nothing (in a process of its own)."""
    from django.db import connections

    from tenants import outbox

    deliver = outbox.deliver if way == "new" else earlier_deliver
    total = 0
    try:
        while applied := deliver(BATCH):
            total += applied
    finally:
        connections.close_all()
    return total


def run_way(way: str, deliverers: int) -> tuple[float, list[int], float]:
    """Drain with ``deliverers`` processes: seconds until all are done, what each applied,
    and the CPU seconds they used together."""
    from django.db import connections

    connections.close_all()  # each process opens its own
    context = multiprocessing.get_context("fork")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=deliverers, mp_context=context) as pool:
        counts = list(pool.map(_drain, [way] * deliverers))
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return seconds, counts, cpu


# ---------------------------------------------------------------- the checks


def applied_in_order(run: str, schemas: list[str], messages: int) -> tuple[int, list[str]]:
    """Rows the run wrote, and the schemas where its messages were not applied exactly once
    each in the order sent."""
    from django.db import connection

    wrong: list[str] = []
    rows = 0
    with connection.cursor() as cursor:
        for start in range(0, len(schemas), 200):
            part = schemas[start : start + 200]
            cursor.execute(
                " UNION ALL ".join(
                    f"(SELECT %s, coalesce(array_agg((data->>'seq')::int ORDER BY id), '{{}}')"
                    f" FROM \"{name}\".timeline_event WHERE subject_type = 'bench.outbox'"
                    f" AND data->>'run' = %s)"
                    for name in part
                ),
                [value for name in part for value in (name, run)],
            )
            for name, seqs in cursor.fetchall():
                rows += len(seqs)
                if seqs != list(range(messages)):
                    wrong.append(name)
    return rows, wrong


def stuck_state(stuck: str) -> tuple[int, int]:
    """The stuck receiver's delivered messages, and its first message's attempts."""
    from tenants.models import OutboxMessage

    mine = OutboxMessage.objects.filter(receiver=stuck)
    first = mine.order_by("id").first()
    return mine.filter(delivered_at__isnull=False).count(), first.attempts if first else 0


# ---------------------------------------------------------------- the due query


DISTINCT_ON = """
SELECT receiver FROM (
    SELECT DISTINCT ON (receiver) receiver, id, next_attempt_at, dead_at
      FROM public.tenants_outboxmessage
     WHERE delivered_at IS NULL AND discarded_at IS NULL
     ORDER BY receiver, id
) heads
 WHERE dead_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= %s)
 ORDER BY id LIMIT %s
"""


def time_due_queries(rounds: int = 30) -> dict[str, tuple[float, str]]:
    """Median time of each way of finding due receivers, and its plan's top line."""
    from django.db import connection
    from django.utils import timezone

    from tenants import outbox

    quote = connection.ops.quote_name
    table = f"{quote('public')}.{quote('tenants_outboxmessage')}"
    queries = {
        "loose index scan (tenants.outbox)": outbox._DUE.format(table=table),
        "DISTINCT ON": DISTINCT_ON,
    }
    found: dict[str, tuple[float, str]] = {}
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE public.tenants_outboxmessage")
        answers = []
        for name, sql in queries.items():
            seconds = []
            for _ in range(rounds):
                start = time.perf_counter()
                cursor.execute(sql, [timezone.now(), BATCH])
                rows = cursor.fetchall()
                seconds.append(time.perf_counter() - start)
            answers.append(sorted(rows))
            cursor.execute(
                "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, [timezone.now(), BATCH]
            )
            plan = cursor.fetchone()[0][0]
            buffers = plan["Plan"].get("Shared Hit Blocks", 0) + plan["Plan"].get(
                "Shared Read Blocks", 0
            )
            found[name] = (statistics.median(seconds), f"{buffers:,} buffers")
        assert answers[0] == answers[1], "the two ways find different receivers"
    return found


# ---------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--receivers", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=10, help="to each receiver")
    parser.add_argument("--stuck", type=int, default=1000, help="to the stuck receiver")
    parser.add_argument("--deliverers", type=int, default=4)
    parser.add_argument(
        "--wait-ms", type=float, default=2.0, help="the waiting handler's wait per message"
    )
    parser.add_argument("--keep", action="store_true", help="keep the committees for a rerun")
    args = parser.parse_args()

    with bench_database(f"outbox_{args.receivers}", keep=args.keep):
        from tenants.models import Committee

        _register_handlers()
        print(server_description())
        # Receivers r0000, r0001 … under the central committee (the outbox reads no tree);
        # a database kept by an earlier run gets the ones it lacks.
        codes = [f"r{i:04d}" for i in range(args.receivers)]
        have = set(Committee.objects.filter(code__in=codes).values_list("code", flat=True))
        plan = [{"code": c, "name": c, "level": "province"} for c in codes if c not in have]
        if plan:
            central = Committee.objects.filter(code="central").first() or provision_central()
            start = time.perf_counter()
            provision_plan(plan, central)
            print(f"provisioned {len(plan)} committees in {time.perf_counter() - start:.0f} s")
        committees = list(Committee.objects.filter(code__in=codes).order_by("code"))
        stuck = committees[0].code
        others = [c.code for c in committees[1:]]
        schemas = [c.schema_name for c in committees[1:]]
        print(
            f"{len(committees)} receivers, {args.messages} messages to each of {len(others)}, "
            f"{args.stuck} to {stuck} (its handler always fails)"
        )

        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        rates: dict[tuple[str, str, int, float], float] = {}
        applied_by: dict[tuple[str, str, int, float], int] = {}
        checks_ok = True
        expected = 0
        runs = [
            (order, way, deliverers, 0.0)
            for order in ORDERS
            for way, deliverers in (("earlier", 1), ("new", 1), ("new", args.deliverers))
        ]
        # A handler that waits on the database (the machine's cores are then not the limit).
        runs += [("stuck first", "new", n, args.wait_ms) for n in (1, args.deliverers)]
        for n, key in enumerate(runs):
            order, way, deliverers, wait_ms = key
            run = f"{os.getpid()}-{n}"  # rows of a kept database's earlier runs aside
            expected = queue(
                run,
                others,
                stuck,
                messages=args.messages,
                stuck_count=args.stuck,
                order=order,
                wait_ms=wait_ms,
            )
            seconds, counts, cpu = run_way(way, deliverers)
            rows, wrong = applied_in_order(run, schemas, args.messages)
            delivered, attempts = stuck_state(stuck)
            applied = sum(counts)
            ok = applied == expected == rows and not wrong and delivered == 0
            if way == "new":
                checks_ok = checks_ok and ok
            rates[key], applied_by[key] = applied / seconds, applied
            outcome = (
                "all, once and in order"
                if ok
                else f"{applied:,} of {expected:,}, then nothing more"
                if applied < expected and rows == applied
                else f"WRONG in {len(wrong)} schemas, e.g. {wrong[:3]}"
            )
            waits = f", handler waits {wait_ms:g} ms" if wait_ms else ""
            print(
                f"  {order:11} {way:7} x{deliverers}{waits}: {applied:,} messages in "
                f"{seconds:5.1f} s = {rates[key]:6,.0f} messages/s (per process {counts}; "
                f"deliverers' CPU {cpu / seconds:.2f} cores); {outcome}; "
                f"{stuck}: {delivered} delivered, its first tried {attempts}x"
            )
        print(f"load average after: {os.getloadavg()[0]:.1f}")

        for times in (1, 10):
            waiting = queue(
                "due",
                others,
                stuck,
                messages=args.messages * times,
                stuck_count=args.stuck,
                order="stuck first",
            )
            print(f"\nfinding due receivers, {waiting + args.stuck:,} messages waiting:")
            for name, (median, buffers) in time_due_queries().items():
                print(f"  {name}: median {median * 1000:.2f} ms, {buffers}")

        print()
        earlier = rates[("stuck last", "earlier", 1, 0.0)]
        one = rates[("stuck last", "new", 1, 0.0)]
        print(
            f"one deliverer against the earlier one, stuck last (the only order in which the "
            f"earlier one delivers everything): {one:,.0f} vs {earlier:,.0f} messages/s = "
            f"{one / earlier:.2f}x"
        )
        for order, wait_ms in [(order, 0.0) for order in ORDERS] + [("stuck first", args.wait_ms)]:
            many = rates[(order, "new", args.deliverers, wait_ms)]
            single = rates[(order, "new", 1, wait_ms)]
            waits = f", handler waits {wait_ms:g} ms" if wait_ms else ""
            print(
                f"{args.deliverers} deliverers against one, {order}{waits}: {many:,.0f} vs "
                f"{single:,.0f} messages/s = {many / single:.2f}x"
            )
        starved = ", ".join(
            f"{applied_by[(order, 'earlier', 1, 0.0)]:,} ({order})" for order in ORDERS[:2]
        )
        print(
            goal(
                f"one receiver stuck delays no other: all {expected:,} other messages "
                f"delivered, once and in order, in every run (the earlier deliverer: {starved})",
                checks_ok,
            )
        )
        waiting_ratio = (
            rates[("stuck first", "new", args.deliverers, args.wait_ms)]
            / rates[("stuck first", "new", 1, args.wait_ms)]
        )
        print(
            goal(
                f"{args.deliverers} deliverers >= {GOAL_PARALLEL}x one where handlers wait on "
                f"the database ({args.wait_ms:g} ms; got {waiting_ratio:.2f}x)",
                waiting_ratio >= GOAL_PARALLEL,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
