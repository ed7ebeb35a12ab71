"""Faults on the running platform: the launcher's web, worker and beat on an embedded
PostgreSQL and Redis of their own (started once for the module, in a folder of their own, so
that the machine's servers are not disturbed).

- Redis paused (SIGSTOP): pages and the API serve, a question is asked and routed, a transfer
  is accepted; once Redis goes on (SIGCONT) the transfer arrives and the notifications are
  delivered.
- PostgreSQL restarted while requests run: 503s in the one shape during, none fail after,
  web, worker and beat still alive.
- A worker killed: the launcher says so and starts another, which answers.
"""

import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest

from config.harness import Platform

# django_db: the suite's set-up (standards, the template) needs the test database set up.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]

YOUTH, ADMIN = "13900010002", "13900010000"  # the demo's, in gd


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def eventually(check, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen within {seconds:.0f} s")


@pytest.fixture(scope="module")
def platform():
    folder = Path(tempfile.mkdtemp(prefix="yv-faults-", dir="/tmp"))
    running = Platform(
        folder,
        free_port(),
        SWEEP_S="2",  # beat's sweeps (outbox, pending notifications) every 2 s
        NOTIFICATION_BACKENDS="core.notifications.InAppBackend,core.notifications.SmsBackend",
        WEB_WORKERS="2",
        WORKER_CONCURRENCY="1",
        THROTTLE_SEARCH="100000/min",  # the traffic below comes from one address
    )
    try:
        yield running.start()
    finally:
        running.resume_redis() if (folder / "dev" / "redis.pid").exists() else None
        running.stop()
        print(running.log()[-6000:])  # shown when a test fails
        shutil.rmtree(folder, ignore_errors=True)


def ask(platform, token: str, title: str) -> dict:
    done = platform.post(
        "gd",
        "/api/v1/questions/",
        token=token,
        json={"title": title, "body": "单位一直拖着不给，怎么办", "category": "career"},
    )
    assert done.status_code == 201, done.text
    return done.json()


def test_redis_paused_pages_serve_and_what_was_asked_follows_once_it_goes_on(platform):
    youth, admin = platform.token("gd", YOUTH), platform.token("gd", ADMIN)
    platform.pause_redis()
    try:
        started = time.monotonic()
        for code, path in [("gd", "/"), ("gd", "/questions/"), (None, "/"), ("bj", "/")] * 2:
            assert platform.get(code, path).status_code == 200, (code, path)
        assert platform.get("gd", "/api/v1/questions/", token=youth).status_code == 200
        asked = ask(platform, youth, "实习工资被拖欠三个月")
        assert asked["state"] == "routed"
        moved = platform.post(
            "gd", f"/api/v1/questions/{asked['id']}/transfer/", token=admin, json={"to": "bj"}
        )
        assert moved.status_code == 200, moved.text
        ready = platform.get("gd", "/healthz/ready")
        assert ready.status_code == 503 and ready.json()["redis"].startswith("error: ")
        # Each process waits on the hung Redis once, briefly, then skips it.
        assert time.monotonic() - started < 30
    finally:
        platform.resume_redis()

    # Redis goes on: beat's sweeps deliver the transfer and the notifications.
    # (bj's rules route it on arrival: it is found in bj's schema rather than in one queue.)
    arrived = "SELECT count(*) FROM bj.qa_question WHERE title = '实习工资被拖欠三个月'"
    eventually(lambda: platform.sql(arrived) == [(1,)], "the transfer's arrival in bj")
    # What the arrival sends on (its events mirrored back to gd) follows with the next sweep.
    pending = "SELECT count(*) FROM tenants_outboxmessage WHERE delivered_at IS NULL"
    eventually(lambda: platform.sql(pending) == [(0,)], "the delivery of every message")
    eventually(
        lambda: (
            platform.sql("SELECT count(*) FROM core_notification WHERE delivered_at IS NULL")
            == [(0,)]
        ),
        "the delivery of the pending notifications",
    )
    eventually(lambda: platform.get("gd", "/healthz/ready").status_code == 200, "readiness")


def test_postgres_restarted_mid_requests_gives_503s_during_and_no_error_after(platform):
    pids = platform.pids()
    youth = platform.token("gd", YOUTH)
    results: list[tuple[float, int]] = []  # (sent at, status)
    stop = threading.Event()

    def traffic() -> None:
        paths = [("gd", "/questions/"), ("gd", "/api/v1/questions/"), (None, "/"), ("gd", "/")]
        i = 0
        while not stop.is_set():
            code, path = paths[i % len(paths)]
            sent = time.monotonic()
            try:
                status = platform.get(code, path, timeout=20).status_code
            except Exception:  # a refused or broken connection counts as an error
                status = -1
            results.append((sent, status))
            i += 1

    threads = [threading.Thread(target=traffic) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)  # traffic before: the outage below hits warm connections
        platform.stop_database()
        time.sleep(3)  # the outage
        platform.start_database()
        back_at = time.monotonic()
        time.sleep(6)  # traffic after, across beat's next sweeps
    finally:
        stop.set()
        for thread in threads:
            thread.join()

    statuses = {status for _, status in results}
    assert statuses <= {200, 503}, sorted(statuses)
    assert 503 in statuses, "the outage was seen"
    after = [status for sent, status in results if sent >= back_at]
    assert after and set(after) == {200}, after
    # Every process lived through it: none was restarted.
    assert platform.pids() == pids
    assert all(platform.alive(name) for name in ("web", "worker", "beat"))
    assert "stopped with exit code" not in platform.log()
    # And the platform works as before: a question asked is routed and ready is green.
    assert ask(platform, youth, "公司不签劳动合同合法吗")["state"] == "routed"
    eventually(lambda: platform.get("gd", "/healthz/ready").status_code == 200, "readiness")


def test_a_killed_worker_is_restarted_by_the_launcher(platform):
    import os
    import signal

    before = platform.pids()["worker"]
    os.kill(before, signal.SIGKILL)
    eventually(
        lambda: f"worker (pid {before}) stopped with exit code -9; restarting it" in platform.log(),
        "the launcher's notice",
        seconds=15,
    )
    eventually(lambda: platform.pids()["worker"] != before, "a new worker", seconds=15)
    assert platform.alive("worker") and platform.alive("web") and platform.alive("beat")
    eventually(
        lambda: platform.get(None, "/healthz/ready").status_code == 200,
        "the new worker's answer",
    )
