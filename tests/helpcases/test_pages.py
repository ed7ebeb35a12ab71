"""The help-case pages a person uses to move a case to another committee: the staff's
handling page, and the youth's case page here and where it went."""

from django_tenants.utils import schema_context

from helpcases.models import HelpCase
from tenants import outbox

from .test_cases import submitted


def test_staff_transfer_a_case_from_its_page_and_the_youth_is_sent_where_it_went(tree, web):
    with schema_context("gd"):
        case = submitted(tree)
    cadre = web("gd", tree["gd_cadre"])
    page = cadre.get(f"/workbench/help/{case.pk}/").content.decode()
    assert 'data-testid="transfer"' in page and "共青团北京市委" in page  # the picker's tree

    wrong = cadre.post(
        f"/workbench/help/{case.pk}/", {"action": "transfer", "to": "nowhere"}, follow=True
    )
    assert wrong.status_code == 200 and "请选择另一个" in wrong.content.decode()
    outsider = web("bj", tree["bj_cadre"]).post(
        f"/workbench/help/{case.pk}/", {"action": "transfer", "to": "bj"}
    )
    assert outsider.status_code == 404
    assert (
        web("gd")
        .post(f"/workbench/help/{case.pk}/", {"action": "transfer", "to": "bj"})["Location"]
        .startswith("/accounts/login/")
    )
    assert (
        web("gd", tree["gd_expert"])
        .post(f"/workbench/help/{case.pk}/", {"action": "transfer", "to": "bj"}, follow=True)
        .status_code
        == 200
    )
    with schema_context("gd"):
        assert HelpCase.objects.get(pk=case.pk).transferred_to == ""  # none of them moved it

    moved = cadre.post(
        f"/workbench/help/{case.pk}/",
        {"action": "transfer", "to": "bj", "note": "用人单位在北京"},
        follow=True,
    )
    handled = moved.content.decode()
    assert 'data-testid="transferred-to">共青团北京市委<' in handled
    assert (
        'data-testid="transfer"' not in handled and 'data-testid="start-verifying"' not in handled
    )

    mine = web("gd", tree["youth"]).get(f"/help/{case.pk}/").content.decode()
    assert "已转接至共青团北京市委，由对方办理。" in mine
    assert 'href="http://bj.localhost/help/mine/"' in mine
    outbox.deliver()
    with schema_context("bj"):
        copy = HelpCase.objects.get(origin_committee="gd", origin_id=case.pk)
    there = web("bj", tree["youth"]).get("/help/mine/").content.decode()
    assert f'href="/help/{copy.pk}/"' in there
    received = web("bj", tree["bj_cadre"]).get(f"/workbench/help/{copy.pk}/").content.decode()
    assert "共青团广东省委" in received and 'data-testid="start-verifying"' in received
