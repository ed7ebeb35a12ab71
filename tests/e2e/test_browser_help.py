"""A help case in the browser at 390×844 in zh-hans: a youth asks an organisation for help and
follows the case; the organisation's staff verify it offline, coordinate, resolve and report
back from the workbench; the youth evaluates the help."""

from datetime import date
from urllib.parse import urlparse

import pytest
from django.utils import translation
from django_tenants.utils import schema_context

from casework.models import Member, Team
from helpcases.models import HelpCase
from tests import factories
from tests.e2e.test_browser import page, sign_in  # noqa: F401 - the Chromium page fixture

NEED = "公司拖欠三个月工资不发怎么办"
DETAILS = "在天河区一家电子厂上班，老板说资金紧张，已经三个月没发工资了。"


def _state(state: str) -> str:
    with translation.override("zh-hans"):
        return str(HelpCase.State(state).label)


def _log_out(tab, portal: str) -> None:
    tab.click("[data-testid=logout]")
    tab.wait_for_url(f"{portal}/")


@pytest.mark.slow
@pytest.mark.browser
def test_a_youth_asks_an_organisation_and_follows_the_case_to_its_evaluation(
    committed_tree,
    live_server,
    page,  # noqa: F811
):
    staff = factories.staff(committed_tree["gd"], "org_member")
    with schema_context("gd"):
        org = Team.objects.create(
            name="青年法律援助中心",
            kind="organisation",
            sector="social",
            is_listed=True,
            categories=["rights"],
            description="免费劳动争议咨询与代理",
        )
        Member.objects.create(team=org, user=staff, kind="organisation", organisation=org.name)
    youth = factories.account(name="小青")
    portal = f"http://gd.localhost:{urlparse(live_server.url).port}"

    # The youth finds the organisation on the help page and asks it.
    sign_in(page, portal, youth, "/help/")
    page.click("text=向该组织求助")
    page.wait_for_url(f"{portal}/help/new/?to={org.pk}")
    page.fill("input[name=title]", NEED)
    page.fill("textarea[name=body]", DETAILS)
    page.select_option("select[name=category]", "rights")
    assert page.input_value("select[name=designated]") == str(org.pk)
    page.click("[data-testid=send-help]")
    page.wait_for_selector("[data-testid=case-title]")
    assert page.inner_text("[data-testid=case-title]") == NEED
    assert page.inner_text("[data-testid=case-state]") == _state("received")
    with schema_context("gd"):
        case = HelpCase.objects.get()
    assert (case.designated_id, case.team_id, case.assignee_id) == (org.pk, org.pk, staff.pk)
    steps = page.inner_text("[data-testid=steps]")
    assert "青年法律援助中心" in steps  # passed to the organisation
    _log_out(page, portal)

    # The organisation's staff verify it offline, coordinate and resolve it, and report back.
    sign_in(page, portal, staff, "/workbench/help/")
    page.click(f"[data-testid=help-queue] a:has-text('{NEED}')")
    page.wait_for_url(f"{portal}/workbench/help/{case.pk}/")
    page.click("[data-testid=start-verifying]")
    page.wait_for_selector(f"[data-testid=case-state]:text-is('{_state('verifying')}')")
    form = page.locator("[data-testid=verify-form]")
    form.locator("select[name=method]").select_option("visit")
    form.locator("input[name=verified_on]").fill(date.today().isoformat())
    form.locator("textarea[name=findings]").fill("走访工厂，工资条与考勤记录属实")
    form.locator("select[name=verdict]").select_option("genuine")
    page.click("[data-testid=verify]")
    page.wait_for_selector(f"[data-testid=case-state]:text-is('{_state('coordinating')}')")
    page.fill("[data-testid=plan-form] input[name=description]", "陪同青年到劳动监察大队投诉")
    page.click("[data-testid=plan]")
    page.wait_for_selector("[data-testid=actions]")
    page.check("[data-testid=resolve-form] input[value=yes]")
    page.click("[data-testid=resolve]")
    page.wait_for_selector(f"[data-testid=case-state]:text-is('{_state('resolved')}')")
    page.fill("[data-testid=report-form] textarea[name=report]", "劳动监察大队已责令工厂补发工资")
    page.click("[data-testid=report]")
    page.wait_for_selector(f"[data-testid=case-state]:text-is('{_state('reported')}')")
    _log_out(page, portal)

    # The youth reads the result on the case's page and evaluates the help.
    sign_in(page, portal, youth, f"/help/{case.pk}/")
    assert "劳动监察大队已责令工厂补发工资" in page.inner_text("[data-testid=report]")
    steps = page.inner_text("[data-testid=steps]")
    assert "走访" not in steps  # the findings stay with the staff; the verdict is shown
    evaluation = page.locator("[data-testid=evaluate]")
    evaluation.locator("input[name=stars][value='5']").check()
    evaluation.locator("input[name=is_real][value=yes]").check()
    evaluation.locator("input[name=is_solved][value=yes]").check()
    page.click("[data-testid=send-evaluation]")
    page.wait_for_selector(f"[data-testid=case-state]:text-is('{_state('evaluated')}')")
    assert not page.locator("[data-testid=evaluate]").count()
    with schema_context("gd"):
        evaluated = HelpCase.objects.get().evaluations.get()
    assert (evaluated.stars, evaluated.is_real, evaluated.is_solved) == (5, True, True)
    # Nothing on the pages walked is left in English.
    assert "Evaluate" not in page.content()
