"""/metrics on the console: request latency by view, the outbox, shipping lag, the Celery
queue and open questions, for the operator only; portals do not serve it."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from django_redis import get_redis_connection
from django_tenants.utils import schema_context

from core import monitoring
from qa import services as qa
from reporting import shipping
from reporting.tasks import measure_platform
from tenants.models import OutboxMessage
from timeline.models import Event

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _no_stored_measurement():
    cache.delete(monitoring.MEASURED_KEY)
    yield
    cache.delete(monitoring.MEASURED_KEY)


def scrape(web, **headers) -> str:
    response = web(None).get("/metrics", **headers)
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def value(text: str, name: str, **labels: str) -> float:
    """The sample ``name{labels}`` in an exposition (labels in any order)."""
    for line in text.splitlines():
        match = re.match(r"^([a-z_]+)(?:\{(.*)\})? (\S+)$", line)
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(match.group(3))
    raise AssertionError(f"{name}{labels} is not in the metrics")


def test_request_latency_by_view(tree, api, web):
    assert api("gd", tree["youth"]).get("/api/v1/me/").status_code == 200
    text = scrape(web)
    count = value(text, "yv_http_request_duration_seconds_count", view="api:api-me", status="200")
    assert count >= 1
    assert (
        value(
            text,
            "yv_http_request_duration_seconds_bucket",
            view="api:api-me",
            method="GET",
            status="200",
            le="+Inf",
        )
        == count
    )


def test_the_outbox_backlog_and_its_oldest_message(tree, web):
    now = timezone.now()
    old = OutboxMessage.objects.create(topic="qa.transfer", sender="gd", receiver="bj")
    OutboxMessage.objects.create(topic="qa.transfer", sender="gd", receiver="bj")
    OutboxMessage.objects.create(topic="qa.event", sender="bj", receiver="gd", delivered_at=now)
    OutboxMessage.objects.filter(pk=old.pk).update(created_at=now - timedelta(hours=2))
    text = scrape(web)
    assert value(text, "yv_outbox_backlog") == 2
    assert 7200 <= value(text, "yv_outbox_oldest_age_seconds") < 7300
    assert value(text, "yv_committees", status="active") == 4


def test_nothing_waiting_reads_zero(tree, web):
    text = scrape(web)
    assert value(text, "yv_outbox_backlog") == 0
    assert value(text, "yv_outbox_oldest_age_seconds") == 0


def test_celery_queue_depth(tree, web):
    redis = get_redis_connection("default")
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    redis.delete(queue)
    redis.lpush(queue, "a", "b", "c")
    try:
        assert value(scrape(web), "yv_celery_queue_depth", queue=queue) == 3
    finally:
        redis.delete(queue)


def test_open_questions_and_shipping_lag_are_measured_across_committees(tree, web):
    youth = tree["youth"]
    with schema_context("gd"):
        qa.ask_question(asker=youth, title="考研复试怎么准备", body="想听听建议", category="study")
        qa.ask_question(asker=youth, title="实习合同怎么看", body="第一次签", category="career")
        Event.objects.update(at=timezone.now() - timedelta(minutes=10))
    with schema_context("bj"):
        qa.ask_question(asker=youth, title="失眠怎么办", body="最近压力大", category="mental")
    # Nothing measured yet: the scrape shows only what it reads itself.
    text = scrape(web)
    assert "yv_questions_open" not in text and "yv_shipping_lag_seconds" not in text

    measure_platform()
    text = scrape(web)
    open_total = sum(
        value(text, "yv_questions_open", state=state)
        for state in ("new", "pending_review", "routed")
    )
    assert open_total == 3
    assert 600 <= value(text, "yv_shipping_lag_seconds") < 700
    with schema_context("gd"):
        gd_events = Event.objects.count()
    with schema_context("bj"):
        bj_events = Event.objects.count()
    assert value(text, "yv_shipping_backlog") == gd_events + bj_events
    assert 0 <= value(text, "yv_gauges_age_seconds") < 60

    shipping.ship_all()
    measure_platform()
    text = scrape(web)
    assert value(text, "yv_shipping_lag_seconds") == 0
    assert value(text, "yv_shipping_backlog") == 0


def test_a_scrape_never_walks_the_committees_schemas(tree, web):
    measure_platform()
    with CaptureQueriesContext(connection) as queries:
        text = scrape(web)
    assert "yv_questions_open" in text
    assert len(queries) <= 4
    assert not any("qa_" in query["sql"] for query in queries)


# ---------------------------------------------------------------- who may read them


def test_from_an_allowed_network(tree, web):
    with override_settings(METRICS_ALLOWED_NETWORKS=["10.0.0.0/8"]):
        assert web(None).get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
        assert web(None).get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
        assert web(None).get("/metrics").status_code == 403  # 127.0.0.1 no longer listed


@override_settings(METRICS_ALLOWED_NETWORKS=[], METRICS_TOKEN="s3cret-token")
def test_with_the_bearer_token_only(tree, web):
    assert web(None).get("/metrics").status_code == 403
    wrong = web(None).get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret")
    assert wrong.status_code == 403
    assert b"yv_" not in wrong.content
    assert web(None).get("/metrics", HTTP_AUTHORIZATION="Basic s3cret-token").status_code == 403
    scrape(web, HTTP_AUTHORIZATION="Bearer s3cret-token")


@override_settings(METRICS_ALLOWED_NETWORKS=[], METRICS_TOKEN="")
def test_no_token_configured_refuses_every_token(tree, web):
    assert web(None).get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403


@override_settings(METRICS_ALLOWED_NETWORKS=[])
def test_a_forwarded_address_counts_only_from_a_trusted_proxy(tree, web):
    forwarded = {"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": "10.0.0.5"}
    with override_settings(METRICS_ALLOWED_NETWORKS=["10.0.0.0/8"]):
        assert web(None).get("/metrics", **forwarded).status_code == 403
        with override_settings(TRUSTED_PROXIES=["192.0.2.0/24"]):
            assert web(None).get("/metrics", **forwarded).status_code == 200


def test_portals_do_not_serve_metrics(tree, web):
    assert web("gd").get("/metrics").status_code == 404
    assert web("gd", tree["central_admin"]).get("/metrics").status_code == 404


def test_signing_in_is_not_enough(tree, web):
    with override_settings(METRICS_ALLOWED_NETWORKS=[]):
        assert web(None, tree["central_admin"]).get("/metrics").status_code == 403


# ---------------------------------------------------------------- several web processes


def test_every_worker_process_samples_are_added_up(db, tmp_path):
    """Under gunicorn each worker is a process: with PROMETHEUS_MULTIPROC_DIR a scrape
    answered by any of them counts the requests of all."""
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_NAME": connection.settings_dict["NAME"],
    }
    observe = (
        "import django; django.setup()\n"
        "from core import monitoring\n"
        "monitoring.observe_request(view='api:questions', method='GET', status=200, seconds=0.03)\n"
    )
    for _ in range(2):
        subprocess.run([sys.executable, "-c", observe], cwd=ROOT, env=env, check=True)
    assert len(list(tmp_path.glob("histogram_*.db"))) == 2
    expose = (
        "import django; django.setup()\n"
        "from core import monitoring\n"
        "print(monitoring.exposition().decode())\n"
    )
    text = subprocess.run(
        [sys.executable, "-c", expose],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert value(text, "yv_http_request_duration_seconds_count", view="api:questions") == 2
    assert (
        value(text, "yv_http_request_duration_seconds_bucket", view="api:questions", le="0.05") == 2
    )
