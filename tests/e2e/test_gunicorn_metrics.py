"""gunicorn as ./yv start runs it (gunicorn.conf.py from the working directory): two worker
processes, one /metrics adding up both, and JSON log lines only."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": "localhost"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.read().decode()


@pytest.mark.slow
def test_two_workers_one_scrape_and_json_logs(db, tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_NAME": connection.settings_dict["NAME"],
        "LOG_FORMAT": "json",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--access-logfile",
                "-",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    _get(f"http://127.0.0.1:{port}/api/v1/ping/")
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise
                    time.sleep(0.2)
            # Until both workers have answered some (the second may still be starting).
            samples = tmp_path / "metrics"
            pings = 1
            deadline = time.monotonic() + 60
            while len(list(samples.glob("histogram_*.db"))) < 2 and time.monotonic() < deadline:
                for _ in range(10):
                    assert _get(f"http://127.0.0.1:{port}/api/v1/ping/")[0] == 200
                pings += 10
            status, text = _get(f"http://127.0.0.1:{port}/metrics")
            assert status == 200
        finally:
            server.terminate()
            server.wait(timeout=30)
    files = list((tmp_path / "metrics").glob("histogram_*.db"))
    assert len(files) == 2  # both workers answered and wrote their own samples
    line = next(
        x
        for x in text.splitlines()
        if x.startswith("yv_http_request_duration_seconds_count") and 'view="api:api-ping"' in x
    )
    assert float(line.rsplit(" ", 1)[1]) == pings
    lines = [x for x in log.read_text().splitlines() if x.strip()]
    parsed = [json.loads(x) for x in lines]  # every line is JSON: gunicorn's own as well
    requests = [x for x in parsed if x["logger"] == "yv.request"]
    assert len(requests) == pings + 1  # and the scrape
    assert {x["logger"] for x in parsed} >= {"gunicorn.error", "yv.request"}
