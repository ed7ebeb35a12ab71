"""Help cases through their services: received → verified → coordinated → resolved → reported
back → evaluated, on casework's routing, deadlines and supervision."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_tenants.utils import schema_context

from casework import supervision
from casework.models import SupervisionItem, Team
from core.errors import ServiceError
from core.models import Notification
from helpcases import collective, services
from helpcases.models import Evaluation, HelpCase
from qa import services as questions
from ratings.models import Rating
from tenants import outbox
from tests import factories
from tests.qa.helpers import alliance

CST = ZoneInfo("Asia/Shanghai")
TUESDAY = datetime(2026, 6, 2, 10, 0, tzinfo=CST)
PHONE = "13812345678"


def organisation(code: str, *members, name="青年法律援助中心", listed=True) -> Team:
    team = alliance(code, *members, category="rights", name=name, kind="organisation")
    with schema_context(code.replace("-", "_")):
        Team.objects.filter(pk=team.pk).update(
            kind="organisation", sector="social", is_listed=listed, categories=["rights"]
        )
        team.refresh_from_db()
    return team


def submitted(tree, **extra) -> HelpCase:
    fields = {
        "youth": tree["youth"],
        "title": "老板拖欠三个月工资怎么办",
        "body": f"我的电话{PHONE}，公司在天河区",
        "category": "rights",
        "contact": PHONE,
        **extra,
    }
    return services.submit(**fields)


def kinds(case: HelpCase) -> list[str]:
    return list(HelpCase.objects.get(pk=case.pk).timeline.values_list("kind", flat=True))


def verified(case, staff, verdict="genuine"):
    return services.verify(
        case=case,
        actor=staff,
        method="call",
        verified_on=date(2026, 6, 2),
        findings="电话核实，情况属实",
        verdict=verdict,
    )


def through_to_report(case, staff) -> HelpCase:
    services.start_verifying(case=case, actor=staff)
    verified(case, staff)
    services.plan_action(case=case, actor=staff, description="联系劳动监察大队")
    services.resolve(case=case, actor=staff, is_resolved=True)
    return services.report_back(case=case, actor=staff, report="已协调发放拖欠工资")


def test_a_case_designating_an_organisation_goes_to_it_with_working_day_deadlines(tree):
    org = organisation("gd", tree["gd_org"])
    with time_machine.travel(TUESDAY, tick=False), schema_context("gd"):
        case = submitted(tree, designated=org.pk)
        assert (case.state, case.team_id, case.assignee_id) == (
            "received",
            org.pk,
            tree["gd_org"].pk,
        )
        # Rights: first response within a working day, resolution within seven.
        assert case.respond_by == datetime(2026, 6, 3, 10, 0, tzinfo=CST)
        assert case.resolve_by == datetime(2026, 6, 11, 10, 0, tzinfo=CST)
        assert kinds(case) == ["help.received", "help.routed"]
    assert Notification.objects.filter(user=tree["gd_org"], kind="help_assigned").exists()


def test_only_listed_organisations_may_be_designated_and_bad_input_is_refused(tree):
    hidden = organisation("gd", tree["gd_org"], listed=False)
    with schema_context("gd"):
        for fields, field in [
            ({"designated": hidden.pk}, "designated"),
            ({"title": " "}, "title"),
            ({"category": "nope"}, "category"),
            ({"needed_by": date(2020, 1, 1)}, "needed_by"),
            ({"title": "长" * 101}, "title"),
        ]:
            with pytest.raises(ServiceError) as refused:
                submitted(tree, **fields)
            assert refused.value.field == field
        assert not HelpCase.objects.exists()


def test_a_sensitive_term_holds_the_case_for_review(tree):
    with schema_context("gd"):
        case = submitted(tree, title="哪里能办假证")
        assert case.state == "pending_review" and case.team_id is None
        services.release(case=case, actor=tree["gd_cadre"])
        assert HelpCase.objects.get(pk=case.pk).state == "received"


def test_verification_decides_where_the_case_goes(tree):
    with schema_context("gd"):
        genuine, fake, unclear = submitted(tree), submitted(tree), submitted(tree)
        verified(genuine, tree["gd_cadre"])
        verified(fake, tree["gd_cadre"], "not_genuine")
        verified(unclear, tree["gd_cadre"], "needs_more")
        states = {c.pk: HelpCase.objects.get(pk=c.pk).state for c in (genuine, fake, unclear)}
        assert states == {genuine.pk: "coordinating", fake.pk: "closed", unclear.pk: "verifying"}
        with pytest.raises(ServiceError) as outsider:
            verified(unclear, tree["youth"])
        assert outsider.value.status == 403
        with pytest.raises(ServiceError) as late:
            services.report_back(case=genuine, actor=tree["gd_cadre"], report="x")
        assert late.value.status == 409


def test_an_unsatisfied_evaluation_reopens_once_then_the_final_word_is_the_rating(tree):
    with schema_context("gd"):
        case = through_to_report(submitted(tree), tree["gd_cadre"])
        services.evaluate(
            case=case, youth=tree["youth"], stars=2, is_real=True, is_solved=False, next="reopen"
        )
        case.refresh_from_db()
        assert (case.state, case.round) == ("coordinating", 2)
        assert not Rating.objects.exists()  # not the youth's last word yet
        services.resolve(case=case, actor=tree["gd_cadre"], is_resolved=True)
        services.report_back(case=case, actor=tree["gd_cadre"], report="工资已全部到账")
        with pytest.raises(ServiceError) as again:
            services.evaluate(
                case=case,
                youth=tree["youth"],
                stars=1,
                is_real=False,
                is_solved=False,
                next="reopen",
            )
        assert again.value.code == "once_only"
        services.evaluate(case=case, youth=tree["youth"], stars=5, is_real=True, is_solved=True)
        assert HelpCase.objects.get(pk=case.pk).state == "evaluated"
        assert Rating.objects.get().stars == 5
        evaluated = case.timeline.filter(kind="help.evaluated").order_by("id")
        assert [e.data["final"] for e in evaluated] == [False, True]
        with pytest.raises(ServiceError) as twice:
            services.evaluate(case=case, youth=tree["youth"], stars=5, is_real=True, is_solved=True)
        assert twice.value.code == "already_evaluated"


def test_an_unsatisfied_youth_may_take_the_case_to_the_committee_above(tree):
    with schema_context("gd_gz"):
        case = through_to_report(submitted(tree), tree["gz_cadre"])
        services.evaluate(
            case=case, youth=tree["youth"], stars=1, is_real=False, is_solved=False, next="escalate"
        )
        assert HelpCase.objects.get(pk=case.pk).state == "coordinating"
    outbox.deliver()
    with schema_context("gd"):
        item = SupervisionItem.objects.get()
        assert (item.committee_code, item.subject_type, item.subject_id) == (
            "gd-gz",
            "helpcases.helpcase",
            case.pk,
        )
        assert PHONE not in item.title
    with schema_context("gd_gz"):
        services.resolve(case=case, actor=tree["gz_cadre"], is_resolved=True)
    outbox.deliver()
    with schema_context("gd"):
        assert SupervisionItem.objects.get().resolved_at is not None


def test_a_help_case_past_its_deadline_goes_on_the_parents_board_like_a_question(tree):
    with time_machine.travel(TUESDAY, tick=False), schema_context("gd_gz"):
        case = submitted(tree)
    with time_machine.travel(datetime(2026, 6, 11, 10, 1, tzinfo=CST), tick=False):
        with schema_context("gd_gz"):
            assert supervision.sweep()["escalated"] == 1
            assert "help.escalated" in kinds(case)
        outbox.deliver()
    with schema_context("gd"):
        assert SupervisionItem.objects.get().subject_type == "helpcases.helpcase"


def test_a_question_that_needs_offline_help_becomes_a_case_keeping_its_thread(tree):
    with schema_context("gd"):
        question = questions.ask_question(
            asker=tree["youth"], title="被房东扣押金不退怎么办", category="rights"
        )
        case = services.from_question(question=question, actor=tree["gd_cadre"])
        assert (case.youth_id, case.title, case.question_id) == (
            tree["youth"].pk,
            question.title,
            question.pk,
        )
        question.refresh_from_db()
        assert question.state == "closed"
        handed = question.timeline.get(kind="qa.handed_off")
        assert handed.data["help_case"] == case.pk and handed.data["link"] == f"/help/{case.pk}/"
        with pytest.raises(ServiceError):
            services.from_question(question=question, actor=tree["gd_cadre"])  # not open now


# ---------------------------------------------------------------- collective demands


def test_a_collective_demand_of_3_cases_and_50_cosigners_is_resolved_once_for_53(tree):
    staff = tree["gd_cadre"]
    with schema_context("gd"):
        youths = [tree["youth"], factories.account(), factories.account()]
        cases = [submitted(tree, youth=y, is_public=True) for y in youths]
        cosigners = [factories.account() for _ in range(50)]
        for n, youth in enumerate(cosigners):
            collective.join(case=cases[n % 3], youth=youth, details="我也被拖欠工资")
        with pytest.raises(ServiceError):
            collective.join(case=cases[0], youth=cosigners[0])  # once
        demand = collective.group(actor=staff, cases=cases, title="某电子厂拖欠工资")
        assert services.size(demand) == 53
        assert {c.state for c in HelpCase.objects.filter(pk__in=[c.pk for c in cases])} == {
            "grouped"
        }
        Notification.objects.all().delete()
        through_to_report(demand, staff)
        told = Notification.objects.filter(kind="help_reported")
        assert told.count() == 53
        assert set(told.values_list("user_id", flat=True)) == {u.pk for u in youths + cosigners}
        for youth in youths + cosigners:
            services.evaluate(case=demand, youth=youth, stars=4, is_real=True, is_solved=True)
        assert Evaluation.objects.filter(case=demand).count() == 53
        assert Rating.objects.filter(subject_id=demand.pk).count() == 53
        with pytest.raises(ServiceError):
            services.evaluate(
                case=demand, youth=cosigners[0], stars=4, is_real=True, is_solved=True
            )
        assert demand.timeline.filter(kind="help.reported").count() == 1


def test_grouping_needs_open_cases_on_their_own(tree):
    with schema_context("gd"):
        first, second = submitted(tree), submitted(tree)
        with pytest.raises(ServiceError):
            collective.group(actor=tree["gd_cadre"], cases=[first])
        collective.group(actor=tree["gd_cadre"], cases=[first, second])
        with pytest.raises(ServiceError) as again:
            collective.group(actor=tree["gd_cadre"], cases=[first, submitted(tree)])
        assert again.value.code == "not_groupable"
        with pytest.raises(ServiceError) as outsider:
            collective.group(actor=tree["youth"], cases=[submitted(tree), submitted(tree)])
        assert outsider.value.status == 403


def test_a_case_staff_responded_to_is_not_flagged_overdue_for_its_first_response(tree):
    with time_machine.travel(TUESDAY, tick=False), schema_context("gd"):
        taken, waiting = submitted(tree), submitted(tree)
        services.start_verifying(case=taken, actor=tree["gd_cadre"])
    later = datetime(2026, 6, 3, 11, tzinfo=CST)  # past the first-response deadline
    with time_machine.travel(later, tick=False), schema_context("gd"):
        assert supervision.sweep()["overdue"] == 1
        assert HelpCase.objects.get(pk=taken.pk).overdue_at is None
        assert HelpCase.objects.get(pk=waiting.pk).overdue_at is not None


def test_in_a_collective_demand_a_members_final_word_stands_when_another_reopens(tree):
    staff = tree["gd_cadre"]
    with schema_context("gd"):
        first, second = submitted(tree, is_public=True), submitted(tree, youth=factories.account())
        demand = collective.group(actor=staff, cases=[first, second])
        through_to_report(demand, staff)
        services.evaluate(case=demand, youth=first.youth, stars=5, is_real=True, is_solved=True)
        services.evaluate(
            case=demand, youth=second.youth, stars=1, is_real=True, is_solved=False, next="reopen"
        )
        services.resolve(case=demand, actor=staff, is_resolved=True)
        services.report_back(case=demand, actor=staff, report="第二轮已解决")
        with pytest.raises(ServiceError) as again:
            services.evaluate(case=demand, youth=first.youth, stars=5, is_real=True, is_solved=True)
        assert again.value.code == "already_evaluated"
        services.evaluate(case=demand, youth=second.youth, stars=4, is_real=True, is_solved=True)
        finals = demand.timeline.filter(kind="help.evaluated", data__final=True)
        assert finals.count() == 2  # one closed case per youth in the figures
