"""The standard score (青年评议标准分): weights by version, shrinkage, and ratings that cannot
be trusted down-weighted and flagged within a stated bound."""

from datetime import date, datetime, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone
from django_tenants.utils import schema_context

from core.addresses import serving
from franchise.models import ScoreStandard
from qa import services
from reporting import standing
from reporting.models import RatingFlag, StandardScore
from tests import factories
from tests.qa.helpers import alliance
from tests.reporting.helpers import rated_answer
from timeline.models import Event

JOB = {"title": "应届生找工作被要求交培训费正常吗", "body": "面试通过后让先交三千元培训费"}
T0 = datetime(2026, 9, 1, tzinfo=timezone.get_current_timezone())


def fact(event_id, stars, *, term="answers", rater=None, joined_days=0, client="", team=None):
    return standing.Fact(
        committee_id=1,
        event_id=event_id,
        term=term,
        stars=stars,
        rater_id=rater or 1000 + event_id,
        client=client,
        credited=(7,),
        team_id=team,
        joined_at=T0 + timedelta(days=joined_days),
    )


def first_standard() -> ScoreStandard:
    return ScoreStandard.objects.get(version=1)


CADRE = (1, "account", 7)


@pytest.mark.django_db
def test_shrinkage_toward_the_national_mean_by_the_number_of_ratings():
    standard = first_standard()
    # A second cadre (8) sets the national mean at 4.0 with 30 ratings of 4 and 4 of 4.5.
    others = [
        standing.Fact(1, 100 + n, "answers", 4, 5000 + n, "", (8,), None, T0 + timedelta(days=n))
        for n in range(30)
    ]
    few = [fact(n, 5, joined_days=n) for n in range(2)]
    scores = standing.score(others + few, standard)
    national = scores.national_mean
    assert national == pytest.approx((30 * 4 + 2 * 5) / 32)
    # Two five-star ratings are pulled most of the way back to the mean (prior 10)...
    assert scores.score_of(CADRE) == pytest.approx(standing.points((10 * national + 10) / 12))
    assert scores.score_of(CADRE) < 85
    # ...and forty of them much less.
    many = [fact(n, 5, joined_days=n) for n in range(40)]
    assert standing.score(others + many, standard).score_of(CADRE) > 90


@pytest.mark.django_db
def test_weights_by_term_and_by_the_version_in_force():
    first = first_standard()
    facts = [
        fact(1, 5, term="help", joined_days=1),
        fact(2, 1, term="answers", joined_days=2),
    ]
    # Help weighs twice an answer in the first standard.
    assert standing.score(facts, first).standings[CADRE].mean() == pytest.approx(11 / 3)
    second = ScoreStandard.objects.create(
        version=2,
        effective_from=date(2027, 1, 1),
        answer_weight=1,
        help_weight=1,
        booking_weight=1,
        activity_weight=1,
        prior_weight=10,
        suspect_weight=0.02,
        burst_accounts=5,
        burst_window_s=3600,
    )
    assert standing.standard_for(date(2026, 12, 31)) == first
    assert standing.standard_for(date(2027, 1, 1)) == second
    assert standing.score(facts, second).standings[CADRE].mean() == pytest.approx(3.0)


@pytest.mark.django_db
def test_bursts_and_shared_addresses_are_flagged_and_kept_within_the_bound():
    standard = first_standard()
    genuine = [fact(n, 5, joined_days=30 * n + 1) for n in range(20)]
    before = standing.score(genuine, standard).score_of(CADRE)
    # Five accounts made within the hour, and two raters from one address, all one star.
    burst = [
        standing.Fact(1, 100 + n, "help", 1, 900 + n, "", (7,), None, T0 + timedelta(minutes=9 * n))
        for n in range(5)
    ]
    shared = [fact(200, 1, joined_days=999, client="a"), fact(201, 1, joined_days=1999, client="a")]
    after = standing.score(genuine + burst + shared, standard)
    assert set(after.flags) == {(1, 100 + n) for n in range(5)} | {(1, 201)}
    assert after.flags[(1, 100)] == {"burst"} and after.flags[(1, 201)] == {"address"}
    assert after.standings[CADRE].flagged == 6
    moved = before - after.score_of(CADRE)
    # The unflagged one-star rating from the address's first rater moves it; the six
    # flagged ones stay within the bound for six.
    only_first = standing.score([*genuine, shared[0]], standard).score_of(CADRE)
    assert 0 < only_first - after.score_of(CADRE) <= standing.burst_bound(standard, 6)
    assert moved > 0
    assert standing.burst_bound(standard, 5) <= 2.0
    # Four accounts close together are no burst.
    assert not standing.score(genuine + burst[:4], standard).flags


@pytest.mark.django_db
def test_one_youths_several_ratings_are_one_account_and_their_own_address_is_no_suspect():
    """A youth who rates the same cadre's answers five times, from home each time, is one
    rater: not a burst of five accounts, and not another rater on a shared address."""
    standard = first_standard()
    genuine = [fact(n, 5, joined_days=30 * n + 1) for n in range(20)]
    same_youth = [fact(300 + n, 4, rater=42, joined_days=2000, client="home") for n in range(5)]
    assert not standing.score(genuine + same_youth, standard).flags
    # Four others made in that hour with the one youth make five accounts: all flagged.
    others = [fact(400 + n, 1, rater=500 + n, joined_days=2000) for n in range(4)]
    flagged = standing.score(genuine + same_youth + others, standard).flags
    assert set(flagged) == {(1, e.event_id) for e in same_youth + others}
    # Another youth from that home address is the suspect one.
    sibling = fact(600, 1, rater=43, joined_days=3000, client="home")
    assert set(standing.score(genuine + same_youth + [sibling], standard).flags) == {(1, 600)}


def rated(tree, youth, stars):
    rated_answer("gd", tree["gd_expert"], youth, stars)


def test_a_cadre_scored_from_youth_ratings_that_five_burst_accounts_cannot_move(tree):
    team = alliance("gd", tree["gd_expert"])
    youths = []
    for n in range(12):
        youth = factories.account(name=f"青年{n}")
        youth.date_joined = timezone.now() - timedelta(days=40 * n + 1)
        youth.save()
        youths.append(youth)
        with serving(f"10.0.0.{n}"):
            rated(tree, youth, 5 if n % 3 else 4)
    # Staff and self ratings do not count: the expert rates their own answer's question.
    with schema_context("gd"):
        own = services.ask_question(asker=tree["gd_cadre"], **JOB)
        services.answer(question=own, author=tree["gd_expert"], body="可以。")
        services.rate(question=own, rater=tree["gd_cadre"], stars=1)
        events = Event.objects.filter(kind="qa.rated")
        assert events.filter(data__staff=True).count() == 1
        assert {e.data["term"] for e in events} == {"answers"}
        assert all(e.data["credited"] == [tree["gd_expert"].pk] for e in events)
        assert {e.data["team_name"] for e in events} == {team.name}
    standing.recompute()
    score = StandardScore.objects.get(kind="account", subject_id=tree["gd_expert"].pk)
    assert (score.committee.code, score.ratings, score.flagged) == ("gd", 12, 0)
    assert StandardScore.objects.get(kind="team", subject_id=team.pk).name == team.name
    before = score.score

    for n in range(5):  # five accounts made in a minute, one address, all one star
        burst = factories.account(name=f"刷分{n}")
        with serving("10.9.9.9"):
            rated(tree, burst, 1)
    standing.recompute()
    score = StandardScore.objects.get(kind="account", subject_id=tree["gd_expert"].pk)
    assert (score.ratings, score.flagged) == (17, 5)
    assert 0 < before - score.score <= standing.burst_bound(first_standard(), 5)
    flags = RatingFlag.objects.filter(committee__code="gd")
    assert flags.count() == 5
    assert all("burst" in flag.reasons for flag in flags)
    assert sum("address" in flag.reasons for flag in flags) == 4


@pytest.mark.django_db
def test_a_cleared_flag_counts_in_full_and_a_confirmed_one_not_at_all():
    standard = first_standard()
    genuine = [fact(n, 5, joined_days=30 * n + 1) for n in range(10)]
    burst = [fact(100 + n, 1, rater=900 + n, joined_days=5000) for n in range(5)]
    suspect = standing.score(genuine + burst, standard)
    keys = {(1, 100 + n) for n in range(5)}
    assert set(suspect.flags) == keys and suspect.standings[CADRE].flagged == 5
    cleared = standing.score(genuine + burst, standard, dict.fromkeys(keys, "cleared"))
    as_genuine = standing.score(
        genuine + [fact(100 + n, 1, rater=900 + n, joined_days=40 * n + 400) for n in range(5)],
        standard,
    )
    assert cleared.score_of(CADRE) == pytest.approx(as_genuine.score_of(CADRE))
    assert cleared.standings[CADRE].flagged == 0 and set(cleared.flags) == keys
    confirmed = standing.score(genuine + burst, standard, dict.fromkeys(keys, "confirmed"))
    alone = standing.score(genuine, standard)
    assert confirmed.score_of(CADRE) == pytest.approx(alone.score_of(CADRE))
    assert confirmed.standings[CADRE].ratings == 10


def test_the_central_office_reviews_flags_and_the_recompute_keeps_its_decisions(tree, api, web):
    for n in range(3):
        youth = factories.account(name=f"青年{n}")
        youth.date_joined = timezone.now() - timedelta(days=40 * n + 1)
        youth.save()
        rated(tree, youth, 5)
    for n in range(5):
        rated(tree, factories.account(name=f"刷分{n}"), 1)
    standing.recompute()
    first, second, *_rest = RatingFlag.objects.order_by("event_id")
    assert (first.stars, first.credited) == (1, [tree["gd_expert"].pk])
    flags = "/api/v1/reports/rating-flags/"

    assert api(None).get(flags).status_code == 401
    for who in ("gd_admin", "auditor", "youth"):
        assert api(None, tree[who]).get(flags).status_code == 403, who
    assert api("gd", tree["gd_admin"]).get(flags).status_code == 403  # not a province's
    central = api(None, tree["central_admin"])
    listed = central.get(f"{flags}?decision=open").json()
    assert listed["count"] == 5 and listed["results"][0]["decision"] == ""
    assert central.get(f"{flags}?decision=maybe").status_code == 400
    decide = f"{flags}{first.pk}/decision/"
    assert api(None, tree["gd_admin"]).post(decide, {"decision": "cleared"}).status_code == 403
    assert central.post(decide, {"decision": "perhaps"}, format="json").status_code == 400
    done = central.post(decide, {"decision": "cleared"}, format="json")
    assert done.status_code == 200 and done.json()["decision"] == "cleared"
    assert central.post(decide, {"decision": "confirmed"}, format="json").status_code == 409
    logged = LogEntry.objects.get(object_id=str(first.pk), user=tree["central_admin"])
    assert logged.change_message == "排除嫌疑：全额计入"

    page = web(None, tree["central_admin"]).get("/reports/standing/flags/")
    assert page.status_code == 200 and 'data-testid="confirm-flag"' in page.content.decode()
    assert web(None, tree["gd_admin"]).get("/reports/standing/flags/").status_code == 403
    posted = web(None, tree["central_admin"]).post(
        "/reports/standing/flags/", {"pk": second.pk, "decision": "confirmed"}
    )
    assert posted.status_code == 302

    standing.recompute()  # the decisions are kept, and count
    kept = {f.event_id: f.decision for f in RatingFlag.objects.all()}
    assert (kept[first.event_id], kept[second.event_id]) == ("cleared", "confirmed")
    score = StandardScore.objects.get(kind="account", subject_id=tree["gd_expert"].pk)
    assert (score.ratings, score.flagged) == (3 + 5 - 1, 3)
