"""Votes and selection (投票评选) and project review (项目评审) through their services: only an
activity's organisers open a vote, with a sound window, weights and criteria; its organisers
and its participants enter (a team's captain for the team), one title once; each account
has the round's votes, one an entry at most, only while voting is open, and a refused vote
costs nothing; every vote is on the timeline; the live results rank the entries by the
published weights of the votes' share and the panel's weighted score, and are a few seconds
old at most; only the seated panel scores, on every criterion, 0 to 100; the organisers are
shown bursts from one address and entries carried by accounts made just before, and no
address is stored as it came."""

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from django_tenants.utils import schema_context

from activities import registration, voting
from activities.models import Allowance, Ballot, Entry, Reviewer, Score, Vote
from core.errors import ServiceError
from tests import factories

CST = ZoneInfo("Asia/Shanghai")
NOW = datetime(2027, 3, 1, 10, 0, tzinfo=CST)
CRITERIA = [
    {"code": "idea", "name": "创意", "weight": 3},
    {"code": "impact", "name": "影响", "weight": 1},
]


def forget_results() -> None:
    """Drop the cached live results of every ballot of gd and bj (only those keys: other
    test processes share the Redis)."""
    for schema in ("gd", "bj"):
        with schema_context(schema):
            cache.delete_pattern("activities-results:*")


@pytest.fixture(autouse=True)
def _no_cached_results():
    """Each test's committee schema starts its ids at 1 again: no test reads the live
    results another cached for a ballot with the same id."""
    forget_results()
    yield
    forget_results()


def refused(code: str, call) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.code == code, caught.value
    return caught.value


def events(kind: str) -> int:
    from timeline.models import Event

    return Event.objects.filter(kind=kind).count()


def open_vote(tree, activity=None, **rule) -> Ballot:
    """A vote of Guangdong's activity, open from now for three days (its cadre opens it)."""
    activity = activity or factories.activity("gd", tree["gd_cadre"])
    now = timezone.now()
    fields = {
        "title": "最美志愿服务项目评选",
        "opens_at": now,
        "closes_at": now + timedelta(days=3),
        **rule,
    }
    with schema_context("gd"):
        return voting.open_ballot(activity=activity, actor=tree["gd_cadre"], **fields)


def entries(tree, ballot: Ballot, *titles: str) -> list[Entry]:
    return [voting.submit_entry(ballot=ballot, by=tree["gd_cadre"], title=t) for t in titles]


def taken(ballot: Ballot, voter) -> int:
    return Allowance.objects.get(ballot=ballot, voter=voter).taken


# ---------------------------------------------------------------- opening a vote


def test_only_the_activitys_organisers_open_a_vote(tree):
    with time_machine.travel(NOW, tick=False):
        activity = factories.activity("gd", tree["gd_cadre"])
        with schema_context("gd"):
            for who in ("youth", "gd_expert", "bj_cadre", "bj_admin"):
                refused(
                    "forbidden",
                    lambda who=who: voting.open_ballot(
                        activity=activity,
                        actor=tree[who],
                        title="评选",
                        opens_at=NOW,
                        closes_at=NOW + timedelta(days=3),
                    ),
                )
            assert not Ballot.objects.exists()
            made = voting.open_ballot(
                activity=activity,
                actor=tree["gd_admin"],
                title="  最佳团队  ",
                opens_at=NOW,
                closes_at=NOW + timedelta(days=3),
                votes_per_account=3,
                vote_weight=0.6,
                panel_weight=0.4,
                criteria=CRITERIA,
            )
            made.refresh_from_db()
            assert (made.title, made.votes_per_account) == ("最佳团队", 3)
            assert (made.vote_weight, made.panel_weight) == (0.6, 0.4)
            assert made.criteria == [
                {"code": "idea", "name": "创意", "weight": 3.0},
                {"code": "impact", "name": "影响", "weight": 1.0},
            ]
            assert voting.is_open(made)
            assert not voting.is_open(made, NOW + timedelta(days=3))


@pytest.mark.parametrize(
    "rule, field",
    [
        ({"closes_at": NOW}, "closes_at"),
        ({"closes_at": NOW - timedelta(minutes=1)}, "closes_at"),
        ({"votes_per_account": 0}, "votes_per_account"),
        ({"votes_per_account": 21}, "votes_per_account"),
        ({"votes_per_account": "3"}, "votes_per_account"),
        ({"vote_weight": -0.1}, "vote_weight"),
        ({"vote_weight": 0, "panel_weight": 0}, "vote_weight"),
        ({"vote_weight": 0.5, "panel_weight": -0.5}, "vote_weight"),
        ({"panel_weight": 0.4}, "criteria"),  # a panel with nothing to score on
        ({"criteria": [{"code": "idea", "name": "创意", "weight": 0}]}, "criteria"),
        ({"criteria": [{"code": "idea", "name": "创意", "weight": -1}]}, "criteria"),
        ({"criteria": [{"code": "idea", "name": "创意", "weight": True}]}, "criteria"),
        ({"criteria": [{"code": "idea", "name": "创意", "weight": "1"}]}, "criteria"),
        ({"criteria": [{"code": "idea", "name": "", "weight": 1}]}, "criteria"),
        ({"criteria": [{"code": "1st", "name": "创意", "weight": 1}]}, "criteria"),
        ({"criteria": [{"code": "a" * 21, "name": "创意", "weight": 1}]}, "criteria"),
        ({"criteria": [CRITERIA[0], {**CRITERIA[1], "code": "idea"}]}, "criteria"),
        ({"criteria": ["idea"]}, "criteria"),
        (
            {"criteria": [{"code": f"c{i}", "name": "项", "weight": 1} for i in range(11)]},
            "criteria",
        ),
    ],
)
def test_a_vote_with_a_bad_window_weights_or_criteria_is_refused(tree, rule, field):
    with time_machine.travel(NOW, tick=False):
        activity = factories.activity("gd", tree["gd_cadre"])
        with schema_context("gd"):
            fields = {"opens_at": NOW, "closes_at": NOW + timedelta(days=3), **rule}
            error = refused(
                "invalid",
                lambda: voting.open_ballot(
                    activity=activity, actor=tree["gd_cadre"], title="评选", **fields
                ),
            )
            assert error.field == field
            assert not Ballot.objects.exists()
            refused(
                "required",
                lambda: voting.open_ballot(
                    activity=activity,
                    actor=tree["gd_cadre"],
                    title="  ",
                    opens_at=NOW,
                    closes_at=NOW + timedelta(days=1),
                ),
            )


# ---------------------------------------------------------------- entries


def test_the_organisers_and_participants_enter_and_a_team_through_its_captain(tree):
    with time_machine.travel(NOW, tick=False):
        activity = factories.activity(
            "gd", tree["gd_cadre"], allows_teams=True, team_min=2, team_max=3
        )
        ballot = open_vote(tree, activity)
        captain, member, stranger = (factories.account(name=n) for n in ("队长", "队员", "路人"))
        with schema_context("gd"):
            own = voting.submit_entry(
                ballot=ballot, by=tree["gd_cadre"], title="团委示范项目", description="示范"
            )
            assert (own.submitted_by_id, own.squad_id) == (tree["gd_cadre"].pk, None)

            registration.register(activity=activity, youth=tree["youth"])
            alone = voting.submit_entry(ballot=ballot, by=tree["youth"], title="社区读书角")
            assert (alone.submitted_by_id, alone.squad_id) == (tree["youth"].pk, None)

            squad = registration.form_team(activity=activity, captain=captain, name="追风队")
            registration.join_team(squad=squad, youth=member)
            registration.register_team(squad=squad, captain=captain)
            refused(
                "forbidden",
                lambda: voting.submit_entry(ballot=ballot, by=member, title="队员的作品"),
            )
            ours = voting.submit_entry(ballot=ballot, by=captain, title="追风队的项目")
            assert (ours.submitted_by_id, ours.squad_id) == (captain.pk, squad.pk)

            refused(
                "forbidden", lambda: voting.submit_entry(ballot=ballot, by=stranger, title="外人")
            )
            refused(
                "forbidden",
                lambda: voting.submit_entry(ballot=ballot, by=tree["bj_cadre"], title="北京"),
            )
            error = refused(
                "taken",
                lambda: voting.submit_entry(ballot=ballot, by=tree["gd_cadre"], title="社区读书角"),
            )
            assert error.field == "title"
            assert list(ballot.entries.values_list("title", flat=True)) == [
                "团委示范项目",
                "社区读书角",
                "追风队的项目",
            ]
            assert events("activities.entered") == 3


def test_a_withdrawn_registration_enters_nothing_and_no_entry_after_voting_closes(tree):
    with time_machine.travel(NOW, tick=False):
        activity = factories.activity("gd", tree["gd_cadre"])
        ballot = open_vote(tree, activity)
        with schema_context("gd"):
            made = registration.register(activity=activity, youth=tree["youth"])
            registration.withdraw(registration=made, youth=tree["youth"])
            refused(
                "forbidden",
                lambda: voting.submit_entry(ballot=ballot, by=tree["youth"], title="退出者"),
            )
    with time_machine.travel(ballot.closes_at, tick=False), schema_context("gd"):
        refused(
            "closed",
            lambda: voting.submit_entry(ballot=ballot, by=tree["gd_cadre"], title="迟到的项目"),
        )
        assert not ballot.entries.exists()


# ---------------------------------------------------------------- votes


def test_one_vote_an_account_in_a_round_of_one(tree):
    youth = tree["youth"]
    with time_machine.travel(NOW, tick=False):
        ballot = open_vote(tree)
        with schema_context("gd"):
            first, second = entries(tree, ballot, "甲项目", "乙项目")
            made = voting.vote(entry=first, voter=youth, address="1.2.3.4")
            assert (made.entry_id, made.voter_id, made.ballot_id) == (first.pk, youth.pk, ballot.pk)
            assert Allowance.objects.get(ballot=ballot, voter=youth).capacity == 1
            refused("no_votes_left", lambda: voting.vote(entry=second, voter=youth))
            assert taken(ballot, youth) == 1
            assert list(Vote.objects.values_list("entry", flat=True)) == [first.pk]
            # Another account has its own vote.
            voting.vote(entry=second, voter=tree["gd_expert"])
            assert Vote.objects.count() == 2
            assert taken(ballot, tree["gd_expert"]) == 1


def test_voting_again_for_the_same_entry_is_told_so_in_a_round_of_one(tree):
    """A second vote for the entry the account voted for is ``already_voted``, whatever
    votes the account has left: the same answer to the same repeat (a double tap, a retried
    request) in a round of one as in a round of three. It takes no vote either way."""
    youth = tree["youth"]
    with time_machine.travel(NOW, tick=False):
        ballot = open_vote(tree)
        with schema_context("gd"):
            [entry] = entries(tree, ballot, "甲项目")
            voting.vote(entry=entry, voter=youth)
            refused("already_voted", lambda: voting.vote(entry=entry, voter=youth))
            assert taken(ballot, youth) == 1
            assert Vote.objects.count() == 1


def test_three_votes_for_three_entries_and_a_repeat_costs_nothing(tree):
    youth = tree["youth"]
    with time_machine.travel(NOW, tick=False):
        ballot = open_vote(tree, votes_per_account=3)
        with schema_context("gd"):
            a, b, c, d = entries(tree, ballot, "甲", "乙", "丙", "丁")
            voting.vote(entry=a, voter=youth)
            error = refused("already_voted", lambda: voting.vote(entry=a, voter=youth))
            assert error.status == 409
            assert taken(ballot, youth) == 1  # the refused repeat took no vote
            voting.vote(entry=b, voter=youth)
            voting.vote(entry=c, voter=youth)
            assert taken(ballot, youth) == 3
            refused("no_votes_left", lambda: voting.vote(entry=d, voter=youth))
            assert taken(ballot, youth) == 3
            assert set(Vote.objects.filter(voter=youth).values_list("entry", flat=True)) == {
                a.pk,
                b.pk,
                c.pk,
            }
            assert events("activities.voted") == 3


def test_no_vote_before_voting_opens_or_once_it_has_closed(tree):
    with time_machine.travel(NOW, tick=False):
        ballot = open_vote(
            tree, opens_at=NOW + timedelta(hours=1), closes_at=NOW + timedelta(days=1)
        )
        with schema_context("gd"):
            [entry] = entries(tree, ballot, "甲")
            refused("closed", lambda: voting.vote(entry=entry, voter=tree["youth"]))
    with time_machine.travel(NOW + timedelta(hours=1), tick=False), schema_context("gd"):
        voting.vote(entry=entry, voter=tree["youth"])
    with time_machine.travel(NOW + timedelta(days=1), tick=False), schema_context("gd"):
        refused("closed", lambda: voting.vote(entry=entry, voter=tree["gd_expert"]))
        assert Vote.objects.count() == 1
        assert not Allowance.objects.filter(voter=tree["gd_expert"]).exists()


def test_a_withdrawn_entry_takes_no_votes(tree):
    with time_machine.travel(NOW, tick=False):
        ballot = open_vote(tree)
        with schema_context("gd"):
            [entry] = entries(tree, ballot, "甲")
            Entry.objects.filter(pk=entry.pk).update(is_withdrawn=True)
            entry.refresh_from_db()
            refused("withdrawn", lambda: voting.vote(entry=entry, voter=tree["youth"]))
            assert not Vote.objects.exists()
            assert not Allowance.objects.filter(voter=tree["youth"]).exists()


def test_each_vote_is_on_the_timeline_and_refusals_are_not(tree):
    from timeline.models import Event

    with time_machine.travel(NOW, tick=False):
        ballot = open_vote(tree, votes_per_account=2)
        with schema_context("gd"):
            a, b, c = entries(tree, ballot, "甲", "乙", "丙")
            voting.vote(entry=a, voter=tree["youth"])
            voting.vote(entry=b, voter=tree["youth"])
            voting.vote(entry=a, voter=tree["gd_expert"])
            refused("no_votes_left", lambda: voting.vote(entry=c, voter=tree["youth"]))
            refused("already_voted", lambda: voting.vote(entry=a, voter=tree["gd_expert"]))
            voted = Event.objects.filter(kind="activities.voted").order_by("id")
            assert [(e.subject_id, e.actor_id) for e in voted] == [
                (a.pk, tree["youth"].pk),
                (b.pk, tree["youth"].pk),
                (a.pk, tree["gd_expert"].pk),
            ]
            assert {e.data["ballot"] for e in voted} == {ballot.pk}
            assert {e.data["activity"] for e in voted} == {ballot.activity_id}


# ---------------------------------------------------------------- results


def seat_panel(tree, ballot):
    return [
        voting.appoint(ballot=ballot, actor=tree["gd_cadre"], user=tree[who])
        for who in ("gd_expert", "gd_org")
    ]


def test_the_final_ranking_combines_the_votes_share_and_the_weighted_panel(tree):
    voters = [factories.account(name=f"投票人{i}") for i in range(4)]
    with time_machine.travel(NOW, tick=False):
        ballot = open_vote(
            tree, votes_per_account=3, vote_weight=0.6, panel_weight=0.4, criteria=CRITERIA
        )
        with schema_context("gd"):
            a, b, c = entries(tree, ballot, "甲", "乙", "丙")
            for voter in voters:  # a: 4 votes, b: 3, c: none
                voting.vote(entry=a, voter=voter)
            for voter in voters[:3]:
                voting.vote(entry=b, voter=voter)
            seat_panel(tree, ballot)
            # a: idea (20 + 40) / 2 = 30, impact (100 + 60) / 2 = 80 → (3·30 + 1·80) / 4 = 42.5
            voting.score(
                entry=a, reviewer_user=tree["gd_expert"], points={"idea": 20, "impact": 100}
            )
            voting.score(entry=a, reviewer_user=tree["gd_org"], points={"idea": 40, "impact": 60})
            # b: idea (90 + 100) / 2 = 95, impact (50 + 70) / 2 = 60 → (3·95 + 60) / 4 = 86.25;
            # the expert's first points are replaced by the second.
            voting.score(entry=b, reviewer_user=tree["gd_expert"], points={"idea": 0, "impact": 0})
            voting.score(
                entry=b, reviewer_user=tree["gd_expert"], points={"idea": 90, "impact": 50}
            )
            voting.score(entry=b, reviewer_user=tree["gd_org"], points={"idea": 100, "impact": 70})
            assert Score.objects.filter(entry=b).count() == 4
            rows = voting.standings(ballot)
    # final = 0.6 · share · 100 + 0.4 · panel (the weights add up to 1):
    #   a: 0.6 · 100 + 0.4 · 42.5 = 77.0;  b: 0.6 · 75 + 0.4 · 86.25 = 79.5;  c: 0.
    # b has fewer votes than a and ranks first: by the weighted criteria it is the better
    # project (by their plain mean a, at 82.0, would beat b, at 76.0).
    assert [(r.entry_id, r.votes, r.vote_share, r.panel, r.final) for r in rows] == [
        (b.pk, 3, 0.75, 86.25, 79.5),
        (a.pk, 4, 1.0, 42.5, 77.0),
        (c.pk, 0, 0.0, None, 0.0),
    ]
    assert [r.title for r in rows] == ["乙", "甲", "丙"]


def test_a_vote_by_votes_alone_ranks_by_the_share_of_the_leader(tree):
    voters = [factories.account(name=f"投票人{i}") for i in range(5)]
    with time_machine.travel(NOW, tick=False):
        ballot = open_vote(tree, votes_per_account=2)
        with schema_context("gd"):
            a, b, c, d = entries(tree, ballot, "甲", "乙", "丙", "丁")
            for voter in voters[:2]:  # b: 2; a: 5; c: 2 (tie with b, the older entry first)
                voting.vote(entry=b, voter=voter)
            for voter in voters:
                voting.vote(entry=a, voter=voter)
            for voter in voters[2:4]:
                voting.vote(entry=c, voter=voter)
            Entry.objects.filter(pk=d.pk).update(is_withdrawn=True)
            rows = voting.standings(ballot)
    assert [(r.entry_id, r.votes, r.vote_share, r.panel, r.final) for r in rows] == [
        (a.pk, 5, 1.0, None, 100.0),
        (b.pk, 2, 0.4, None, 40.0),
        (c.pk, 2, 0.4, None, 40.0),
    ]  # the withdrawn entry is not ranked


def test_a_withdrawn_leader_does_not_weigh_on_the_others_share(tree):
    """The share is of the leading entry's votes among the entries ranked: a withdrawn
    entry's votes do not shrink the others' shares (and so reorder them against the panel)."""
    voters = [factories.account(name=f"投票人{i}") for i in range(6)]
    with time_machine.travel(NOW, tick=False):
        ballot = open_vote(
            tree,
            votes_per_account=3,
            vote_weight=0.5,
            panel_weight=0.5,
            criteria=[{"code": "idea", "name": "创意", "weight": 1}],
        )
        with schema_context("gd"):
            a, b, c = entries(tree, ballot, "甲", "乙", "丙")
            for voter in voters:  # a: 6, b: 3, c: 1
                voting.vote(entry=a, voter=voter)
            for voter in voters[:3]:
                voting.vote(entry=b, voter=voter)
            voting.vote(entry=c, voter=voters[0])
            voting.appoint(ballot=ballot, actor=tree["gd_cadre"], user=tree["gd_expert"])
            voting.score(entry=b, reviewer_user=tree["gd_expert"], points={"idea": 0})
            voting.score(entry=c, reviewer_user=tree["gd_expert"], points={"idea": 50})
            Entry.objects.filter(pk=a.pk).update(is_withdrawn=True)
            rows = voting.standings(ballot)
    # Among b and c, b leads the votes: b = 0.5 · 100 + 0 = 50; c = 0.5 · 33.33 + 0.5 · 50
    # = 41.67. Measured against the withdrawn a's 6 votes, c (33.33) would pass b (25).
    assert [(r.entry_id, r.vote_share, r.final) for r in rows] == [
        (b.pk, 1.0, 50.0),
        (c.pk, 0.3333, 41.67),
    ]


def test_the_live_results_are_a_few_seconds_old_at_most(tree):
    with time_machine.travel(NOW, tick=False):
        ballot = open_vote(tree, votes_per_account=2)
        with schema_context("gd"):
            a, b = entries(tree, ballot, "甲", "乙")
            assert [(r.entry_id, r.votes) for r in voting.standings(ballot)] == [
                (a.pk, 0),
                (b.pk, 0),
            ]
            voting.vote(entry=b, voter=tree["youth"])
            # Cached: the vote shows once the results expire, not at once.
            assert [(r.entry_id, r.votes) for r in voting.standings(ballot)] == [
                (a.pk, 0),
                (b.pk, 0),
            ]
    time.sleep(voting.RESULTS_CACHE_S + 0.5)  # Redis expires the results on its own clock
    with time_machine.travel(NOW + timedelta(seconds=5), tick=False), schema_context("gd"):
        assert [(r.entry_id, r.votes) for r in voting.standings(ballot)] == [
            (b.pk, 1),
            (a.pk, 0),
        ]
        voting.vote(entry=a, voter=tree["youth"])
        voting.vote(entry=a, voter=tree["gd_expert"])
        assert voting.standings(ballot)[0].entry_id == b.pk  # still the cached ranking
        forget_results()
        assert [(r.entry_id, r.votes) for r in voting.standings(ballot)] == [
            (a.pk, 2),
            (b.pk, 1),
        ]
    # Guangdong's cached results are not another committee's: bj's ballot with the same id.
    with schema_context("gd"):
        cached = voting.standings(ballot)
    bj_activity = factories.activity("bj", tree["bj_cadre"])
    with schema_context("bj"):
        theirs = voting.open_ballot(
            activity=bj_activity,
            actor=tree["bj_cadre"],
            title="北京评选",
            opens_at=timezone.now(),
            closes_at=timezone.now() + timedelta(days=1),
        )
        assert theirs.pk == ballot.pk  # each schema counts its ids from 1
        assert voting.standings(theirs) == [] != cached


# ---------------------------------------------------------------- the panel


def test_only_the_seated_panel_scores_on_every_criterion_from_0_to_100(tree):
    with time_machine.travel(NOW, tick=False):
        ballot = open_vote(tree, vote_weight=0.5, panel_weight=0.5, criteria=CRITERIA)
        with schema_context("gd"):
            [entry] = entries(tree, ballot, "甲")
            full = {"idea": 80, "impact": 60}
            for who in ("youth", "gd_cadre", "gd_expert"):  # the organiser is not seated
                refused(
                    "forbidden",
                    lambda who=who: voting.score(entry=entry, reviewer_user=tree[who], points=full),
                )
            refused(
                "forbidden",
                lambda: voting.appoint(ballot=ballot, actor=tree["youth"], user=tree["youth"]),
            )
            seat = voting.appoint(ballot=ballot, actor=tree["gd_cadre"], user=tree["gd_expert"])
            assert (
                voting.appoint(ballot=ballot, actor=tree["gd_admin"], user=tree["gd_expert"])
                == seat
            )
            assert Reviewer.objects.filter(ballot=ballot).count() == 1
            expert = tree["gd_expert"]
            for points in (
                {"idea": 80},
                {"idea": 80, "impact": 60, "extra": 10},
                {"idea": 101, "impact": 60},
                {"idea": -1, "impact": 60},
                {"idea": 80.5, "impact": 60},
                {"idea": "80", "impact": 60},
                {"idea": True, "impact": 60},
                {},
            ):
                error = refused(
                    "invalid",
                    lambda points=points: voting.score(
                        entry=entry, reviewer_user=expert, points=points
                    ),
                )
                assert error.field == "points"
            assert not Score.objects.exists()
            voting.score(entry=entry, reviewer_user=expert, points={"idea": 0, "impact": 100})
            assert dict(Score.objects.values_list("criterion", "points")) == {
                "idea": 0,
                "impact": 100,
            }
            [row] = voting.standings(ballot)
            assert (row.panel, row.final) == (25.0, 12.5)  # (3·0 + 100) / 4; half of it


# ---------------------------------------------------------------- anomaly flags


def test_a_burst_of_twenty_votes_from_one_address_in_a_minute_is_flagged(tree):
    with time_machine.travel(NOW, tick=False):
        ballot = open_vote(tree)
        with schema_context("gd"):
            a, b = entries(tree, ballot, "甲", "乙")
        voters = [factories.account(name=f"刷票{i}") for i in range(20)]
    with schema_context("gd"):
        for i, voter in enumerate(voters[:19]):
            with time_machine.travel(NOW + timedelta(seconds=2 * i), tick=False):
                voting.vote(entry=a, voter=voter, address="1.2.3.4")
        assert voting.anomalies(ballot).bursts == []  # nineteen are not a burst
        with time_machine.travel(NOW + timedelta(seconds=59), tick=False):
            voting.vote(entry=b, voter=voters[19], address="1.2.3.4")
            voting.vote(entry=b, voter=tree["youth"], address="5.6.7.8")
        [burst] = voting.anomalies(ballot).bursts
    assert burst["votes"] == 20
    assert burst["address"] == voting.address_key("1.2.3.4") != "1.2.3.4"
    assert datetime.fromisoformat(burst["since"]) == NOW


def test_a_burst_astride_two_clock_minutes_is_flagged(tree):
    """Twenty votes 2 s apart from 12:00:50 (five before the clock turns, fifteen after):
    no clock minute holds twenty, a minute from the first vote does."""
    start = NOW.replace(second=50, microsecond=0)
    with time_machine.travel(start, tick=False):
        ballot = open_vote(tree)
        with schema_context("gd"):
            [entry] = entries(tree, ballot, "甲")
        voters = [factories.account(name=f"跨分钟{i}") for i in range(20)]
    with schema_context("gd"):
        for i, voter in enumerate(voters):
            with time_machine.travel(start + timedelta(seconds=2 * i), tick=False):
                voting.vote(entry=entry, voter=voter, address="1.2.3.4")
        [burst] = voting.anomalies(ballot).bursts
    assert (burst["votes"], datetime.fromisoformat(burst["since"])) == (20, start)


def test_nineteen_votes_in_one_minute_and_one_in_the_next_are_no_burst(tree):
    with time_machine.travel(NOW, tick=False):
        ballot = open_vote(tree)
        with schema_context("gd"):
            [entry] = entries(tree, ballot, "甲")
        voters = [factories.account(name=f"投票人{i}") for i in range(20)]
    with schema_context("gd"):
        with time_machine.travel(NOW, tick=False):
            for voter in voters[:19]:
                voting.vote(entry=entry, voter=voter, address="1.2.3.4")
        with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
            voting.vote(entry=entry, voter=voters[19], address="1.2.3.4")
        assert voting.anomalies(ballot).bursts == []


def test_votes_without_an_address_are_no_burst_from_one_address(tree):
    """A vote whose address is unknown (no client address) is stored without one: the
    flags look at bursts from addresses, and "no address" is not one."""
    with time_machine.travel(NOW, tick=False):
        ballot = open_vote(tree)
        with schema_context("gd"):
            [entry] = entries(tree, ballot, "甲")
        voters = [factories.account(name=f"投票人{i}") for i in range(20)]
        with schema_context("gd"):
            for voter in voters:
                voting.vote(entry=entry, voter=voter)
            assert set(Vote.objects.values_list("address", flat=True)) == {""}
            assert voting.anomalies(ballot).bursts == []


def test_an_entry_carried_by_accounts_made_just_before_is_flagged(tree):
    just_made = NOW - timedelta(minutes=10)
    long_ago = NOW - timedelta(days=30)
    with time_machine.travel(just_made, tick=False):
        new = [factories.account(name=f"新号{i}") for i in range(14)]
    with time_machine.travel(long_ago, tick=False):
        old = [factories.account(name=f"老号{i}") for i in range(20)]
    with time_machine.travel(NOW, tick=False):
        ballot = open_vote(tree, votes_per_account=4)
        with schema_context("gd"):
            carried, honest, few, mixed, edge = entries(tree, ballot, "甲", "乙", "丙", "丁", "戊")
            for i, voter in enumerate(new[:10]):  # 10 of 10 votes from new accounts
                voting.vote(entry=carried, voter=voter, address=f"10.0.0.{i}")
            for i, voter in enumerate(old[:10]):  # 10 old accounts
                voting.vote(entry=honest, voter=voter, address=f"10.0.1.{i}")
            for i, voter in enumerate(new[:9]):  # 9 votes, all new: too few to judge
                voting.vote(entry=few, voter=voter, address=f"10.0.2.{i}")
            for i, voter in enumerate(new[10:14] + old[10:16]):  # 4 of 10 new: over 30 %
                voting.vote(entry=mixed, voter=voter, address=f"10.0.3.{i}")
            for i, voter in enumerate(new[:3] + old[10:17]):  # 3 of 10 new: not over 30 %
                voting.vote(entry=edge, voter=voter, address=f"10.0.4.{i}")
            ages = Vote.objects.filter(entry=carried).values_list("account_age_s", flat=True)
            assert set(ages) == {600}
            assert set(
                Vote.objects.filter(entry=honest).values_list("account_age_s", flat=True)
            ) == {30 * 86400}
            flags = voting.anomalies(ballot)
    assert flags.new_accounts == {carried.pk: 1.0, mixed.pk: 0.4}
    assert flags.bursts == []


def test_the_address_is_stored_as_a_keyed_hash(tree):
    with time_machine.travel(NOW, tick=False):
        ballot = open_vote(tree)
        with schema_context("gd"):
            [entry] = entries(tree, ballot, "甲")
            voting.vote(entry=entry, voter=tree["youth"], address="1.2.3.4")
            voting.vote(entry=entry, voter=tree["gd_expert"], address="1.2.3.5")
            stored = list(Vote.objects.order_by("id").values_list("address", flat=True))
    assert "1.2.3.4" not in stored and "1.2.3.5" not in stored
    assert stored[0] == voting.address_key("1.2.3.4") and len(stored[0]) == 16
    assert stored[1] == voting.address_key("1.2.3.5") != stored[0]
