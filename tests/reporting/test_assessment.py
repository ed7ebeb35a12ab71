"""The assessment (考核): periods, each indicator fed by its domain's events, the ranking with
samples and trend, standards by version and by province, and the report as files."""

import io
import subprocess
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

import timeline
from franchise import assessing
from franchise.models import AssessmentStandard
from franchise.standards import ASSESSMENT_STANDARD
from qa.models import Question
from reporting import assessment, assessment_files, shipping
from reporting.assessment import Term
from tests import factories
from tests.reporting.helpers import answer, ask, rated_answer


def test_periods():
    assert Term.parse("2026-11") == Term(date(2026, 11, 1), date(2026, 11, 30), "2026-11")
    assert Term.parse("2026-q4") == Term(date(2026, 10, 1), date(2026, 12, 31), "2026-Q4")
    assert Term.parse("2026").end == date(2026, 12, 31)
    assert Term.parse("2026-01").previous().code == "2025-12"
    assert Term.parse("2026-Q1").previous().code == "2025-Q4"
    assert Term.parse("2026").previous().code == "2025"
    assert Term.last_month(date(2026, 3, 31)).code == "2026-02"
    for bad in ("2026-13", "26-1", "2026-Q5", ""):
        with pytest.raises(ValidationError):
            Term.parse(bad)


def event(code: str, kind: str, n: int = 1, **data) -> None:
    """``n`` events of ``kind`` as its domain records them on something in ``code``."""
    with schema_context(code.replace("-", "_")):
        subject = Question.objects.first()
        for _ in range(n):
            timeline.record(subject, kind, category="career", data=data)


@pytest.fixture
def cities(tree):
    """Guangzhou, busy and well rated, and Shenzhen, quieter, under Guangdong."""
    shenzhen = factories.committee("gd-sz", level="city", parent=tree.gd)
    expert = factories.staff(shenzhen, "expert")
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 11, 10, 10)), tick=False):
        for stars in (5, 4):
            rated_answer("gd-gz", tree["gz_cadre"], factories.account(), stars)
        ask("gd-sz", factories.account())
        answered = ask("gd-sz", factories.account())
        answer("gd-sz", answered, expert)
        # Each integration from its domain's events, as the domain records them.
        event("gd-sz", "activities.ended", 2, check_ins=5)
        event("gd-sz", "activities.entered")
        event("gd-gz", "homes.attended", 3)
        event("gd-gz", "homes.referral_attended")
        event("gd-sz", "help.reported", first=True, sector="social")
        event("gd-gz", "qa.asked", 2)  # two more asked, passed on: not Guangzhou's to answer
        event("gd-gz", "qa.transferred_out", 2)
        event("gd-gz", "homes.rated", 2, stars=4, real=True)
        event("gd-sz", "activities.rated", 4, stars=3, real=False)
        event("gd-sz", "activities.rated", 4, stars=3, real=True)
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 10, 10, 10)), tick=False):
        rated_answer("gd-sz", expert, factories.account(), 5)
    shipping.ship_all()
    return {"gz": tree.gz, "sz": shenzhen}


def test_every_indicator_ranks_the_cities_with_its_sample(tree, cities):
    report = assessment.report(tree.gd, Term.parse("2026-11"))
    assert [row.committee.code for row in report.rows] == ["gd-gz", "gd-sz"]
    gz, sz = report.rows
    assert (gz.cells["answer_rate"].value, gz.cells["answer_rate"].sample) == (1.0, 2)
    assert (sz.cells["answer_rate"].value, sz.cells["answer_rate"].sample) == (0.5, 2)
    assert sz.cells["answer_rate"].points == 50.0
    assert gz.cells["activity"].value == 2  # the two youths served, not visits
    # The four integrations, each from its own domain.
    assert sz.cells["with_activities"].value == 3  # two held with check-ins, one entry
    assert gz.cells["with_homes"].value == 4  # three services attended, one O2O referral
    assert sz.cells["with_organisations"].value == 2  # a social organisation, an expert
    assert gz.cells["with_tree"].value == 2
    assert gz.cells["with_activities"].points == 0 and sz.cells["with_activities"].points == 100
    # Said not real: four of Shenzhen's eight activity ratings.
    assert sz.cells["truthfulness"].value == 0.5 and gz.cells["truthfulness"].value == 1.0
    # Satisfaction counts every kind of rating.
    assert gz.cells["satisfaction"].sample == 4 and sz.cells["satisfaction"].sample == 8
    weights = ASSESSMENT_STANDARD["weights"]
    expected = sum(weights[c] * gz.cells[c].points for c in weights) / sum(weights.values())
    assert gz.total == round(expected, 1) and gz.rank == 1
    # Last month only Shenzhen had anything to measure: Guangzhou has no trend.
    assert (sz.previous_rank, gz.previous_rank, gz.change) == (1, None, None)
    assert sz.change == round(sz.total - sz.previous_total, 1)


def test_a_past_period_is_recomputed_as_it_was_after_the_standard_changes(tree, cities):
    before = assessment.report(tree.gd, Term.parse("2026-11"))
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 11, 25)), tick=False):
        AssessmentStandard.objects.create(
            version=2,
            effective_from=date(2026, 12, 1),
            weights={**ASSESSMENT_STANDARD["weights"], "with_activities": 100},
        )
    again = assessment.report(tree.gd, Term.parse("2026-11"))
    assert [(r.committee.code, r.total) for r in again.rows] == [
        (r.committee.code, r.total) for r in before.rows
    ]
    assert again.standard.version == 1
    december = assessment.standard_for(tree.gd, date(2026, 12, 1))
    assert december.version == 2


def test_a_province_adjusts_the_weights_within_the_central_latitude(tree):
    weights = dict(ASSESSMENT_STANDARD["weights"])
    day = date(2027, 1, 1)
    assert assessing.check_weights(
        {**weights, "satisfaction": 30}, node=tree.gd, effective_from=day
    )
    with pytest.raises(ValidationError):  # 20 ± 50% at most
        assessing.check_weights({**weights, "satisfaction": 31}, node=tree.gd, effective_from=day)
    assert assessing.check_weights({**weights, "satisfaction": 31}, node=None, effective_from=day)
    with pytest.raises(ValidationError):
        assessing.check_weights({"activity": 1}, node=None, effective_from=day)
    own = AssessmentStandard.objects.create(
        node=tree.gd, version=1, effective_from=day, weights={**weights, "satisfaction": 30}
    )
    assert assessment.standard_for(tree.gz, day) == own
    assert assessment.standard_for(tree.bj, day).node is None


def test_the_pdf_and_the_xlsx_carry_the_figures(tree, cities):
    from openpyxl import load_workbook

    report = assessment.report(tree.gd, Term.parse("2026-11"))
    book = load_workbook(io.BytesIO(assessment_files.as_xlsx(report)))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3][:3] == (1, "共青团广州市委", report.rows[0].total)
    assert rows[4][:3] == (2, "共青团深圳市委", report.rows[1].total)
    assert sheet._charts, "the totals' chart"
    pdf = assessment_files.as_pdf(report)
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "中共广东省委员会" in text
    assert "2026年11月" in text.replace(" ", "")
    assert "共青团广州市委" in text and f"{report.rows[0].total}" in text
    assert "满意度" in text and "上下联动" in text


def test_dates_and_days():
    assert assessment._month_end(2026, 2) == date(2026, 2, 28)
    assert assessment._month_end(2026, 12) == date(2026, 12, 31)
    assert Term.parse("2024-02").end - Term.parse("2024-02").start == timedelta(days=28)
