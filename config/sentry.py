"""Errors to Sentry, when ``SENTRY_DSN`` is set: tagged with the committee, no personal data.

Questions are full of what youths would not tell anyone else, so nothing personal leaves:
``send_default_pii`` off (no account, cookies or address), no request bodies, no query
strings (a search is what someone typed), no local variables in stack frames, and the
user reduced to its id. The committee (its code, from the schema in use) and the request id
are tags, for web requests and Celery tasks alike.
"""

from __future__ import annotations

from typing import Any

SCRUBBED_REQUEST_KEYS = ("data", "query_string", "cookies", "env")
KEPT_HEADERS = frozenset({"host", "user-agent", "x-request-id", "content-type", "content-length"})


def before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Tag the committee and the request; strip what could identify or quote a person."""
    from core import logs

    tags = event.setdefault("tags", {})
    committee = logs._committee() or logs.current("committee")
    tags["committee"] = committee or "public"
    request_id = logs.current("request_id")
    if request_id:
        tags["request_id"] = request_id
    request = event.get("request")
    if isinstance(request, dict):
        for key in SCRUBBED_REQUEST_KEYS:
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS}
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    return event


def options(*, dsn: str, environment: str, traces_sample_rate: float) -> dict[str, Any]:
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    return {
        "dsn": dsn,
        "environment": environment,
        "integrations": [DjangoIntegration(), CeleryIntegration()],
        "send_default_pii": False,
        "max_request_body_size": "never",
        "include_local_variables": False,
        "traces_sample_rate": traces_sample_rate,
        "before_send": before_send,
    }


def init(*, dsn: str, environment: str, traces_sample_rate: float = 0.0) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.logging import ignore_logger

    sentry_sdk.init(
        **options(dsn=dsn, environment=environment, traces_sample_rate=traces_sample_rate)
    )
    # A request's or a task's own log line is no error report: the exception itself is.
    ignore_logger("yv.request")
    ignore_logger("yv.task")
