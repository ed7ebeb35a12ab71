"""Four deliverers at once, each a thread with its own connection to PostgreSQL, over many
receivers with many messages each: every message is applied once, in its receiver's schema,
in the order sent to that receiver; and without the claim on a receiver the same check
finds messages applied twice or out of order (the check can fail)."""

import threading
from collections import defaultdict

import pytest
from django.db import connection, connections

from tenants import outbox, services
from tenants.models import OutboxMessage
from tests import factories

from .outbox_helpers import handling

pytestmark = pytest.mark.slow

RECEIVERS = 12
MESSAGES = 30  # to each receiver
DELIVERERS = 4
JOURNAL = "public.test_outbox_journal"


@pytest.fixture
def receivers(transactional_db):
    """Committees p00 … p11 under a central one, committed, their schemas dropped after."""
    central = factories.committee("central", level="central")
    made = [central]
    try:
        for i in range(RECEIVERS):
            made.append(factories.committee(f"p{i:02d}", level="province", parent=central))
        yield [c.code for c in made[1:]]
    finally:
        connection.set_schema_to_public()
        for committee in reversed(made):
            services.remove_committee(committee=committee)


@pytest.fixture
def journal(transactional_db):
    """A table the handler writes to in the transaction applying each message: what was
    applied, where, and in which order (``n``)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {JOURNAL} (n bigserial PRIMARY KEY, receiver text NOT NULL,"
            " seq integer NOT NULL, applied_in text NOT NULL DEFAULT current_schema())"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {JOURNAL}")


def _send_everything(codes: list[str]) -> None:
    """MESSAGES to each receiver, interleaved as committees would send them."""
    OutboxMessage.objects.bulk_create(
        OutboxMessage(topic="test.journal", sender="central", receiver=code, payload={"seq": seq})
        for seq in range(MESSAGES)
        for code in codes
    )


def _run_deliverers() -> dict[int, str]:
    """Four threads delivering until they find nothing more; the receiver of each thread's
    first message. Each thread's first message waits until all four are applying one, so
    that they really run at once."""
    everyone_applying = threading.Barrier(DELIVERERS)
    mine = threading.local()
    first: dict[int, str] = {}
    failures: list[BaseException] = []

    def write(message: OutboxMessage) -> None:
        if not getattr(mine, "started", False):
            mine.started = True
            first[threading.get_ident()] = message.receiver
            everyone_applying.wait(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {JOURNAL} (receiver, seq) VALUES (%s, %s)",
                [message.receiver, message.payload["seq"]],
            )

    def deliverer() -> None:
        try:
            while outbox.deliver(limit=50):
                pass
        except BaseException as exc:  # reported by the test
            failures.append(exc)
        finally:
            connections.close_all()

    with handling("test.journal", write):
        threads = [threading.Thread(target=deliverer) for _ in range(DELIVERERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert not failures, failures
    assert not any(thread.is_alive() for thread in threads)
    return first


def _problems(codes: list[str]) -> list[str]:
    """What the journal shows wrong: a receiver's messages not applied exactly once each in
    the order sent, or applied outside its schema."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT receiver, seq, applied_in FROM {JOURNAL} ORDER BY n")
        rows = cursor.fetchall()
    applied: dict[str, list[int]] = defaultdict(list)
    problems = []
    for receiver, seq, schema in rows:
        applied[receiver].append(seq)
        if schema != services.schema_name_for(receiver):
            problems.append(f"{receiver} #{seq} applied in {schema}")
    for code in codes:
        if applied[code] != list(range(MESSAGES)):
            problems.append(f"{code}: {applied[code]}")
    return problems


def test_four_deliverers_keep_each_receivers_order_and_apply_each_message_once(receivers, journal):
    _send_everything(receivers)
    first = _run_deliverers()
    assert _problems(receivers) == []
    assert not OutboxMessage.objects.waiting().exists()
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
    # All four applied a message at the same moment, each to a receiver of its own.
    assert len(first) == DELIVERERS and len(set(first.values())) == DELIVERERS


def test_without_the_claim_on_a_receiver_the_check_finds_the_damage(
    receivers, journal, monkeypatch
):
    monkeypatch.setattr(outbox, "_claim", lambda receiver: True)
    _send_everything(receivers)
    _run_deliverers()
    # Every message was applied (none failed), and yet some twice or out of order.
    assert not OutboxMessage.objects.waiting().exists()
    assert _problems(receivers), "four deliverers without claims went unnoticed"
