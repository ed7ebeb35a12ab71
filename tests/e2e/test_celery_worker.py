"""A real Celery worker process runs a task in the schema of the committee that sent it."""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from portal import services as notices
from portal.models import Notice
from portal.tasks import publish_due_notices
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker():
    """A worker on this test run's own queue and database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_NAME": connection.settings_dict["NAME"],
        "CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--queues",
            settings.CELERY_TASK_DEFAULT_QUEUE,
            "--hostname",
            f"t{uuid.uuid4().hex}@%h",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    print(output)  # shown when the test fails


def _scheduled(author, title: str) -> Notice:
    notice = notices.post_notice(
        author=author, title=title, body="定时发布", publish_at=timezone.now() + timedelta(days=1)
    )
    Notice.objects.filter(pk=notice.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    return notice


@pytest.mark.slow
def test_worker_publishes_due_notices_only_in_the_sending_committee(committed_tree, worker):
    author = factories.account(name="团干部")
    with schema_context("gd"):
        gd_notice = _scheduled(author, "广东定时通知")
    with schema_context("bj"):
        bj_notice = _scheduled(author, "北京定时通知")

    with schema_context("gd"):
        publish_due_notices.delay()

    deadline = time.monotonic() + 60
    published = False
    while time.monotonic() < deadline and worker.poll() is None:
        with schema_context("gd"):
            published = Notice.objects.get(pk=gd_notice.pk).is_published
        if published:
            break
        time.sleep(0.2)
    assert published, "the worker did not publish the Guangdong notice within 60 s"
    with schema_context("bj"):
        assert not Notice.objects.get(pk=bj_notice.pk).is_published
