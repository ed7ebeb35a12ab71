"""The settings of ``./yv start`` (config.settings.serve), read in a process of their own: DEBUG
off, errors that show nothing of the code, a secret key generated once and kept."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The suite's set-up (standards, the template) needs the test database even here.
pytestmark = pytest.mark.django_db

PROGRAM = """
import json, sys, types
import django
from django.conf import settings
django.setup()
from django.test import Client
from django.urls import path

def boom(request):
    raise RuntimeError("SECRET-INTERNAL-DETAIL")

from config import urls_public

# The console's routes and error handlers, and two views that crash.
crash = types.ModuleType("crashurls")
crash.urlpatterns = [path("crash", boom), path("api/v1/crash", boom), *urls_public.urlpatterns]
for status in (400, 403, 404, 500):
    setattr(crash, f"handler{status}", getattr(urls_public, f"handler{status}"))
sys.modules["crashurls"] = crash
settings.PUBLIC_SCHEMA_URLCONF = "crashurls"

client = Client(HTTP_HOST="localhost", raise_request_exception=False)
answers = {}
for url in ("/nope", "/api/v1/nope", "/crash", "/api/v1/crash"):
    r = client.get(url)
    answers[url] = [r.status_code, r["Content-Type"], r.content.decode()]
print(json.dumps({"debug": settings.DEBUG, "secret": settings.SECRET_KEY, "answers": answers}))
"""


def _run(folder: Path, **changes) -> dict:
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "YV_DEBUG")},
        "DJANGO_SETTINGS_MODULE": "config.settings.serve",
        "YV_LOCAL_DIR": str(folder),
        **changes,
    }
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_start_settings_show_nothing_of_the_code_and_keep_one_secret(tmp_path):
    first = _run(tmp_path)
    assert first["debug"] is False
    leaks = ("Traceback", "SECRET-INTERNAL-DETAIL", "DATABASE", "URLconf", "settings", "/work/")
    for url, (status, content_type, body) in first["answers"].items():
        assert status == (404 if url.endswith("nope") else 500), url
        assert content_type.startswith("application/json" if "/api/" in url else "text/html")
        for leak in leaks:
            assert leak not in body, (url, leak)
    assert json.loads(first["answers"]["/api/v1/crash"][2])["error"]["code"] == "server_error"

    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first["secret"]) >= 50 and first["secret"] == key_file.read_text().strip()
    assert _run(tmp_path)["secret"] == first["secret"]  # kept across restarts
    assert _run(tmp_path, SECRET_KEY="given-" + "x" * 50)["secret"] == "given-" + "x" * 50


def test_yv_debug_turns_the_debug_pages_on_for_developers(tmp_path):
    assert _run(tmp_path, YV_DEBUG="1")["debug"] is True
