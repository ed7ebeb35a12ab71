"""The influence index (影响力指数) and Bayesian satisfaction: the README's worked example, the
boost's threshold, the standard in force on a day, and a ranking by satisfaction that a
couple of five-star ratings cannot top."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from franchise import influence
from franchise.influence import IndexInputs
from franchise.models import IndexStandard
from reporting import selectors, shipping
from reporting.selectors import Period
from tests import factories

from .helpers import answer, ask, rate

WORKED = IndexInputs(
    visits=1200, league_answers=30, other_answers=10, help_effective=8, help_closed=10, activities=4
)


@pytest.fixture
def v1(db) -> IndexStandard:
    return IndexStandard.objects.get(version=1)


def test_the_standard_installed_is_version_one(v1):
    assert (
        v1.visit_weight,
        v1.league_answer_weight,
        v1.other_answer_weight,
        v1.help_weight,
        v1.activity_weight,
        v1.boost_threshold,
        v1.rating_prior_weight,
    ) == (0.01, 1.0, 0.3, 2.0, 0.5, 0.75, 20)


def test_the_worked_example(v1):
    found = influence.score(WORKED, v1)
    assert found.terms == {
        "visits": 12.0,
        "league_answers": 30.0,
        "other_answers": 3.0,
        "help": 16.0,
        "activities": 2.0,
    }
    assert found.base == 63.0
    assert found.boost == pytest.approx(0.8 / 0.75, abs=1e-4)
    assert found.value == 67.2
    assert found.standard_version == 1


def test_no_boost_below_the_threshold(v1):
    found = influence.score(
        IndexInputs(**{**WORKED.__dict__, "help_effective": 7, "help_closed": 10}), v1
    )
    assert v1.boost_threshold > 0.7  # effectiveness 0.7
    assert (found.base, found.boost, found.value) == (61.0, 1.0, 61.0)


def test_the_boost_grows_with_effectiveness_from_the_threshold(v1):
    at = influence.score(
        IndexInputs(**{**WORKED.__dict__, "help_effective": 3, "help_closed": 4}), v1
    )
    assert (at.base, at.boost, at.value) == (53.0, 1.0, 53.0)
    above = influence.score(
        IndexInputs(**{**WORKED.__dict__, "help_effective": 9, "help_closed": 10}), v1
    )
    assert (above.base, above.boost, above.value) == (65.0, 1.2, 78.0)


def test_no_boost_without_help_cases(v1):
    found = influence.score(
        IndexInputs(visits=1200, league_answers=30, other_answers=10, activities=4), v1
    )
    assert (found.base, found.boost, found.value) == (47.0, 1.0, 47.0)
    assert influence.score(IndexInputs(), v1).value == 0.0


def test_the_standard_in_force_on_a_day(v1):
    v2 = IndexStandard.objects.create(
        version=2,
        effective_from=date(2027, 1, 1),
        visit_weight=0.02,
        league_answer_weight=1.5,
        other_answer_weight=0.5,
        help_weight=3.0,
        activity_weight=1.0,
        boost_threshold=0.8,
        rating_prior_weight=30,
    )
    assert influence.standard_for(date(2026, 12, 31)) == v1
    assert influence.standard_for(date(2027, 1, 1)) == v2
    assert influence.standard_for(date(2030, 6, 1)) == v2
    assert influence.standard_for(date(2010, 1, 1)) == v1  # before any: the earliest
    # A period is scored with the version in force on its first day.
    assert selectors.standard_in_force(Period(date(2026, 12, 1), date(2027, 1, 31))) == v1
    assert selectors.standard_in_force(Period(date(2027, 1, 1), date(2027, 1, 31))) == v2
    later = influence.score(WORKED, influence.standard_for(date(2027, 3, 1)))
    assert later.standard_version == 2
    # 24 + 45 + 5 + 24 + 4 = 102; effectiveness 0.8 meets v2's threshold exactly.
    assert (later.base, later.boost, later.value) == (102.0, 1.0, 102.0)


def test_shrunk_mean_pulls_few_ratings_toward_the_national_mean():
    few = influence.shrunk_mean(15, 3, prior_mean=4.0, prior_weight=20)
    many = influence.shrunk_mean(900, 200, prior_mean=4.0, prior_weight=20)
    assert few == pytest.approx(95 / 23) and round(few, 3) == 4.130
    assert many == pytest.approx(980 / 220) and round(many, 4) == 4.4545
    assert few < many  # although 5.0 > 4.5 raw
    assert influence.shrunk_mean(0, 0, prior_mean=4.0, prior_weight=20) == 4.0
    assert influence.shrunk_mean(0, 0, prior_mean=0.0, prior_weight=0) is None


def rated(code: str, youth, answerer, stars: list[int]) -> None:
    for given in stars:
        question = ask(code, youth)
        answer(code, question, answerer)
        rate(code, question, youth, given)


def test_a_couple_of_five_stars_do_not_top_the_satisfaction_ranking(tree):
    sc = factories.committee("sc", level="province", parent=tree.central)
    sc_cadre = factories.staff(sc, "cadre")
    youth = tree["youth"]
    rated("gd", youth, tree["gd_cadre"], [5] * 8 + [4] * 4)  # 56 stars, mean 4.67
    rated("bj", youth, tree["bj_cadre"], [5, 5])  # mean 5.0
    rated("sc", youth, sc_cadre, [1] * 12)  # mean 1.0
    shipping.ship_all()
    period = Period.last(30)
    assert selectors.national_mean_rating(period) == pytest.approx(78 / 26)  # 3.0

    ranking = selectors.ranking(tree.central, period, sort="satisfaction")
    assert [row.committee.code for row in ranking] == ["gd", "bj", "sc"]
    gd, bj, sc_row = ranking
    assert [row.figures["ratings"] for row in ranking] == [12, 2, 12]
    assert [row.figures["rating_stars"] for row in ranking] == [56, 10, 12]
    assert bj.rating_mean > gd.rating_mean  # ranked by raw means, Beijing would lead
    assert gd.satisfaction == pytest.approx((20 * 3.0 + 56) / 32)  # 3.625
    assert bj.satisfaction == pytest.approx((20 * 3.0 + 10) / 22)  # 3.18
    assert sc_row.satisfaction == pytest.approx((20 * 3.0 + 12) / 32)  # 2.25
    # The index of each row counts its League answers.
    assert (gd.index.value, bj.index.value, sc_row.index.value) == (12.0, 2.0, 12.0)


def test_a_period_in_the_past_has_nothing_to_rank(tree):
    rated("gd", tree["youth"], tree["gd_cadre"], [5])
    shipping.ship_all()
    old = Period(date(2020, 1, 1), date(2020, 1, 1) + timedelta(days=30))
    assert all(row.figures["ratings"] == 0 for row in selectors.ranking(tree.central, old))


def test_help_cases_shipped_from_the_timeline_make_the_help_term(tree):
    """The README's second example: 4 final evaluations of help, 3 effective."""
    from helpcases import services as help_cases

    staff = tree["gd_cadre"]
    with schema_context("gd"):
        youths = [tree["youth"], *(factories.account() for _ in range(3))]
        for n, youth in enumerate(youths):
            case = help_cases.submit(youth=youth, title="拖欠工资怎么办", category="rights")
            help_cases.start_verifying(case=case, actor=staff)
            help_cases.verify(
                case=case,
                actor=staff,
                method="call",
                verified_on=timezone.localdate(),
                findings="属实",
                verdict="genuine",
            )
            help_cases.resolve(case=case, actor=staff, is_resolved=True)
            help_cases.report_back(case=case, actor=staff, report="已补发")
            effective = n < 3
            help_cases.evaluate(case=case, youth=youth, stars=4, is_real=True, is_solved=effective)
    shipping.ship_all()
    period = Period.last(30)
    for committee in (tree.gd, tree.central):  # the province and the nation
        index = selectors.summary(committee, period).index
        assert index.terms["help"] == 6.0
        assert (index.base, index.boost, index.value) == (6.0, 1.0, 6.0)
    figures = selectors.summary(tree.gd, period).figures
    assert (figures["help_closed"], figures["help_effective"]) == (4, 3)
    assert (figures["help_received"], figures["help_reported_in_time"]) == (4, 4)
