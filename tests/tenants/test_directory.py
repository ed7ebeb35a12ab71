"""Host name → committee from process memory: no query once warm, and changes still seen."""

import time
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_redis import get_redis_connection

from tenants import directory as directory_module
from tenants import services
from tenants.directory import CHECK_EVERY_S, CommitteeDirectory, directory
from tenants.models import Committee, Domain

PING = "/api/v1/ping/"


class Clock:
    """The directory's monotonic clock, moved by hand (time_machine leaves monotonic alone)."""

    def __init__(self) -> None:
        self.now = time.monotonic() + 10_000

    def monotonic(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """A hand-moved clock; the process's directory checks Redis on its next lookup."""
    clock = Clock()
    monkeypatch.setattr(directory_module, "time", SimpleNamespace(monotonic=clock.monotonic))
    monkeypatch.setattr(directory, "_checked_at", 0.0)
    return clock


def bump_generation() -> None:
    """What another process does when its change to a committee or domain commits."""
    get_redis_connection("default").incr(directory_module._generation_key())


def test_a_warm_host_costs_no_query(tree, api, clock):
    client = api("gd")
    with CaptureQueriesContext(connection) as cold:
        assert client.get(PING).json()["committee"] == "gd"
    assert any("tenants_domain" in q["sql"] for q in cold.captured_queries)
    for _ in range(3):
        with CaptureQueriesContext(connection) as warm:
            answer = client.get(PING)
        assert answer.status_code == 200
        assert answer.json()["committee"] == "gd"
        assert warm.captured_queries == []
        clock.advance(CHECK_EVERY_S)  # a Redis check finds no change: still no query


def test_an_unknown_host_is_remembered_too(tree, api, clock):
    assert api("nowhere").get(PING).status_code == 404
    with CaptureQueriesContext(connection) as warm:
        assert api("nowhere").get(PING).status_code == 404
    assert warm.captured_queries == []


def test_suspending_a_committee_is_seen_at_once_here(tree, api, clock):
    assert api("gd").get(PING).status_code == 200
    services.set_status(committee=tree.gd, status="suspended")
    answer = api("gd").get(PING)
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "portal_suspended"
    services.set_status(committee=tree.gd, status="active")
    assert api("gd").get(PING).status_code == 200


def test_a_new_domain_is_served_at_once_here(tree, api, clock):
    assert api("guangdong").get(PING).status_code == 404  # remembered as unknown
    Domain.objects.create(domain="guangdong.localhost", tenant=tree.gd, is_primary=False)
    answer = api("guangdong").get(PING)
    assert answer.status_code == 200
    assert answer.json()["committee"] == "gd"
    Domain.objects.filter(domain="guangdong.localhost").get().delete()
    assert api("guangdong").get(PING).status_code == 404


def test_a_renamed_committee_is_seen_at_once_here(tree, web, clock):
    assert "共青团北京市委" in web("bj").get("/").content.decode()
    services.update_branding(committee=tree.bj, display_name="青年之声 · 北京")
    assert "青年之声 · 北京" in web("bj").get("/").content.decode()


def test_another_processs_change_is_seen_after_the_check_interval(tree, api, clock):
    assert api("gd").get(PING).status_code == 200
    # Another process suspends gd: its row changes, no signal reaches this process ...
    Committee.objects.filter(pk=tree.gd.pk).update(status="suspended")
    # ... and, once its transaction commits, it bumps the generation in Redis.
    bump_generation()
    clock.advance(CHECK_EVERY_S / 2)
    assert api("gd").get(PING).status_code == 200  # not checked yet: memory answers
    clock.advance(CHECK_EVERY_S / 2)
    answer = api("gd").get(PING)
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "portal_suspended"
    # The other portals are looked up again too, and still served.
    assert api("bj").get(PING).status_code == 200


def test_without_a_generation_bump_memory_keeps_answering(tree, api, clock):
    """The Redis generation is the one signal between processes (and costs no query)."""
    assert api("gd").get(PING).status_code == 200
    Committee.objects.filter(pk=tree.gd.pk).update(status="suspended")
    clock.advance(CHECK_EVERY_S * 5)
    with CaptureQueriesContext(connection) as warm:
        assert api("gd").get(PING).status_code == 200
    assert warm.captured_queries == []


def test_a_lookup_after_the_interval_reads_redis_once(tree, api, clock, monkeypatch):
    assert api("gd").get(PING).status_code == 200
    calls = []
    real = directory_module.get_redis_connection

    def counting(alias):
        calls.append(alias)
        return real(alias)

    monkeypatch.setattr(directory_module, "get_redis_connection", counting)
    for _ in range(5):
        api("gd").get(PING)
    assert calls == []
    clock.advance(CHECK_EVERY_S)
    for _ in range(5):
        api("gd").get(PING)
    assert calls == ["default"]


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_reaches_another_process(committed_tree, clock):
    other = CommitteeDirectory()  # the directory of another web or worker process
    gd = committed_tree["gd"]
    assert other.lookup("gd.localhost").is_active
    key = directory_module._generation_key()
    redis = get_redis_connection("default")
    generation = int(redis.get(key) or 0)

    # A change that is rolled back bumps nothing.
    with pytest.raises(RuntimeError), transaction.atomic():
        services.set_status(committee=gd, status="suspended")
        raise RuntimeError("changed my mind")
    assert int(redis.get(key) or 0) == generation

    services.set_status(committee=gd, status="suspended")
    assert int(redis.get(key) or 0) == generation + 1
    assert other.lookup("gd.localhost").is_active  # within the interval: its memory
    clock.advance(CHECK_EVERY_S)
    assert other.lookup("gd.localhost").is_suspended
    assert directory.lookup("gd.localhost").is_suspended  # and this process at once
