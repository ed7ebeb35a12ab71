"""Redis hung or down: the portals keep serving, asking and answering succeed, limits hold in
process, caches fall through to the database, and what could not be sent is sent afterwards.

A hung Redis is a real socket that accepts connections and never answers; a Redis that is
down is a socket path nobody listens on."""

import socket
import threading
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django_redis import get_redis_connection

from core import ratelimit, redisguard
from core.models import Notification
from core.notifications import notify
from core.tasks import deliver_pending_notifications
from tenants.directory import directory
from tests.qa.helpers import alliance


class RecordingBackend:
    """A delivery backend (like SMS) that records what it was handed."""

    sent: list[int] = []

    def send(self, notification) -> None:
        self.sent.append(notification.pk)


@pytest.fixture
def hung_redis_url():
    """The address of a server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(128)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            held.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()
    for conn in held:
        conn.close()


@pytest.fixture
def redis_at(settings):
    """``redis_at(url)``: from now on the cache, the limits and the directory use that Redis;
    everything is put back after the test."""
    redisguard.reset()

    def point(url: str) -> None:
        settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": url}}

    yield point
    redisguard.reset()
    directory._checked_at = 0.0


@pytest.fixture
def external_delivery(settings):
    settings.NOTIFICATION_BACKENDS = [
        "core.notifications.InAppBackend",
        "tests.core.test_redis_outage.RecordingBackend",
    ]
    RecordingBackend.sent = []
    return RecordingBackend.sent


def test_portal_pages_and_api_serve_while_redis_hangs(tree, web, api, redis_at, hung_redis_url):
    assert web("gd").get("/").status_code == 200  # the directory knows gd
    redis_at(hung_redis_url)
    directory._checked_at = 0.0  # the next request asks Redis for the generation

    started = time.monotonic()
    for _ in range(3):
        assert web("gd").get("/").status_code == 200
        assert web("gd").get("/questions/").status_code == 200
        assert api("gd").get("/api/v1/questions/").status_code == 200
        assert web("bj").get("/").status_code == 200  # a host not seen yet: from the database
    elapsed = time.monotonic() - started

    # One wait of REDIS_TIMEOUT_S, then Redis is skipped instead of waited on per request.
    assert elapsed < 3 * settings.REDIS_TIMEOUT_S + 2.0, elapsed
    assert redisguard.is_skipped()
    assert redisguard.status().startswith("error: ")


def test_asking_and_answering_succeed_and_their_deliveries_follow_once_redis_is_back(
    tree, api, redis_at, external_delivery, django_capture_on_commit_callbacks
):
    alliance("gd", tree["gd_expert"], category="career")
    redis_at("unix:///nonexistent/redis.sock")  # Redis down

    with django_capture_on_commit_callbacks(execute=True):
        asked = api("gd", tree["youth"]).post(
            "/api/v1/questions/",
            {"title": "应届生找工作被要求交培训费", "body": "面试后让先交钱", "category": "career"},
            format="json",
        )
    assert asked.status_code == 201, asked.content
    assert asked.json()["state"] == "routed"
    with django_capture_on_commit_callbacks(execute=True):
        answered = api("gd", tree["gd_expert"]).post(
            f"/api/v1/questions/{asked.json()['id']}/answers/",
            {"body": "这是违规收费，请拨打12333。"},
            format="json",
        )
    assert answered.status_code in (200, 201), answered.content
    pending = list(Notification.objects.filter(delivered_at=None).values_list("pk", flat=True))
    assert pending, "asking and answering notify someone"
    assert external_delivery == []  # nothing could be sent while Redis was down

    # Redis back: beat's sweep delivers each pending notification, once.
    redisguard.reset()
    assert deliver_pending_notifications() == len(pending)
    assert sorted(external_delivery) == sorted(pending)
    assert not Notification.objects.filter(delivered_at=None).exists()
    assert deliver_pending_notifications() == 0


def test_notifications_without_other_backends_are_never_pending(tree):
    made = notify([tree["youth"]], "answered", title="问题")
    assert made[0].delivered_at is not None


def test_limits_count_in_process_while_redis_is_down(redis_at):
    name = f"test-outage-{time.monotonic_ns()}"
    redis_at("unix:///nonexistent/redis.sock")
    assert [ratelimit.hit(name, 60) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.count(name) == 3
    ratelimit.reset(name)
    assert ratelimit.count(name) == 0


def test_login_with_the_right_password_works_while_redis_is_down(tree, api, redis_at):
    from tests.factories import PASSWORD

    redis_at("unix:///nonexistent/redis.sock")
    done = api("gd").post(
        "/api/v1/auth/token/", {"phone": tree["youth"].phone, "password": PASSWORD}, format="json"
    )
    assert done.status_code == 200, done.content
    assert "access" in done.json()


def test_the_cache_answers_from_memory_while_redis_fails_then_from_redis_again(redis_at):
    key = f"outage-{time.monotonic_ns()}"
    redis_at("unix:///nonexistent/redis.sock")
    cache.set(key, "local", 60)
    assert cache.get(key) == "local"
    assert cache.get(key + "-missing") is None  # a miss: the caller reads the database

    redisguard.reset()
    redis_at(settings.REDIS_URL)
    assert cache.get(key) is None  # Redis never had it
    cache.set(key, "shared", 60)
    assert get_redis_connection("default").exists(cache.make_key(key)) == 1
    cache.delete(key)


def test_the_console_figures_are_read_from_the_database_while_redis_is_down(tree, api, redis_at):
    redis_at("unix:///nonexistent/redis.sock")
    overview = api(None, tree["central_admin"]).get("/api/v1/reports/overview/")
    assert overview.status_code == 200, overview.content


def test_health_reports_a_redis_fault_while_the_process_lives(tree, web, redis_at):
    redis_at("unix:///nonexistent/redis.sock")
    assert web("gd").get("/healthz/live").json() == {"status": "ok"}
    ready = web("gd").get("/healthz/ready")
    assert ready.status_code == 503
    assert ready.json()["database"] == "ok"
    assert ready.json()["redis"].startswith("error: ")
    assert ready.json()["celery"] == "no worker answered"
    assert web("gd").get("/healthz").json()["redis"].startswith("error: ")
