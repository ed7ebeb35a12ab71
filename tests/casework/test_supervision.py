"""Supervision (督办) on the working calendar: overdue items are flagged, late ones go on the
parent's board and on up the tree while they stay unresolved; boards urge (催办)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django_tenants.utils import schema_context

from casework import deadlines, supervision
from casework.models import CalendarAmendment, Deadline, SupervisionItem
from core.models import Notification
from core.notifications import text_of
from qa import selectors, services
from qa.models import Question
from tenants import outbox
from tenants.models import OutboxMessage
from tests.qa.helpers import alliance

CST = ZoneInfo("Asia/Shanghai")
HALF_DAY, DAY = 43_200, 86_400  # windows: a day is a working day (09:00–12:00, 13:00–18:00)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=CST)


def kinds(question: Question) -> list[str]:
    return list(Question.objects.get(pk=question.pk).timeline.values_list("kind", flat=True))


def ask_in_guangzhou(tree, when: datetime) -> Question:
    with time_machine.travel(when, tick=False), schema_context("gd_gz"):
        return services.ask_question(
            asker=tree["youth"],
            title="最近总是失眠焦虑怎么办",
            body="我的手机13912345678",
            category="mental",
        )


def guangzhou_alliance(tree) -> None:
    alliance(
        "gd-gz", tree["gz_cadre"], category="mental", supervisor=tree["gz_cadre"], kind="cadre"
    )
    with schema_context("gd_gz"):
        Deadline.objects.create(category_id="mental", first_response_s=HALF_DAY, resolution_s=DAY)


def sweep(code: str, when: datetime) -> dict[str, int]:
    with time_machine.travel(when, tick=False), schema_context(code.replace("-", "_")):
        return supervision.sweep()


def deliver(when: datetime) -> None:
    with time_machine.travel(when, tick=False):
        outbox.deliver()


# ---------------------------------------------------------------- the working calendar


def test_deadlines_count_working_hours_only(tree):
    with schema_context("gd"):
        # Friday 17:00 + half a working day: one hour on Friday, three on Monday morning.
        assert deadlines.due(at(2026, 6, 5, 17), HALF_DAY) == at(2026, 6, 8, 12)
        # Before opening, the clock starts at 09:00; the lunch hour does not count.
        assert deadlines.due(at(2026, 6, 2, 7, 30), HALF_DAY) == at(2026, 6, 2, 14)


def test_a_deadline_across_the_national_day_holiday(tree):
    with schema_context("gd"):
        # Wednesday 30 September 17:00 + a working day: 1 October to 7 October are off.
        assert deadlines.due(at(2026, 9, 30, 17), DAY) == at(2026, 10, 8, 17)
        # Saturday 10 October is worked in lieu (调休): the clock runs that day.
        assert deadlines.due(at(2026, 10, 10, 10), HALF_DAY) == at(2026, 10, 10, 15)


def test_a_committee_amends_the_central_calendar_for_itself(tree):
    with schema_context("gd_gz"):
        CalendarAmendment.objects.create(date="2026-06-08", kind="off", name="本地休息日")
        assert deadlines.due(at(2026, 6, 5, 17), HALF_DAY) == at(2026, 6, 9, 12)
    with schema_context("gd"):
        assert deadlines.due(at(2026, 6, 5, 17), HALF_DAY) == at(2026, 6, 8, 12)


def test_a_committees_own_deadline_overrides_the_central_default(tree):
    with schema_context("gd"):
        assert deadlines.windows_for("mental") == deadlines.Windows(12 * 3600, 3 * DAY)
        Deadline.objects.create(category_id="mental", first_response_s=600, resolution_s=7200)
        assert deadlines.windows_for("mental") == deadlines.Windows(600, 7200)
    with schema_context("bj"):
        assert deadlines.windows_for("mental") == deadlines.Windows(12 * 3600, 3 * DAY)


def test_a_question_over_a_weekend_is_overdue_only_once_working_time_has_run(tree):
    guangzhou_alliance(tree)
    question = ask_in_guangzhou(tree, at(2026, 6, 5, 17))  # a Friday
    assert question.respond_by == at(2026, 6, 8, 12)
    assert question.resolve_by == at(2026, 6, 8, 17)
    assert sweep("gd-gz", at(2026, 6, 7, 23))["overdue"] == 0  # Sunday night: not yet
    assert sweep("gd-gz", at(2026, 6, 8, 12, 1)) == {"overdue": 1, "escalated": 0, "forwarded": 0}


# ---------------------------------------------------------------- up the tree


def test_overdue_then_escalated_two_levels_up_then_cleared_from_both_boards(tree):
    guangzhou_alliance(tree)
    question = ask_in_guangzhou(tree, at(2026, 6, 2, 10))  # a Tuesday
    assert (question.respond_by, question.resolve_by) == (at(2026, 6, 2, 15), at(2026, 6, 3, 10))
    assert sweep("gd-gz", at(2026, 6, 2, 14, 59))["overdue"] == 0
    assert sweep("gd-gz", at(2026, 6, 2, 15, 1))["overdue"] == 1
    assert sweep("gd-gz", at(2026, 6, 2, 16))["overdue"] == 0  # once only
    with schema_context("gd_gz"):
        assert list(selectors.overdue()) == [Question.objects.get(pk=question.pk)]
    assert Notification.objects.filter(user=tree["gz_cadre"], kind="overdue").exists()

    arrived = at(2026, 6, 3, 10, 1)
    assert sweep("gd-gz", arrived)["escalated"] == 1
    deliver(arrived)
    with schema_context("gd"):
        item = SupervisionItem.objects.get()
        assert (item.committee_code, item.subject_type, item.subject_id, item.level) == (
            "gd-gz",
            "qa.question",
            question.pk,
            1,
        )
        assert "13912345678" not in item.title + item.committee_name
        assert item.link == f"/workbench/questions/{question.pk}/"
        # Due on Guangdong's board after its own window for the category (3 working days).
        assert item.due_at == at(2026, 6, 8, 10, 1)
    assert Notification.objects.filter(user=tree["gd_cadre"], kind="escalated").exists()

    assert sweep("gd", at(2026, 6, 8, 10))["forwarded"] == 0
    assert sweep("gd", at(2026, 6, 8, 10, 2))["forwarded"] == 1
    assert sweep("gd", at(2026, 6, 8, 11))["forwarded"] == 0  # once only
    deliver(at(2026, 6, 8, 10, 2))
    with schema_context("central"):
        top = SupervisionItem.objects.get()
        assert (top.committee_code, top.subject_id, top.level, top.via) == (
            "gd-gz",
            question.pk,
            2,
            "gd",
        )
        assert top.due_at is None  # the root's board goes nowhere further
    assert Notification.objects.filter(user=tree["central_admin"], kind="escalated").exists()
    with schema_context("gd_gz"):
        levels = [
            e.data["level"]
            for e in Question.objects.get(pk=question.pk).timeline.filter(kind="qa.escalated")
        ]
        assert levels == [1, 2]
        services.answer(question=question, author=tree["gz_cadre"], body="建议先做个心理测评。")
        assert kinds(question)[-3:] == ["qa.escalated", "qa.escalated", "qa.answered"]
    deliver(at(2026, 6, 8, 11))  # Guangzhou → Guangdong's board
    deliver(at(2026, 6, 8, 11))  # Guangdong → the central board
    with schema_context("gd"):
        assert SupervisionItem.objects.get().resolved_at is not None
    with schema_context("central"):
        assert SupervisionItem.objects.get().resolved_at is not None


def _on_guangdongs_board(tree) -> tuple[Question, SupervisionItem]:
    guangzhou_alliance(tree)
    question = ask_in_guangzhou(tree, at(2026, 6, 2, 10))
    sweep("gd-gz", at(2026, 6, 3, 10, 1))
    deliver(at(2026, 6, 3, 10, 1))
    with schema_context("gd"):
        return question, SupervisionItem.objects.get()


def test_the_board_urges_the_handlers_with_a_note(tree, api):
    question, item = _on_guangdongs_board(tree)
    url = f"/api/v1/supervision/{item.pk}/urge/"
    response = api("gd", tree["gd_cadre"]).post(url, {"note": "请今天内联系青年"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["urge_count"] == 1
    outbox.deliver()
    with schema_context("gd_gz"):
        urged = Question.objects.get(pk=question.pk).timeline.get(kind="qa.urged")
        assert urged.data["note"] == "请今天内联系青年" and urged.data["by_code"] == "gd"
    told = Notification.objects.get(user=tree["gz_cadre"], kind="urged")
    assert "请今天内联系青年" in text_of(told) and told.link.endswith(f"/{question.pk}/")


def test_urging_is_refused_to_others_and_needs_a_note(tree, api):
    _question, item = _on_guangdongs_board(tree)
    url = f"/api/v1/supervision/{item.pk}/urge/"
    note = {"note": "请尽快处理"}
    assert api("gd", None).post(url, note, format="json").status_code == 401
    assert api("gd", tree["youth"]).post(url, note, format="json").status_code == 403
    assert api("gd", tree["bj_admin"]).post(url, note, format="json").status_code == 403
    assert api("gd", tree["gd_expert"]).post(url, note, format="json").status_code == 403
    # The central auditor reads Guangdong's board but does not act on it.
    assert api("gd", tree["auditor"]).get("/api/v1/supervision/").status_code == 200
    assert api("gd", tree["auditor"]).post(url, note, format="json").status_code == 403
    empty = api("gd", tree["gd_cadre"]).post(url, {"note": ""}, format="json")
    assert empty.status_code == 400 and "note" in empty.json()["error"]["fields"]
    # Another committee's board item is not found from Beijing's portal.
    missing = api("bj", tree["bj_admin"]).post(url, note, format="json")
    assert missing.status_code == 404
    with schema_context("gd"):
        assert SupervisionItem.objects.get().urge_count == 0
    assert not OutboxMessage.objects.filter(topic="casework.urge").exists()


def test_the_board_page_links_to_the_item_and_urges(tree, web):
    question, item = _on_guangdongs_board(tree)
    cadre = web("gd", tree["gd_cadre"])
    page = cadre.get("/workbench/supervision/").content.decode()
    assert f"//gd-gz.localhost/workbench/questions/{question.pk}/" in page
    assert 'data-testid="urge"' in page
    done = cadre.post("/workbench/supervision/", {"pk": item.pk, "note": "请今天内联系青年"})
    assert done.status_code == 302
    with schema_context("gd"):
        assert SupervisionItem.objects.get().urge_count == 1
    auditor_page = web("gd", tree["auditor"]).get("/workbench/supervision/").content.decode()
    assert 'data-testid="urge"' not in auditor_page
    refused = web("gd", tree["auditor"]).post(
        "/workbench/supervision/", {"pk": item.pk, "note": "x"}
    )
    assert refused.status_code == 403


def test_board_messages_applied_again_change_nothing(tree, api):
    question, item = _on_guangdongs_board(tree)
    api("gd", tree["gd_cadre"]).post(
        f"/api/v1/supervision/{item.pk}/urge/", {"note": "请尽快"}, format="json"
    )
    outbox.deliver()
    handlers = {
        "casework.supervision": supervision.on_board,
        "casework.urge": supervision.on_urged,
    }
    for message in OutboxMessage.objects.filter(topic__in=handlers).order_by("id"):
        committee = message.receiver.replace("-", "_")
        with schema_context(committee):
            handlers[message.topic](message)
    with schema_context("gd"):
        assert SupervisionItem.objects.count() == 1
    with schema_context("gd_gz"):
        assert kinds(question).count("qa.urged") == 1
