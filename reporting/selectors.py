"""Read paths of the central console and the provincial dashboards: every figure of a
committee's subtree over a period, its children ranked, hot topics. All of it comes from the
public figures (one indexed read per node); ``figures_from_schemas`` computes the same totals
the slow way, from every committee's own schema, to check the rollup against its source."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, Q, QuerySet, Sum, When
from django_tenants.utils import schema_context

from core.models import User
from franchise import influence, text
from franchise.models import HomeListing, IndexStandard
from tenants.models import Committee

from . import freshness
from .metrics import COLUMNS, COUNTS, local_day, percentile
from .models import DailyFigures, RatingFlag, ResponseTimes, TopicCount

SORTS = [*COLUMNS, "youths", "satisfaction", "index", "response_median_s", "deflection_rate"]


@dataclass(frozen=True)
class Period:
    """Days from ``start`` to ``end`` (both included), optionally one standard category."""

    start: date
    end: date
    category: str | None = None

    @classmethod
    def last(cls, days: int = 30, *, category: str | None = None, today: date | None = None):
        end = today or local_day_now()
        return cls(end - timedelta(days=days - 1), end, category)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def local_day_now() -> date:
    from django.utils import timezone

    return local_day(timezone.now())


@dataclass
class Summary:
    """A node's figures over a period, with what is derived from them."""

    committee: Committee
    figures: dict[str, int]
    histogram: dict[int, int] = field(default_factory=dict)
    youths: int = 0
    satisfaction: float | None = None  # shrunk toward the national mean; None unrated
    index: influence.IndexScore | None = None

    @property
    def response_median_s(self) -> float | None:
        return percentile(self.histogram, 0.5)

    @property
    def response_p90_s(self) -> float | None:
        return percentile(self.histogram, 0.9)

    @property
    def rating_mean(self) -> float | None:
        n = self.figures["ratings"]
        return self.figures["rating_stars"] / n if n else None

    @property
    def high_share(self) -> float | None:
        n = self.figures["ratings"]
        return self.figures["ratings_high"] / n if n else None

    @property
    def deflection_rate(self) -> float | None:
        """The share of questions an existing answer settled before they were asked: answers
        taken instead of asking ÷ (those + questions asked); None with neither."""
        taken, asked = self.figures["deflected"], self.figures["asked"]
        return taken / (taken + asked) if taken + asked else None

    def value(self, name: str) -> float:
        """The metric ``name`` as a number to sort by, larger is better, missing ones last."""
        if name == "response_median_s":  # faster is better
            median = self.response_median_s
            return -median if median is not None else -math.inf
        if name == "index":
            found: float | None = self.index.value if self.index else None
        elif name in self.figures:
            found = self.figures[name]
        else:
            found = getattr(self, name)
        return float(found) if found is not None else -math.inf


def _cells(model, committees, period: Period, *, subtree: bool = True) -> QuerySet:
    cells = model.objects.filter(
        committee__in=committees, is_subtree=subtree, day__gte=period.start, day__lte=period.end
    )
    return cells.filter(category=period.category) if period.category else cells


def _sums() -> dict:
    return {column: Sum(column) for column in COLUMNS}


def _figures(row: dict) -> dict[str, int]:
    return {column: row.get(column) or 0 for column in COLUMNS}


def _youths(committees: list[Committee], period: Period) -> dict[int, int]:
    """Distinct youths served in each committee's subtree (a youth served in two cities counts
    once for their province)."""
    if not committees:
        return {}
    sql = """
        SELECT c.id, count(DISTINCT s.user_id)
        FROM tenants_committee c
        JOIN tenants_committee d ON d.path LIKE c.path || '%%'
        JOIN reporting_servedyouth s ON s.committee_id = d.id
        WHERE c.id = ANY(%s) AND s.day BETWEEN %s AND %s AND (%s::text IS NULL OR s.category = %s)
        GROUP BY c.id
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                [c.pk for c in committees],
                period.start,
                period.end,
                period.category,
                period.category,
            ],
        )
        return dict(cursor.fetchall())


def national_mean_rating(period: Period) -> float:
    """The mean rating of the whole platform over the period (the prior of satisfaction)."""
    roots = Committee.objects.filter(parent=None)
    row = _cells(DailyFigures, roots, period).aggregate(stars=Sum("rating_stars"), n=Sum("ratings"))
    return (row["stars"] or 0) / row["n"] if row["n"] else 0.0


def summaries(committees: list[Committee], period: Period) -> list[Summary]:
    """The subtree figures of each of ``committees`` over the period, scored (cached until the
    next shipped batch)."""
    ids = [c.pk for c in committees]
    key = "figures:{}:{}:{}:{}:{}".format(
        freshness.generation(),
        hashlib.sha1(",".join(map(str, ids)).encode()).hexdigest(),
        period.start,
        period.end,
        period.category,
    )
    found = cache.get(key)
    if found is None:
        found = _summaries(committees, ids, period)
        cache.set(key, found, timeout=SUMMARY_SECONDS)
    return found


# The figures move on with every batch; this only bounds what a quiet platform keeps.
SUMMARY_SECONDS = 600


def _summaries(committees: list[Committee], ids: list[int], period: Period) -> list[Summary]:
    rows = {
        row["committee"]: row
        for row in _cells(DailyFigures, ids, period).values("committee").annotate(**_sums())
    }
    histograms: dict[int, dict[int, int]] = {}
    for row in (
        _cells(ResponseTimes, ids, period)
        .values("committee", "bucket")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        histograms.setdefault(row["committee"], {})[row["bucket"]] = row["n"]
    youths = _youths(committees, period)
    standard = influence.standard_for(period.start)
    prior = national_mean_rating(period)
    found = []
    for committee in committees:
        figures = _figures(rows.get(committee.pk, {}))
        found.append(
            Summary(
                committee=committee,
                figures=figures,
                histogram=histograms.get(committee.pk, {}),
                youths=youths.get(committee.pk, 0),
                satisfaction=influence.shrunk_mean(
                    figures["rating_stars"],
                    figures["ratings"],
                    prior_mean=prior,
                    prior_weight=standard.rating_prior_weight,
                )
                if figures["ratings"]
                else None,
                index=influence.score(index_inputs(figures), standard),
            )
        )
    return found


def index_inputs(figures: dict[str, int]) -> influence.IndexInputs:
    return influence.IndexInputs(
        visits=figures["visits"],
        league_answers=figures["answered_by_league"],
        other_answers=figures["answered"] - figures["answered_by_league"],
        help_effective=figures["help_effective"],
        help_closed=figures["help_closed"],
        activities=max(figures["activities_counted"] - figures["activities_uncounted"], 0),
    )


def summary(committee: Committee, period: Period) -> Summary:
    return summaries([committee], period)[0]


def below(parent: Committee, level: str | None) -> list[Committee]:
    """The committees right below ``parent``, or every committee of ``level`` in its subtree."""
    if level:
        found = Committee.objects.filter(path__startswith=parent.path, level=level)
        found = found.exclude(pk=parent.pk)
    else:
        found = Committee.objects.filter(parent=parent)
    return list(found.exclude(schema_name="public").order_by("path"))


def _ranked(rows: list[Summary], sort: str) -> list[Summary]:
    key = sort if sort in SORTS else "index"
    return sorted(rows, key=lambda row: row.value(key), reverse=True)


def ranking(
    parent: Committee, period: Period, *, sort: str = "index", level: str | None = None
) -> list[Summary]:
    """The committees right below ``parent`` (or every committee of ``level`` in its
    subtree), best first by ``sort``."""
    return _ranked(summaries(below(parent, level), period), sort)


def overview(
    node: Committee, period: Period, *, sort: str = "index", level: str | None = None
) -> tuple[Summary, list[Summary]]:
    """The node's own summary and its ranking, from one computation of both."""
    found = summaries([node, *below(node, level)], period)
    return found[0], _ranked(found[1:], sort)


def trend(committee: Committee, period: Period) -> list[dict]:
    """The subtree's figures day by day (days without any are zeros)."""
    rows = {
        row["day"]: _figures(row)
        for row in _cells(DailyFigures, [committee.pk], period).values("day").annotate(**_sums())
    }
    return [
        {"day": day, **rows.get(day, dict.fromkeys(COLUMNS, 0))}
        for day in (period.start + timedelta(days=n) for n in range(period.days))
    ]


def by_category(committee: Committee, period: Period) -> dict[str, dict[str, int]]:
    """The subtree's figures per standard category."""
    return {
        row["category"]: _figures(row)
        for row in _cells(DailyFigures, [committee.pk], period)
        .values("category")
        .annotate(**_sums())
    }


# Hot topics are chosen by how far a term rises above its usual rate: the weeks that set
# that rate, the questions added to both sides so that a term seen once is not "infinitely"
# up, the fewest questions a listed term has this week, and the share of a word's questions
# a phrase must have to be listed instead of it.
USUAL_WEEKS = 4
SMOOTHING = 3.0
MIN_QUESTIONS = 3
PHRASE_SHARE = 0.6
TOPIC_SECONDS = 600


@dataclass(frozen=True)
class Topic:
    """A term of hot topics (热点关注): a word, or a phrase of two written together
    (stored as its words joined by ``text.PHRASE_JOINT``)."""

    term: str
    this_week: int
    last_week: int
    usual: float  # what the weeks before let expect this week, at this week's volume
    rise: float  # (this_week + k) / (usual + k)

    @property
    def label(self) -> str:
        return text.phrase_label(self.term)

    @property
    def words(self) -> list[str]:
        return self.term.split(text.PHRASE_JOINT)

    @property
    def is_phrase(self) -> bool:
        return text.PHRASE_JOINT in self.term

    @property
    def change(self) -> int:
        return self.this_week - self.last_week


def rise(this_week: int, usual: float) -> float:
    """How far ``this_week`` is above the ``usual`` count, smoothed by ``SMOOTHING``."""
    return (this_week + SMOOTHING) / (usual + SMOOTHING)


def listed_terms(counts: dict[str, int]) -> set[str]:
    """The terms of this week's ``counts`` that stand for themselves: a phrase that has at
    least ``PHRASE_SHARE`` of the questions of one of its words replaces that word; a phrase
    that replaces neither is left to its words. Phrases are taken most asked first (the
    dictionary's own, such as 拖欠工资, first among equals), and one is passed over when a
    word of it was already replaced: a title's chain of words (实习单位拖欠工资) gives
    实习单位 and 拖欠工资, not also 单位拖欠."""
    phrases = sorted(
        (term for term in counts if text.PHRASE_JOINT in term),
        key=lambda term: (-counts[term], not text.is_dictionary_phrase(term), term),
    )
    replaced: set[str] = set()
    listed: set[str] = set()
    for phrase in phrases:
        parts = phrase.split(text.PHRASE_JOINT)
        if replaced.intersection(parts):
            continue
        taken = [w for w in parts if counts.get(w) and counts[phrase] >= PHRASE_SHARE * counts[w]]
        if taken:
            replaced.update(taken)
            listed.add(phrase)
    words = {term for term in counts if text.PHRASE_JOINT not in term}
    return (words - replaced) | listed


def hot_topics(
    committee: Committee, *, today: date, category: str | None = None, limit: int = 15
) -> list[Topic]:
    """The terms of the subtree's questions in the seven days to ``today`` that rose most
    above their usual rate (the ``USUAL_WEEKS`` weeks before, scaled to this week's number
    of questions), each asked at least ``MIN_QUESTIONS`` times; cached until the next
    shipped batch."""
    key = f"topics:{freshness.generation()}:{committee.pk}:{today}:{category}:{limit}"
    found = cache.get(key)
    if found is None:
        found = _hot_topics(committee, today=today, category=category, limit=limit)
        cache.set(key, found, timeout=TOPIC_SECONDS)
    return found


def _hot_topics(
    committee: Committee, *, today: date, category: str | None, limit: int
) -> list[Topic]:
    this_start = today - timedelta(days=6)
    last_start = this_start - timedelta(days=7)
    span = Period(this_start - timedelta(days=7 * USUAL_WEEKS), today, category)
    now, before = Q(day__gte=this_start), Q(day__lt=this_start)
    volume = _cells(DailyFigures, [committee.pk], span).aggregate(
        now=Sum("asked", filter=now), before=Sum("asked", filter=before)
    )
    scale = (volume["now"] or 0) / volume["before"] if volume["before"] else 0.0
    rows = (
        _cells(TopicCount, [committee.pk], span)
        .values("term")
        .annotate(
            now=Sum("count", filter=now),
            last=Sum("count", filter=Q(day__gte=last_start, day__lt=this_start)),
            before=Sum("count", filter=before),
        )
        .filter(now__gt=0)
        .order_by()
    )
    rows_by_term = {row["term"]: row for row in rows}
    listed = listed_terms({term: row["now"] for term, row in rows_by_term.items()})
    topics = []
    for term in listed:
        row = rows_by_term[term]
        if row["now"] < MIN_QUESTIONS:
            continue
        usual = (row["before"] or 0) * scale
        topics.append(Topic(term, row["now"], row["last"] or 0, usual, rise(row["now"], usual)))
    topics.sort(key=lambda t: (-t.rise, -t.this_week, t.term))
    return topics[:limit]


def standard_in_force(period: Period) -> IndexStandard:
    return influence.standard_for(period.start)


# ---------------------------------------------------------------- the slow way, for checking


def _schema_figures() -> tuple[str, list]:
    """One committee's declared counts in a period, straight from its timeline."""
    parts = [count.aggregate() for count in COUNTS]
    sql = f"""
        SELECT {", ".join(part for part, _params in parts)}
        FROM timeline_event
        WHERE NOT data ? 'mirrored_from'
          AND (at AT TIME ZONE %s)::date BETWEEN %s AND %s
          AND (%s::text IS NULL OR category = %s)
    """
    return sql, [param for _part, params in parts for param in params]


def figures_from_schemas(committee: Committee, period: Period) -> dict[str, int]:
    """The subtree's timeline counts (visits aside) computed by visiting every committee's
    schema: what the figures must equal, and what the console would cost without them."""
    from django.conf import settings

    totals = dict.fromkeys(COLUMNS, 0)
    sql, params = _schema_figures()
    params += [settings.TIME_ZONE, period.start, period.end, period.category, period.category]
    for member in Committee.objects.filter(path__startswith=committee.path):
        with schema_context(member.schema_name), connection.cursor() as cursor:
            cursor.execute(sql, params)
            for count, value in zip(COUNTS, cursor.fetchone(), strict=True):
                totals[count.column] += value
    return totals


def homes_in(node: Committee) -> dict[str, int]:
    """The published youth homes of a subtree as they are now (the national directory): how
    many, how many meet the youth-home standard in force, and records the committees above
    have yet to check. Stocks, not sums over the period."""
    found = HomeListing.objects.filter(
        committee__path__startswith=node.path, is_published=True
    ).aggregate(
        homes=Count("id"),
        meeting=Count("id", filter=Q(meets_standard=True)),
        awaiting=Sum("awaiting_check"),
    )
    return {key: value or 0 for key, value in found.items()}


# ---------------------------------------------------------------- the standard scores


def standard_scores(node: Committee, *, kind: str, subtree: bool = False) -> QuerySet:
    """The standard scores (``reporting.standing``) of ``kind`` in ``node`` (or its whole
    subtree), best first; ties by more ratings."""
    from .models import StandardScore

    found = StandardScore.objects.filter(kind=kind).select_related("committee")
    if subtree:
        found = found.filter(committee__path__startswith=node.path)
    else:
        found = found.filter(committee=node)
    return found.order_by("-score", "-ratings", "pk")


def rank_of(score) -> int:
    """Where ``score`` stands among its committee's scores of its kind (1: the best)."""
    from .models import StandardScore

    better = StandardScore.objects.filter(committee_id=score.committee_id, kind=score.kind).filter(
        Q(score__gt=score.score) | Q(score=score.score, ratings__gt=score.ratings)
    )
    return better.count() + 1


def rating_flags(decision: str | None = None):
    """The flagged ratings, those to review first, the latest first; ``decision`` picks one
    state ("" for those to review)."""
    found = RatingFlag.objects.select_related("committee", "decided_by")
    if decision is not None:
        found = found.filter(decision=decision)
    return found.order_by(Case(When(decision="", then=0), default=1), "-flagged_at", "-id")


def with_people(flags) -> list:
    """``flags`` with their rater and the accounts credited read once (``rater``,
    ``credited_names``)."""
    flags = list(flags)
    ids = {f.rater_id for f in flags} | {pk for f in flags for pk in f.credited}
    people = User.objects.in_bulk(ids)
    for flag in flags:
        flag.rater = people.get(flag.rater_id)
        flag.credited_names = [str(people[pk]) for pk in flag.credited if pk in people]
    return flags
