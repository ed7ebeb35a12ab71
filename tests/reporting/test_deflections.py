"""Answers taken instead of asking (deflections) in the central figures: shipped once into
their column for the committee, its province and the nation, equal to the schemas' count, kept
by a rebuild, and shown as the deflection rate deflected ÷ (deflected + asked) with the count
on the console and in its API."""

import pytest
from django_tenants.utils import schema_context

from qa import services
from reporting import selectors, shipping
from reporting.selectors import Summary

from .helpers import answer, around_today, ask, figures, schema, snapshot, without_visits


def _take(code: str, question, youth=None) -> None:
    with schema_context(schema(code)):
        services.take_existing_answer(question=question, youth=youth)


@pytest.fixture
def deflections(tree):
    """Guangzhou: three questions asked, one answered and taken by three youths (one of them
    twice, counted once) and one visitor; Beijing: one question asked, nothing taken."""
    answered = ask("gd-gz", tree["youth"])
    answer("gd-gz", answered, tree["gz_cadre"])
    ask("gd-gz", tree["youth"], title="考研复试怎么准备")
    ask("gd-gz", tree["gd_org"], title="团员证丢了怎么补办")
    for youth in (tree["gd_org"], tree["gd_expert"], tree["gd_expert"], tree["bj_cadre"], None):
        _take("gd-gz", answered, youth)
    ask("bj", tree["youth"], category="study")
    assert shipping.ship_all() > 0
    return tree


def test_deflections_ship_into_their_column_for_every_level(deflections):
    tree = deflections
    for node, subtree in ((tree.gz, False), (tree.gz, True), (tree.gd, True), (tree.central, True)):
        assert figures(node, subtree=subtree)["deflected"] == 4, (node.code, subtree)
    assert figures(tree.gd, subtree=False)["deflected"] == 0
    assert figures(tree.bj, subtree=True)["deflected"] == 0
    assert shipping.ship_all() == 0  # nothing counted twice


def test_the_figures_equal_the_schemas_count(deflections):
    tree = deflections
    for node in (tree.gz, tree.gd, tree.central, tree.bj):
        shipped = without_visits(figures(node, subtree=True))
        assert shipped == without_visits(selectors.figures_from_schemas(node, around_today()))


def test_a_rebuild_keeps_the_deflections(deflections):
    before = snapshot()
    shipping.rebuild()
    assert snapshot() == before
    assert figures(deflections.central, subtree=True)["deflected"] == 4


def test_the_rate_is_deflected_over_deflected_and_asked(deflections):
    tree = deflections
    period = around_today()
    assert selectors.summary(tree.gz, period).deflection_rate == 4 / (4 + 3)
    assert selectors.summary(tree.central, period).deflection_rate == 4 / (4 + 4)
    assert selectors.summary(tree.bj, period).deflection_rate == 0.0
    nothing = Summary(committee=tree.bj, figures={"deflected": 0, "asked": 0})
    assert nothing.deflection_rate is None


def test_the_console_api_gives_the_rate_and_the_count(deflections, api):
    client = api(None, deflections["central_admin"])
    body = client.get("/api/v1/reports/overview/").json()
    assert body["totals"]["figures"]["deflected"] == 4
    assert body["totals"]["deflection_rate"] == 0.5
    ranked = {row["code"]: row for row in body["ranking"]}
    assert ranked["gd"]["deflection_rate"] == round(4 / 7, 2)
    assert ranked["bj"]["deflection_rate"] == 0.0
    by_rate = client.get("/api/v1/reports/ranking/", {"sort": "deflection_rate"}).json()
    assert [row["code"] for row in by_rate["results"]] == ["gd", "bj"]


def test_the_console_shows_the_rate_where_the_other_rates_are(deflections, web):
    page = web(None, deflections["central_admin"]).get("/reports/").content.decode()
    assert 'data-testid="deflection-rate">50%' in page
    assert "已有答复解决率（采用 4 次）" in page
    assert "<th><a" in page and "已有答复解决率</a>" in page  # a column of the ranking
    portal = web("gd", deflections["gd_admin"]).get("/reports/").content.decode()
    assert 'data-testid="deflection-rate">57%' in portal


def test_the_exports_carry_the_deflections(deflections, web):
    exported = (
        web(None, deflections["central_admin"])
        .get("/reports/export/ranking.csv")
        .content.decode("utf-8-sig")
    )
    header, first = exported.splitlines()[:2]
    assert "采用已有答复" in header and "已有答复解决率" in header
    columns = header.split(",")
    row = dict(zip(columns, first.split(","), strict=True))
    assert (row["采用已有答复"], row["已有答复解决率"]) == ("4", "0.57")
