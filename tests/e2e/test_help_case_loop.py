"""A help case end to end over the API on a city's portal, with a real Celery worker doing
what happens after the requests (shipping the figures): submitted designating an
organisation, verified, coordinated, resolved, reported back, evaluated unsatisfied and
reopened, resolved again and evaluated satisfied; its figures reach the city, the province
and the nation, and the influence index's help term is no longer zero."""

from datetime import date

import pytest
from django_tenants.utils import schema_context

from casework.models import Member, Team
from helpcases.models import HelpCase
from reporting.models import DailyFigures
from reporting.tasks import ship_figures
from tenants import services
from tests import factories
from tests.e2e.test_celery_worker import worker  # noqa: F401 - the worker fixture
from tests.e2e.test_question_loop import eventually


def step(client, pk: int, name: str, **data) -> dict:
    response = client.post(f"/api/v1/help-cases/{pk}/{name}/", data, format="json")
    assert response.status_code == 200, (name, response.content)
    return response.json()


@pytest.mark.slow
def test_a_help_case_in_guangzhou_reaches_the_nations_figures(committed_tree, api, worker):  # noqa: F811
    gz = factories.committee("gd-gz", level="city", parent=committed_tree["gd"])
    try:
        staff, youth = factories.staff(gz, "org_member"), factories.account(name="小青")
        with schema_context("gd_gz"):
            org = Team.objects.create(
                name="广州青年法律援助中心",
                kind="organisation",
                sector="league",
                is_listed=True,
                categories=["rights"],
            )
            Member.objects.create(team=org, user=staff, kind="organisation")
        listed = api("gd-gz", None).get("/api/v1/organisations/").json()["results"]
        assert [o["id"] for o in listed] == [org.pk]
        asked = api("gd-gz", youth).post(
            "/api/v1/help-cases/",
            {
                "title": "公司拖欠三个月工资不发",
                "body": "在番禺一家工厂上班",
                "category": "rights",
                "designated": org.pk,
                "contact": "13812345678",
            },
            format="json",
        )
        assert asked.status_code == 201, asked.content
        pk = asked.json()["id"]
        handler, asker = api("gd-gz", staff), api("gd-gz", youth)
        today = date.today().isoformat()

        step(handler, pk, "start")
        found = "电话核实，工资条属实"
        step(
            handler,
            pk,
            "verify",
            method="call",
            verified_on=today,
            findings=found,
            verdict="genuine",
        )
        step(handler, pk, "actions", description="陪同到劳动监察大队投诉", organisation=org.pk)
        step(handler, pk, "resolve", is_resolved=True)
        step(handler, pk, "report", report="已责令补发一个月工资")
        reopened = step(
            asker, pk, "evaluate", stars=2, is_real=True, is_solved=False, next="reopen"
        )
        assert reopened["state"] == "coordinating"
        step(handler, pk, "resolve", is_resolved=True)
        step(handler, pk, "report", report="三个月工资已全部补发")
        final = step(asker, pk, "evaluate", stars=5, is_real=True, is_solved=True)
        assert final["state"] == "evaluated"
        with schema_context("gd_gz"):
            kinds = list(HelpCase.objects.get(pk=pk).timeline.values_list("kind", flat=True))
        assert kinds.count("help.reported") == 2 and kinds.count("help.reopened") == 1

        ship_figures.delay()

        def shipped():
            cells = DailyFigures.objects.filter(
                category="rights", help_received=1, help_effective=1, help_closed=1
            )
            return set(cells.values_list("committee__code", "is_subtree")) == {
                ("gd-gz", False),
                ("gd-gz", True),
                ("gd", True),
                ("central", True),
            }

        eventually(shipped, "ship the help case's figures", worker)
        admin = factories.staff(committed_tree["central"], "admin")
        nation = api(None, admin).get("/api/v1/reports/overview/").json()["totals"]
        assert nation["figures"]["help_reported"] == 1  # the first report back counts
        assert nation["figures"]["help_ratings"] == 1
        assert nation["figures"]["help_by_league_orgs"] == 1  # a League organisation handled it
        assert nation["index"]["terms"]["help"] > 0
        gd = api(None, admin).get("/api/v1/reports/overview/", {"node": "gd"}).json()
        assert gd["ranking"][0]["figures"]["help_effective"] == 1
    finally:
        services.remove_committee(committee=gz)
