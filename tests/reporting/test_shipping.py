"""Shipping timeline events into the central figures: own and subtree cells, exactly once."""

import pytest
from django_tenants.utils import schema_context

from reporting import shipping
from reporting.models import ResponseTimes, ServedYouth, TopicCount
from timeline.models import Event

from .helpers import answer, ask, figures, schema, snapshot, solve_and_rate


def test_a_city_question_counts_for_the_city_its_province_and_the_nation(tree):
    question = ask("gd-gz", tree["youth"])
    answer("gd-gz", question, tree["gz_cadre"])
    solve_and_rate("gd-gz", question, tree["youth"], stars=5)

    assert shipping.ship_all() == 4  # asked, answered, solved, rated

    own = figures(tree.gz, subtree=False)
    assert own["asked"] == own["answered"] == own["answered_by_league"] == own["solved"] == 1
    assert (own["ratings"], own["rating_stars"], own["ratings_high"]) == (1, 5, 1)
    for node in (tree.gz, tree.gd, tree.central):
        assert figures(node, subtree=True) == own
    assert figures(tree.gd, subtree=False)["asked"] == 0
    assert figures(tree.bj, subtree=True)["asked"] == 0
    assert ServedYouth.objects.filter(user_id=tree["youth"].pk, committee=tree.gz).count() == 1
    assert ResponseTimes.objects.filter(committee=tree.central, is_subtree=True).count() == 1
    terms = set(TopicCount.objects.filter(committee=tree.gz).values_list("term", flat=True))
    assert {"应届生", "培训费"} <= terms and "怎么" not in terms


def test_shipping_again_counts_nothing_twice(tree):
    ask("gd", tree["youth"])
    shipping.ship_all()
    before = snapshot()
    assert shipping.ship_all() == 0
    assert snapshot() == before
    with schema_context(schema("gd")):
        assert not Event.objects.filter(shipped_at=None).exists()


def test_a_rebuild_gives_the_numbers_shipping_gave(tree):
    for code, answerer in (("gd", tree["gd_cadre"]), ("gd-gz", tree["gz_cadre"])):
        for stars in (3, 5):
            question = ask(code, tree["youth"])
            answer(code, question, answerer)
            solve_and_rate(code, question, tree["youth"], stars=stars)
    ask("bj", tree["youth"])
    shipping.ship_all()
    shipped = snapshot()
    assert shipping.rebuild() > 0
    assert snapshot() == shipped
    assert figures(tree.central, subtree=True)["asked"] == 5


def test_one_batch_of_visits_to_several_committees_adds_up_in_their_shared_cells(tree, web):
    for code in ("gd", "gd-gz"):
        question = ask(code, tree["youth"])  # the asker sees it before it is routed
        assert web(code, tree["youth"]).get(f"/questions/{question.pk}/").status_code == 200
    assert shipping.ship_visits() == 2
    assert figures(tree.central, subtree=True)["visits"] == 2
    assert figures(tree.gd, subtree=True)["visits"] == 2
    assert figures(tree.gd, subtree=False)["visits"] == 1


def test_a_rebuild_that_stops_half_way_changes_nothing(tree, monkeypatch):
    for code in ("gd", "gd-gz", "bj"):
        ask(code, tree["youth"])
    shipping.ship_all()
    shipped = snapshot()
    recount, seen = shipping._recount, []

    def fails_on_the_third(committee):
        seen.append(committee.code)
        if len(seen) == 3:
            raise RuntimeError("the worker was stopped")
        return recount(committee)

    monkeypatch.setattr(shipping, "_recount", fails_on_the_third)
    with pytest.raises(RuntimeError):
        shipping.rebuild()
    assert len(seen) == 3 and snapshot() == shipped
    monkeypatch.setattr(shipping, "_recount", recount)
    ask("bj", tree["youth"])
    assert shipping.ship_all() == 1  # batches run again once the rebuild is gone
    assert shipping.rebuild() == 4
    assert figures(tree.central, subtree=True)["asked"] == 4
