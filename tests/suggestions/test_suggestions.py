"""吐槽我们: a youth's suggestion reaches the committee's admins, is answered (the youth is
told), adopted with what changed, listed in the next Monday's announcement (a notice, once a
week, each suggester told), supervised from above when left unanswered, and counted."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_tenants.utils import schema_context

from casework import supervision
from casework.models import SupervisionItem
from core.errors import ServiceError
from core.models import Notification
from core.notifications import text_of
from portal.models import Notice
from reporting import shipping
from suggestions import services
from suggestions.models import Announcement, Suggestion
from tenants import outbox
from tests import factories
from tests.reporting.helpers import figures
from timeline.models import Event

CST = ZoneInfo("Asia/Shanghai")
WEDNESDAY = datetime(2026, 12, 9, 10, 0, tzinfo=CST)
NEXT_MONDAY = datetime(2026, 12, 14, 0, 0, tzinfo=CST)


def refused(code: str, call) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.code == code, caught.value
    return caught.value


def kinds(suggestion) -> list[str]:
    return list(
        Event.objects.filter(subject_id=suggestion.pk, subject_type="suggestions.suggestion")
        .order_by("id")
        .values_list("kind", flat=True)
    )


def test_a_suggestion_is_answered_adopted_and_announced_the_next_monday(
    tree, django_capture_on_commit_callbacks
):
    youth = tree["youth"]
    with time_machine.travel(WEDNESDAY, tick=False), schema_context("gd"):
        with django_capture_on_commit_callbacks(execute=True):
            made = services.submit(youth=youth, body="  首页的活动入口太难找了，希望放到最上面  ")
        assert (made.body, made.state) == ("首页的活动入口太难找了，希望放到最上面", "open")
        assert made.respond_by is not None and made.respond_by > WEDNESDAY
        assert Notification.objects.filter(user=tree["gd_admin"], kind="suggestion_received")
        refused("required", lambda: services.submit(youth=youth, body="   "))
        refused("too_long", lambda: services.submit(youth=youth, body="长" * 1001))

        refused("forbidden", lambda: services.answer(suggestion=made, actor=youth, text="好"))
        refused(
            "not_answered",
            lambda: services.adopt(
                suggestion=made, actor=tree["gd_cadre"], change="入口移到首页顶部"
            ),
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.answer(suggestion=made, actor=tree["gd_cadre"], text="谢谢，我们本周调整。")
        told = Notification.objects.get(user=youth, kind="suggestion_answered")
        assert "谢谢" in text_of(told)
        refused(
            "answered",
            lambda: services.answer(suggestion=made, actor=tree["gd_cadre"], text="再答一次"),
        )
        refused(
            "forbidden",
            lambda: services.adopt(
                suggestion=made, actor=tree["gd_expert"], change="入口移到首页顶部"
            ),
        )
        services.adopt(suggestion=made, actor=tree["gd_admin"], change="活动入口移到首页顶部")
        refused(
            "adopted",
            lambda: services.adopt(suggestion=made, actor=tree["gd_admin"], change="再来"),
        )
        assert services.announce() is None  # this week's adoptions wait for next Monday
        later = services.submit(youth=factories.account(), body="希望晚上也能预约")
    early = time_machine.travel(NEXT_MONDAY + timedelta(hours=8), tick=False)
    with early, schema_context("gd"):
        assert services.announce() is None  # Monday, before 09:00
        # Adopted this week: in next week's announcement, not in last week's.
        services.answer(suggestion=later, actor=tree["gd_cadre"], text="会考虑。")
        services.adopt(suggestion=later, actor=tree["gd_cadre"], change="晚间开放预约")
    due = time_machine.travel(NEXT_MONDAY + timedelta(hours=9, minutes=5), tick=False)
    with due, schema_context("gd"), django_capture_on_commit_callbacks(execute=True):
        announcement = services.announce()
        assert announcement is not None
        assert announcement.week == WEDNESDAY.date() - timedelta(days=2)
        notice = Notice.objects.get()
        assert notice.is_published and "活动入口移到首页顶部" in notice.body
        assert "晚间开放预约" not in notice.body
        assert "12-07" in notice.title and "12-13" in notice.title
        assert services.announce() is None  # once a week
        assert Suggestion.objects.get(pk=made.pk).announcement == announcement
        assert Suggestion.objects.get(pk=later.pk).announcement is None
        assert kinds(made) == [
            "suggestions.submitted",
            "suggestions.answered",
            "suggestions.adopted",
            "suggestions.announced",
        ]
    told = Notification.objects.get(user=youth, kind="suggestion_announced")
    assert told.link == f"/notices/{notice.pk}/" and "活动入口移到首页顶部" in text_of(told)
    with schema_context("bj"):  # another committee's week is its own
        assert not Announcement.objects.exists() and not Notice.objects.exists()

    shipping.ship_all()
    counted = figures(tree.gd, subtree=False)
    assert (
        counted["suggestions_received"],
        counted["suggestions_answered"],
        counted["suggestions_adopted"],
    ) == (2, 2, 2)


def test_a_week_with_nothing_adopted_has_no_announcement(tree):
    with time_machine.travel(WEDNESDAY, tick=False), schema_context("gd"):
        made = services.submit(youth=tree["youth"], body="客服回复太慢")
        services.answer(suggestion=made, actor=tree["gd_cadre"], text="我们会加快。")
    with time_machine.travel(NEXT_MONDAY + timedelta(hours=10), tick=False), schema_context("gd"):
        assert services.announce() is None
        assert not Announcement.objects.exists() and not Notice.objects.exists()


def test_an_unanswered_suggestion_goes_on_the_board_above_and_its_answer_clears_it(tree):
    with time_machine.travel(WEDNESDAY, tick=False), schema_context("gd_gz"):
        made = services.submit(youth=tree["youth"], body="团委的电话总是打不通")
    with time_machine.travel(made.resolve_by + timedelta(minutes=1), tick=False):
        with schema_context("gd_gz"):
            assert supervision.sweep()["escalated"] == 1
            assert "suggestions.escalated" in kinds(made)
        outbox.deliver()
    with schema_context("gd"):
        item = SupervisionItem.objects.get()
        assert (item.committee_code, item.subject_type) == ("gd-gz", "suggestions.suggestion")
        assert item.title == "团委的电话总是打不通"
    with schema_context("gd_gz"):
        services.answer(suggestion=made, actor=tree["gz_cadre"], text="已增加值班电话。")
    outbox.deliver()
    with schema_context("gd"):
        assert SupervisionItem.objects.get().resolved_at is not None


def test_a_suggestion_about_the_platform_is_answered_by_the_central_office(
    tree, django_capture_on_commit_callbacks
):
    """Written on Guangzhou's portal, it goes to the central office through the outbox;
    the answer and the change come back, and each is counted once, where it happened."""
    youth = tree["youth"]
    with time_machine.travel(WEDNESDAY, tick=False):
        with schema_context("gd_gz"):
            mine = services.submit(youth=youth, body="希望全国统一一个登录入口", about="platform")
            assert (mine.transferred_to, mine.respond_by) == ("central", None)
            refused(
                "sent_up",
                lambda: services.answer(suggestion=mine, actor=tree["gz_cadre"], text="好"),
            )
            refused("invalid", lambda: services.submit(youth=youth, body="x", about="moon"))
        with django_capture_on_commit_callbacks(execute=True):
            assert outbox.deliver() == 1
        assert outbox.deliver() == 0  # once
        with schema_context("central"):
            copy = Suggestion.objects.get()
            assert (copy.origin_committee, copy.origin_id, copy.youth_id) == (
                "gd-gz",
                mine.pk,
                youth.pk,
            )
            assert copy.respond_by is not None
            assert Notification.objects.filter(
                user=tree["central_admin"], kind="suggestion_received"
            ).exists()
            services.answer(suggestion=copy, actor=tree["central_admin"], text="正在规划。")
            services.adopt(suggestion=copy, actor=tree["central_admin"], change="统一登录入口")
        with django_capture_on_commit_callbacks(execute=True):
            assert outbox.deliver() == 2
        with schema_context("gd_gz"):
            back = Suggestion.objects.get(pk=mine.pk)
            assert (back.state, back.answer, back.change) == (
                "adopted",
                "正在规划。",
                "统一登录入口",
            )
    told = Notification.objects.get(user=youth, kind="suggestion_answered")
    assert told.committee.code == "gd-gz" and told.link == f"/roast/#suggestion-{mine.pk}"
    due = time_machine.travel(NEXT_MONDAY + timedelta(hours=10), tick=False)
    with due, schema_context("central"), django_capture_on_commit_callbacks(execute=True):
        assert services.announce() is not None
        assert "统一登录入口" in Notice.objects.get().body
    assert Notification.objects.filter(user=youth, kind="suggestion_announced").exists()

    shipping.ship_all()
    gz, central = figures(tree.gz, subtree=False), figures(tree.central, subtree=False)
    assert (gz["suggestions_received"], gz["suggestions_answered"]) == (1, 0)
    assert (central["suggestions_received"], central["suggestions_answered"]) == (0, 1)
    assert central["suggestions_adopted"] == 1 and gz["suggestions_adopted"] == 0
