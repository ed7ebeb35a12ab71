"""Prometheus metrics for the operator: ``/metrics`` on the console.

- **Request latency by view**, a histogram observed by ``core.middleware`` in every web
  process. Under gunicorn each worker writes its samples to ``PROMETHEUS_MULTIPROC_DIR``
  (set by ``gunicorn.conf.py``) and a scrape adds up every worker's.
- **Gauges** that apps register in their ``AppConfig.ready()`` (``gauge``):
  a *live* gauge is read at each scrape (one cheap query on the public schema, a Redis
  call); a *measured* gauge needs every committee's schema and is computed by beat
  (``reporting.tasks.measure_platform``, every 30 s) and kept in the cache, so a scrape
  never walks thousands of schemas. ``yv_gauges_age_seconds`` says how old that is.

Only the operator reads them: a bearer token (``METRICS_TOKEN``) or a client address in
``METRICS_ALLOWED_NETWORKS``; portals do not serve the route.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from .addresses import client_ip

log = logging.getLogger(__name__)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUEST_LATENCY = Histogram(
    "yv_http_request_duration_seconds",
    "Time to answer a request, by view, method and status.",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def observe_request(*, view: str, method: str, status: int, seconds: float) -> None:
    method = method if method in METHODS else "other"
    REQUEST_LATENCY.labels(view=view, method=method, status=str(status)).observe(seconds)


# ---------------------------------------------------------------- gauges

Samples = Iterable[tuple[tuple[str, ...], float]]


@dataclass(frozen=True)
class Gauge:
    name: str
    documentation: str
    labels: tuple[str, ...]
    read: Callable[[], Samples]
    is_measured: bool  # computed by the periodic measurement, not at each scrape


GAUGES: dict[str, Gauge] = {}
MEASURED_KEY = "monitoring:measured"
MEASURED_TTL_S = 600


def gauge(
    name: str, documentation: str, *, labels: Iterable[str] = (), measured: bool = False
) -> Callable[[Callable[[], Samples]], Callable[[], Samples]]:
    """Register ``read`` (returning ``(label values, value)`` pairs) as the gauge ``name``."""

    def register(read: Callable[[], Samples]) -> Callable[[], Samples]:
        GAUGES[name] = Gauge(name, documentation, tuple(labels), read, measured)
        return read

    return register


def age_s(at) -> float:
    """Seconds since ``at`` by this process's clock (a transaction's now() stands still)."""
    return max((timezone.now() - at).total_seconds(), 0.0)


def measure() -> dict:
    """Compute every measured gauge (across all committees) and keep the figures in the
    cache for the scrapes; returns what was stored."""
    figures: dict[str, list] = {}
    for item in GAUGES.values():
        if item.is_measured:
            try:
                figures[item.name] = [[list(labels), value] for labels, value in item.read()]
            except Exception:
                log.exception("measuring %s failed", item.name)
    stored = {"measured_at": time.time(), "gauges": figures}
    cache.set(MEASURED_KEY, stored, MEASURED_TTL_S)
    return stored


def across_committees(select: str, *, chunk: int = 200) -> list[tuple]:
    """The rows of ``select`` run in every committee's schema: ``{schema}`` in it names the
    schema and the first column should be ``%s`` (given the schema's name). One query per
    ``chunk`` schemas, as the shipper finds its work."""
    from tenants.models import Committee

    names = sorted(
        Committee.objects.exclude(schema_name="public").values_list("schema_name", flat=True)
    )
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(names), chunk):
            part = names[start : start + chunk]
            cursor.execute(
                " UNION ALL ".join(
                    "(" + select.format(schema=connection.ops.quote_name(name)) + ")"
                    for name in part
                ),
                part,
            )
            rows.extend(cursor.fetchall())
    return rows


class PlatformCollector(Collector):
    """The registered gauges, read at scrape time (live) or from the last measurement."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        stored = _stored_measurement()
        measured = stored.get("gauges", {})
        for item in GAUGES.values():
            if item.is_measured:
                if item.name not in measured:
                    continue
                samples: Samples = [(tuple(labels), value) for labels, value in measured[item.name]]
            else:
                try:
                    samples = list(item.read())
                except Exception:
                    log.exception("reading %s failed", item.name)
                    continue
            family = GaugeMetricFamily(item.name, item.documentation, labels=list(item.labels))
            for labels, value in samples:
                family.add_metric(list(labels), value)
            yield family
        if "measured_at" in stored:
            age = GaugeMetricFamily(
                "yv_gauges_age_seconds", "Age of the figures measured across every committee."
            )
            age.add_metric([], max(time.time() - stored["measured_at"], 0.0))
            yield age


def _stored_measurement() -> dict:
    try:
        return cache.get(MEASURED_KEY) or {}
    except Exception:  # Redis down: the live gauges still answer
        log.exception("the measured gauges could not be read")
        return {}


def exposition() -> bytes:
    """Everything, in Prometheus' text format: every worker's samples and the gauges."""
    platform = CollectorRegistry(auto_describe=False)
    platform.register(PlatformCollector())
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
        return generate_latest(processes) + generate_latest(platform)
    return generate_latest(REGISTRY) + generate_latest(platform)


# ---------------------------------------------------------------- the page


def _has_token(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if not token or not given.startswith("Bearer "):
        return False
    return hmac.compare_digest(given[len("Bearer ") :].encode(), token.encode())


def _from_allowed_network(request: HttpRequest) -> bool:
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network, strict=False)
        for network in settings.METRICS_ALLOWED_NETWORKS
    )


def metrics_view(request: HttpRequest) -> HttpResponse:
    """``/metrics`` on the console, for the operator's Prometheus only."""
    from config.errors import error_response

    if not (_has_token(request) or _from_allowed_network(request)):
        return error_response(request, 403)
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)


# ---------------------------------------------------------------- the platform's own


@gauge("yv_celery_queue_depth", "Tasks waiting in the Celery queue.", labels=["queue"])
def celery_queue_depth() -> Samples:
    from django_redis import get_redis_connection

    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    redis = get_redis_connection("default")
    # kombu keeps a queue as a Redis list, and one more list per priority step.
    keys = [queue, *(f"{queue}\x06\x16{step}" for step in range(1, 10))]
    pipe = redis.pipeline()
    for key in keys:
        pipe.llen(key)
    return [((queue,), float(sum(pipe.execute())))]
