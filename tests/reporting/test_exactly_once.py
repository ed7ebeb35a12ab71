"""Shipping counts every event exactly once: with shippers racing for the same committee, with
a shipper killed in the middle of a batch, and when shipping is repeated."""

import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from franchise.text import topic_terms
from qa import services
from qa.models import Question
from reporting import selectors, shipping
from reporting.metrics import COLUMNS, local_day
from reporting.models import DailyFigures, ResponseTimes, ServedYouth, TopicCount
from tests import factories
from timeline.models import Event

from .helpers import (
    JOB,
    answer,
    around_today,
    ask,
    every_figure,
    figures,
    solve_and_rate,
    without_visits,
)

ROOT = Path(__file__).resolve().parents[2]
SHIPPERS = 4


def unshipped(code: str) -> int:
    with schema_context(code):
        return Event.objects.filter(shipped_at=None).count()


def events(code: str) -> int:
    with schema_context(code):
        return Event.objects.count()


def served_in(code: str) -> set[tuple]:
    """(day, category, asker) of every first answer in the committee's timeline."""
    with schema_context(code):
        return {
            (
                local_day(event.at),
                event.category,
                Question.objects.get(pk=event.subject_id).asker_id,
            )
            for event in Event.objects.filter(kind="qa.answered", data__first=True).order_by()
        }


def busy_committee(gd, *, questions: int, answered: int, rated: int) -> dict[str, int]:
    """Activity in ``gd`` by three youths, a cadre and an expert; what it should count."""
    youths = [factories.account(name=f"青年{n}") for n in range(3)]
    cadre, expert = factories.staff(gd, "cadre"), factories.staff(gd, "expert")
    asked = [(ask("gd", youths[n % 3]), youths[n % 3]) for n in range(questions)]
    for n, (question, _asker) in enumerate(asked[:answered]):
        answer("gd", question, expert if n % 3 == 0 else cadre)
    stars = [1 + n % 5 for n in range(rated)]
    for (question, asker), given in zip(asked[:rated], stars, strict=True):
        solve_and_rate("gd", question, asker, stars=given)
    # A fourth youth takes each rated question's answer instead of asking it again.
    taker = factories.account(name="青年3")
    with schema_context("gd"):
        for question, _asker in asked[:rated]:
            services.take_existing_answer(question=question, youth=taker)
    expected = dict.fromkeys(COLUMNS, 0)
    expected.update(
        asked=questions,
        answered=answered,
        answered_by_league=answered - len(range(0, answered, 3)),
        solved=rated,
        ratings=rated,
        rating_stars=sum(stars),
        ratings_high=sum(1 for given in stars if given >= 4),
        deflected=rated,
    )
    return expected


def assert_counted_once(tree: dict, expected: dict[str, int]) -> None:
    gd, central, bj = tree["gd"], tree["central"], tree["bj"]
    assert unshipped("gd") == 0
    assert figures(gd, subtree=False) == expected
    assert figures(gd, subtree=True) == expected
    assert figures(central, subtree=True) == expected
    assert figures(central, subtree=False) == dict.fromkeys(COLUMNS, 0)
    assert figures(bj, subtree=True) == dict.fromkeys(COLUMNS, 0)
    assert without_visits(figures(gd, subtree=False)) == without_visits(
        selectors.figures_from_schemas(gd, around_today())
    )
    for node, subtree in ((gd, False), (gd, True), (central, True)):
        histogram = ResponseTimes.objects.filter(committee=node, is_subtree=subtree)
        assert sum(histogram.values_list("count", flat=True)) == expected["answered"]
        topics = TopicCount.objects.filter(committee=node, is_subtree=subtree)
        terms: Counter[str] = Counter()
        for term, count in topics.values_list("term", "count"):
            terms[term] += count
        assert terms == dict.fromkeys(set(topic_terms(JOB["title"])), expected["asked"])
    served = ServedYouth.objects.filter(committee=gd).values_list("day", "category", "user_id")
    assert sorted(served) == sorted(served_in("gd"))
    assert not ServedYouth.objects.exclude(committee=gd).exists()


@pytest.mark.slow
def test_concurrent_shippers_count_every_event_exactly_once(committed_tree) -> None:
    gd = committed_tree["gd"]
    expected = busy_committee(gd, questions=60, answered=30, rated=12)
    total = events("gd")
    assert total == 60 + 30 + 12 + 12 + 12  # asked, answered, solved, rated, deflected

    shipped = [0] * SHIPPERS
    errors: list[BaseException] = []
    start = threading.Barrier(SHIPPERS)

    def shipper(n: int) -> None:
        try:
            start.wait(timeout=30)
            while (batch := shipping.ship_committee(gd, limit=7)) > 0:
                shipped[n] += batch
        except BaseException as exc:  # reported by the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=shipper, args=(n,)) for n in range(SHIPPERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a shipper did not finish"
    assert errors == []
    # No event was taken by two shippers: together they shipped each one once.
    assert sum(shipped) == total
    assert_counted_once(committed_tree, expected)

    before = every_figure()
    assert shipping.ship_all() == 0
    assert shipping.ship_all() == 0
    assert every_figure() == before


CHILD = textwrap.dedent(
    """
    import sys, time
    import django
    django.setup()
    from django.db import connection
    from reporting import shipping
    from tenants.models import Committee

    def stuck(tallies):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        print("locked", pid, flush=True)
        time.sleep(600)

    shipping.save = stuck
    shipping.ship_committee(Committee.objects.get(code=sys.argv[1]))
    print("finished", flush=True)
    """
)


def _lines(stream, found: queue.Queue) -> None:
    for line in stream:
        found.put(line)
    found.put(None)


def wait_for(check, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"{what} within {seconds} s"
        time.sleep(0.05)


def backend_alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] > 0


def free_rows(code: str) -> int:
    """Unshipped events no other transaction holds (locks released at once: autocommit)."""
    with schema_context(code), connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT id FROM timeline_event WHERE shipped_at IS NULL"
            " FOR UPDATE SKIP LOCKED) free"
        )
        return cursor.fetchone()[0]


@pytest.mark.slow
def test_a_shipper_killed_mid_batch_commits_nothing(committed_tree) -> None:
    gd = committed_tree["gd"]
    expected = busy_committee(gd, questions=12, answered=6, rated=3)
    total = events("gd")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_NAME": connection.settings_dict["NAME"],
    }
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, "gd"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: queue.Queue = queue.Queue()
    reader = threading.Thread(target=_lines, args=(child.stdout, output), daemon=True)
    reader.start()
    seen: list[str] = []
    try:
        pid = None
        deadline = time.monotonic() + 60
        while pid is None:
            try:
                line = output.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail("the shipper did not lock its batch within 60 s:\n" + "".join(seen))
            assert line is not None, "the shipper ended early:\n" + "".join(seen)
            seen.append(line)
            if line.startswith("locked "):
                pid = int(line.split()[1])
        # Mid-batch: it has marked every event shipped and holds them all, uncommitted.
        assert free_rows("gd") == 0
        assert unshipped("gd") == total
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        reader.join(timeout=10)
    print("".join(seen))  # shown when the test fails

    wait_for(lambda: not backend_alive(pid), seconds=30, what="PostgreSQL ended the killed backend")
    assert unshipped("gd") == total
    assert free_rows("gd") == total
    assert not DailyFigures.objects.exists()

    assert shipping.ship_all() == total
    assert_counted_once(committed_tree, expected)
    assert shipping.ship_all() == 0
