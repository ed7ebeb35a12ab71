"""Structured logs: one JSON object per request with its id, committee, user, method, path,
status and duration; tasks log with their committee and the request that sent them."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django_tenants.utils import schema_context

from config.celery import app
from core import logs

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_lines():
    """The lines logged meanwhile, through the JSON formatter and the context filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    handler.addFilter(logs.ContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)

    def read(logger: str | None = None) -> list[dict]:
        lines = [json.loads(line) for line in stream.getvalue().splitlines() if line]
        return [line for line in lines if logger is None or line["logger"] == logger]

    yield read
    root.removeHandler(handler)
    root.setLevel(previous)


def test_a_request_is_one_json_line_with_its_context(tree, api, json_lines):
    youth = tree["youth"]
    response = api("gd", youth).get("/api/v1/me/", HTTP_X_REQUEST_ID="proxy-4f2a.17")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "proxy-4f2a.17"
    [line] = json_lines("yv.request")
    assert line["request_id"] == "proxy-4f2a.17"
    assert line["committee"] == "gd"
    assert line["user_id"] == youth.pk
    assert line["method"] == "GET"
    assert line["path"] == "/api/v1/me/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["view"] == "api:api-me"
    assert line["level"] == "INFO"
    assert "time" in line and line["message"].startswith("GET /api/v1/me/ 200")


def test_the_console_an_anonymous_visitor_and_a_made_up_id(tree, web, json_lines):
    response = web(None).get("/accounts/login/", HTTP_X_REQUEST_ID="bad id\nforged line")
    assert response.status_code == 200
    [line] = json_lines("yv.request")
    assert line["committee"] is None
    assert line["user_id"] is None
    # Not a sensible id: a new one is made, and the caller is told it.
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32 and "forged" not in line["request_id"]


def test_the_query_string_is_never_logged(tree, api, json_lines):
    response = api("gd").get("/api/v1/questions/?search=13812345678")
    assert response.status_code == 200
    [line] = json_lines("yv.request")
    assert line["path"] == "/api/v1/questions/"
    assert "13812345678" not in json.dumps(json_lines())


def test_errors_are_logged_as_errors_with_the_request_id(tree, web, json_lines):
    response = web("gd").get("/no-such-page/", HTTP_X_REQUEST_ID="r-404")
    assert response.status_code == 404
    [line] = json_lines("yv.request")
    assert (line["status"], line["view"], line["request_id"]) == (404, "unmatched", "r-404")


@app.task(name="tests.log_something")
def log_something() -> None:
    logging.getLogger("yv.test").info("routing a question")


def test_a_task_logs_with_its_committee_and_the_request_that_sent_it(tree, json_lines):
    headers: dict = {}
    with logs.bound(request_id="req-77"):
        logs._add_request_id(headers=headers)  # what publishing a task adds
    assert headers == {logs.HEADER: "req-77"}
    with schema_context("gd"):
        log_something.apply(headers=headers)
    [line] = json_lines("yv.test")
    assert line["committee"] == "gd"
    assert line["request_id"] == "req-77"
    assert line["task"] == "tests.log_something"
    assert line["task_id"]
    started, finished = json_lines("yv.task")
    assert started["message"] == "task started" and started["committee"] == "gd"
    assert finished["state"] == "SUCCESS" and finished["committee"] == "gd"
    assert finished["task_id"] == line["task_id"]
    # The context ends with the task.
    logging.getLogger("yv.test").info("after")
    assert json_lines("yv.test")[-1]["request_id"] is None


def test_log_format_json_configures_every_process_for_json(db):
    """With LOG_FORMAT=json a process of the platform writes JSON lines only (here a request
    to the console's ping through Django's test client, in a fresh process)."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "assert Client(HTTP_HOST='localhost').get('/api/v1/ping/').status_code == 200\n"
    )
    env = {**os.environ, "LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    [request] = [line for line in lines if line["logger"] == "yv.request"]
    assert request["path"] == "/api/v1/ping/" and request["status"] == 200
    assert request["committee"] is None and request["request_id"]


def test_log_format_is_json_or_text():
    assert logs.config(log_format="text", level="INFO")["handlers"]["console"]["formatter"] == (
        "text"
    )
    with pytest.raises(ValueError):
        logs.config(log_format="xml", level="INFO")


def test_djangos_own_warning_about_a_request_carries_its_id(tree, api, json_lines):
    """Django logs a 4xx after the middleware has returned; the id is kept until the end."""
    assert api("gd").get("/api/v1/me/", HTTP_X_REQUEST_ID="r-401").status_code == 401
    [warning] = json_lines("django.request")
    assert warning["request_id"] == "r-401" and warning["committee"] == "gd"
    logging.getLogger("yv.test").info("between requests")
    assert json_lines("yv.test")[-1]["request_id"] is None
