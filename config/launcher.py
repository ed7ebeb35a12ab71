"""``./yv start``, ``./yv dev`` and ``./yv test``: the platform and its tests, with or without
servers.

``start`` runs web, worker and beat as shipped (``config.settings.serve``: DEBUG off) and
starts again, with a growing pause, any of them that dies; ``dev`` does the same with
Django's debug pages on.

With ``DATABASE_URL`` and ``REDIS_URL`` unset, the embedded servers of the profile are
started (``config.embedded``) and stopped again at the end if this command started them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from config import embedded

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _servers(profile: str) -> bool:
    """Point the environment at the servers; return whether embedded ones were started."""
    if os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"):
        return False
    servers = embedded.start(profile)
    os.environ.setdefault("DATABASE_URL", servers.database_url)
    os.environ.setdefault("REDIS_URL", servers.redis_url)
    return servers.started


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)


def _port_free(port: str) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", int(port))) != 0


def _stop_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt  # stop the children as Ctrl-C does


# A child that dies is started again after a pause that doubles with each quick death (one
# that ran this long first starts the count again), so a crash loop does not spin the machine.
FIRST_BACKOFF_S = 1.0
MAX_BACKOFF_S = 30.0
STEADY_S = 60.0


class Child:
    """One process of the platform (web, worker, beat), restarted when it dies."""

    def __init__(self, name: str, command: list[str]) -> None:
        self.name = name
        self.command = command
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.restarts = 0
        self.backoff_s = FIRST_BACKOFF_S
        self.restart_at: float | None = None

    def start(self) -> None:
        # A session of its own: Ctrl-C reaches the launcher only, which stops the children in
        # order, and what a dead child leaves behind (a worker's pool) can be stopped with it.
        self.process = subprocess.Popen(self.command, cwd=ROOT, start_new_session=True)
        self.started_at = time.monotonic()
        self.restart_at = None
        print(f"started {self.name} (pid {self.process.pid})", flush=True)

    def watch(self, now: float) -> None:
        """Restart the child if it died and its pause is over."""
        assert self.process is not None
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.restarts += 1
                self.start()
            return
        code = self.process.poll()
        if code is None:
            return
        self._stop_leftovers()
        if now - self.started_at >= STEADY_S:
            self.backoff_s = FIRST_BACKOFF_S
        print(
            f"{self.name} (pid {self.process.pid}) stopped with exit code {code}; "
            f"restarting it in {self.backoff_s:.0f} s",
            flush=True,
        )
        self.restart_at = now + self.backoff_s
        self.backoff_s = min(self.backoff_s * 2, MAX_BACKOFF_S)

    def _stop_leftovers(self) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def wait(self) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._stop_leftovers()


def commands(port: str, profile: str) -> dict[str, list[str]]:
    """The platform's processes: the web server, a Celery worker and beat."""
    return {
        "web": [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            os.environ.get("WEB_WORKERS", "2"),
            "--threads",
            "4",
        ],
        "worker": [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            os.environ.get("WORKER_CONCURRENCY", "2"),
        ],
        "beat": [
            str(BIN / "celery"),
            "-A",
            "config",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(embedded.ROOT / profile / "celerybeat-schedule"),
        ],
    }


def start(settings_module: str = "config.settings.serve") -> int:
    """Run the platform until Ctrl-C (or SIGTERM), restarting any process that dies."""
    # Set, not defaulted: importing the config package has already defaulted it (celery.py).
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    profile = os.environ.setdefault("YV_PROFILE", "dev")
    os.environ.setdefault("LOG_FORMAT", "json")  # what a log collector reads (core.logs)
    port = os.environ.setdefault("PORT", "8000")
    if not _port_free(port):
        print(f"Port {port} is in use: stop what holds it, or run with PORT=8001.", flush=True)
        return 1
    _ensure_packages(SERVE_PACKAGES)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with it ignored
    started = _servers(profile)
    children = [Child(name, command) for name, command in commands(port, profile).items()]
    try:
        _manage("migrate_platform")
        _manage("collectstatic", "--noinput", "--verbosity", "0")
        _manage("seed_demo")
        for child in children:
            child.start()
        print(
            f"Youth Voice is up: http://localhost:{port}/ and http://gd.localhost:{port}/ "
            "(Ctrl-C stops everything)",
            flush=True,
        )
        while True:
            time.sleep(0.5)
            now = time.monotonic()
            for child in children:
                child.watch(now)
    except KeyboardInterrupt:
        return 0
    finally:
        for child in children:
            child.stop()
        for child in children:
            child.wait()
        if started:
            embedded.stop(profile)


def _has_library(name: str) -> bool:
    import ctypes.util

    return ctypes.util.find_library(name) is not None


def _has_chinese_font() -> bool:
    if not shutil.which("fc-list"):
        return False
    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True)
    return bool(listed.stdout.strip())


# Debian packages the platform needs beyond Python's, each with how to tell it is there: the
# PDF reports (WeasyPrint: Pango, and a Chinese font); for the tests also the browser and
# pdftotext, which reads the reports back.
SERVE_PACKAGES = {
    "libpango-1.0-0": lambda: _has_library("pango-1.0"),
    "fonts-noto-cjk": _has_chinese_font,
}
TEST_PACKAGES = {
    **SERVE_PACKAGES,
    "chromium": lambda: bool(shutil.which("chromium")),
    "poppler-utils": lambda: bool(shutil.which("pdftotext")),
}


def _ensure_packages(packages: dict) -> None:
    """Install those of ``packages`` that are missing, from Debian's archive."""
    missing = [name for name, present in packages.items() if not present()]
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit(f"Install Debian's packages first: {' '.join(missing)}")
    print(f"installing {' '.join(missing)}…", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)


def test(args: list[str]) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("YV_PROFILE", "test")
    _ensure_packages(TEST_PACKAGES)
    started = _servers("test")
    try:
        checks = (
            ["ruff", "check", "."],
            ["ruff", "format", "--check", "."],
            [
                "mypy",
                "config",
                "activities",
                "capacity",
                "casework",
                "core",
                "tenants",
                "portal",
                "franchise",
                "helpcases",
                "homes",
                "qa",
                "ratings",
                "reactions",
                "reporting",
                "shares",
                "similarity",
                "suggestions",
                "surveys",
                "timeline",
            ],
        )
        for check in checks:
            result = subprocess.run([str(BIN / check[0]), *check[1:]], cwd=ROOT)
            if result.returncode:
                return result.returncode
        workers = os.environ.get("PYTEST_WORKERS", "auto")
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-n", workers, *args], cwd=ROOT
        ).returncode
    finally:
        if started:
            embedded.stop("test")


def main() -> int:
    command, *rest = sys.argv[1:] or ["help"]
    if command == "start":
        return start()
    if command == "dev":  # Django's debug pages on, for a developer
        return start("config.settings.dev")
    if command == "test":
        return test(rest)
    if command == "stop":
        for profile in ("dev", "test"):
            embedded.stop(profile)
        return 0
    print(__doc__ + "\nusage: ./yv start | ./yv dev | ./yv test [pytest args] | ./yv stop")
    return 2


if __name__ == "__main__":
    sys.exit(main())
