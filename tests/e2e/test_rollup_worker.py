"""A question asked, answered and rated on a city's portal reaches the city's, the province's
and the nation's figures through a real Celery worker running the shipping task."""

import pytest
from django_tenants.utils import schema_context

from qa.models import Question
from reporting.models import DailyFigures
from reporting.tasks import ship_figures
from tenants import services
from tests import factories
from tests.e2e.test_celery_worker import worker  # noqa: F401 - the worker fixture
from tests.e2e.test_question_loop import eventually


@pytest.mark.slow
def test_a_rated_answer_in_guangzhou_shows_up_to_the_nation(committed_tree, api, worker):  # noqa: F811
    gz = factories.committee("gd-gz", level="city", parent=committed_tree["gd"])
    try:
        cadre, youth = factories.staff(gz, "cadre"), factories.account(name="小青")
        asked = api("gd-gz", youth).post(
            "/api/v1/questions/",
            {"title": "应届生找工作被要求交培训费正常吗", "body": "", "category": "career"},
            format="json",
        )
        assert asked.status_code == 201, asked.content
        pk = asked.json()["id"]
        answered = api("gd-gz", cadre).post(
            f"/api/v1/questions/{pk}/answers/", {"body": "不正常，请拒绝。"}, format="json"
        )
        assert answered.status_code == 200, answered.content
        youth_api = api("gd-gz", youth)
        assert youth_api.post(f"/api/v1/questions/{pk}/solve/").status_code == 200
        rated = youth_api.post(f"/api/v1/questions/{pk}/rating/", {"stars": 5}, format="json")
        assert rated.status_code == 200, rated.content

        ship_figures.delay()

        def shipped():
            cells = DailyFigures.objects.filter(category="career", ratings=1, answered=1)
            return set(cells.values_list("committee__code", "is_subtree")) == {
                ("gd-gz", False),
                ("gd-gz", True),
                ("gd", True),
                ("central", True),
            }

        eventually(shipped, "ship the figures", worker)
        with schema_context("gd_gz"):
            assert not Question.objects.get(pk=pk).timeline.filter(shipped_at=None).exists()
        admin = factories.staff(committed_tree["central"], "admin")
        nation = api(None, admin).get("/api/v1/reports/overview/").json()["totals"]
        assert nation["figures"]["answered_by_league"] == 1 and nation["rating_mean"] == 5.0
        gd = api(None, admin).get("/api/v1/reports/overview/", {"node": "gd"}).json()
        assert [row["code"] for row in gd["ranking"]] == ["gd-gz"]
        assert gd["ranking"][0]["figures"]["ratings"] == 1
    finally:
        services.remove_committee(committee=gz)
