"""A help case moved to another committee (转接) through the outbox: the receiving committee
handles it from the start, each of its steps shows on the origin's copy, the youths evaluate
it where it is handled, and the figures count each step once, where it happened."""

import pytest
from django_tenants.utils import schema_context

from core.errors import ServiceError
from core.models import Notification
from helpcases import collective, selectors, services
from helpcases.models import HelpCase
from ratings.models import Rating
from reporting import shipping
from tenants import outbox
from tests import factories
from tests.qa.helpers import alliance
from tests.reporting.helpers import figures

from .test_cases import kinds, submitted, through_to_report


def refused(code: str, call) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.code == code, caught.value
    return caught.value


def moved(tree):
    """A public case in Guangdong, with a co-signer, moved to Beijing (where its Beijing
    team takes it by rule)."""
    alliance("bj", tree["bj_cadre"], category="rights", name="北京青年权益服务站", kind="cadre")
    neighbour = factories.account(name="小红")
    with schema_context("gd"):
        case = submitted(tree, is_public=True, place="北京市海淀区")
        collective.join(case=case, youth=neighbour, details="我也在这家公司实习")
        services.transfer(case=case, actor=tree["gd_cadre"], to="bj", note="用人单位在北京")
    assert outbox.deliver() >= 1
    with schema_context("bj"):
        copy = HelpCase.objects.get(origin_committee="gd", origin_id=case.pk)
    return case, copy, neighbour


def test_the_receiver_handles_the_case_from_the_start_with_its_history(tree):
    case, copy, neighbour = moved(tree)
    with schema_context("bj"):
        assert kinds(copy) == [
            "help.received",
            "help.joined",
            "help.transferred_out",
            "help.transferred_in",
            "help.routed",
        ]
        assert (copy.state, copy.assignee_id, copy.youth_id, copy.contact) == (
            "received",
            tree["bj_cadre"].pk,
            tree["youth"].pk,
            case.contact,
        )
        assert copy.respond_by is not None and copy.resolve_by is not None
        assert list(copy.cosigners.values_list("youth_id", flat=True)) == [neighbour.pk]
        assert services.members(copy) == {tree["youth"].pk, neighbour.pk}
        assert selectors.queue(tree["bj_cadre"]).filter(pk=copy.pk).exists()
        # The history came with the case: it counts where it happened, not here.
        copied = copy.timeline.exclude(kind__in=["help.transferred_in", "help.routed"])
        assert all(event.data["mirrored_from"] == "gd" for event in copied)
    with schema_context("gd"):
        original = HelpCase.objects.get(pk=case.pk)
        assert (original.transferred_to, original.team_id, original.is_open) == ("bj", None, False)
        assert not selectors.queue(tree["gd_cadre"]).filter(pk=case.pk).exists()
        error = refused(
            "transferred", lambda: services.start_verifying(case=original, actor=tree["gd_cadre"])
        )
        assert error.status == 409 and "共青团北京市委" in str(error.message)
        refused("transferred", lambda: collective.join(case=original, youth=factories.account()))
    for youth in (tree["youth"], neighbour):
        told = Notification.objects.get(user=youth, kind="help_transferred")
        assert told.link.startswith("/help/")


def test_each_step_there_shows_here_and_the_youths_evaluate_it_there(tree):
    case, copy, neighbour = moved(tree)
    outbox.deliver()  # Beijing's own events (taken in, routed) come back to Guangdong
    with schema_context("bj"):
        through_to_report(copy, tree["bj_cadre"])
    outbox.deliver()
    with schema_context("gd"):
        original = HelpCase.objects.get(pk=case.pk)
        assert original.state == "reported" and original.reported_at is not None
        assert kinds(original)[-7:] == [
            "help.transferred_in",
            "help.routed",
            "help.verifying",
            "help.verified",
            "help.action",
            "help.resolved",
            "help.reported",
        ]
        assert original.timeline.get(kind="help.reported").data["mirrored_from"] == "bj"
        refused(
            "transferred",
            lambda: services.evaluate(
                case=original, youth=tree["youth"], stars=5, is_real=True, is_solved=True
            ),
        )
    with schema_context("bj"):
        for youth, stars in ((tree["youth"], 5), (neighbour, 4)):
            services.evaluate(case=copy, youth=youth, stars=stars, is_real=True, is_solved=True)
        assert sorted(Rating.objects.values_list("stars", flat=True)) == [4, 5]
    outbox.deliver()
    with schema_context("gd"):
        assert HelpCase.objects.get(pk=case.pk).state == "evaluated"
        assert not Rating.objects.exists()
        assert original.timeline.filter(kind="help.evaluated").count() == 2

    assert shipping.ship_all() > 0
    gd, bj = figures(tree.gd, subtree=False), figures(tree.bj, subtree=False)
    assert (gd["help_received"], gd["help_transferred_out"], gd["help_reported"]) == (1, 1, 0)
    assert (gd["help_closed"], gd["help_ratings"]) == (0, 0)
    assert (bj["help_received"], bj["help_transferred_in"], bj["help_reported"]) == (0, 1, 1)
    assert (bj["help_closed"], bj["help_effective"], bj["help_ratings"]) == (2, 2, 2)
    nation = figures(tree.central, subtree=True)
    assert (nation["help_received"], nation["help_reported"], nation["help_closed"]) == (1, 1, 2)


def test_a_case_passed_on_again_keeps_every_copy_in_step(tree):
    case, copy, _ = moved(tree)
    from .test_cases import organisation

    organisation("gd-gz", tree["gz_cadre"], name="广州青年法律援助中心")
    with schema_context("bj"):
        services.transfer(case=copy, actor=tree["bj_cadre"], to="gd-gz", note="在广州办理更快")
    outbox.deliver()
    with schema_context("gd_gz"):
        third = HelpCase.objects.get(origin_committee="bj", origin_id=copy.pk)
        assert third.assignee_id == tree["gz_cadre"].pk
        through_to_report(third, tree["gz_cadre"])
    outbox.deliver()
    outbox.deliver()  # Beijing passes Guangzhou's steps on to Guangdong
    for schema, pk in (("bj", copy.pk), ("gd", case.pk)):
        with schema_context(schema):
            passed = HelpCase.objects.get(pk=pk)
            assert passed.state == "reported", schema
            assert kinds(passed)[-1] == "help.reported"
            assert passed.timeline.filter(kind="help.reported").count() == 1
    with schema_context("gd"):
        # The youths follow it where it went; Guangdong's copy says where that is.
        assert HelpCase.objects.get(pk=case.pk).transferred_to == "bj"


def test_a_case_moves_only_while_open_single_and_never_back_or_twice(tree):
    case, copy, _ = moved(tree)
    with schema_context("bj"):
        for target, code in (
            ("gd", "invalid_committee"),
            ("bj", "invalid_committee"),
            ("nowhere", "invalid_committee"),
        ):
            error = refused(
                code, lambda t=target: services.transfer(case=copy, actor=tree["bj_cadre"], to=t)
            )
            assert error.field == "to"
        refused("forbidden", lambda: services.transfer(case=copy, actor=tree["youth"], to="gd-gz"))
    with schema_context("gd"):
        original = HelpCase.objects.get(pk=case.pk)
        error = refused(
            "transferred",
            lambda: services.transfer(case=original, actor=tree["gd_cadre"], to="gd-gz"),
        )
        assert "共青团北京市委" in str(error.message)
        closed = submitted(tree)
        services.verify(
            case=closed,
            actor=tree["gd_cadre"],
            method="call",
            verified_on=closed.created_at.date(),
            findings="电话核实，并非本人",
            verdict="not_genuine",
        )
        refused(
            "wrong_state",
            lambda: services.transfer(
                case=HelpCase.objects.get(pk=closed.pk), actor=tree["gd_cadre"], to="bj"
            ),
        )
        one, two = submitted(tree, is_public=True), submitted(tree, is_public=True)
        demand = collective.group(cases=[one, two], actor=tree["gd_cadre"])
        refused(
            "collective",
            lambda: services.transfer(case=demand, actor=tree["gd_cadre"], to="bj"),
        )
        # A case grouped into the demand follows it: it is not handled on its own.
        refused(
            "wrong_state",
            lambda: services.transfer(
                case=HelpCase.objects.get(pk=one.pk), actor=tree["gd_cadre"], to="bj"
            ),
        )
    assert outbox.deliver() == 0
    with schema_context("bj"):
        assert HelpCase.objects.count() == 1
