"""让青年说了算 (youths' judgement) from start to finish, through the services, across committees.

At the end of October the central office's admin publishes a new version of the assessment
standard, in force from 1 November (Guangdong's admin may not; October keeps version 1).

On a Wednesday in November a youth roasts Guangzhou's portal through 吐槽我们. Guangzhou's
admins are told, its cadre answers (the youth is told) and adopts the suggestion saying what
changed; the next Monday from 09:00 Guangzhou publishes that week's announcement, a notice on
its portal listing the change, and the youth is told again.

Youths ask Guangzhou questions; its cadre answers them and each youth rates the answer (from
their own address, accounts made months apart), and a youth in Shenzhen rates an answer of
Shenzhen's expert. The cadre's standard score is the shrunk mean of those ratings on the scale
of 100. Then five accounts made within the same hour each ask, get an answer and give it one
star: their ratings are flagged as a burst, and the score moves by less than the bound the
standard promises (``standing.burst_bound``).

During the month Guangzhou also works the four integrations: a youth books a youth home's
service and is checked in there; a youth checks in at an activity that ends (held) and has
photos after it (counted); a social organisation handles a help case to its report back and
its youth says it was real and solved; a question is transferred to Shenzhen. Once the
figures are shipped, Guangdong's report for November ranks Guangzhou and Shenzhen on every
indicator, each with its sample, by the central version in force then, and Guangdong's admin
downloads it as a PDF addressed to the Party committee of the province and as an XLSX with
one row per city."""

import io
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.utils import timezone
from django_tenants.utils import schema_context

from activities import checkin, registration
from activities import services as activities
from core.addresses import serving
from core.errors import ServiceError
from core.models import Notification
from core.notifications import text_of
from franchise import assessing
from franchise.models import AssessmentStandard
from franchise.standards import ASSESSMENT_INDICATORS, ASSESSMENT_STANDARD
from helpcases import services as help_cases
from homes import services as homes
from portal.models import Notice
from qa import services as questions
from qa.models import Question
from reporting import assessment, shipping, standing
from reporting.assessment import Term
from reporting.models import RatingFlag, StandardScore
from suggestions import services as suggestions
from suggestions.models import Announcement, Suggestion
from tenants import outbox
from tests import factories
from tests.activities.test_after import after_end, during, photo, signed_up
from tests.helpcases.test_cases import organisation, submitted, through_to_report
from tests.reporting.helpers import answer, ask, figures, rated_answer

pytestmark = pytest.mark.slow

CST = ZoneInfo("Asia/Shanghai")
BEFORE_THE_MONTH = datetime(2026, 10, 28, 10, 0, tzinfo=CST)
NOVEMBER = Term.parse("2026-11")
WEDNESDAY = datetime(2026, 11, 11, 10, 0, tzinfo=CST)
NEXT_MONDAY = datetime(2026, 11, 16, 9, 5, tzinfo=CST)  # from 09:00 the announcement is due
ASKING_DAY = datetime(2026, 11, 17, 10, 0, tzinfo=CST)
WORKING_DAY = datetime(2026, 11, 18, 10, 0, tzinfo=CST)

ROAST = "广州青年之声的首页找不到活动报名入口，翻了三页才看到"
CHANGE = "首页顶部新增“活动报名”入口"
CENTRAL_WEIGHTS = {**ASSESSMENT_STANDARD["weights"], "satisfaction": 25, "with_tree": 10}
GENUINE_STARS = [5, 4, 5, 5, 4, 5, 3, 5]  # Guangzhou's youths on its cadre's answers
CODES = [code for code, _label in ASSESSMENT_INDICATORS]
INTEGRATIONS = ("with_activities", "with_homes", "with_organisations", "with_tree")


def youth_joined(days_ago: int, name: str):
    """A youth whose account was made ``days_ago`` days before now."""
    youth = factories.account(name=name)
    youth.date_joined = timezone.now() - timedelta(days=days_ago)
    youth.save(update_fields=["date_joined"])
    return youth


def score_of(user, committee) -> StandardScore:
    return StandardScore.objects.get(committee=committee, kind="account", subject_id=user.pk)


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_youths_judge_guangzhou_and_guangdong_ranks_its_cities(
    tree, api, web, django_capture_on_commit_callbacks
):
    cadre, youth = tree["gz_cadre"], tree["youth"]
    shenzhen = factories.committee("gd-sz", level="city", parent=tree.gd)
    sz_expert = factories.staff(shenzhen, "expert")

    # ------------------------------------------------------------ the central standard
    with time_machine.travel(BEFORE_THE_MONTH, tick=False):
        with pytest.raises(ServiceError) as not_central:
            assessing.publish(
                actor=tree["gd_admin"],
                node=None,
                weights=CENTRAL_WEIGHTS,
                effective_from=NOVEMBER.start,
            )
        assert not_central.value.code == "forbidden"
        published = assessing.publish(
            actor=tree["central_admin"],
            node=None,
            weights=CENTRAL_WEIGHTS,
            effective_from=NOVEMBER.start,
            note="突出满意度与上下联动",
        )
    assert (published.version, published.node, published.saved_by) == (
        2,
        None,
        tree["central_admin"],
    )
    assert LogEntry.objects.filter(object_id=str(published.pk)).exists()
    assert assessment.standard_for(tree.gd, NOVEMBER.start) == published
    assert assessment.standard_for(tree.gd, NOVEMBER.previous().start).version == 1
    assert AssessmentStandard.objects.filter(node=None).count() == 2

    # ------------------------------------------------------------ 吐槽我们
    with time_machine.travel(WEDNESDAY, tick=False), schema_context("gd_gz"):
        with django_capture_on_commit_callbacks(execute=True):
            roast = suggestions.submit(youth=youth, body=ROAST)
        assert (roast.state, roast.transferred_to) == ("open", "")
        assert Notification.objects.filter(
            kind="suggestion_received", committee=tree.gz
        ).exists()  # Guangzhou's admins
        with django_capture_on_commit_callbacks(execute=True):
            suggestions.answer(suggestion=roast, actor=cadre, text="谢谢吐槽，本周就改。")
        suggestions.adopt(suggestion=roast, actor=cadre, change=CHANGE)
        assert suggestions.announce() is None  # adopted this week: next Monday's notice
    told = Notification.objects.get(user=youth, kind="suggestion_answered")
    assert "谢谢吐槽" in text_of(told) and told.committee == tree.gz

    monday = time_machine.travel(NEXT_MONDAY, tick=False)
    with monday, schema_context("gd_gz"), django_capture_on_commit_callbacks(execute=True):
        announcement = suggestions.announce()
        assert announcement is not None
        assert announcement.week == suggestions.week_start(WEDNESDAY)  # that week's
        notice = Notice.objects.get(pk=announcement.notice_id)
        assert notice.is_published and CHANGE in notice.body
        assert "11-09" in notice.title and "11-15" in notice.title
        assert Suggestion.objects.get(pk=roast.pk).announcement == announcement
        assert suggestions.announce() is None  # once a week
    announced = Notification.objects.get(user=youth, kind="suggestion_announced")
    assert announced.link == f"/notices/{notice.pk}/" and CHANGE in text_of(announced)
    assert announced.committee == tree.gz
    page = web("gd-gz", youth).get(announced.link)
    assert page.status_code == 200 and CHANGE in page.content.decode()
    for code in ("gd", "bj"):  # Guangzhou's week is its own
        with schema_context(code):
            assert not Announcement.objects.exists()

    # ------------------------------------------------------------ the standard score
    with time_machine.travel(ASKING_DAY, tick=False):
        genuine = [youth_joined(30 * n + 1, f"广州青年{n}") for n in range(len(GENUINE_STARS))]
        sz_youth = youth_joined(500, "深圳青年")
        for n, (rater, stars) in enumerate(zip(genuine, GENUINE_STARS, strict=True)):
            with serving(f"10.20.0.{n + 1}"):
                rated_answer("gd-gz", cadre, rater, stars)
        with serving("10.30.0.1"):
            rated_answer("gd-sz", sz_expert, sz_youth, 3)
        standing.recompute()
        standard = standing.standard_for(timezone.localdate())
        before = score_of(cadre, tree.gz)
        assert (before.ratings, before.flagged, before.name) == (len(GENUINE_STARS), 0, cadre.name)
        assert before.terms == {
            "answers": [len(GENUINE_STARS), round(sum(GENUINE_STARS) / len(GENUINE_STARS), 2)]
        }
        every_star = [*GENUINE_STARS, 3]
        national = sum(every_star) / len(every_star)
        prior = standard.prior_weight
        expected = standing.points(
            (prior * national + sum(GENUINE_STARS)) / (prior + len(GENUINE_STARS))
        )
        assert before.score == pytest.approx(expected, abs=0.01)
        assert before.standard_version == standard.version

        # Five accounts made within the hour, each from its own address, one star each.
        for n in range(5):
            burst = factories.account(name=f"刷分{n}")
            with serving(f"10.99.0.{n + 1}"):
                rated_answer("gd-gz", cadre, burst, 1)
        standing.recompute()
    after = score_of(cadre, tree.gz)
    assert (after.ratings, after.flagged) == (len(GENUINE_STARS) + 5, 5)
    moved = before.score - after.score
    assert 0 < moved <= standing.burst_bound(standard, 5)
    assert standing.burst_bound(standard, 5) <= 2.0
    flags = RatingFlag.objects.filter(committee=tree.gz)
    assert flags.count() == 5
    assert all(flag.reasons == ["burst"] for flag in flags)
    bursts = set(flags.values_list("rater_id", flat=True))
    assert bursts.isdisjoint(r.pk for r in genuine)
    assert score_of(sz_expert, shenzhen).flagged == 0

    # ------------------------------------------------------------ the four integrations
    home_keeper = factories.staff(tree.gz, "org_member")
    helper = factories.staff(tree.gz, "org_member")
    with time_machine.travel(WORKING_DAY, tick=False):
        # 线上线下: a youth home's service booked and attended.
        slot = factories.youth_home("gd-gz", home_keeper)
        with schema_context("gd_gz"):
            booking = homes.book(slot=slot, youth=youth)
            with time_machine.travel(slot.starts_at, tick=False):
                attended = homes.check_in(code=booking.code, actor=home_keeper)
            assert attended.state == "attended"

        # 线上线下: an activity held, with a check-in and a photo after it.
        held = factories.activity("gd-gz", cadre, title="青春广州 · 珠江夜跑")
        participant = genuine[0]
        with schema_context("gd_gz"):
            registration.register(activity=held, youth=participant)
            with during(held):
                checkin.mark_present(registration=signed_up(held, participant), actor=cadre)
            with after_end(held):
                assert activities.end_due() == 1
                photo(held, cadre)
            held.refresh_from_db()
            assert held.ended_at is not None and held.counted_at is not None

        # 团内团外: a social organisation handles a help case to its report back.
        org = organisation("gd-gz", helper, name="广州青年法律援助中心")
        with schema_context("gd_gz"):
            case = submitted(tree, designated=org.pk)
            assert case.assignee_id == helper.pk
            case = through_to_report(case, helper)
            help_cases.evaluate(case=case, youth=youth, stars=5, is_real=True, is_solved=True)

        # 上下联动: a question transferred from Guangzhou to Shenzhen.
        moved_on = ask(
            "gd-gz",
            factories.account(name="在深圳实习的青年"),
            title="在深圳实习的单位不签合同怎么办",
            body="实习单位在南山区，一直不肯签实习协议",
        )
        with schema_context("gd_gz"):
            questions.transfer(question=moved_on, actor=cadre, to="gd-sz", note="单位在深圳")
        assert outbox.deliver() >= 1
        with schema_context("gd_sz"):
            assert Question.objects.filter(origin_committee="gd-gz", origin_id=moved_on.pk)

        # Shenzhen asked two more: its expert answers one, the other waits.
        ask("gd-sz", factories.account(name="深圳提问青年"), title="考研还是直接就业")
        answered = ask("gd-sz", factories.account(name="深圳另一位青年"), title="简历怎么写")
        answer("gd-sz", answered, sz_expert)

    # ------------------------------------------------------------ the month's report
    shipping.ship_all()
    gz_figures = figures(tree.gz, subtree=True)
    assert (
        gz_figures["suggestions_received"],
        gz_figures["suggestions_answered"],
        gz_figures["suggestions_adopted"],
    ) == (1, 1, 1)
    assert gz_figures["home_attended"] == 1 and gz_figures["activities_held"] == 1
    assert gz_figures["help_by_social_orgs"] == 1 and gz_figures["transferred_out"] == 1
    assert figures(shenzhen, subtree=True)["transferred_in"] == 1

    report = assessment.report(tree.gd, NOVEMBER)
    assert report.standard == published  # the central version in force for the month
    assert [row.committee.code for row in report.rows] == ["gd-gz", "gd-sz"]
    gz, sz = report.rows
    assert (gz.rank, sz.rank) == (1, 2)
    for row in report.rows:
        assert set(row.cells) == set(CODES)  # every indicator, the four integrations too
    # Guangzhou: every indicator measured, each on its sample.
    for code in CODES:
        assert gz.cells[code].value is not None and gz.cells[code].sample > 0, code
    assert gz.cells["with_activities"].value == 1  # the activity held with a check-in
    assert gz.cells["with_homes"].value == 1  # the service attended
    assert gz.cells["with_organisations"].value == 1  # the social organisation's help
    assert gz.cells["with_tree"].value == 1  # the question transferred out
    assert sz.cells["with_tree"].value == 1  # ...and in
    assert sz.cells["with_organisations"].value == 2  # the expert's two answers
    assert (sz.cells["with_activities"].value, sz.cells["with_homes"].value) == (0, 0)
    assert gz.cells["activities"].value == 1 and gz.cells["help"].value == 1.0
    # The transferred question is Shenzhen's to answer, not Guangzhou's.
    to_answer = len(GENUINE_STARS) + 5  # the rated ones and the burst's
    assert gz.cells["answer_rate"].sample == to_answer
    assert gz.cells["answer_rate"].value == pytest.approx(1.0)
    assert sz.cells["answer_rate"].sample == 3 + 1  # its own and the one transferred in
    assert sz.cells["answer_rate"].value == pytest.approx(2 / 4)
    assert gz.cells["satisfaction"].sample == len(GENUINE_STARS) + 5 + 1  # answers and help
    assert sz.cells["satisfaction"].sample == 1
    # Ranked on each indicator: the best has 100 points and rank 1, the others by points.
    for code in CODES:
        cells = [row.cells[code] for row in report.rows]
        if any(cell.value for cell in cells):
            assert max(cell.points for cell in cells) == 100.0, code
        for cell in cells:
            assert cell.rank == 1 + sum(other.points > cell.points for other in cells), code
    assert (gz.cells["with_homes"].rank, sz.cells["with_homes"].rank) == (1, 2)
    assert gz.cells["with_tree"].rank == sz.cells["with_tree"].rank == 1  # a tie
    weights = {code: float(w) for code, w in CENTRAL_WEIGHTS.items()}
    for row in report.rows:
        total = sum(weights[c] * row.cells[c].points for c in CODES) / sum(weights.values())
        assert row.total == round(total, 1)

    # Guangdong's admin takes the report away as a PDF and an XLSX.
    guangdong = api("gd", tree["gd_admin"])
    listed = guangdong.get(f"/api/v1/reports/assessment/?term={NOVEMBER.code}")
    assert listed.status_code == 200, listed.content
    body = listed.json()
    assert body["standard"]["version"] == 2
    assert [row["code"] for row in body["results"]] == ["gd-gz", "gd-sz"]
    assert all(set(row["cells"]) == set(CODES) for row in body["results"])

    pdf = guangdong.get(f"/api/v1/reports/assessment.pdf?term={NOVEMBER.code}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    flat = text.replace(" ", "")
    assert "中共广东省委员会" in text  # addressed to the province's Party committee
    assert "2026年11月" in flat
    assert "共青团广州市委" in text and "共青团深圳市委" in text
    assert "满意度" in text and "上下联动" in text
    assert f"{gz.total}" in text

    from openpyxl import load_workbook

    xlsx = guangdong.get(f"/api/v1/reports/assessment.xlsx?term={NOVEMBER.code}")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    headers, cities = rows[2], [row for row in rows[3:] if row and row[0] is not None]
    assert [city[:3] for city in cities] == [
        (1, "共青团广州市委", gz.total),
        (2, "共青团深圳市委", sz.total),
    ]
    for label in dict(ASSESSMENT_INDICATORS).values():
        assert any(str(h).startswith(label) for h in headers if h), label
    assert len(headers) == 4 + 3 * len(CODES)
    assert NOVEMBER.start.isoformat() in str(rows[1][0])  # the standard in force from
