"""The figures of a whole tree of committees add up: each committee's own figures are what its
schema recorded, each subtree is itself plus its children, the nation is the sum of every
committee, copies of a transferred question's history count once, and a rebuild gives what
shipping gave."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from casework import supervision
from qa import services
from qa.models import Question
from reporting import selectors, shipping
from reporting.metrics import COLUMNS, local_day
from reporting.models import PostVisit, ResponseTimes, TopicCount
from tenants import outbox
from tenants.models import Committee
from tests import factories
from timeline.models import Event

from .helpers import (
    answer,
    around_today,
    ask,
    every_figure,
    figures,
    rate,
    solve_and_rate,
    without_visits,
)

# What each committee's own timeline should count (columns not named are zero).
OWN = {
    "central": {"asked": 1, "answered": 1, "answered_by_league": 1},
    "gd": {
        "asked": 2,
        "answered": 1,
        "solved": 1,
        "transferred_out": 1,
        "ratings": 1,
        "rating_stars": 5,
        "ratings_high": 1,
        "deflected": 1,
        "visits": 1,
    },
    "gd-gz": {
        "asked": 4,
        "answered": 3,
        "answered_by_league": 2,
        "solved": 2,
        "ratings": 2,
        "rating_stars": 8,
        "ratings_high": 1,
        "deflected": 2,
        "visits": 3,
    },
    "gd-sz": {
        "asked": 2,
        "answered": 1,
        "overdue": 1,
        "ratings": 1,
        "rating_stars": 4,
        "ratings_high": 1,
    },
    "bj": {
        "asked": 1,
        "answered": 2,
        "answered_by_league": 2,
        "transferred_in": 1,
        "ratings": 1,
        "rating_stars": 2,
    },
}


def own(code: str) -> dict[str, int]:
    return {column: OWN[code].get(column, 0) for column in COLUMNS}


def visit(committee: Committee, question: Question, visitor: str) -> None:
    PostVisit.objects.create(
        committee=committee,
        post_type="question",
        post_id=question.pk,
        category=question.category_id,
        visitor=visitor,
        day=local_day(timezone.now()),
    )


@pytest.fixture
def nation(tree):
    """central → gd → (gd-gz, gd-sz), central → bj, with activity everywhere, shipped in two
    rounds."""
    sz = factories.committee("gd-sz", level="city", parent=tree.gd)
    youth, other = tree["youth"], factories.account(name="小红")
    gz_expert, sz_expert = factories.staff(tree.gz, "expert"), factories.staff(sz, "expert")

    # Guangzhou: League and expert answers, a second answer that is not a first, ratings.
    q1 = ask("gd-gz", youth)
    answer("gd-gz", q1, tree["gz_cadre"])
    solve_and_rate("gd-gz", q1, youth, stars=5)
    q2 = ask("gd-gz", other, category="study")
    answer("gd-gz", q2, gz_expert)
    solve_and_rate("gd-gz", q2, other, stars=3)
    q3 = ask("gd-gz", youth, category="mental")
    answer("gd-gz", q3, tree["gz_cadre"])
    answer("gd-gz", q3, gz_expert, body="也可以预约心理咨询。")
    ask("gd-gz", youth, category="study")
    # Two youths about to ask what q1 asked take its answer instead (one of them twice).
    with schema_context("gd_gz"):
        for taker in (other, None, other):
            services.take_existing_answer(question=q1, youth=taker)
    visit(tree.gz, q1, "u1")
    visit(tree.gz, q1, "u2")
    visit(tree.gz, q2, "u1")

    # Part of it is shipped before the rest happens.
    assert shipping.ship_all() > 0

    # Shenzhen: an expert's answer, a question left to go overdue.
    q5 = ask("gd-sz", other, category="mental")
    answer("gd-sz", q5, sz_expert)
    rate("gd-sz", q5, other, 4)
    ask("gd-sz", youth, category="study")
    with schema_context("gd_sz"):
        assert supervision.sweep(now=timezone.now() + timedelta(days=30))["overdue"] == 1

    # Guangdong: its own cadre asks and rates (left out of the ratings); a question goes to
    # Beijing, is answered there, and is solved and rated where it was asked.
    q7 = ask("gd", tree["gd_cadre"], category="rights")
    answer("gd", q7, tree["gd_expert"])
    rate("gd", q7, tree["gd_cadre"], 1)
    q8 = ask("gd", youth, category="rights")
    with schema_context("gd"):
        services.transfer(question=q8, actor=tree["gd_cadre"], to="bj", note="单位在北京")
    assert outbox.deliver() >= 1
    with schema_context("bj"):
        copy = Question.objects.get(origin_committee="gd", origin_id=q8.pk)
    answer("bj", copy, tree["bj_cadre"], body="可以向劳动监察大队投诉。")
    outbox.deliver()
    with schema_context("gd"):
        assert Question.objects.get(pk=q8.pk).state == "answered"
    solve_and_rate("gd", q8, youth, stars=5)
    # Taken in Guangdong, where it is published: Beijing's copy of the event counts nothing.
    with schema_context("gd"):
        services.take_existing_answer(question=q8, youth=other)
    outbox.deliver()
    visit(tree.gd, q8, "u1")

    # Beijing's own question, and the central committee's.
    q9 = ask("bj", other, category="health")
    answer("bj", q9, tree["bj_cadre"], body="建议先去社区医院检查。")
    rate("bj", q9, other, 2)
    q10 = ask("central", youth, category="other")
    answer("central", q10, tree["central_admin"], body="已转交相关部门。")

    assert shipping.ship_all() > 0
    committees = {c.code: c for c in Committee.objects.all()}
    assert set(committees) == set(OWN)
    return committees


def test_each_committee_counts_what_its_own_timeline_recorded(nation):
    for code, committee in nation.items():
        assert figures(committee, subtree=False) == own(code), code


def test_own_figures_equal_the_schema_counts(nation):
    """A committee's own figures are its subtree's schema counts less its children's."""
    period = around_today()
    for committee in nation.values():
        from_schemas = selectors.figures_from_schemas(committee, period)
        for child in Committee.objects.filter(parent=committee):
            below = selectors.figures_from_schemas(child, period)
            from_schemas = {column: from_schemas[column] - below[column] for column in COLUMNS}
        assert without_visits(figures(committee, subtree=False)) == without_visits(from_schemas)
    # A leaf's figures are its schema's, directly.
    assert without_visits(figures(nation["gd-sz"], subtree=True)) == without_visits(
        selectors.figures_from_schemas(nation["gd-sz"], period)
    )


def test_the_nation_is_the_sum_of_every_committee(nation):
    period = around_today()
    summary = selectors.summary(nation["central"], period)
    every = {column: sum(own(code)[column] for code in OWN) for column in COLUMNS}
    assert summary.figures == every
    assert every["asked"] == 10 and every["ratings"] == 5 and every["visits"] == 4
    assert without_visits(summary.figures) == without_visits(
        selectors.figures_from_schemas(nation["central"], period)
    )
    summed = Counter()
    for committee in nation.values():
        summed.update(figures(committee, subtree=False))
    assert {column: summed[column] for column in COLUMNS} == summary.figures
    # Distinct youths served: two youths and the Guangdong cadre who asked.
    assert summary.youths == 3
    assert selectors.summary(nation["bj"], period).youths == 2


def _cells(model, committee: Committee, *, subtree: bool, key: str) -> Counter:
    found: Counter = Counter()
    rows = model.objects.filter(committee=committee, is_subtree=subtree)
    for day, category, value, count in rows.values_list("day", "category", key, "count"):
        found[(day, category, value)] += count
    return found


def test_each_subtree_is_itself_plus_its_childrens_subtrees(nation):
    for committee in nation.values():
        children = list(Committee.objects.filter(parent=committee))
        expected = Counter(figures(committee, subtree=False))
        for child in children:
            expected.update(figures(child, subtree=True))
        assert figures(committee, subtree=True) == {c: expected[c] for c in COLUMNS}, committee.code
        for model, key in ((ResponseTimes, "bucket"), (TopicCount, "term")):
            cells = _cells(model, committee, subtree=False, key=key)
            for child in children:
                cells.update(_cells(model, child, subtree=True, key=key))
            assert _cells(model, committee, subtree=True, key=key) == cells
    gd = figures(nation["gd"], subtree=True)
    assert (gd["asked"], gd["answered"], gd["visits"]) == (8, 5, 4)


def test_a_transferred_questions_copied_history_counts_once(nation):
    with schema_context("bj"):
        copied = Event.objects.filter(data__has_key="mirrored_from")
        # The asking and the transfer out were copied to Beijing...
        assert set(copied.values_list("kind", flat=True)) >= {
            "qa.asked",
            "qa.transferred_out",
            "qa.deflected",
        }
    with schema_context("gd"):
        # ...and Beijing's answer back to Guangdong.
        mirrored = Event.objects.filter(data__has_key="mirrored_from")
        assert set(mirrored.values_list("kind", flat=True)) >= {"qa.transferred_in", "qa.answered"}
    bj, gd = figures(nation["bj"], subtree=False), figures(nation["gd"], subtree=False)
    assert (bj["asked"], bj["transferred_out"], bj["transferred_in"]) == (1, 0, 1)
    assert (gd["answered"], gd["transferred_in"], gd["transferred_out"]) == (1, 0, 1)
    nation_figures = figures(nation["central"], subtree=True)
    assert (nation_figures["transferred_in"], nation_figures["transferred_out"]) == (1, 1)


def test_a_rebuild_gives_the_rows_shipping_gave(nation):
    shipped = every_figure()
    assert shipping.rebuild() > 0
    assert every_figure() == shipped
    assert shipping.ship_all() == 0
