"""What a central standard not saved yet would change, shown on the console before it is
saved: the influence index of every province this month, and the standard score of the
subjects it would move most. Nothing is written."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from franchise import influence
from franchise.models import IndexStandard, ScoreStandard
from tenants.models import Committee

from . import selectors, standing
from .models import StandardScore
from .selectors import Period

MOVERS = 20  # the subjects a score preview lists


@dataclass
class Effect:
    """A table of what changes: a row a committee or subject, with its value now and under
    the proposed standard."""

    headers: list[str]
    rows: list[list] = field(default_factory=list)
    summary: str = ""


def _this_month() -> Period:
    today = timezone.localdate()
    return Period(today.replace(day=1), today)


def index_effect(proposed: IndexStandard) -> Effect:
    """Every province's influence index this month, by the standard in force and by
    ``proposed``, with its rank under each."""
    provinces = list(Committee.objects.filter(level=Committee.Level.PROVINCE).order_by("path"))
    found = selectors.summaries(provinces, _this_month())
    now = {s.committee.pk: s.index.value if s.index else 0.0 for s in found}
    then = {
        s.committee.pk: influence.score(selectors.index_inputs(s.figures), proposed).value
        for s in found
    }
    rank_now = _ranks(now)
    rank_then = _ranks(then)
    effect = Effect(
        [_("Committee"), _("Index now"), _("Rank now"), _("Index proposed"), _("Rank proposed")]
    )
    for s in sorted(found, key=lambda s: -then[s.committee.pk]):
        pk = s.committee.pk
        effect.rows.append([s.committee.name, now[pk], rank_now[pk], then[pk], rank_then[pk]])
    moved = sum(rank_now[pk] != rank_then[pk] for pk in now)
    effect.summary = _("%(moved)s of %(n)s provinces change rank this month.") % {
        "moved": moved,
        "n": len(now),
    }
    return effect


def _ranks(values: dict[int, float]) -> dict[int, int]:
    ordered = sorted(values.values(), reverse=True)
    return {pk: ordered.index(value) + 1 for pk, value in values.items()}


def score_effect(proposed: ScoreStandard) -> Effect:
    """Every standard score recomputed from today's ratings by ``proposed``, against the
    kept ones: how many move, and the ``MOVERS`` that move most."""
    committees = list(Committee.objects.exclude(schema_name="public").order_by("path"))
    scores = standing.score(standing.facts(committees), proposed)
    names = {c.pk: c.name for c in committees}
    kept = {
        (row.committee_id, row.kind, row.subject_id): row
        for row in StandardScore.objects.only("committee_id", "kind", "subject_id", "name", "score")
    }
    changes = []
    for target, found in scores.standings.items():
        then = round(scores.score_of(target) or 0.0, 2)
        row = kept.get(target)
        now = row.score if row else None
        changes.append((abs(then - (now or 0.0)), target, row, now, then, found.ratings))
    changes.sort(key=lambda c: (-c[0], c[1]))
    effect = Effect(
        [_("Committee"), _("Scored"), _("Ratings"), _("Score now"), _("Score proposed")]
    )
    for _change, (committee_id, _kind, _subject), row, now, then, ratings in changes[:MOVERS]:
        name = row.name if row else ""
        effect.rows.append([names.get(committee_id, ""), name, ratings, now, then])
    moved = sum(1 for c in changes if c[0] >= 0.5)
    effect.summary = _("%(moved)s of %(n)s scores move by half a point or more.") % {
        "moved": moved,
        "n": len(changes),
    }
    return effect
