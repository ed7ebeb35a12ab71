"""Campaigns (重磅项目): the central office launches one; each of 100 committees receives it
through the outbox exactly once; Guangzhou publishes an activity under it, youths register
alone and as a team, check in and vote; the figures roll up to the campaign's national page
per province and city, and the page lists Guangzhou's activity and entry. A province
launches for its own subtree only."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from activities import checkin, registration, voting
from activities.models import ReceivedCampaign
from core.errors import ServiceError
from core.models import Notification
from franchise import campaigns
from franchise.models import CampaignListing
from reporting import campaigns as national
from reporting import shipping
from tenants import outbox, services
from tests import factories

pytestmark = pytest.mark.slow

TODAY = timezone.localdate()


def launch(actor, node, code="qingchun-2026", **fields):
    values = {
        "code": code,
        "title": "青春志愿行",
        "theme": "志愿服务",
        "starts_on": TODAY - timedelta(days=1),
        "ends_on": TODAY + timedelta(days=60),
        "votes_per_account": 1,
        "criteria": [{"code": "idea", "name": "创意", "weight": 1}],
        "panel_weight": 0.4,
        "vote_weight": 0.6,
        **fields,
    }
    return campaigns.launch(actor=actor, node=node, **values)


def drain() -> int:
    applied = 0
    while batch := outbox.deliver():
        applied += batch
    return applied


@pytest.fixture
def nation(transactional_db):
    """central → gd → gd-gz, bj, and 96 cities under gd and bj: 100 committees, each made
    in its own transaction (as onboarding does), their schemas dropped after."""
    made = [factories.committee("central", level="central")]
    try:
        made.append(factories.committee("gd", level="province", parent=made[0]))
        made.append(factories.committee("gd-gz", level="city", parent=made[1]))
        made.append(factories.committee("bj", level="province", parent=made[0]))
        for i in range(96):
            made.append(
                factories.committee(f"c{i:02d}", level="city", parent=made[1 + 2 * (i % 2)])
            )
        people = {
            "central_admin": factories.staff(made[0], "admin"),
            "gz_cadre": factories.staff(made[2], "cadre"),
            "youth": factories.account(name="小青"),
        }
        yield made, people
    finally:
        connection.set_schema_to_public()
        for committee in reversed(made):
            services.remove_committee(committee=committee)


def test_a_campaign_reaches_100_committees_once_and_rolls_up_to_its_national_page(
    nation, web, django_capture_on_commit_callbacks
):
    everyone, people = nation
    central = everyone[0]
    assert len(everyone) == 100
    campaign = launch(people["central_admin"], central)
    with django_capture_on_commit_callbacks(execute=True):
        assert drain() == 100
    assert drain() == 0  # exactly once
    for committee in everyone:
        with schema_context(committee.schema_name):
            assert list(ReceivedCampaign.objects.values_list("code", flat=True)) == [campaign.code]
    assert (
        Notification.objects.filter(user=people["gz_cadre"], kind="campaign_received").count() == 1
    )
    # The same message applied again changes nothing.
    with schema_context("gd_gz"):
        outbox.send("activities.campaign", receiver="gd-gz", payload={"campaign": campaign.code})
    assert drain() == 1
    with schema_context("gd_gz"):
        assert ReceivedCampaign.objects.count() == 1

    youth, captain, member = people["youth"], factories.account(), factories.account()
    activity = factories.activity(
        "gd-gz", people["gz_cadre"], campaign=campaign.code, allows_teams=True, team_min=2
    )
    with schema_context("gd_gz"):
        registration.register(activity=activity, youth=youth)
        squad = registration.form_team(activity=activity, captain=captain, name="珠江队")
        registration.join_team(squad=squad, youth=member)
        registration.register_team(squad=squad, captain=captain)
        ballot = voting.open_ballot(
            activity=activity,
            actor=people["gz_cadre"],
            title="最佳志愿项目",
            opens_at=timezone.now(),
            closes_at=timezone.now() + timedelta(days=10),
        )
        # The campaign's published rule, not the one asked for.
        assert (ballot.panel_weight, ballot.criteria[0]["code"]) == (0.4, "idea")
        entry = voting.submit_entry(ballot=ballot, by=captain, title="社区旧物改造")
        with time_machine.travel(activity.starts_at, tick=False):
            for who in (youth, captain, member):
                code = checkin.venue_code(activity, actor=people["gz_cadre"])
                checkin.scan(code=code.code, youth=who, nonce=f"scan-{who.pk:08d}")
        voting.vote(entry=entry, voter=youth, address="10.0.0.1")
        voting.vote(entry=entry, voter=member, address="10.0.0.2")
    shipping.ship_all()

    totals, provinces = national.rollup(campaign, central)
    assert totals.figures["activities_published"] == 1
    assert totals.figures["activity_registrations"] == 3
    assert totals.figures["activity_teams"] == 1
    assert totals.figures["activity_check_ins"] == 3
    assert totals.figures["activity_votes"] == 2
    assert totals.figures["activity_entries"] == 1
    assert totals.committees == 1
    by_code = {row.committee.code: row for row in provinces}
    assert set(by_code) == {"gd", "bj"}
    assert by_code["gd"].figures["activity_registrations"] == 3 and by_code["gd"].committees == 1
    assert by_code["bj"].figures["activity_registrations"] == 0
    _, cities = national.rollup(campaign, central, level="city")
    assert next(r for r in cities if r.committee.code == "gd-gz").figures["activity_votes"] == 2
    listed = CampaignListing.objects.filter(campaign=campaign)
    assert {(row.committee.code, row.kind) for row in listed} == {
        ("gd-gz", "activity"),
        ("gd-gz", "entry"),
    }

    page = web(None, people["central_admin"])
    page.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    html = page.get(f"/reports/campaigns/{campaign.code}/").content.decode()
    assert activity.title in html and "社区旧物改造" in html
    body = page.get(f"/api/v1/campaigns/{campaign.code}/?level=city").json()
    assert body["totals"]["figures"]["activity_registrations"] == 3
    assert [a["title"] for a in body["activities"]] == [activity.title]


def test_a_province_launches_for_its_own_subtree_only(tree):
    with pytest.raises(ServiceError) as refused:
        launch(tree["gd_admin"], tree.central)
    assert refused.value.code == "forbidden"
    with pytest.raises(ServiceError):
        launch(tree["gd_cadre"], tree.gd)  # a cadre, not an admin
    campaign = launch(tree["gd_admin"], tree.gd, code="yuedong")
    assert drain() == 2  # gd and gd-gz
    with schema_context("bj"):
        assert not ReceivedCampaign.objects.exists()
    with schema_context("gd_gz"):
        assert ReceivedCampaign.objects.get().code == campaign.code


def test_an_activity_is_published_only_under_a_campaign_received_and_in_its_period(tree):
    campaign = launch(tree["central_admin"], tree.central, ends_on=TODAY + timedelta(days=3))
    with pytest.raises(ServiceError) as early:
        factories.activity("gd-gz", tree["gz_cadre"], campaign=campaign.code)
    assert early.value.field == "campaign"  # not received yet
    drain()
    later = timezone.now() + timedelta(days=10)
    with pytest.raises(ServiceError) as outside:
        factories.activity("gd-gz", tree["gz_cadre"], campaign=campaign.code, starts_at=later)
    assert outside.value.field == "starts_at"
    assert factories.activity("gd-gz", tree["gz_cadre"], campaign=campaign.code).campaign
