"""``./yv start`` and ``./yv test``: the platform and its tests, with or without servers.

With ``DATABASE_URL`` and ``REDIS_URL`` unset, the embedded servers of the profile are
started (``config.embedded``) and stopped again at the end if this command started them.
"""

from __future__ import annotations

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


def start() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("YV_PROFILE", "dev")
    os.environ.setdefault("LOG_FORMAT", "json")  # what a log collector reads (core.logs)
    port = os.environ.setdefault("PORT", "8000")
    if not _port_free(port):
        print(f"Port {port} is in use: stop what holds it, or run with PORT=8001.", flush=True)
        return 1
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with it ignored
    started = _servers("dev")
    procs: list[subprocess.Popen] = []
    try:
        _manage("migrate_platform")
        _manage("collectstatic", "--noinput", "--verbosity", "0")
        _manage("seed_demo")
        commands = {
            "web": [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--access-logfile",
                "-",
            ],
            "worker": [
                str(BIN / "celery"),
                "-A",
                "config",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
            ],
            "beat": [
                str(BIN / "celery"),
                "-A",
                "config",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(ROOT / ".local" / "dev" / "celerybeat-schedule"),
            ],
        }
        for name, command in commands.items():
            procs.append(subprocess.Popen(command, cwd=ROOT))
            print(f"started {name} (pid {procs[-1].pid})", flush=True)
        print(
            f"Youth Voice is up: http://localhost:{port}/ and http://gd.localhost:{port}/ "
            "(Ctrl-C stops everything)",
            flush=True,
        )
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        print("a process stopped; stopping the others", flush=True)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        if started:
            embedded.stop("dev")


def _ensure_chromium() -> None:
    """Browser tests drive Debian's Chromium; install it where it is missing."""
    if shutil.which("chromium"):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit("The browser tests need Chromium: install Debian's 'chromium' package.")
    print("installing Chromium for the browser tests…", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)


def test(args: list[str]) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("YV_PROFILE", "test")
    _ensure_chromium()
    started = _servers("test")
    try:
        checks = (
            ["ruff", "check", "."],
            ["ruff", "format", "--check", "."],
            [
                "mypy",
                "config",
                "core",
                "tenants",
                "portal",
                "franchise",
                "qa",
                "ratings",
                "reporting",
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
    if command == "test":
        return test(rest)
    if command == "stop":
        for profile in ("dev", "test"):
            embedded.stop(profile)
        return 0
    print(__doc__ + "\nusage: ./yv start | ./yv test [pytest args] | ./yv stop")
    return 2


if __name__ == "__main__":
    sys.exit(main())
