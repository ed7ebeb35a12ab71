"""Ideas and share links of an activity.

Ideas (创意互动, 我的活动我做主): until the activity starts youths propose ideas for it, five
at most each, and vote up others' ideas once each (never their own); its organisers mark the
ideas they took, with an answer, and nobody else may; the ideas are listed taken first, then
by votes; the same over the API, where reading is open, writing needs an account, and
another committee's portal knows none of it.

Share links (转发): a sharer gets one link for an activity, the same every time (another
sharer another, an anonymous visitor the page's own); opening it leads to the activity's
page and counts once a visitor a day, each counted open on the activity's timeline and in
the central figures; a cancelled activity's link and an unknown link lead nowhere. The
activity's poster is an SVG with its title and the QR code of the viewer's own link."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django_tenants.utils import schema_context

from activities import ideas, services
from activities.models import Activity, Idea
from core.errors import ServiceError
from reporting import shipping
from shares import services as shares
from shares.models import Share, ShareOpen
from tests import factories
from tests.core.helpers import assert_error
from tests.reporting.helpers import figures
from timeline.models import Event

SHARE_OPENED = "activities.share_opened"


def refused(code: str, call) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.code == code, caught.value
    return caught.value


def propose(activity: Activity, author, text: str) -> Idea:
    return ideas.propose(activity=activity, author=author, text=text)


def after_start(activity: Activity):
    return time_machine.travel(activity.starts_at + timedelta(minutes=1), tick=False)


# ---------------------------------------------------------------- ideas, the services


def test_ideas_are_proposed_until_the_start_and_five_at_most_each(tree):
    activity = factories.activity("gd", tree["gd_cadre"])
    youth = tree["youth"]
    with schema_context("gd"):
        refused("required", lambda: propose(activity, youth, "   "))
        refused("too_long", lambda: propose(activity, youth, "想" * 301))
        made = [propose(activity, youth, f"第{i}个创意：增加夜跑路线") for i in range(1, 6)]
        assert [i.text for i in made][0] == "第1个创意：增加夜跑路线"
        error = refused("too_many", lambda: propose(activity, youth, "第6个创意"))
        assert error.status == 409
        # Another youth still may.
        theirs = propose(activity, factories.account(name="小红"), "加一站非遗打卡")
        assert Idea.objects.filter(activity=activity).count() == 6
        recorded = Event.objects.filter(kind="activities.idea")
        assert recorded.count() == 6
        assert recorded.last().youth_id == theirs.author_id
        assert recorded.last().data["activity"] == activity.pk
        with after_start(activity):
            refused("closed", lambda: propose(activity, factories.account(), "太晚了"))
        assert Idea.objects.filter(activity=activity).count() == 6


def test_a_cancelled_activity_takes_no_ideas(tree):
    activity = factories.activity("gd", tree["gd_cadre"])
    with schema_context("gd"):
        idea = propose(activity, tree["youth"], "结束后一起聚餐")
        services.cancel(activity=activity, actor=tree["gd_cadre"], reason="天气原因")
        cancelled = Activity.objects.get(pk=activity.pk)
        refused("closed", lambda: propose(cancelled, factories.account(), "改期吧"))
        refused(
            "closed",
            lambda: ideas.vote_up(idea=Idea.objects.get(pk=idea.pk), youth=factories.account()),
        )


def test_an_idea_is_voted_up_once_by_others_until_the_start(tree):
    activity = factories.activity("gd", tree["gd_cadre"])
    author, fan, late = tree["youth"], factories.account(name="小明"), factories.account()
    with schema_context("gd"):
        idea = propose(activity, author, "设置亲子组别")
        refused("own_idea", lambda: ideas.vote_up(idea=idea, youth=author))
        assert ideas.vote_up(idea=idea, youth=fan).votes == 1
        error = refused("already_voted", lambda: ideas.vote_up(idea=idea, youth=fan))
        assert error.status == 409
        assert Idea.objects.get(pk=idea.pk).votes == 1  # the second vote added nothing
        assert ideas.vote_up(idea=idea, youth=tree["gd_cadre"]).votes == 2
        with after_start(activity):
            refused("closed", lambda: ideas.vote_up(idea=idea, youth=late))
        assert Idea.objects.get(pk=idea.pk).votes == 2


def test_only_its_organisers_take_an_idea_with_an_answer(tree):
    activity = factories.activity("gd", tree["gd_cadre"])
    with schema_context("gd"):
        idea = propose(activity, tree["youth"], "终点设在海心沙")
        for who in ("youth", "gd_expert", "bj_cadre", "bj_admin"):
            error = refused("forbidden", lambda who=who: ideas.take(idea=idea, actor=tree[who]))
            assert error.status == 403
        assert not Idea.objects.get(pk=idea.pk).is_taken
        taken = ideas.take(idea=idea, actor=tree["gd_cadre"], answer="采纳：终点改到海心沙")
        stored = Idea.objects.get(pk=idea.pk)
        assert (stored.is_taken, stored.answer) == (True, "采纳：终点改到海心沙")
        assert taken.is_taken
        event = Event.objects.get(kind="activities.idea_taken")
        assert (event.actor_id, event.data["activity"]) == (tree["gd_cadre"].pk, activity.pk)
        # The admin runs the committee's activities too.
        other = propose(activity, tree["youth"], "提供饮用水")
        assert ideas.take(idea=other, actor=tree["gd_admin"]).is_taken


def test_ideas_are_listed_taken_first_then_by_votes(tree):
    activity = factories.activity("gd", tree["gd_cadre"])
    voters = [factories.account(name=f"投票{i}") for i in range(3)]
    with schema_context("gd"):
        one = propose(activity, tree["youth"], "一票")
        three = propose(activity, tree["youth"], "三票")
        none = propose(activity, tree["youth"], "零票但采纳")
        also_none = propose(activity, tree["youth"], "零票")
        ideas.vote_up(idea=one, youth=voters[0])
        for voter in voters:
            ideas.vote_up(idea=three, youth=voter)
        ideas.take(idea=none, actor=tree["gd_cadre"], answer="好主意")
        assert [i.pk for i in ideas.of(activity)] == [none.pk, three.pk, one.pk, also_none.pk]
        # Another activity's ideas are not its.
        other = factories.activity("gd", tree["gd_cadre"], title="另一场活动")
        propose(other, tree["youth"], "别的活动的想法")
        assert ideas.of(activity).count() == 4


# ---------------------------------------------------------------- ideas over the API


def ideas_of(activity: Activity) -> str:
    return f"/api/v1/activities/{activity.pk}/ideas/"


def test_ideas_over_the_api(tree, api):
    activity = factories.activity("gd", tree["gd_cadre"])
    path = ideas_of(activity)
    assert api("gd").get(path).json() == []
    assert_error(
        api("gd").post(path, {"text": "匿名的想法"}, format="json"), 401, "not_authenticated"
    )
    made = api("gd", tree["youth"]).post(path, {"text": "加一个摄影打卡点"}, format="json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["text"], body["votes"], body["is_taken"], body["answer"]) == (
        "加一个摄影打卡点",
        0,
        False,
        "",
    )
    assert_error(api("gd", tree["youth"]).post(path, {"text": ""}, format="json"), 400, "invalid")
    listed = api("gd").get(path)  # anyone reads them
    assert listed.status_code == 200
    assert [i["id"] for i in listed.json()] == [body["id"]]
    # Beijing's portal does not know Guangdong's activity.
    assert_error(api("bj", tree["bj_cadre"]).get(path), 404, "not_found")
    assert_error(
        api("bj", tree["youth"]).post(path, {"text": "x"}, format="json"), 404, "not_found"
    )

    vote = f"/api/v1/ideas/{body['id']}/vote/"
    assert_error(api("gd").post(vote), 401, "not_authenticated")
    assert_error(api("gd", tree["youth"]).post(vote), 409, "own_idea")
    fan = factories.account(name="小粉")
    voted = api("gd", fan).post(vote)
    assert voted.status_code == 200, voted.content
    assert voted.json()["votes"] == 1
    assert_error(api("gd", fan).post(vote), 409, "already_voted")
    assert_error(api("bj", fan).post(vote), 404, "not_found")

    take = f"/api/v1/ideas/{body['id']}/take/"
    assert_error(api("gd").post(take, {"answer": "x"}, format="json"), 401, "not_authenticated")
    assert_error(
        api("gd", tree["youth"]).post(take, {"answer": "我自己采纳"}, format="json"),
        403,
        "forbidden",
    )
    assert_error(
        api("bj", tree["bj_cadre"]).post(take, {"answer": "x"}, format="json"), 404, "not_found"
    )
    taken = api("gd", tree["gd_cadre"]).post(take, {"answer": "已加入路线"}, format="json")
    assert taken.status_code == 200, taken.content
    assert (taken.json()["is_taken"], taken.json()["answer"]) == (True, "已加入路线")
    assert api("gd").get(path).json()[0]["is_taken"] is True

    with after_start(activity):
        late = api("gd", factories.account()).post(path, {"text": "迟到的想法"}, format="json")
        assert_error(late, 409, "closed")
    assert_error(api("gd", fan).post("/api/v1/ideas/999999/vote/"), 404, "not_found")


def test_ideas_on_the_activitys_page(tree, web):
    activity = factories.activity("gd", tree["gd_cadre"])
    page = f"/activities/{activity.pk}/"
    anonymous = web("gd").post(page, {"action": "idea", "text": "匿名"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    youth = web("gd", tree["youth"])
    assert youth.post(page, {"action": "idea", "text": "终点放烟花"}).status_code == 302
    with schema_context("gd"):
        idea = Idea.objects.get(activity=activity)
    fan = web("gd", factories.account())
    assert fan.post(page, {"action": "vote-idea", "pk": idea.pk}).status_code == 302
    youth.post(page, {"action": "take-idea", "pk": idea.pk, "answer": "自己采纳"})
    web("gd", tree["gd_cadre"]).post(
        page, {"action": "take-idea", "pk": idea.pk, "answer": "安全原因改为灯光秀"}
    )
    with schema_context("gd"):
        stored = Idea.objects.get(pk=idea.pk)
    assert (stored.votes, stored.is_taken, stored.answer) == (1, True, "安全原因改为灯光秀")
    html = web("gd").get(page).content.decode()
    assert "终点放烟花" in html and "安全原因改为灯光秀" in html


# ---------------------------------------------------------------- share links


def test_a_sharer_gets_one_link_every_time_and_anonymous_the_pages_own(tree):
    activity = factories.activity("gd", tree["gd_cadre"])
    youth, friend = tree["youth"], factories.account(name="朋友")
    with schema_context("gd"):
        mine = shares.link_for(activity, youth)
        assert shares.link_for(activity, youth).pk == mine.pk
        assert shares.link_for(activity, youth).token == mine.token
        theirs = shares.link_for(activity, friend)
        assert theirs.token != mine.token
        own = shares.link_for(activity)
        assert own.sharer_id is None and own.token not in (mine.token, theirs.token)
        assert shares.link_for(activity, AnonymousUser()).pk == own.pk
        assert shares.link_for(activity, None).pk == own.pk
        assert (mine.sharer_id, mine.subject_type, mine.subject_id) == (
            youth.pk,
            "activities.activity",
            activity.pk,
        )
        other = factories.activity("gd", tree["gd_cadre"], title="另一场")
        assert shares.link_for(other, youth).token != mine.token
        assert Share.objects.count() == 4
        with pytest.raises(ValueError):
            shares.link_for(Idea.objects.create(activity=activity, author=youth, text="x"), youth)


def test_opening_a_link_counts_once_a_visitor_a_day(tree, web):
    activity = factories.activity("gd", tree["gd_cadre"])
    sharer, first, second = tree["youth"], factories.account(), factories.account()
    with schema_context("gd"):
        token = shares.link_for(activity, sharer).token
    link = f"/s/{token}/"

    def opens() -> tuple[int, int]:
        with schema_context("gd"):
            return (
                Share.objects.get(token=token).opens,
                Event.objects.filter(kind=SHARE_OPENED, subject_id=activity.pk).count(),
            )

    browser = web("gd", first)
    opened = browser.get(link)
    assert opened.status_code == 302
    assert opened["Location"] == f"/activities/{activity.pk}/"
    assert browser.get(opened["Location"]).status_code == 200
    assert browser.get(link).status_code == 302
    assert opens() == (1, 1)  # the same account twice: once
    assert web("gd", first).get(link).status_code == 302  # another browser, same account
    assert opens() == (1, 1)
    web("gd", second).get(link)
    assert opens() == (2, 2)
    anonymous = web("gd")
    assert anonymous.get(link)["Location"] == f"/activities/{activity.pk}/"
    assert opens() == (3, 3)
    anonymous.get(link)  # the same browser again: known by its session
    assert opens() == (3, 3)
    tomorrow = timezone.localtime() + timedelta(days=1)
    with time_machine.travel(tomorrow.replace(hour=9, minute=0), tick=False):
        assert browser.get(link).status_code == 302
        assert opens() == (4, 4)
        browser.get(link)
        assert opens() == (4, 4)
    with schema_context("gd"):
        event = Event.objects.filter(kind=SHARE_OPENED).last()
        share = Share.objects.get(token=token)
        assert event.data == {"activity": activity.pk, "share": share.pk}
        assert event.subject_type == "activities.activity"
        assert ShareOpen.objects.filter(share=share).count() == 4
        assert len(set(ShareOpen.objects.values_list("day", flat=True))) == 2

    shipping.ship_all()
    assert figures(tree.gd, subtree=False)["activity_share_opens"] == 4
    assert figures(tree.central, subtree=True)["activity_share_opens"] == 4
    assert figures(tree.bj, subtree=True)["activity_share_opens"] == 0


def test_a_cancelled_activitys_link_and_an_unknown_link_lead_nowhere(tree, web):
    activity = factories.activity("gd", tree["gd_cadre"])
    with schema_context("gd"):
        token = shares.link_for(activity, tree["youth"]).token
    assert web("gd").get(f"/s/{token}/").status_code == 302
    assert web("bj").get(f"/s/{token}/").status_code == 404  # another portal's link
    assert web("gd").get("/s/nosuchtoken/").status_code == 404
    with schema_context("gd"):
        services.cancel(activity=activity, actor=tree["gd_cadre"], reason="场地维修")
    assert web("gd", factories.account()).get(f"/s/{token}/").status_code == 404
    with schema_context("gd"):
        assert Share.objects.get(token=token).opens == 1
        assert Event.objects.filter(kind=SHARE_OPENED).count() == 1


def test_the_activity_page_offers_the_viewers_own_link(tree, web):
    activity = factories.activity("gd", tree["gd_cadre"])
    html = web("gd", tree["youth"]).get(f"/activities/{activity.pk}/").content.decode()
    with schema_context("gd"):
        mine = shares.link_for(activity, tree["youth"]).token
        own = shares.link_for(activity).token
    assert f"http://gd.localhost/s/{mine}/" in html
    assert own not in html


# ---------------------------------------------------------------- the poster


def test_the_poster_is_an_svg_with_the_title_and_the_viewers_own_link(tree, web):
    activity = factories.activity("gd", tree["gd_cadre"], title="青春志愿行 · 珠江夜跑")
    poster = f"/activities/{activity.pk}/poster.svg"
    answer = web("gd", tree["youth"]).get(poster)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("image/svg+xml")
    svg = answer.content.decode()
    assert svg.lstrip().startswith("<?xml") and "青春志愿行 · 珠江夜跑" in svg
    assert svg.count("<svg") >= 3  # the poster, the QR's frame and segno's QR
    assert "<path" in svg  # the QR's modules
    with schema_context("gd"):
        mine = shares.link_for(activity, tree["youth"]).token
        own = shares.link_for(activity).token
    assert f"http://gd.localhost/s/{mine}/" in svg
    assert own not in svg
    friend = factories.account(name="朋友")
    theirs = web("gd", friend).get(poster).content.decode()
    with schema_context("gd"):
        friends = shares.link_for(activity, friend).token
    assert friends in theirs and mine not in theirs
    anonymous = web("gd").get(poster).content.decode()
    assert f"/s/{own}/" in anonymous and mine not in anonymous
    # An activity that is over, or cancelled, has no poster; Beijing's portal has none of it.
    assert web("bj").get(poster).status_code == 404
    with time_machine.travel(activity.ends_at + timedelta(hours=1), tick=False):
        assert web("gd").get(poster).status_code == 404
    with schema_context("gd"):
        services.cancel(activity=activity, actor=tree["gd_cadre"], reason="取消")
    assert web("gd").get(poster).status_code == 404
