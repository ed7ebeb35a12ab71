"""Sentry, when SENTRY_DSN is set: errors tagged with the committee and the request id, and
nothing personal sent (no bodies, query strings, cookies, credentials or local variables)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.db import connection
from django_tenants.utils import schema_context

from config import sentry
from core import logs

ROOT = Path(__file__).resolve().parents[2]

# Run in a process of its own: the SDK patches Django and Celery for the whole process.
SCRIPT = r"""
import json
import django
django.setup()
import sentry_sdk
from sentry_sdk.transport import Transport
from django.test import Client
from django_tenants.utils import schema_context
from config.urls_common import SchemaView
from core import logs

events = []

class Captured(Transport):
    def capture_envelope(self, envelope):
        event = envelope.get_event()
        if event is not None:
            events.append(event)

client = sentry_sdk.get_client()
assert client.is_active(), "SENTRY_DSN set: the SDK is on"
client.transport = Captured(client.options)

def crash(self, request, *args, **kwargs):
    raise RuntimeError("the schema could not be drawn")

SchemaView.get = crash
answer = Client(HTTP_HOST="localhost", raise_request_exception=False).get(
    "/api/v1/schema/?search=13812345678",
    HTTP_AUTHORIZATION="Basic secret-token",
    HTTP_COOKIE="sessionid=abc123",
    HTTP_X_REQUEST_ID="req-sentry-1",
)
assert answer.status_code == 500, answer.status_code

with schema_context("gd"), logs.bound(request_id="task-req-2"):
    try:
        card = "6222021234567890123"
        raise ValueError("routing failed")
    except ValueError:
        sentry_sdk.capture_exception()

sentry_sdk.flush()
print("EVENTS " + json.dumps(events, default=str))
"""


def test_an_error_reaches_sentry_tagged_and_without_personal_data(db):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_NAME": connection.settings_dict["NAME"],
        "SENTRY_DSN": "http://public@127.0.0.1:9/1",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("EVENTS "))
    events = json.loads(line[len("EVENTS ") :])

    def the(message: str) -> dict:
        [event] = [
            e
            for e in events
            if e.get("exception", {}).get("values", [{}])[-1].get("value") == message
        ]
        return event

    request_event, task_event = the("the schema could not be drawn"), the("routing failed")
    assert not [e for e in events if e.get("logger") in ("yv.request", "yv.task")]

    assert request_event["tags"]["committee"] == "public"
    assert request_event["tags"]["request_id"] == "req-sentry-1"
    request = request_event.get("request", {})
    assert "?" not in request.get("url", "")
    assert not {"query_string", "cookies", "data", "env"} & set(request)
    headers = {name.lower() for name in request.get("headers", {})}
    assert not {"authorization", "cookie"} & headers
    everything = json.dumps(request_event)
    for secret in ("13812345678", "secret-token", "abc123"):
        assert secret not in everything

    assert task_event["tags"] == {"committee": "gd", "request_id": "task-req-2"}
    frames = task_event["exception"]["values"][-1]["stacktrace"]["frames"]
    assert all("vars" not in frame for frame in frames)  # no local variables
    assert "6222021234567890123" not in json.dumps(task_event)


def test_the_options_send_nothing_personal():
    options = sentry.options(
        dsn="http://public@127.0.0.1:9/1", environment="test", traces_sample_rate=0
    )
    assert options["send_default_pii"] is False
    assert options["max_request_body_size"] == "never"
    assert options["include_local_variables"] is False
    assert options["before_send"] is sentry.before_send


def test_before_send_keeps_only_harmless_headers_and_the_user_id(db):
    event = {
        "request": {
            "url": "https://gd.example.cn/questions/?search=110101199003074578",
            "query_string": "search=110101199003074578",
            "data": {"body": "我的电话 13812345678"},
            "cookies": {"sessionid": "x"},
            "env": {"REMOTE_ADDR": "203.0.113.9"},
            "headers": {
                "User-Agent": "WeChat",
                "Authorization": "Bearer t",
                "X-Forwarded-For": "1.2.3.4",
            },
        },
        "user": {"id": 42, "ip_address": "203.0.113.9", "email": "a@example.com"},
    }
    with schema_context("gd"):
        sent = sentry.before_send(event, {})
    assert connection.schema_name == "public"
    assert sent["request"] == {
        "url": "https://gd.example.cn/questions/",
        "headers": {"User-Agent": "WeChat"},
    }
    assert sent["user"] == {"id": 42}
    assert sent["tags"]["committee"] == "gd"
    with logs.bound(request_id="r-1"):
        assert sentry.before_send({}, {})["tags"] == {"committee": "public", "request_id": "r-1"}
