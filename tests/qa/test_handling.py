"""The handling page and its services: confirmation before closing or rejecting, internal
notes, ready answers, countdowns, who sees the asker's number, messages that say what was
done, the transfer picker without script, and the workbench home."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from django_tenants.utils import schema_context

from casework import presenters as deadline_presenters
from casework import services as casework_services
from casework.models import ReplyTemplate, Team
from core.errors import ServiceError
from qa import handling, services
from qa.models import InternalNote, Question

from .helpers import alliance

PHONE = "13812345678"
ASK = {
    "title": "应届生找工作被要求交培训费正常吗",
    "body": f"面试通过后让先交三千元培训费，联系我{PHONE}",
}


def asked(tree, code="gd", **extra) -> Question:
    with schema_context(code.replace("-", "_")):
        return services.ask_question(asker=tree["youth"], **{**ASK, **extra})


def handle_page(question) -> str:
    return f"/workbench/questions/{question.pk}/"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def state(question, code="gd") -> str:
    with schema_context(code):
        return Question.objects.get(pk=question.pk).state


# ---------------------------------------------------------------- confirmation


def test_closing_needs_the_confirm_field_and_says_what_was_done(tree, web):
    question = asked(tree)
    cadre = web("gd", tree["gd_cadre"])
    refused = cadre.post(handle_page(question), {"action": "close", "reason": "重复"}, follow=True)
    assert state(question) == "new"
    assert messages_of(refused) == ["未执行：请先确认。"]
    done = cadre.post(
        handle_page(question), {"action": "close", "reason": "重复", "confirm": "yes"}, follow=True
    )
    assert state(question) == "closed"
    assert messages_of(done) == ["问题已关闭，已通知提问者。"]


def test_rejecting_a_held_question_or_reply_needs_the_confirm_field(tree, web):
    held = asked(tree, title="有人拉我做刷单返利", body="")
    cadre = web("gd", tree["gd_cadre"])
    cadre.post(handle_page(held), {"action": "reject", "reason": "违规"})
    assert state(held) == "pending_review"
    cadre.post(handle_page(held), {"action": "reject", "reason": "违规", "confirm": "yes"})
    assert state(held) == "closed"

    alliance("gd", tree["gd_expert"])
    question = asked(tree)
    with schema_context("gd"):
        reply = services.answer(
            question=question, author=tree["gd_expert"], body="可以刷单返利赚钱"
        )
    assert reply.state == "pending_review"
    cadre.post(handle_page(question), {"action": "reject_reply", "reply": reply.pk})
    with schema_context("gd"):
        reply.refresh_from_db()
        assert reply.state == "pending_review"
    cadre.post(handle_page(question), {"action": "reject_reply", "reply": reply.pk, "confirm": "1"})
    with schema_context("gd"):
        reply.refresh_from_db()
        assert reply.state == "rejected"


def test_the_page_carries_the_confirmation_dialog_and_its_script(tree, web):
    question = asked(tree)
    page = web("gd", tree["gd_cadre"]).get(handle_page(question)).content.decode()
    assert 'data-testid="close-form"' in page and "data-confirm=" in page
    assert 'name="confirm"' in page and "<dialog" in page
    assert "qa/workbench" in page and "workbench" in page and ".css" in page
    assert "<script>" not in page  # scripts only from static files (the policy)


# ---------------------------------------------------------------- messages


def test_messages_say_what_was_done(tree, web):
    team = alliance("gd", tree["gd_expert"], strategy="queue")
    question = asked(tree)
    cadre = web("gd", tree["gd_cadre"])
    post = lambda data: messages_of(cadre.post(handle_page(question), data, follow=True))  # noqa: E731
    assert post({"action": "claim"}) == ["已认领：问题已进入你的队列。"]
    assert post({"action": "assign", "assignee": tree["gd_expert"].pk}) == [
        f"已分派给{tree['gd_expert']}。"
    ]
    assert post({"action": "route", "team": team.pk}) == ["已转给就业服务联盟。"]
    assert post({"action": "reclassify", "category": "rights"}) == ["已重新分类为权益维护。"]
    assert post({"action": "note", "body": "已电话联系"}) == ["备注已添加，仅工作人员可见。"]
    assert post({"action": "transfer", "to": "gd-gz"}) == ["已转交至共青团广州市委。"]
    refused = post({"action": "transfer", "to": "bj"})
    assert refused == ["已转接至共青团广州市委，由对方办理。"]


def test_an_answer_tells_whether_it_was_published_or_held(tree, web):
    alliance("gd", tree["gd_expert"])
    question = asked(tree)
    expert = web("gd", tree["gd_expert"])
    held = expert.post(
        handle_page(question), {"action": "answer", "body": "可以做刷单返利"}, follow=True
    )
    assert messages_of(held) == ["你的答复因“刷单返利”待审核。"]
    done = expert.post(handle_page(question), {"action": "answer", "body": "不必交。"}, follow=True)
    assert messages_of(done) == ["答复已发布，已通知提问者。"]


# ---------------------------------------------------------------- internal notes


def test_internal_notes_are_for_staff_only(tree, web):
    question = asked(tree)
    web("gd", tree["gd_cadre"]).post(
        handle_page(question), {"action": "note", "body": f"家长来电 {PHONE}，已核实"}
    )
    with schema_context("gd"):
        note = InternalNote.objects.get()
    assert (note.author_id, note.question_id) == (tree["gd_cadre"].pk, question.pk)
    staff_page = web("gd", tree["gd_expert"]).get(handle_page(question)).content.decode()
    assert f"家长来电 {PHONE}" in staff_page
    auditor_page = web("gd", tree["auditor"]).get(handle_page(question)).content.decode()
    assert "家长来电 138****5678" in auditor_page and PHONE not in auditor_page
    with schema_context("gd"):
        services.answer(question=question, author=tree["gd_cadre"], body="不必交。")
    youth_page = web("gd", tree["youth"]).get(f"/questions/{question.pk}/").content.decode()
    public_page = web("gd").get(f"/questions/{question.pk}/").content.decode()
    assert "家长来电" not in youth_page and "家长来电" not in public_page


def test_a_note_needs_text_and_a_staff_author(tree):
    question = asked(tree)
    with schema_context("gd"):
        with pytest.raises(ServiceError) as empty:
            handling.add_note(question=question, author=tree["gd_cadre"], body="  ")
        assert empty.value.field == "body"
        with pytest.raises(ServiceError) as outsider:
            handling.add_note(question=question, author=tree["auditor"], body="看过")
        assert outsider.value.status == 403
        with pytest.raises(ServiceError):
            handling.add_note(question=question, author=tree["gd_cadre"], body="长" * 2001)
        assert not InternalNote.objects.exists()


# ---------------------------------------------------------------- ready answers


def test_ready_answers_are_kept_in_the_setup_page_and_offered_on_the_handling_page(tree, web):
    team = alliance("gd", tree["gd_expert"])
    other = alliance("gd", name="心理服务联盟", category="mental")
    cadre = web("gd", tree["gd_cadre"])
    for target, title in ((team, "违规收费"), (other, "心理热线")):
        cadre.post(
            "/workbench/setup/",
            {
                "action": "add:template",
                "template-team": target.pk,
                "template-title": title,
                "template-body": f"{title}的常用回复。",
            },
        )
    with schema_context("gd"):
        assert sorted(ReplyTemplate.objects.values_list("title", flat=True)) == [
            "心理热线",
            "违规收费",
        ]
    setup = cadre.get("/workbench/setup/").content.decode()
    assert setup.count('data-testid="reply-template"') == 2
    question = asked(tree)  # routed to the career alliance and its expert
    page = web("gd", tree["gd_expert"]).get(handle_page(question)).content.decode()
    assert 'data-body="违规收费的常用回复。"' in page and "心理热线" not in page
    cadre_page = cadre.get(handle_page(question)).content.decode()
    assert cadre_page.index("违规收费") < cadre_page.index("心理热线")  # its own team's first
    # An expert may use them but not change them; a duplicate title is refused in words.
    expert = web("gd", tree["gd_expert"])
    assert expert.post("/workbench/setup/", {"action": "add:template"}).status_code == 403
    again = cadre.post(
        "/workbench/setup/",
        {
            "action": "add:template",
            "template-team": team.pk,
            "template-title": "违规收费",
            "template-body": "另一段",
        },
    )
    assert "该团队已有同名的常用回复。" in again.content.decode()
    with schema_context("gd"):
        template = ReplyTemplate.objects.get(title="心理热线")
    cadre.post("/workbench/setup/", {"action": "delete:template", "pk": template.pk})
    with schema_context("gd"):
        assert list(ReplyTemplate.objects.values_list("title", flat=True)) == ["违规收费"]


def test_a_ready_answer_needs_an_editor_and_an_active_team(tree):
    with schema_context("gd"):
        team = Team.objects.create(name="就业服务联盟")
        with pytest.raises(ServiceError) as expert:
            casework_services.save_reply_template(
                actor=tree["gd_expert"], team=team, title="a", body="b"
            )
        assert expert.value.status == 403
        team.is_active = False
        team.save()
        with pytest.raises(ServiceError) as inactive:
            casework_services.save_reply_template(
                actor=tree["gd_admin"], team=team, title="a", body="b"
            )
        assert inactive.value.field == "team"


# ---------------------------------------------------------------- countdowns


NOW = timezone.now().replace(microsecond=0)


@pytest.mark.parametrize(
    ("left", "level", "label"),
    [
        (timedelta(days=2, hours=3, minutes=5), "ok", "剩余 2天3小时"),
        (timedelta(hours=5, minutes=20), "soon", "剩余 5小时20分钟"),
        (timedelta(minutes=90), "urgent", "剩余 1小时30分钟"),
        (timedelta(minutes=9), "urgent", "剩余 9分钟"),
        (-timedelta(hours=1, minutes=5), "overdue", "已超时 1小时5分钟"),
    ],
)
def test_a_deadline_is_a_countdown_coloured_by_urgency(left, level, label):
    from django.utils import translation

    with translation.override("zh-hans"):
        found = deadline_presenters.countdown(NOW + left, NOW)
    assert found is not None and (found.level, found.label) == (level, label)
    assert deadline_presenters.countdown(None) is None


def test_the_handling_page_and_the_queue_show_the_countdown(tree, web):
    question = asked(tree)  # career: first response within the central default
    with schema_context("gd"):
        question.refresh_from_db()
        respond_by = question.respond_by
    cadre = web("gd", tree["gd_cadre"])
    with time_machine.travel(respond_by - timedelta(minutes=30), tick=False):
        page = cadre.get(handle_page(question)).content.decode()
        queue = cadre.get("/workbench/questions/?queue=triage").content.decode()
    assert 'class="countdown is-urgent"' in page and "剩余 30分钟" in page
    assert f'datetime="{respond_by.isoformat()}"' in page
    assert "剩余 30分钟" in queue
    with time_machine.travel(respond_by + timedelta(hours=2), tick=False):
        late = cadre.get(handle_page(question)).content.decode()
    assert 'class="countdown is-overdue"' in late and "已超时 2小时0分钟" in late


# ---------------------------------------------------------------- the asker's number


def test_the_askers_number_is_shown_in_full_only_to_those_who_need_it(tree, web, api):
    with schema_context("gd"):
        supervisor = tree["gd_org"]
    alliance("gd", tree["gd_expert"], supervisor=supervisor, strategy="queue")
    with schema_context("gd"):
        Team.objects.get().members.create(user=tree["gd_org"], kind="organisation")
    question = asked(tree)
    with schema_context("gd"):
        question.refresh_from_db()
    full, masked = tree["youth"].phone, tree["youth"].masked_phone

    def shown(user) -> tuple[str, str | None]:
        page = web("gd", user).get(handle_page(question))
        text = page.content.decode()
        on_page = text.split('data-testid="asker-phone">')[1].split("<")[0]
        body = api("gd", user).get(f"/api/v1/questions/{question.pk}/").json()
        handling_view = body["handling"]
        return on_page, handling_view["asker_phone"] if handling_view else None

    assert shown(tree["gd_cadre"]) == (full, full)
    assert shown(tree["gd_admin"]) == (full, full)
    assert shown(supervisor) == (full, full)  # the team's supervisor
    assert shown(tree["gd_expert"]) == (masked, masked)  # in the team, not assigned
    with schema_context("gd"):
        services.claim(question=question, user=tree["gd_expert"])
    assert shown(tree["gd_expert"]) == (full, full)  # the assignee
    assert shown(tree["auditor"]) == (masked, None)  # a reader from above


# ---------------------------------------------------------------- the picker without script


def test_the_transfer_picker_lists_the_tree_and_finds_by_name_without_script(tree, web):
    question = asked(tree)
    cadre = web("gd", tree["gd_cadre"])
    page = cadre.get(handle_page(question)).content.decode()
    # The root and the level below it, each a choice; this committee itself disabled.
    assert 'value="central"' in page and 'value="bj"' in page
    assert 'value="gd" data-title="青年之声 · 广东" disabled' in page
    assert 'href="?branch=gd#transfer"' in page and 'value="gd-gz"' not in page
    branch = cadre.get(handle_page(question) + "?branch=gd").content.decode()
    assert 'value="gd-gz"' in branch and "共青团广州市委" in branch
    found = cadre.get(handle_page(question) + "?find=广州").content.decode()
    assert 'value="gd-gz"' in found and 'value="bj"' not in found
    nothing = cadre.get(handle_page(question) + "?find=火星").content.decode()
    assert "没有这个名称的团委。" in nothing
    assert cadre.get(handle_page(question) + "?branch=GD;drop").status_code == 400


# ---------------------------------------------------------------- the workbench home


ASKED_AT = datetime(2026, 6, 1, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday
# Career and study: first response within a working day, the Monday's 09:00–18:00.
DUE_AT = datetime(2026, 6, 1, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_the_workbench_home_shows_my_queue_what_is_due_and_each_teams_backlog(tree, web):
    alliance("gd", tree["gd_expert"])
    with time_machine.travel(ASKED_AT, tick=False):
        mine = asked(tree)  # to the expert, least loaded
        other = asked(tree, title="考研还是工作", category="study")  # no rule: triage
    expert, cadre = web("gd", tree["gd_expert"]), web("gd", tree["gd_cadre"])
    with time_machine.travel(DUE_AT - timedelta(minutes=10), tick=False):
        page = expert.get("/workbench/")
        for_cadre = cadre.get("/workbench/").context
    context, text = page.context, page.content.decode()
    assert [q.pk for q in context["desk"]["mine"]["rows"]] == [mine.pk]
    assert [q.pk for q in context["desk"]["due_today"]["rows"]] == [mine.pk]
    assert context["desk"]["overdue"]["count"] == 0
    assert context["triage"] is None  # an expert does not see triage
    assert [t.name for t in context["backlog"]] == ["就业服务联盟"]
    assert ASK["title"] in text and "考研还是工作" not in text and "剩余 10分钟" in text
    assert [q.pk for q in for_cadre["desk"]["due_today"]["rows"]] == [mine.pk, other.pk]
    assert for_cadre["desk"]["mine"]["count"] == 0  # nothing assigned to the cadre
    assert for_cadre["triage"] == 1

    with time_machine.travel(DUE_AT + timedelta(minutes=10), tick=False):
        context = cadre.get("/workbench/").context
    assert [q.pk for q in context["desk"]["overdue"]["rows"]] == [mine.pk, other.pk]
    assert context["desk"]["due_today"]["count"] == 0  # overdue is not also due today
    (backlog,) = context["backlog"]
    assert (backlog.name, backlog.waiting, backlog.late) == ("就业服务联盟", 1, 1)


def test_the_workbench_home_is_masked_for_readers_from_above(tree, web):
    alliance("gd", tree["gd_expert"])
    with time_machine.travel(ASKED_AT, tick=False):
        asked(tree, title=f"我的电话{PHONE}能改吗", category="career")
    with time_machine.travel(DUE_AT - timedelta(minutes=10), tick=False):
        page = web("gd", tree["auditor"]).get("/workbench/").content.decode()
    assert "我的电话138****5678能改吗" in page and PHONE not in page
