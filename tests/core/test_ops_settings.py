"""What production and ./yv start set for logs and metrics, read in a process of their own."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAMES = [
    "LOG_FORMAT",
    "METRICS_ALLOWED_NETWORKS",
    "METRICS_TOKEN",
    "LOGGING",
    "SECURE_REDIRECT_EXEMPT",
]


def _settings(module: str, **changes: str) -> dict:
    program = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {NAMES!r}}}))"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("LOG_FORMAT", "METRICS_TOKEN")},
        "DJANGO_SETTINGS_MODULE": module,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "BASE_DOMAIN": "qingnian.example.cn",
        **changes,
    }
    env.pop("METRICS_ALLOWED_NETWORKS", None)
    env.update(changes)
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_production_logs_json_and_serves_metrics_by_token_only():
    values = _settings("config.settings.prod", METRICS_TOKEN="t0ken")
    assert values["LOG_FORMAT"] == "json"
    assert values["LOGGING"]["handlers"]["console"]["formatter"] == "json"
    assert values["METRICS_ALLOWED_NETWORKS"] == []
    assert values["METRICS_TOKEN"] == "t0ken"
    # Prometheus scrapes from inside, over plain HTTP, like the health probes.
    assert r"^metrics$" in values["SECURE_REDIRECT_EXEMPT"]


def test_production_may_name_the_networks_of_its_prometheus():
    values = _settings("config.settings.prod", METRICS_ALLOWED_NETWORKS="10.8.0.0/16")
    assert values["METRICS_ALLOWED_NETWORKS"] == ["10.8.0.0/16"]


def test_development_reads_text_and_lets_the_machine_itself_scrape():
    values = _settings("config.settings.dev")
    assert values["LOG_FORMAT"] == "text"
    assert values["LOGGING"]["handlers"]["console"]["formatter"] == "text"
    assert values["METRICS_ALLOWED_NETWORKS"] == ["127.0.0.1/32", "::1/128"]
