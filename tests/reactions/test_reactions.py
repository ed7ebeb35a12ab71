"""Likes, roasts and answers judged: once a kind per youth per item, staff's and one's own
not counted, on the pages and in the API, and nothing across committees."""

import pytest
from django.db.models import Sum
from django_tenants.utils import schema_context

from core.errors import ServiceError
from reactions import services
from reactions.models import Reaction
from reporting import shipping
from reporting.models import DailyFigures
from tests import factories
from tests.reporting.helpers import answer, ask
from timeline.models import Event


@pytest.fixture
def answered(tree):
    question = ask("gd", tree["youth"])
    reply = answer("gd", question, tree["gd_cadre"])
    with schema_context("gd"):
        question.refresh_from_db()
    return question, reply


def test_once_a_kind_per_youth_and_staff_and_self_not_counted(tree, answered):
    question, reply = answered
    other = factories.account()
    with schema_context("gd"):
        services.react(youth=other, subject=question, kind="like")
        services.react(youth=other, subject=question, kind="roast")  # another kind: kept
        with pytest.raises(ServiceError) as again:
            services.react(youth=other, subject=question, kind="like")
        assert again.value.code == "already_reacted"
        services.react(youth=tree["gd_admin"], subject=question, kind="like")  # staff
        services.react(youth=tree["youth"], subject=question, kind="like")  # the asker's own
        services.react(youth=other, subject=reply, kind="helpful")
        services.react(youth=tree["gd_cadre"], subject=reply, kind="helpful")  # its author
        with pytest.raises(ServiceError) as wrong:
            services.react(youth=other, subject=question, kind="helpful")
        assert wrong.value.code == "invalid_kind"
        assert services.counts("qa.question", [question.pk])[question.pk] == {"like": 1, "roast": 1}
        assert services.counts("qa.reply", [reply.pk])[reply.pk] == {"helpful": 1}
        assert Reaction.objects.filter(counts=False).count() == 3
        staff = Event.objects.filter(kind="reactions.liked", data__staff=True).count()
        assert staff == 2
    shipping.ship_all()
    figures = DailyFigures.objects.filter(committee__code="gd", is_subtree=False).aggregate(
        likes=Sum("likes"), roasts=Sum("roasts"), helpful=Sum("answers_helpful")
    )
    assert figures == {"likes": 1, "roasts": 1, "helpful": 1}


def test_what_is_not_shown_takes_none(tree):
    held = ask("gd", tree["youth"])  # not answered yet: routed, but private ones are not shown
    with schema_context("gd"):
        held.is_public = False
        held.save()
        with pytest.raises(ServiceError) as refused:
            services.react(youth=factories.account(), subject=held, kind="like")
        assert refused.value.code == "not_shown"


def test_the_api(tree, api, answered):
    question, reply = answered
    youth = factories.account()
    made = api("gd", youth).post(
        "/api/v1/reactions/", {"subject": "qa.question", "id": question.pk, "kind": "like"}
    )
    assert made.status_code == 201 and made.json() == {
        "id": question.pk,
        "counts": {"like": 1},
        "mine": ["like"],
    }
    again = api("gd", youth).post(
        "/api/v1/reactions/", {"subject": "qa.question", "id": question.pk, "kind": "like"}
    )
    assert again.status_code == 409
    listed = api("gd").get(f"/api/v1/reactions/?subject=qa.question&ids={question.pk},999")
    assert listed.status_code == 200
    assert listed.json() == [
        {"id": question.pk, "counts": {"like": 1}, "mine": []},
        {"id": 999, "counts": {}, "mine": []},
    ]
    body = {"subject": "qa.question", "id": question.pk, "kind": "like"}
    assert api("gd").post("/api/v1/reactions/", body).status_code == 401
    # Another committee's portal does not reach Guangdong's question.
    assert api("bj", youth).post("/api/v1/reactions/", body).status_code == 404
    bad = api("gd", youth).post("/api/v1/reactions/", {**body, "subject": "core.user"})
    assert bad.status_code == 400 and "subject" in bad.json()["error"]["fields"]
    assert api("gd").get("/api/v1/reactions/?subject=qa.question&ids=a").status_code == 400


def test_the_buttons_on_a_page(tree, web, answered):
    question, reply = answered
    youth = factories.account()
    page = web("gd", youth).get(f"/questions/{question.pk}/")
    html = page.content.decode()
    assert f'data-testid="reactions-{question.pk}"' in html and "点赞" in html and "有用" in html
    sent = web("gd", youth).post(
        "/reactions/",
        {
            "subject": "qa.reply",
            "id": reply.pk,
            "kind": "helpful",
            "next": f"/questions/{question.pk}/",
        },
    )
    assert sent.status_code == 302 and sent["Location"] == f"/questions/{question.pk}/"
    with schema_context("gd"):
        assert Reaction.objects.get().kind == "helpful"
    anonymous = web("gd").post(
        "/reactions/", {"subject": "qa.reply", "id": reply.pk, "kind": "like"}
    )
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    offsite = web("gd", youth).post(
        "/reactions/",
        {
            "subject": "qa.question",
            "id": question.pk,
            "kind": "like",
            "next": "https://evil.example/",
        },
    )
    assert offsite["Location"] == "/"
