"""The youth-judgement standard score (青年评议标准分) of every staff member and team.

Every youth rating of what someone answered, handled or ran credits the accounts and the team
its event names (``ratings.services.rate`` records them; events marked ``staff``, by staff or
of one's own work, and copies from another committee are left out). Like the figures, the
score reads the committees' timelines only: the kinds of rating event are declared here by
``ratings.register`` (``RATED_KINDS``). For one subject in one committee, with the
``ScoreStandard`` in force:

    weight of a rating = the weight of its term (answers, help, bookings, activities)
                         × the suspect weight when it is flagged (else 1)
    mean  = Σ weight × stars ÷ Σ weight
    shrunk = (prior × national mean + Σ weight × stars) ÷ (prior + Σ weight)
    score = (shrunk − 1) ÷ 4 × 100

The national mean is the weighted mean of every rating on the platform not flagged. A rating
is flagged,
per subject rated, when its rater's account was made within the burst window of the accounts
of ``burst_accounts − 1`` other raters of that subject (a burst), or when another rater of it
used the same address first. Flagged ratings of a subject can move its score by at most
``burst_bound``: with the first standard, five burst ratings move a score by at most 2 points
of 100, whatever they say.

Example (first standard: answers weigh 1, prior 10, national mean 4.0): a cadre with 30
answer ratings averaging 4.6 scores ((10 × 4.0 + 30 × 4.6) ÷ 40 − 1) ÷ 4 × 100 = 86.25.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import access
from core.errors import ServiceError
from core.models import User
from franchise.models import ScoreStandard, in_force
from tenants.models import Committee

from .models import RatingFlag, StandardScore

CHUNK = 200  # schemas read in one query
RATED_KINDS: set[str] = set()  # the timeline kinds of a rating, "qa.rated"

Target = tuple[int, str, int]  # (committee id, "account" | "team", subject id)


@dataclass(frozen=True)
class Fact:
    """One youth's rating, as the score reads it."""

    committee_id: int
    event_id: int
    term: str
    stars: int
    rater_id: int
    client: str
    credited: tuple[int, ...]
    team_id: int | None
    joined_at: datetime  # when the rater's account was made
    team_name: str = ""

    def targets(self) -> Iterator[Target]:
        for account in self.credited:
            yield (self.committee_id, StandardScore.Kind.ACCOUNT, account)
        if self.team_id is not None:
            yield (self.committee_id, StandardScore.Kind.TEAM, self.team_id)


@dataclass
class Standing:
    ratings: int = 0
    flagged: int = 0
    weight: float = 0.0
    stars: float = 0.0  # Σ weight × stars
    terms: dict[str, list[float]] = field(default_factory=dict)  # term: [ratings, Σ stars]

    def mean(self) -> float:
        return self.stars / self.weight if self.weight else 0.0


def standard_for(day: date) -> ScoreStandard:
    """The version in force on ``day`` (the earliest one for days before any)."""
    return in_force(ScoreStandard.objects.all(), day)


def shrunk(standing: Standing, *, national_mean: float, prior: float) -> float:
    return (prior * national_mean + standing.stars) / (prior + standing.weight)


def points(stars: float) -> float:
    """Stars (1–5) on the score's scale of 100."""
    return (stars - 1) / 4 * 100


def burst_bound(standard: ScoreStandard, flagged: int) -> float:
    """The most ``flagged`` suspect ratings can move any subject's score, in points: each
    weighs at most the heaviest term × the suspect weight, and stars differ from any mean by
    at most 4."""
    heaviest = max(
        standard.weight_of(term) for term in ("answers", "help", "bookings", "activities")
    )
    suspect = flagged * heaviest * standard.suspect_weight
    return points(1 + 4 * suspect / (standard.prior_weight + suspect))


def _bursts(facts: list[Fact], *, accounts: int, window_s: int) -> set[int]:
    """The ratings among ``facts`` (one subject's) whose raters' accounts were made in a
    burst: ``accounts`` distinct raters or more whose accounts were made within
    ``window_s`` of each other (one youth's several ratings are one account)."""
    by_rater: dict[int, list[Fact]] = defaultdict(list)
    for fact in facts:
        by_rater[fact.rater_id].append(fact)
    raters = sorted(by_rater, key=lambda rater: (by_rater[rater][0].joined_at, rater))
    joined = [by_rater[rater][0].joined_at for rater in raters]
    found: set[int] = set()
    start = 0
    for end in range(len(raters)):
        while (joined[end] - joined[start]).total_seconds() > window_s:
            start += 1
        if end - start + 1 >= accounts:
            for rater in raters[start : end + 1]:
                found.update(f.event_id for f in by_rater[rater])
    return found


def _shared_addresses(facts: list[Fact]) -> set[int]:
    """The ratings of one subject from an address another, earlier rater of it used (a
    youth rating twice from their own address is not suspect)."""
    first: dict[str, int] = {}
    found: set[int] = set()
    for fact in sorted(facts, key=lambda fact: fact.event_id):
        if not fact.client:
            continue
        rater = first.setdefault(fact.client, fact.rater_id)
        if rater != fact.rater_id:
            found.add(fact.event_id)
    return found


def flags_of(facts: Iterable[Fact], standard: ScoreStandard) -> dict[tuple[int, int], set[str]]:
    """The suspect ratings, (committee id, rating id): their reasons."""
    by_target: dict[Target, list[Fact]] = defaultdict(list)
    for fact in facts:
        for target in fact.targets():
            by_target[target].append(fact)
    flags: dict[tuple[int, int], set[str]] = defaultdict(set)
    for target, rated in by_target.items():
        committee_id = target[0]
        bursts = _bursts(rated, accounts=standard.burst_accounts, window_s=standard.burst_window_s)
        for event_id in bursts:
            flags[(committee_id, event_id)].add(RatingFlag.Reason.BURST)
        for event_id in _shared_addresses(rated):
            flags[(committee_id, event_id)].add(RatingFlag.Reason.ADDRESS)
    return flags


@dataclass(frozen=True)
class Scores:
    standings: dict[Target, Standing]
    flags: dict[tuple[int, int], set[str]]
    national_mean: float | None
    standard: ScoreStandard

    def score_of(self, target: Target) -> float | None:
        standing = self.standings.get(target)
        if standing is None or self.national_mean is None:
            return None
        return points(
            shrunk(standing, national_mean=self.national_mean, prior=self.standard.prior_weight)
        )


def score(
    facts: list[Fact], standard: ScoreStandard, decisions: dict[tuple[int, int], str] | None = None
) -> Scores:
    """Every subject's standing from the youths' ratings, by ``standard``; a flagged rating
    the central office reviewed (``decisions``: (committee id, rating id): decision) counts
    in full once cleared, and not at all once confirmed."""
    decisions = decisions or {}
    flags = flags_of(facts, standard)
    standings: dict[Target, Standing] = defaultdict(Standing)
    total_weight = total_stars = 0.0
    for fact in facts:
        key = (fact.committee_id, fact.event_id)
        decision = decisions.get(key, "") if key in flags else ""
        if decision == RatingFlag.Decision.CONFIRMED:
            continue
        weight = standard.weight_of(fact.term)
        is_flagged = key in flags and decision != RatingFlag.Decision.CLEARED
        if is_flagged:
            weight *= standard.suspect_weight
        else:
            total_weight += weight
            total_stars += weight * fact.stars
        for target in fact.targets():
            standing = standings[target]
            standing.ratings += 1
            standing.flagged += is_flagged
            standing.weight += weight
            standing.stars += weight * fact.stars
            term = standing.terms.setdefault(fact.term, [0, 0])
            term[0] += 1
            term[1] += fact.stars
    national = total_stars / total_weight if total_weight else None
    return Scores(dict(standings), dict(flags), national, standard)


def decide(*, flag: RatingFlag, actor, decision: str) -> RatingFlag:
    """The central office clears a flagged rating (it counts in full) or confirms it (it no
    longer counts), from the next recompute; in the change log."""
    if not access.is_central_admin(actor):
        raise ServiceError(
            "forbidden", _("Only the central office reviews flagged ratings."), status=403
        )
    if decision not in (RatingFlag.Decision.CLEARED, RatingFlag.Decision.CONFIRMED):
        raise ServiceError("invalid", _("Clear it or confirm it."), field="decision")
    with transaction.atomic():
        flag = RatingFlag.objects.select_for_update().get(pk=flag.pk)
        if flag.decision:
            raise ServiceError("decided", _("This rating was reviewed."), status=409)
        flag.decision, flag.decided_by, flag.decided_at = decision, actor, timezone.now()
        flag.save(update_fields=["decision", "decided_by", "decided_at"])
        LogEntry.objects.log_actions(
            user_id=actor.pk,
            queryset=[flag],
            action_flag=CHANGE,
            change_message=str(flag.get_decision_display()),
            single_object=True,
        )
    return flag


# ---------------------------------------------------------------- reading and saving


def _schemas(committees: list[Committee]) -> Iterator[list[Committee]]:
    for start in range(0, len(committees), CHUNK):
        yield committees[start : start + CHUNK]


RATINGS = (
    "(SELECT %s, id, actor_id, data->>'term', (data->>'stars')::int,"
    " coalesce(data->>'client', ''), data->'credited', (data->>'team')::bigint,"
    " coalesce(data->>'team_name', '')"
    " FROM {schema}.timeline_event WHERE kind = ANY(%s) AND data ? 'credited'"
    " AND NOT data @> '{{\"staff\": true}}' AND NOT data ? 'mirrored_from' AND origin = '')"
)


def facts(committees: list[Committee], *, progress: Callable = iter) -> list[Fact]:
    """Every youth rating that credits someone, in ``committees``' timelines."""
    kinds = sorted(RATED_KINDS)
    quote = connection.ops.quote_name
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for chunk in progress(list(_schemas(committees))):
            cursor.execute(
                " UNION ALL ".join(RATINGS.format(schema=quote(c.schema_name)) for c in chunk),
                [value for c in chunk for value in (c.pk, kinds)],
            )
            rows.extend(cursor.fetchall())
    joined = dict(
        User.objects.filter(pk__in={row[2] for row in rows}).values_list("pk", "date_joined")
    )
    found = []
    for committee_id, event_id, rater, term, stars, client, credited, team, name in rows:
        credited = json.loads(credited) if isinstance(credited, str) else credited or []
        if rater not in joined or not 1 <= (stars or 0) <= 5 or not (credited or team):
            continue
        found.append(
            Fact(
                committee_id=committee_id,
                event_id=event_id,
                term=term or "",
                stars=stars,
                rater_id=rater,
                client=client,
                credited=tuple(credited),
                team_id=team,
                joined_at=joined[rater],
                team_name=name,
            )
        )
    return found


def recompute(*, on: date | None = None, progress: Callable = iter) -> Scores:
    """Recompute every standard score on the platform and its flags, by the standard in
    force ``on`` (today), and replace the kept ones in one transaction."""
    on = on or timezone.localdate()
    committees = list(Committee.objects.exclude(schema_name="public").order_by("path"))
    standard = standard_for(on)
    found = facts(committees, progress=progress)
    # A flag keeps the day it was first flagged and the central office's decision.
    kept = {
        (flag.committee_id, flag.event_id): flag
        for flag in RatingFlag.objects.only(
            "committee_id", "event_id", "flagged_at", "decision", "decided_by", "decided_at"
        )
    }
    scores = score(found, standard, {key: flag.decision for key, flag in kept.items()})
    # A team is named as its latest rating's event names it.
    ordered = sorted(found, key=lambda fact: fact.event_id)
    teams = {(f.committee_id, f.team_id): f.team_name for f in ordered}
    accounts = {target[2] for target in scores.standings if target[1] == StandardScore.Kind.ACCOUNT}
    people = dict(User.objects.filter(pk__in=accounts).values_list("pk", "name"))
    now = timezone.now()
    rows = [
        StandardScore(
            committee_id=committee_id,
            kind=kind,
            subject_id=subject_id,
            name=(
                people.get(subject_id, "")
                if kind == StandardScore.Kind.ACCOUNT
                else teams.get((committee_id, subject_id), "")
            )[:100],
            ratings=standing.ratings,
            weight=round(standing.weight, 4),
            mean=round(standing.mean(), 4),
            score=round(scores.score_of((committee_id, kind, subject_id)) or 0.0, 2),
            flagged=standing.flagged,
            terms={
                term: [int(n), round(total / n, 2)] for term, (n, total) in standing.terms.items()
            },
            standard_version=standard.version,
            computed_at=now,
        )
        for (committee_id, kind, subject_id), standing in scores.standings.items()
    ]
    rated = {(f.committee_id, f.event_id): f for f in found}
    flags = []
    for key, reasons in scores.flags.items():
        fact, before = rated[key], kept.get(key)
        flags.append(
            RatingFlag(
                committee_id=key[0],
                event_id=key[1],
                rater_id=fact.rater_id,
                reasons=sorted(reasons),
                stars=fact.stars,
                credited=list(fact.credited),
                team_name=fact.team_name[:100],
                flagged_at=before.flagged_at if before else now,
                decision=before.decision if before else "",
                decided_by_id=before.decided_by_id if before else None,
                decided_at=before.decided_at if before else None,
            )
        )
    with transaction.atomic():
        StandardScore.objects.all().delete()
        StandardScore.objects.bulk_create(rows, batch_size=2000)
        RatingFlag.objects.all().delete()
        RatingFlag.objects.bulk_create(flags, batch_size=2000)
    return scores
