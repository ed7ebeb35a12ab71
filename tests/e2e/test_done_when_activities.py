"""The activities story from start to finish, through the services, across committees.

The central office launches a campaign, and Guangdong and Guangzhou both receive it.
Guangzhou's cadre asks youths what they want in a demand survey, then publishes an activity
under the campaign that the survey led to. A team forms, a member joins and the captain
registers the team; another youth registers alone. At the venue each participant checks in
by scanning the rotating code. A vote is opened, the captain enters it for the team and
youths vote. After the end the organiser and a participant add photos, so the activity
counts for the influence index, and the participants rate it. Once the figures are shipped,
Guangzhou's index has exactly one activity's worth of points, and the campaign's national
page shows Guangdong's registrations, teams, check-ins and votes.

A second activity that counted too is reported as fake by a youth. Guangdong's admin
confirms the report, the confirmation goes back to Guangzhou, and the index then counts the
first activity only. Finally Guangzhou nominates the first activity for the case library,
Guangdong's admin accepts it, and a cadre in Beijing finds it by a word of its title."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import schema_context

from activities import cases, checkin, registration, reports, services, voting
from activities.models import Activity, ReceivedCampaign, Registration
from casework import truth
from casework.models import TruthReview
from core.errors import ServiceError
from core.models import Notification
from franchise import campaigns, influence
from franchise.models import CaseStudy
from reporting import campaigns as national
from reporting import selectors, shipping
from reporting.selectors import Period
from surveys import selectors as survey_results
from surveys import services as surveys
from surveys.models import Survey
from tenants import outbox
from tests import factories
from tests.activities.images import png

pytestmark = pytest.mark.slow

CAMPAIGN = "qingchun-2026"
TITLE = "青春志愿行 · 珠江定向赛"
AT_THE_VENUE = {"latitude": 23.138, "longitude": 113.326, "accuracy_m": 15}
QUESTIONS = [
    {
        "kind": "single",
        "text": "你最想参加哪类活动？",
        "options": ["城市定向赛", "社区志愿服务", "文化沙龙"],
    },
    {"kind": "text", "text": "还有什么建议？", "is_required": False},
]


def photo(activity: Activity, by):
    upload = SimpleUploadedFile("现场.png", png(), "image/png")
    return services.add_photo(activity=activity, upload=upload, by=by)


def registration_of(activity: Activity, youth) -> Registration:
    return Registration.objects.get(activity=activity, youth_id=youth.pk)


def activity_term(committee, period: Period) -> float:
    return selectors.summary(committee, period).index.terms["activities"]


def test_a_campaigns_activity_from_survey_to_the_case_library(
    tree, api, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    cadre, admin_above = tree["gz_cadre"], tree["gd_admin"]

    # The central office launches a campaign; every committee below receives it once.
    campaign = campaigns.launch(
        actor=tree["central_admin"],
        node=tree.central,
        code=CAMPAIGN,
        title="青春志愿行",
        theme="志愿服务",
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=60),
        votes_per_account=2,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.deliver() == 4  # central, gd, gd-gz and bj
    for code in ("gd", "gd_gz"):
        with schema_context(code):
            assert list(ReceivedCampaign.objects.values_list("code", flat=True)) == [CAMPAIGN]
    assert Notification.objects.filter(user=cadre, kind="campaign_received").count() == 1

    # Guangzhou asks its youths first.
    respondents = [factories.account(name=f"受访青年{i}") for i in range(3)]
    with schema_context("gd_gz"):
        survey = surveys.publish(
            actor=cadre,
            title="暑期活动需求调查",
            questions=QUESTIONS,
            opens_at=timezone.now() - timedelta(minutes=1),
            closes_at=timezone.now() + timedelta(days=7),
        )
        for youth, choice in zip(respondents, (0, 0, 1), strict=True):
            surveys.respond(
                survey=survey, youth=youth, answers={1: choice, 2: "希望组织珠江定向赛"}
            )
        found = survey_results.results(Survey.objects.get(pk=survey.pk))
        assert found.responses == 3
        assert found.questions[0].counts == [2, 1, 0]  # most want the orienteering race

    # ...then publishes the activity the survey asked for, under the campaign.
    activity = factories.activity(
        "gd-gz",
        cadre,
        title=TITLE,
        campaign=CAMPAIGN,
        allows_teams=True,
        team_min=2,
        team_max=3,
    )
    day = timezone.localtime(activity.starts_at).date()
    period = Period(day - timedelta(days=1), day + timedelta(days=2))
    weight = influence.standard_for(period.start).activity_weight
    assert weight > 0
    captain, member, alone = factories.account(name="队长"), factories.account(), tree["youth"]
    with schema_context("gd_gz"):
        Survey.objects.filter(pk=survey.pk).update(activity=activity)
        assert list(Activity.objects.get(pk=activity.pk).surveys.all()) == [survey]
        assert activity.campaign == CAMPAIGN

        # A team forms and registers; a youth registers alone.
        squad = registration.form_team(activity=activity, captain=captain, name="珠江队")
        with pytest.raises(ServiceError) as too_small:
            registration.register_team(squad=squad, captain=captain)
        assert too_small.value.code == "team_size"
        registration.join_team(squad=squad, youth=member)
        with django_capture_on_commit_callbacks(execute=True):
            registration.register_team(squad=squad, captain=captain)
            registration.register(activity=activity, youth=alone)
        assert Activity.objects.get(pk=activity.pk).taken == 3

        # A vote: the captain enters it for the team, a member may not.
        ballot = voting.open_ballot(
            activity=activity,
            actor=cadre,
            title="最佳路线设计",
            opens_at=timezone.now(),
            closes_at=timezone.now() + timedelta(days=10),
        )
        assert ballot.votes_per_account == 2  # the campaign's rule
        with pytest.raises(ServiceError) as not_captain:
            voting.submit_entry(ballot=ballot, by=member, title="成员的作品")
        assert not_captain.value.code == "forbidden"
        entry = voting.submit_entry(ballot=ballot, by=captain, title="珠江夜跑路线")

        # At the venue: each participant scans the code shown there.
        with time_machine.travel(activity.starts_at + timedelta(minutes=20), tick=False):
            for who in (captain, member, alone):
                code = checkin.venue_code(activity, actor=cadre)
                scanned = checkin.scan(
                    code=code.code, youth=who, nonce=f"scan-{who.pk:010d}", **AT_THE_VENUE
                )
                assert scanned.is_new and scanned.check_in.distance_m < 50
            for who, address in ((alone, "10.0.0.1"), (member, "10.0.0.2")):
                voting.vote(entry=entry, voter=who, address=address)
            voting.vote(entry=entry, voter=respondents[0], address="10.0.0.3")
        assert Activity.objects.get(pk=activity.pk).check_ins.count() == 3

        # After it: photos make it count; the participants rate it.
        with time_machine.travel(activity.ends_at + timedelta(hours=1), tick=False):
            photo(activity, cadre)
            photo(activity, captain)
            counted_at = Activity.objects.get(pk=activity.pk).counted_at
            assert counted_at == timezone.now()
            for who, stars in ((captain, 5), (member, 4), (alone, 4)):
                services.rate(
                    registration=registration_of(activity, who),
                    youth=who,
                    stars=stars,
                    is_real=True,
                )

    shipping.ship_all()
    assert activity_term(tree.gz, period) == round(weight, 2)
    assert activity_term(tree.gd, period) == round(weight, 2)  # the province's subtree
    totals, provinces = national.rollup(campaign, tree.central)
    expected = {
        "activity_registrations": 3,
        "activity_teams": 1,
        "activity_check_ins": 3,
        "activity_votes": 3,
    }
    by_code = {row.committee.code: row for row in provinces}
    assert {k: by_code["gd"].figures[k] for k in expected} == expected
    assert {k: totals.figures[k] for k in expected} == expected
    assert by_code["gd"].committees == 1
    assert all(by_code["bj"].figures[k] == 0 for k in expected)

    # A second activity that counted is reported fake and confirmed by the committee above.
    second = factories.activity(
        "gd-gz", cadre, title="社区旧物改造工作坊", starts_at=activity.starts_at + timedelta(days=1)
    )
    reporter = respondents[1]
    with schema_context("gd_gz"):
        registration.register(activity=second, youth=respondents[2])
        with time_machine.travel(second.ends_at + timedelta(hours=1), tick=False):
            photo(second, cadre)
            assert Activity.objects.get(pk=second.pk).counted_at is not None
            reports.report(activity=second, reporter=reporter, reason="现场根本没有举办")
    shipping.ship_all()
    assert activity_term(tree.gz, period) == round(2 * weight, 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.deliver() == 1
    assert Notification.objects.filter(user=admin_above, kind="truth_flagged").exists()
    with schema_context("gd"):
        review = TruthReview.objects.get(source_committee="gd-gz", subject_id=second.pk)
        truth.decide(review=review, actor=admin_above, is_fake=True, note="经核实未举办")
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.deliver() == 1
    assert Notification.objects.filter(user=reporter, kind="truth_confirmed").exists()
    with schema_context("gd_gz"):
        assert Activity.objects.get(pk=second.pk).fake_confirmed_at is not None
        assert Activity.objects.get(pk=activity.pk).fake_confirmed_at is None
    shipping.ship_all()
    assert activity_term(tree.gz, period) == round(weight, 2)  # the first one only
    assert activity_term(tree.central, period) == round(weight, 2)

    # The first activity becomes a case; Beijing finds it.
    with schema_context("gd_gz"), time_machine.travel(second.ends_at + timedelta(hours=2)):
        with pytest.raises(ServiceError) as fake:
            cases.nominate(
                activity=Activity.objects.get(pk=second.pk), actor=cadre, summary="不该入库"
            )
        assert fake.value.code == "fake"
        case = cases.nominate(
            activity=activity,
            actor=cadre,
            summary="按需求调查设计路线，青年组队参与，现场扫码签到，赛后投票评选最佳路线。",
        )
    assert case.theme == "志愿服务" and len(case.photos) == 1  # the organiser's, shown
    assert case.figures == {"registered": 3, "checked_in": 3, "ratings": 3, "stars": 4.3}
    with schema_context("gd"):
        assert [c.pk for c in cases.to_curate(admin_above)] == [case.pk]
        cases.curate(case=case, actor=admin_above, accept=True, note="可复制推广")
    assert CaseStudy.objects.get(pk=case.pk).state == "accepted"

    found = api("bj", tree["bj_cadre"]).get("/api/v1/cases/", {"q": "珠江定向赛"})
    assert found.status_code == 200, found.content
    rows = found.json()["results"]
    assert [(r["id"], r["title"], r["committee"]) for r in rows] == [(case.pk, TITLE, "gd-gz")]
    assert rows[0]["committee_name"] == "共青团广州市委"
    assert rows[0]["link"] == f"/activities/{activity.pk}/"
    assert api("bj", tree["bj_cadre"]).get("/api/v1/cases/", {"q": "旧物"}).json()["results"] == []
