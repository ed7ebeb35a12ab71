"""Votes and review over the API and on the pages: anyone reads an activity's votes, a vote
and its live results, ranked; its organisers open a vote, seat the review panel and read
the anomaly flags; participants enter; a signed-in account votes, once an entry and as many
entries as the round gives, and sending votes faster than the limit is refused; the panel
scores. What a youth, a stranger from another committee, an anonymous visitor and another
committee's portal get, in the one error shape. On the vote's page a youth votes and sees
"已投票"; the review page is for the organisers and the panel."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tenants.utils import schema_context

from activities import registration, voting
from activities.models import Allowance, Ballot, Entry, Reviewer, Score, Vote
from tests import factories
from tests.core.helpers import assert_error

CRITERIA = [
    {"code": "idea", "name": "创意", "weight": 3},
    {"code": "impact", "name": "影响", "weight": 1},
]


def forget_results() -> None:
    """Drop the cached live results of gd's and bj's ballots (their ids restart at 1 in
    each test's schema; only these keys: other test processes share the Redis)."""
    for schema in ("gd", "bj"):
        with schema_context(schema):
            cache.delete_pattern("activities-results:*")


@pytest.fixture(autouse=True)
def _no_cached_results():
    forget_results()
    yield
    forget_results()


def window(**shift) -> dict:
    now = timezone.now()
    return {
        "opens_at": (now - timedelta(minutes=1)).isoformat(),
        "closes_at": (now + timedelta(days=3, **shift)).isoformat(),
    }


def open_vote(tree, activity=None, **rule) -> Ballot:
    activity = activity or factories.activity("gd", tree["gd_cadre"])
    now = timezone.now()
    fields = {
        "title": "最美志愿服务项目评选",
        "opens_at": now - timedelta(minutes=1),
        "closes_at": now + timedelta(days=3),
        **rule,
    }
    with schema_context("gd"):
        return voting.open_ballot(activity=activity, actor=tree["gd_cadre"], **fields)


def entries(tree, ballot: Ballot, *titles: str) -> list[Entry]:
    with schema_context("gd"):
        return [voting.submit_entry(ballot=ballot, by=tree["gd_cadre"], title=t) for t in titles]


def error_keys(response) -> set[str]:
    return set(response.json()["error"])


# ---------------------------------------------------------------- opening and reading


def test_the_organisers_open_a_vote_and_anyone_reads_the_activitys_votes(tree, api):
    activity = factories.activity("gd", tree["gd_cadre"])
    path = f"/api/v1/activities/{activity.pk}/ballots/"
    assert api("gd").get(path).json() == []
    body = {
        "title": "最佳创意项目",
        "description": "每个账号三票，每个作品一票。",
        "votes_per_account": 3,
        "vote_weight": 0.6,
        "panel_weight": 0.4,
        "criteria": CRITERIA,
        **window(),
    }
    made = api("gd", tree["gd_cadre"]).post(path, body, format="json")
    assert made.status_code == 201, made.content
    shown = made.json()
    assert (shown["title"], shown["activity"], shown["votes_per_account"]) == (
        "最佳创意项目",
        activity.pk,
        3,
    )
    assert (shown["vote_weight"], shown["panel_weight"], shown["is_open"]) == (0.6, 0.4, True)
    assert shown["criteria"] == [
        {"code": "idea", "name": "创意", "weight": 3.0},
        {"code": "impact", "name": "影响", "weight": 1.0},
    ]
    assert shown["entries"] == []
    second = api("gd", tree["gd_admin"]).post(path, {"title": "人气奖", **window()}, format="json")
    assert second.status_code == 201, second.content
    listed = api("gd").get(path)
    assert listed.status_code == 200
    assert [b["id"] for b in listed.json()] == [shown["id"], second.json()["id"]]

    assert_error(api("gd", tree["youth"]).post(path, body, format="json"), 403, "forbidden")
    assert_error(api("gd").post(path, body, format="json"), 401, "not_authenticated")
    assert_error(api("gd", tree["bj_cadre"]).post(path, body, format="json"), 403, "forbidden")
    assert_error(api("bj", tree["bj_cadre"]).post(path, body, format="json"), 404, "not_found")
    assert_error(api("bj").get(path), 404, "not_found")
    with schema_context("gd"):
        assert Ballot.objects.count() == 2


def test_a_bad_vote_is_refused_naming_the_field(tree, api):
    activity = factories.activity("gd", tree["gd_cadre"])
    path = f"/api/v1/activities/{activity.pk}/ballots/"
    client = api("gd", tree["gd_cadre"])
    now = timezone.now()
    backwards = {"opens_at": now.isoformat(), "closes_at": (now - timedelta(hours=1)).isoformat()}
    for body, field in [
        ({"title": "评选", **backwards}, "closes_at"),
        ({"title": "评选", "votes_per_account": 21, **window()}, "votes_per_account"),
        ({"title": "评选", "panel_weight": 0.5, **window()}, "criteria"),
        ({"title": "评选", "vote_weight": -1, **window()}, "vote_weight"),
        ({"title": "评选", "opens_at": "明天", "closes_at": "后天"}, "opens_at"),
    ]:
        refused = client.post(path, body, format="json")
        error = assert_error(refused, 400, "invalid")
        assert field in error["fields"], (body, error)
    with schema_context("gd"):
        assert not Ballot.objects.exists()


def test_a_vote_and_its_entries_are_read_by_anyone_on_its_portal_only(tree, api):
    ballot = open_vote(tree, votes_per_account=2)
    a, b, gone = entries(tree, ballot, "甲项目", "乙项目", "撤回的项目")
    with schema_context("gd"):
        Entry.objects.filter(pk=gone.pk).update(is_withdrawn=True)
    shown = api("gd").get(f"/api/v1/ballots/{ballot.pk}/")
    assert shown.status_code == 200
    body = shown.json()
    assert (body["id"], body["title"], body["is_open"]) == (ballot.pk, ballot.title, True)
    assert [(e["id"], e["title"], e["team"]) for e in body["entries"]] == [
        (a.pk, "甲项目", None),
        (b.pk, "乙项目", None),
    ]
    assert api("gd", tree["youth"]).get(f"/api/v1/ballots/{ballot.pk}/").status_code == 200
    # The same id on Beijing's portal is not Guangdong's vote.
    for path in (
        f"/api/v1/ballots/{ballot.pk}/",
        f"/api/v1/ballots/{ballot.pk}/results/",
        f"/api/v1/activities/{ballot.activity_id}/ballots/",
    ):
        assert_error(api("bj").get(path), 404, "not_found")
    assert_error(
        api("bj", tree["bj_cadre"]).get(f"/api/v1/ballots/{ballot.pk}/flags/"), 404, "not_found"
    )
    assert_error(api("bj", tree["youth"]).post(f"/api/v1/entries/{a.pk}/vote/"), 404, "not_found")
    assert_error(
        api("bj", tree["bj_cadre"]).post(
            f"/api/v1/ballots/{ballot.pk}/entries/", {"title": "北京的项目"}, format="json"
        ),
        404,
        "not_found",
    )
    assert_error(api("gd").get("/api/v1/ballots/999999/"), 404, "not_found")


# ---------------------------------------------------------------- entries


def test_the_organisers_and_the_participants_enter(tree, api):
    activity = factories.activity("gd", tree["gd_cadre"])
    ballot = open_vote(tree, activity)
    path = f"/api/v1/ballots/{ballot.pk}/entries/"
    made = api("gd", tree["gd_cadre"]).post(
        path, {"title": "团委示范项目", "description": "示范"}, format="json"
    )
    assert made.status_code == 201, made.content
    assert (made.json()["title"], made.json()["team"], made.json()["image"]) == (
        "团委示范项目",
        None,
        None,
    )
    assert_error(
        api("gd", tree["youth"]).post(path, {"title": "未报名"}, format="json"), 403, "forbidden"
    )
    with schema_context("gd"):
        registration.register(activity=activity, youth=tree["youth"])
    mine = api("gd", tree["youth"]).post(path, {"title": "社区读书角"}, format="json")
    assert mine.status_code == 201, mine.content
    taken = api("gd", tree["youth"]).post(path, {"title": "团委示范项目"}, format="json")
    assert assert_error(taken, 400, "taken")["fields"] == {
        "title": [taken.json()["error"]["message"]]
    }
    assert_error(api("gd", tree["youth"]).post(path, {}, format="json"), 400, "invalid")
    assert_error(api("gd").post(path, {"title": "匿名"}, format="json"), 401, "not_authenticated")
    assert_error(
        api("gd", tree["bj_cadre"]).post(path, {"title": "北京"}, format="json"), 403, "forbidden"
    )
    shown = api("gd").get(f"/api/v1/ballots/{ballot.pk}/").json()
    assert [e["title"] for e in shown["entries"]] == ["团委示范项目", "社区读书角"]


# ---------------------------------------------------------------- votes


def test_an_account_votes_once_and_a_second_vote_is_refused_in_the_error_shape(tree, api):
    ballot = open_vote(tree)
    a, b = entries(tree, ballot, "甲项目", "乙项目")
    youth = api("gd", tree["youth"])
    made = youth.post(f"/api/v1/entries/{a.pk}/vote/")
    assert made.status_code == 201, made.content
    assert set(made.json()) == {"id", "entry", "at"} and made.json()["entry"] == a.pk
    second = youth.post(f"/api/v1/entries/{b.pk}/vote/")
    assert_error(second, 409, "no_votes_left")
    assert error_keys(second) <= {"code", "message", "fields"}
    assert_error(api("gd").post(f"/api/v1/entries/{b.pk}/vote/"), 401, "not_authenticated")
    assert_error(api("gd", tree["youth"]).post("/api/v1/entries/999999/vote/"), 404, "not_found")
    with schema_context("gd"):
        [vote] = Vote.objects.all()
        assert (vote.entry_id, vote.voter_id) == (a.pk, tree["youth"].pk)
        assert vote.address == voting.address_key("127.0.0.1") != "127.0.0.1"
        assert Allowance.objects.get(ballot=ballot, voter=tree["youth"]).taken == 1


def test_a_repeat_vote_for_the_same_entry_is_refused_and_costs_nothing(tree, api):
    ballot = open_vote(tree, votes_per_account=2)
    a, b = entries(tree, ballot, "甲项目", "乙项目")
    youth = api("gd", tree["youth"])
    assert youth.post(f"/api/v1/entries/{a.pk}/vote/").status_code == 201
    again = youth.post(f"/api/v1/entries/{a.pk}/vote/")
    assert_error(again, 409, "already_voted")
    assert error_keys(again) <= {"code", "message", "fields"}
    assert youth.post(f"/api/v1/entries/{b.pk}/vote/").status_code == 201  # the second vote
    with schema_context("gd"):
        assert Allowance.objects.get(ballot=ballot, voter=tree["youth"]).taken == 2


def test_no_vote_once_voting_has_closed(tree, api):
    now = timezone.now()
    ballot = open_vote(tree, opens_at=now + timedelta(hours=1), closes_at=now + timedelta(days=1))
    [entry] = entries(tree, ballot, "甲项目")
    assert api("gd").get(f"/api/v1/ballots/{ballot.pk}/").json()["is_open"] is False
    assert_error(api("gd", tree["youth"]).post(f"/api/v1/entries/{entry.pk}/vote/"), 409, "closed")


def test_sending_votes_faster_than_thirty_a_minute_is_refused(tree, api):
    """The "vote" limit counts an account's calls, refused ones too: twenty votes, ten
    refusals for votes used, then 429. Another account on the same address still votes."""
    ballot = open_vote(tree, votes_per_account=20)
    many = entries(tree, ballot, *[f"作品{i:02d}" for i in range(40)])
    youth = api("gd", tree["youth"])
    codes = [youth.post(f"/api/v1/entries/{entry.pk}/vote/").status_code for entry in many[:31]]
    assert codes == [201] * 20 + [409] * 10 + [429]
    limited = youth.post(f"/api/v1/entries/{many[31].pk}/vote/")
    assert_error(limited, 429, "throttled")
    other = api("gd", tree["gd_expert"]).post(f"/api/v1/entries/{many[0].pk}/vote/")
    assert other.status_code == 201, other.content
    with schema_context("gd"):
        assert Vote.objects.filter(voter=tree["youth"]).count() == 20
        assert Allowance.objects.get(ballot=ballot, voter=tree["youth"]).taken == 20


# ---------------------------------------------------------------- results and flags


def test_the_live_results_are_public_and_ranked(tree, api):
    ballot = open_vote(tree, votes_per_account=2)
    a, b, c = entries(tree, ballot, "甲项目", "乙项目", "丙项目")
    voters = [tree["youth"], tree["gd_expert"], tree["gd_org"]]
    for voter in voters:
        assert api("gd", voter).post(f"/api/v1/entries/{b.pk}/vote/").status_code == 201
    assert api("gd", voters[0]).post(f"/api/v1/entries/{c.pk}/vote/").status_code == 201
    shown = api("gd").get(f"/api/v1/ballots/{ballot.pk}/results/")
    assert shown.status_code == 200
    assert [
        (r["entry_id"], r["title"], r["votes"], r["vote_share"], r["panel"], r["final"])
        for r in shown.json()
    ] == [
        (b.pk, "乙项目", 3, 1.0, None, 100.0),
        (c.pk, "丙项目", 1, 0.3333, None, 33.33),
        (a.pk, "甲项目", 0, 0.0, None, 0.0),
    ]


def test_the_flags_are_for_the_organisers(tree, api):
    ballot = open_vote(tree)
    [entry] = entries(tree, ballot, "甲项目")
    with schema_context("gd"):
        for i in range(voting.BURST_VOTES):
            voting.vote(entry=entry, voter=factories.account(name=f"新号{i}"), address="1.2.3.4")
    path = f"/api/v1/ballots/{ballot.pk}/flags/"
    shown = api("gd", tree["gd_cadre"]).get(path)
    assert shown.status_code == 200, shown.content
    [burst] = shown.json()["bursts"]
    assert (burst["address"], burst["votes"]) == (voting.address_key("1.2.3.4"), 20)
    # Twenty votes, all from accounts made just now.
    assert shown.json()["new_accounts"] == {str(entry.pk): 1.0}
    for who in ("youth", "gd_expert", "bj_cadre"):
        assert_error(api("gd", tree[who]).get(path), 403, "permission_denied")
    assert_error(api("gd").get(path), 401, "not_authenticated")


# ---------------------------------------------------------------- the panel


def test_the_organisers_seat_the_panel_and_it_scores_every_criterion(tree, api):
    ballot = open_vote(tree, vote_weight=0.5, panel_weight=0.5, criteria=CRITERIA)
    [entry] = entries(tree, ballot, "甲项目")
    seat = f"/api/v1/ballots/{ballot.pk}/reviewers/"
    scores = f"/api/v1/entries/{entry.pk}/scores/"
    points = {"points": {"idea": 80, "impact": 40}}
    expert = api("gd", tree["gd_expert"])
    assert_error(expert.post(scores, points, format="json"), 403, "forbidden")  # not seated
    assert_error(
        api("gd", tree["youth"]).post(seat, {"user": tree["youth"].pk}, format="json"),
        403,
        "forbidden",
    )
    assert_error(
        api("gd").post(seat, {"user": tree["youth"].pk}, format="json"), 401, "not_authenticated"
    )
    assert_error(
        api("gd", tree["gd_cadre"]).post(seat, {"user": 999999}, format="json"), 404, "not_found"
    )
    seated = api("gd", tree["gd_cadre"]).post(seat, {"user": tree["gd_expert"].pk}, format="json")
    assert seated.status_code == 201, seated.content
    with schema_context("gd"):
        assert list(Reviewer.objects.values_list("user", flat=True)) == [tree["gd_expert"].pk]

    missing = expert.post(scores, {"points": {"idea": 80}}, format="json")
    assert "points" in assert_error(missing, 400, "invalid")["fields"]
    too_high = expert.post(scores, {"points": {"idea": 101, "impact": 40}}, format="json")
    assert_error(too_high, 400, "invalid")
    assert_error(api("gd", tree["gd_cadre"]).post(scores, points, format="json"), 403, "forbidden")
    assert_error(api("gd").post(scores, points, format="json"), 401, "not_authenticated")
    scored = expert.post(scores, points, format="json")
    assert scored.status_code == 200, scored.content
    with schema_context("gd"):
        assert dict(Score.objects.values_list("criterion", "points")) == {"idea": 80, "impact": 40}
    [row] = api("gd").get(f"/api/v1/ballots/{ballot.pk}/results/").json()
    assert (row["panel"], row["final"]) == (70.0, 35.0)  # (3·80 + 40) / 4; half of it


# ---------------------------------------------------------------- the pages


def zh(browser):
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    return browser


def test_a_youth_votes_on_the_votes_page_and_sees_it(tree, web):
    ballot = open_vote(tree)
    a, b = entries(tree, ballot, "甲项目", "乙项目")
    page = f"/activities/ballots/{ballot.pk}/"
    browser = zh(web("gd", tree["youth"]))
    before = browser.get(page)
    assert before.status_code == 200
    assert "甲项目" in before.content.decode() and "已投票" not in before.content.decode()
    voted = browser.post(page, {"entry": a.pk})
    assert voted.status_code == 302 and voted["Location"] == page
    after = browser.get(page).content.decode()
    assert after.count("已投票") == 1
    assert 'data-testid="voted"' in after
    # A second vote in a round of one is refused and nothing is counted.
    refused = browser.post(page, {"entry": b.pk}, follow=True)
    assert "你本轮的票已经投完了" in refused.content.decode()
    with schema_context("gd"):
        assert list(Vote.objects.values_list("entry", flat=True)) == [a.pk]
    anonymous = zh(web("gd")).post(page, {"entry": b.pk})
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    assert zh(web("gd")).get(page).status_code == 200
    assert zh(web("bj", tree["youth"])).get(page).status_code == 404


def test_the_review_page_is_for_the_organisers_and_the_panel(tree, web):
    ballot = open_vote(tree, vote_weight=0.5, panel_weight=0.5, criteria=CRITERIA)
    [entry] = entries(tree, ballot, "甲项目")
    page = f"/workbench/ballots/{ballot.pk}/"
    assert zh(web("gd", tree["gd_cadre"])).get(page).status_code == 200
    assert zh(web("gd", tree["youth"])).get(page).status_code == 403
    assert zh(web("gd", tree["gd_expert"])).get(page).status_code == 403  # staff, not seated
    with schema_context("gd"):
        voting.appoint(ballot=ballot, actor=tree["gd_cadre"], user=tree["gd_expert"])
    expert = zh(web("gd", tree["gd_expert"]))
    assert expert.get(page).status_code == 200
    scored = expert.post(page, {"entry": entry.pk, "points-idea": "90", "points-impact": "50"})
    assert scored.status_code == 302
    with schema_context("gd"):
        assert dict(Score.objects.values_list("criterion", "points")) == {"idea": 90, "impact": 50}
