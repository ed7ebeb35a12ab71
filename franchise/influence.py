"""The influence index (影响力指数) of a committee over a period, as Guangdong defined it.

    base  = visits × w_visit + League answers × w_league + other answers × w_other
          + effective help cases × w_help + activities with registrations and photos × w_activity
    boost = effectiveness ÷ threshold  when help effectiveness (effective ÷ closed help cases)
            is at or above the threshold, else 1
    index = base × boost

The weights and the threshold are an ``IndexStandard``: the version in force on the period's
first day is used. A help case counts by the final word of each youth it served
(``helpcases.metrics``): closed is every final evaluation, effective one saying the help was real
and solved the problem. An activity counts once it had registrations and, after it ended,
photos were uploaded (``activities.services.count_if_due``), in the period that happened; a
fake activity confirmed so is taken back from that period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from .models import IndexStandard, in_force


@dataclass(frozen=True)
class IndexInputs:
    visits: int = 0  # effective unique visits to posts
    league_answers: int = 0  # questions answered by League cadres (团帮青)
    other_answers: int = 0  # by experts, organisations, departments
    help_effective: int = 0  # youths' final evaluations of help: real and solved
    help_closed: int = 0  # youths' final evaluations of help
    activities: int = 0  # activities that had registrations and, after them, photos


@dataclass(frozen=True)
class IndexScore:
    value: float
    base: float
    boost: float
    terms: dict[str, float]
    standard_version: int


# How a page names each term of the index.
TERM_LABELS = {
    "visits": _("Effective visits"),
    "league_answers": _("Answers by League cadres"),
    "other_answers": _("Other answers"),
    "help": _("Effective help cases"),
    "activities": _("Activities with registrations and photos"),
}


def standard_for(day: date) -> IndexStandard:
    """The standard in force on ``day`` (the earliest one for days before any)."""
    return in_force(IndexStandard.objects.all(), day)


def score(inputs: IndexInputs, standard: IndexStandard) -> IndexScore:
    terms = {
        "visits": inputs.visits * standard.visit_weight,
        "league_answers": inputs.league_answers * standard.league_answer_weight,
        "other_answers": inputs.other_answers * standard.other_answer_weight,
        "help": inputs.help_effective * standard.help_weight,
        "activities": inputs.activities * standard.activity_weight,
    }
    base = sum(terms.values())
    boost = 1.0
    if inputs.help_closed:
        effectiveness = inputs.help_effective / inputs.help_closed
        if effectiveness >= standard.boost_threshold:
            boost = effectiveness / standard.boost_threshold
    return IndexScore(
        value=round(base * boost, 2),
        base=round(base, 2),
        boost=round(boost, 4),
        terms={name: round(points, 2) for name, points in terms.items()},
        standard_version=standard.version,
    )


def shrunk_mean(stars: int, count: int, *, prior_mean: float, prior_weight: int) -> float | None:
    """A Bayesian average of ratings: the committee's mean pulled toward the national mean as
    if ``prior_weight`` ratings at that mean were added, so a few five-star ratings cannot top
    the ranking. None when there is nothing to go on."""
    if count + prior_weight == 0:
        return None
    return (prior_weight * prior_mean + stars) / (prior_weight + count)
