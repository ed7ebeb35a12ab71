"""The database unreachable (a restart): requests get a 503 in the one shape, beat's scheduler
goes on, and the first request once it is back succeeds on a fresh connection."""

import contextlib

import pytest
from celery.beat import ScheduleEntry
from django.conf import settings
from django.db import connection
from django.test import Client
from django_redis import get_redis_connection

from config.celery import app
from tenants import directory as directory_module
from tenants.directory import directory
from tenants.scheduler import CommitteeScheduler


@contextlib.contextmanager
def database_unreachable():
    """The connection's server moved to a port nobody listens on, and back afterwards."""
    saved = connection.settings_dict["PORT"], connection.settings_dict["HOST"]
    connection.close()
    connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", "9"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"], connection.settings_dict["HOST"] = saved


def client(code: str | None) -> Client:
    # Exceptions become responses through the error handlers, as for a real request.
    return Client(
        HTTP_HOST=f"{code}.localhost" if code else "localhost", raise_request_exception=False
    )


@pytest.mark.django_db(transaction=True)
def test_requests_during_an_outage_get_503_and_succeed_after(committed_tree):
    assert client("gd").get("/api/v1/questions/").status_code == 200  # gd is known

    with database_unreachable():
        api = client("gd").get("/api/v1/questions/")
        page = client("gd").get("/questions/")
        ready = client("gd").get("/healthz/ready")
        live = client("gd").get("/healthz/live")

    assert api.status_code == 503
    assert api.json()["error"]["code"] == "service_unavailable"
    assert api["Retry-After"] == "5"
    assert page.status_code == 503
    assert "text/html" in page["Content-Type"]
    assert b"Traceback" not in page.content and b"settings" not in page.content
    assert ready.status_code == 503 and ready.json()["database"].startswith("error: ")
    assert live.status_code == 200

    # Back: the stale connection is noticed before reuse, and nothing fails.
    assert client("gd").get("/api/v1/questions/").status_code == 200
    assert client("gd").get("/questions/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_beat_skips_a_round_while_the_database_is_away_and_sends_once_it_is_back(
    committed_tree, tmp_path
):
    scheduler = CommitteeScheduler(app=app, schedule_filename=str(tmp_path / "beat"), lazy=True)
    entry = ScheduleEntry(
        name="supervise-deadlines@__all_tenants_only__",
        task="casework.tasks.supervise_deadlines",
        schedule=300.0,
        options={"headers": {"_all_tenants_only": True}},
        app=app,
    )
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    redis = get_redis_connection("default")
    redis.delete(queue)
    try:
        with database_unreachable():
            assert scheduler.apply_entry(entry, producer=None) is None  # no exception
        assert redis.llen(queue) == 0

        scheduler.apply_entry(entry, producer=None)
        assert redis.llen(queue) == len(committed_tree)  # one per committee
    finally:
        redis.delete(queue)


@pytest.mark.django_db(transaction=True)
def test_portals_stay_known_when_another_processs_change_arrives_during_an_outage(
    committed_tree, monkeypatch
):
    assert client("gd").get("/healthz/live").status_code == 200  # gd.localhost is known
    # Another process changed a committee: this one must look its hosts up again, and
    # cannot, so it answers from the map it had.
    get_redis_connection("default").incr(directory_module._generation_key())
    monkeypatch.setattr(directory, "_checked_at", 0.0)
    with database_unreachable():
        live = client("gd").get("/healthz/live")
        unknown = client("nowhere").get("/healthz/live")
    assert live.status_code == 200
    assert unknown.status_code == 503  # never seen: it cannot be told from a typo
    assert client("gd").get("/healthz/live").status_code == 200
