"""The outbox's dead messages on the console: the central admin lists, retries and discards
them (API and page, both audited); the central auditor reads; nobody else sees them; the
operator's metrics count them."""

import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from core import monitoring
from tenants.models import OutboxAction, OutboxMessage
from tests.core.helpers import ANON, assert_error

DEAD_LIST = "/api/v1/outbox/dead/"


def dead_message(receiver: str = "bj", *, topic: str = "qa.mirror") -> OutboxMessage:
    """A message that failed OUTBOX_MAX_ATTEMPTS times, and one waiting behind it."""
    now = timezone.now()
    message = OutboxMessage.objects.create(
        topic=topic,
        sender="gd",
        receiver=receiver,
        attempts=8,
        dead_at=now,
        last_error="KeyError: 'to'",
    )
    OutboxMessage.objects.create(topic="qa.mirror", sender="gd", receiver=receiver)
    return message


def urls(message: OutboxMessage) -> tuple[str, str]:
    return f"{DEAD_LIST}{message.pk}/retry/", f"{DEAD_LIST}{message.pk}/discard/"


DISCARD = {"confirm": True, "reason": "收件方已撤销"}


@pytest.mark.parametrize("who", [ANON, "youth", "gd_admin", "bj_admin"])
def test_nobody_but_the_central_office_sees_or_touches_them(tree, api, who):
    message = dead_message()
    client = api(None, None if who == ANON else tree[who])
    retry, discard = urls(message)
    status, code = (401, "not_authenticated") if who == ANON else (403, "permission_denied")
    assert_error(client.get(DEAD_LIST), status, code)
    assert_error(client.post(retry), status, code)
    assert_error(client.post(discard, DISCARD, format="json"), status, code)
    message.refresh_from_db()
    assert message.state == "dead" and not OutboxAction.objects.exists()


def test_the_central_auditor_reads_and_changes_nothing(tree, api):
    message = dead_message()
    client = api(None, tree["auditor"])
    assert client.get(DEAD_LIST).json()["count"] == 1
    retry, discard = urls(message)
    assert_error(client.post(retry), 403, "read_only")
    assert_error(client.post(discard, DISCARD, format="json"), 403, "read_only")
    message.refresh_from_db()
    assert message.state == "dead"


def test_portals_do_not_serve_them(tree, api):
    dead_message()
    assert_error(api("gd", tree["central_admin"]).get(DEAD_LIST), 404, "not_found")


def test_the_list_is_paged_oldest_first_and_names_what_each_holds_up(tree, api):
    first = dead_message("bj")
    second = dead_message("gone", topic="qa.transfer")
    client = api(None, tree["central_admin"])
    page = client.get(DEAD_LIST, {"page_size": 1}).json()
    assert page["count"] == 2 and page["next"]
    (row,) = page["results"]
    assert row["id"] == first.pk and row["waiting_behind"] == 1
    assert row["receiver_name"] == "共青团北京市委"
    (row,) = client.get(DEAD_LIST, {"page_size": 1, "page": 2}).json()["results"]
    assert (row["id"], row["receiver"], row["receiver_name"]) == (second.pk, "gone", None)
    assert_error(client.get(DEAD_LIST, {"page": 3}), 404, "not_found")
    assert "payload" not in row  # the content stays in the admin's read-only view


def test_retrying_and_discarding_through_the_api(tree, api):
    client = api(None, tree["central_admin"])
    retried, discarded = dead_message("bj"), dead_message("gd")
    retry, _discard = urls(retried)
    answer = client.post(retry)
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "waiting"
    assert_error(client.post(retry), 409, "not_dead")  # once is enough

    _retry, discard = urls(discarded)
    error = assert_error(client.post(discard, {"reason": "x"}, format="json"), 400, "invalid")
    assert list(error["fields"]) == ["confirm"]
    error = assert_error(
        client.post(discard, {"confirm": False, "reason": "x"}, format="json"), 400, "invalid"
    )
    assert list(error["fields"]) == ["confirm"]
    error = assert_error(
        client.post(discard, {"confirm": True, "reason": " "}, format="json"), 400, "invalid"
    )
    assert list(error["fields"]) == ["reason"]
    assert OutboxMessage.objects.get(pk=discarded.pk).state == "dead"
    answer = client.post(discard, DISCARD, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "discarded" and answer.json()["discarded_at"]

    assert_error(client.post(f"{DEAD_LIST}999999/retry/"), 404, "not_found")
    actions = OutboxAction.objects.order_by("id")
    assert [(a.message_id, a.kind, a.reason) for a in actions] == [
        (retried.pk, "retry", ""),
        (discarded.pk, "discard", "收件方已撤销"),
    ]
    assert {a.actor for a in actions} == {tree["central_admin"]}


def _zh(browser):
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    return browser


def test_the_page_shows_them_to_the_central_admin_in_chinese(tree, web):
    message = dead_message()
    browser = _zh(web(None, tree["central_admin"]))
    page = browser.get("/outbox/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "发件箱" in html and "共青团北京市委" in html and "KeyError" in html
    assert len(re.findall(r'data-testid="dead-row"', html)) == 1
    assert 'data-testid="retry"' in html and 'data-testid="discard"' in html
    assert 'data-testid="outbox-link"' in browser.get("/").content.decode()

    # Discarding needs the box ticked and a reason; retrying needs neither.
    refused = browser.post(
        "/outbox/", {"message": message.pk, "action": "discard", "reason": "收件方已撤销"}
    )
    assert refused.status_code == 302
    message.refresh_from_db()
    assert message.state == "dead"
    done = browser.post("/outbox/", {"message": message.pk, "action": "retry"}, follow=True)
    assert "将重新送达" in done.content.decode()
    message.refresh_from_db()
    assert message.state == "waiting"
    assert OutboxAction.objects.get().kind == "retry"
    assert 'data-testid="outbox-action"' in browser.get("/outbox/").content.decode()


def test_the_page_discards_when_confirmed(tree, web):
    message = dead_message()
    browser = _zh(web(None, tree["central_admin"]))
    browser.post(
        "/outbox/",
        {"message": message.pk, "action": "discard", "reason": "收件方已撤销", "confirm": "yes"},
    )
    message.refresh_from_db()
    assert message.state == "discarded"
    assert OutboxAction.objects.get().reason == "收件方已撤销"


def test_the_page_is_for_the_central_office(tree, web):
    dead_message()
    read = _zh(web(None, tree["auditor"])).get("/outbox/").content.decode()
    assert 'data-testid="dead-row"' in read and 'data-testid="retry"' not in read
    for who in ("youth", "gd_admin"):
        assert web(None, tree[who]).get("/outbox/").status_code == 403
    assert web(None).get("/outbox/").status_code == 302
    assert web("gd", tree["central_admin"]).get("/outbox/").status_code == 404


def test_a_bad_post_to_the_page_is_a_400(tree, web):
    message = dead_message()
    browser = web(None, tree["central_admin"])
    assert browser.post("/outbox/", {"message": message.pk, "action": "drop"}).status_code == 400
    assert browser.post("/outbox/", {"message": "x", "action": "retry"}).status_code == 400
    assert browser.post("/outbox/", {"message": 999999, "action": "retry"}).status_code == 404


def test_the_metrics_count_dead_messages(tree, web):
    from reporting.tasks import measure_platform

    cache.delete(monitoring.MEASURED_KEY)
    dead_message()
    measure_platform()
    text = web(None).get("/metrics").content.decode()
    assert re.search(r"^yv_outbox_dead 1\.0$", text, re.M), text
    # The message behind the dead one still waits (and ages), the dead one does not.
    assert re.search(r"^yv_outbox_backlog 1\.0$", text, re.M)
    cache.delete(monitoring.MEASURED_KEY)
