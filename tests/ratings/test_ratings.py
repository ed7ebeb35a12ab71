"""Generic ratings: only the person served, once, 1–5 stars, on something registered."""

import pytest
from django_tenants.utils import schema_context

from core.errors import ServiceError
from portal.models import Notice
from qa.models import Question
from ratings import services
from ratings.models import Rating


@pytest.fixture
def answered(tree):
    with schema_context("gd"):
        yield Question.objects.create(
            asker=tree["youth"], title="团费怎么交", category_id="league", state="answered"
        )


def refused(**kwargs) -> str:
    with pytest.raises(ServiceError) as refusal:
        services.rate(**kwargs)
    return refusal.value.code


def test_only_the_person_served_rates_once(tree, answered):
    assert refused(rater=tree["gd_cadre"], subject=answered, stars=5) == "not_served"
    rating = services.rate(rater=tree["youth"], subject=answered, stars=4, comment=" 很好 ")
    assert (rating.subject_type, rating.subject_id, rating.comment) == (
        "qa.question",
        answered.pk,
        "很好",
    )
    assert services.rating_of(answered, tree["youth"]) == rating
    assert refused(rater=tree["youth"], subject=answered, stars=5) == "already_rated"
    assert Rating.objects.count() == 1


@pytest.mark.parametrize("stars", [0, 6, True, "5"])
def test_stars_are_one_to_five(tree, answered, stars):
    assert refused(rater=tree["youth"], subject=answered, stars=stars) == "invalid_stars"


def test_nothing_is_rated_before_it_is_ready_or_unless_registered(tree, answered):
    Question.objects.filter(pk=answered.pk).update(state="routed")
    answered.refresh_from_db()
    assert refused(rater=tree["youth"], subject=answered, stars=5) == "not_ready"
    notice = Notice(title="通知", body="")
    assert refused(rater=tree["youth"], subject=notice, stars=5) == "not_rateable"


def test_a_long_comment_is_refused(tree, answered):
    assert refused(rater=tree["youth"], subject=answered, stars=5, comment="长" * 501) == "too_long"
    assert not Rating.objects.exists()


def test_ratings_records_the_event_and_decides_what_counts(tree, answered):
    services.rate(rater=tree["youth"], subject=answered, stars=4)
    (event,) = answered.timeline.filter(kind="qa.rated")
    assert (event.actor_id, event.data["stars"], event.data["staff"]) == (
        tree["youth"].pk,
        4,
        False,
    )
    # What the standard score reads: whom it credits, under which term, from where.
    assert {key: event.data[key] for key in ("term", "credited", "team", "client")} == {
        "term": "answers",
        "credited": [],
        "team": None,
        "client": "",
    }


def test_a_rating_by_staff_or_by_the_handler_is_kept_but_does_not_count(tree, answered):
    rateable = services.RATEABLES["qa.question"]
    assert services.counts(rateable, answered, tree["youth"])
    # The committee's own staff: served as askers they may rate, but it is no youth's voice.
    assert not services.counts(rateable, answered, tree["gd_expert"])
    # Whoever handled it, even an account without a role here.
    Question.objects.filter(pk=answered.pk).update(assignee=tree["bj_cadre"])
    answered.refresh_from_db()
    assert not services.counts(rateable, answered, tree["bj_cadre"])
    # A reader from above only reads: a rating of theirs would still count as a youth's.
    assert services.counts(rateable, answered, tree["auditor"])
