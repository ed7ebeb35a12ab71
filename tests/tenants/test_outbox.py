"""The outbox's delivery: only each receiver's oldest message is a candidate, a receiver
backing off holds up no other, a message that keeps failing dies and holds its receiver up
until the central admin acts, and the central office sends from the public schema."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from core.errors import ServiceError
from tenants import outbox, services
from tenants.models import OutboxAction, OutboxMessage

from .outbox_helpers import handling, schema_in_use

START = timezone.make_aware(timezone.datetime(2026, 3, 2, 9, 0))


@pytest.fixture
def applied():
    """What the ``test.note`` handler applied, in order: (schema, receiver, payload's n)."""
    seen: list[tuple[str, str, int]] = []

    def note(message: OutboxMessage) -> None:
        seen.append((schema_in_use(), message.receiver, message.payload["n"]))

    with handling("test.note", note):
        yield seen


@pytest.fixture
def poison():
    """A ``test.poison`` handler that fails while ``poison["broken"]`` holds, then notes."""
    state: dict = {"broken": True, "applied": []}

    def apply(message: OutboxMessage) -> None:
        if state["broken"]:
            raise ValueError("cannot read the payload")
        state["applied"].append((message.receiver, message.payload["n"]))

    with handling("test.poison", apply):
        yield state


def _bj_backs_off_with(waiting: int) -> None:
    OutboxMessage.objects.bulk_create(
        OutboxMessage(topic="test.note", sender="gd", receiver="bj", payload={"n": n})
        for n in range(waiting)
    )
    head = OutboxMessage.objects.waiting().filter(receiver="bj").earliest("id")
    OutboxMessage.objects.filter(pk=head.pk).update(
        attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=5), last_error="x"
    )


def _deliver_counting_queries() -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        delivered = outbox.deliver()
    return delivered, len(queries)


def test_a_receiver_backing_off_with_a_thousand_messages_holds_up_no_other(tree, applied):
    _bj_backs_off_with(1000)
    with schema_context("bj"):
        other = outbox.send("test.note", receiver="gd", payload={"n": 1})
    delivered, queries = _deliver_counting_queries()
    assert delivered == 1  # (the earlier deliverer read bj's first 500 and nothing else)
    assert applied == [("gd", "gd", 1)]
    other.refresh_from_db()
    assert other.delivered_at is not None and other.attempts == 1
    assert not OutboxMessage.objects.filter(receiver="bj", delivered_at__isnull=False).exists()

    # However long bj's backlog, the delivery to gd costs the same queries.
    OutboxMessage.objects.filter(receiver="bj").delete()
    _bj_backs_off_with(1)
    with schema_context("bj"):
        outbox.send("test.note", receiver="gd", payload={"n": 2})
    assert _deliver_counting_queries() == (1, queries)


def test_only_the_oldest_message_of_a_receiver_is_a_candidate(tree, applied):
    with schema_context("gd"):
        first = outbox.send("test.note", receiver="bj", payload={"n": 1})
        outbox.send("test.note", receiver="bj", payload={"n": 2})
        outbox.send("test.note", receiver="gd-gz", payload={"n": 3})
    assert set(outbox.due_receivers(limit=10)) == {"bj", "gd-gz"}
    OutboxMessage.objects.filter(pk=first.pk).update(
        next_attempt_at=timezone.now() + timedelta(seconds=10)
    )
    assert outbox.due_receivers(limit=10) == ["gd-gz"]  # bj's second waits behind its first
    assert outbox.due_receivers(limit=10, now=timezone.now() + timedelta(seconds=11)) == [
        "bj",
        "gd-gz",
    ]


def test_no_receiver_takes_the_whole_limit(tree, applied):
    with schema_context("gd"):
        for n in range(30):
            outbox.send("test.note", receiver="bj", payload={"n": n})
        outbox.send("test.note", receiver="gd-gz", payload={"n": 100})
    assert outbox.deliver(limit=outbox.BURST + 1) == outbox.BURST + 1
    assert ("gd_gz", "gd-gz", 100) in applied  # its turn came after bj's first BURST
    assert [n for _schema, receiver, n in applied if receiver == "bj"] == list(range(outbox.BURST))
    assert outbox.deliver() == 30 - outbox.BURST
    assert [n for _schema, receiver, n in applied if receiver == "bj"] == list(range(30))


def test_a_poison_message_dies_holds_its_receiver_and_is_retried_by_the_central_admin(
    tree, api, applied, poison, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 8
    with time_machine.travel(START, tick=False) as clock:
        with schema_context("gd"):
            dead = outbox.send("test.poison", receiver="bj", payload={"n": 0})
            for n in (1, 2, 3):
                outbox.send("test.note", receiver="bj", payload={"n": n})
            outbox.send("test.note", receiver="gd-gz", payload={"n": 9})
        waits = []
        for attempt in range(1, 9):
            outbox.deliver()
            dead.refresh_from_db()
            assert dead.attempts == attempt
            assert dead.last_error == "ValueError: cannot read the payload"
            if attempt < 8:
                waits.append((dead.next_attempt_at - timezone.now()).total_seconds())
                assert outbox.deliver() == 0  # not due yet: the receiver waits
                clock.shift(dead.next_attempt_at - timezone.now())
        assert waits == [10, 20, 40, 80, 160, 320, 640]
        assert dead.dead_at == timezone.now() and dead.next_attempt_at is None
        assert dead.state == OutboxMessage.State.DEAD
        clock.shift(timedelta(days=2))
        assert outbox.deliver() == 0  # dead: it is never tried again, and bj's others wait
        assert applied == [("gd_gz", "gd-gz", 9)]  # delivered on the first call

        admin = api(None, tree["central_admin"])
        listed = admin.get("/api/v1/outbox/dead/").json()
        assert listed["count"] == 1
        (row,) = listed["results"]
        assert row["id"] == dead.pk and row["receiver"] == "bj"
        assert row["receiver_name"] == "共青团北京市委" and row["waiting_behind"] == 3
        assert row["attempts"] == 8 and row["last_error"].startswith("ValueError")

        poison["broken"] = False  # the handler is fixed (a deploy)
        retried = admin.post(f"/api/v1/outbox/dead/{dead.pk}/retry/")
        assert retried.status_code == 200, retried.content
        assert retried.json()["state"] == "waiting" and retried.json()["attempts"] == 0
        action = OutboxAction.objects.get()
        assert (action.kind, action.actor, action.message_id) == (
            "retry",
            tree["central_admin"],
            dead.pk,
        )
        assert action.attempts == 8 and action.last_error == "ValueError: cannot read the payload"
        assert admin.get("/api/v1/outbox/dead/").json()["count"] == 0

        assert outbox.deliver() == 4
    assert poison["applied"] == [("bj", 0)]
    assert applied[1:] == [("bj", "bj", 1), ("bj", "bj", 2), ("bj", "bj", 3)]
    assert not OutboxMessage.objects.waiting().exists()


def test_a_receiver_with_no_committee_backs_off_and_dies(tree, applied, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    with time_machine.travel(START, tick=False) as clock:
        with schema_context("gd"):
            lost = outbox.send("test.note", receiver="gone", payload={"n": 1})
        assert outbox.deliver() == 0
        lost.refresh_from_db()
        assert lost.last_error == "LookupError: No committee 'gone'"
        assert lost.next_attempt_at == timezone.now() + timedelta(seconds=10)
        clock.shift(timedelta(seconds=10))
        assert outbox.deliver() == 0
        lost.refresh_from_db()
        assert lost.state == "dead" and lost.attempts == 2
    assert applied == []


def test_a_topic_without_handler_is_an_error_too(tree):
    with schema_context("gd"):
        unknown = outbox.send("test.nobody", receiver="bj", payload={})
    assert outbox.deliver() == 0
    unknown.refresh_from_db()
    assert unknown.last_error == "LookupError: No handler for 'test.nobody'"


def test_a_failed_message_changes_nothing_in_the_receiver(tree):
    from portal.models import Notice

    def half_done(message: OutboxMessage) -> None:
        Notice.objects.create(author_id=tree["bj_cadre"].pk, title="半途", body="")
        raise RuntimeError("after a write")

    with handling("test.half", half_done):
        with schema_context("gd"):
            half = outbox.send("test.half", receiver="bj", payload={})
        assert outbox.deliver() == 0
    with schema_context("bj"):
        assert not Notice.objects.filter(title="半途").exists()
    half.refresh_from_db()
    assert half.attempts == 1 and half.delivered_at is None


def test_the_central_office_sends_from_the_public_schema(tree, applied):
    connection.set_schema_to_public()
    message = outbox.send("test.note", receiver="gd", payload={"n": 7})
    assert message.sender == outbox.CENTRAL_OFFICE == "public"
    assert outbox.deliver() == 1
    assert applied == [("gd", "gd", 7)]  # applied in the committee's own schema
    with schema_context("gd"):
        assert outbox.current_sender() == "gd"


def test_discarding_needs_a_reason_and_lets_the_receiver_go_on(tree, applied, poison, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    with schema_context("gd"):
        dead = outbox.send("test.poison", receiver="bj", payload={"n": 0})
        outbox.send("test.note", receiver="bj", payload={"n": 1})
    assert outbox.deliver() == 0
    dead.refresh_from_db()
    assert dead.state == "dead"
    with pytest.raises(ServiceError) as refused:
        services.discard_message(message=dead, actor=tree["central_admin"], reason="  ")
    assert refused.value.field == "reason"
    services.discard_message(message=dead, actor=tree["central_admin"], reason="发件方写错了")
    dead.refresh_from_db()
    assert dead.state == "discarded" and dead.delivered_at is None
    assert outbox.deliver() == 1
    assert applied == [("bj", "bj", 1)] and poison["applied"] == []
    with pytest.raises(ServiceError) as again:
        services.retry_message(message=dead, actor=tree["central_admin"])
    assert again.value.code == "not_dead" and again.value.status == 409
    assert list(OutboxAction.objects.values_list("kind", "reason")) == [("discard", "发件方写错了")]
