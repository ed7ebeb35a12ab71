"""A province's assessment report (考核, ``reporting.assessment``) and its files: how long
``assessment.report(province, term)`` (which assesses the previous period too) and
``assessment_files.as_pdf(report)`` and ``as_xlsx(report)`` take for a province of
``--cities`` cities with ``--counties`` counties each.

Provisions by clone the central committee, one province (``gd``, 共青团广东省委), its cities
(广州, 深圳, … roughly in Guangdong's order of size; numbered ones past the 21 real ones) and
the counties under each city. Then it writes two months of the rollup's figures (the assessed
month, ``--month``, by default last month, and the month before) straight into the public
tables by ``COPY``, as ``reporting.shipping`` would have left them, without any timeline
(nothing is shipped; the shipping itself is ``bench/rollup.py``'s):

* ``reporting_dailyfigures``: for every committee (the central one and the province too), day
  and standard category with anything in it, its own cell (``is_subtree`` false) with a
  plausible number in every column of ``reporting.metrics.COLUMNS``: questions asked,
  answered (by the League or by others), solved, overdue, deflected, rated with 1-5 stars,
  transferred out to the parent (which are the parent's transfers in); help cases received,
  verified, resolved, reported back (in time; by League and social organisations),
  evaluated, effective, rated, collective demands and their youths, transferred; youth-home
  bookings, attendance, ratings (some not as described) and O2O referrals; activities
  published, held, registrations, check-ins, ratings (some not as described), counted,
  entries, fake ones; reactions (likes, roasts, answers judged); suggestions, surveys and
  visits (a column it has no rule for gets a
  small count, and is named). Each committee's traits (how much it answers and how fast,
  its ratings' stars, its help's effect …) are drawn once, so that the ranking is no tie.
  The subtree cells (``is_subtree`` true) of each committee and of each of its ancestors
  are the exact sums of the own cells below them (checked by SQL after writing);
* ``reporting_responsetimes``: the histogram of the first answers' times (one per answered
  question, log-normal around the committee's median), own and subtree cells alike;
* ``reporting_servedyouth``: the youths served (first answers, help reported back, activity
  check-ins, youth-home attendance), drawn with repeats from each city's youths, a few from
  the province's (a youth served in two cities), once per committee, day and category.

``--monthly`` questions are asked a month in the province's subtree (Guangdong's 100,000 by
default): cities by a Zipf law, a city's own portal about a third of its subtree.

Then ``--rounds`` rounds, each after ``cache.clear()`` (a FLUSHDB of ``REDIS_URL``'s
database: give the script one of its own) and ``freshness.moved_on()``, so that no cached
summary helps: ``assessment.report(gd, term)``, ``as_pdf(report)`` and ``as_xlsx(report)``,
timed apart and together (p50 and max; the first round, with a fresh process's fonts and
templates, is counted and also shown apart). The goal: report + PDF + XLSX p50 < 5 s.

Checked once, against the script's own count from the arrays it wrote (not read back) by the
rules of ``reporting.assessment``'s docstring written out again by hand: the report ranks
exactly the cities; each city's sample and value of every indicator (``answer_rate``: the
city subtree's ``answered`` ÷ (``asked`` − ``transferred_out`` + ``transferred_in``) over the
month, on that; ``activity``: the
distinct youths served in the city and its counties …), its points, total and rank, and the
previous month's total and rank; the PDF, read back by ``pdftotext``, names every city; the
XLSX, opened by openpyxl, has one data row per city in the report's order. It exits 1 on a
failed check or an error, never on a missed goal; ``--profile`` adds a round under cProfile.

    .venv/bin/python bench/assessment.py [--cities 20] [--counties 10] [--rounds 10]
        [--monthly 100000] [--month YYYY-MM] [--seed 2026] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import math
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    bench_database,
    goal,
    provision_central,
    provision_plan,
    server_description,
)

GOAL_S = 5.0
PROVINCE = ("gd", "共青团广东省委")
# Guangdong's cities, roughly by size (codes as the platform would give them).
CITIES = [
    ("gz", "广州"), ("sz", "深圳"), ("fs", "佛山"), ("dg", "东莞"), ("hz", "惠州"),
    ("zs", "中山"), ("jm", "江门"), ("st", "汕头"), ("zj", "湛江"), ("zh", "珠海"),
    ("mm", "茂名"), ("zq", "肇庆"), ("jy", "揭阳"), ("qy", "清远"), ("mz", "梅州"),
    ("sg", "韶关"), ("yj", "阳江"), ("hy", "河源"), ("cz", "潮州"), ("sw", "汕尾"),
    ("yf", "云浮"),
]  # fmt: skip
ZIPF = 0.9  # a city's questions are proportional to its rank ** -ZIPF
PROVINCE_OWN = 0.04  # of the subtree's questions, asked on the province's own portal
CITY_OWN = 0.35  # of a city's subtree, asked on the city's own portal
CENTRAL_OWN = 0.03  # the central portal's own questions, against the province's
# The categories' shares of the questions, by their code (others: an even share).
CATEGORY_SHARE = {
    "study": 0.2, "career": 0.2, "mental": 0.12, "rights": 0.1, "romance": 0.06,
    "health": 0.08, "league": 0.1, "volunteer": 0.07, "other": 0.07,
}  # fmt: skip
WEEKDAY = [1.0, 0.95, 0.95, 1.0, 0.9, 1.15, 1.2]  # Monday first
STARS = np.array([1, 2, 3, 4, 5])
STAR_WEIGHTS = np.array([3, 4, 10, 30, 53], dtype=float)
MOVERS = 0.05  # served youths of a city drawn from the province's pool instead
POOL = 0.8  # a city's youths, against the questions asked a month in its subtree

# The columns the assessment reads (reporting.assessment's indicators), by kind of rating.
RATED = [
    ("ratings", "rating_stars"),
    ("help_ratings", "help_rating_stars"),
    ("home_ratings", "home_rating_stars"),
    ("activity_ratings", "activity_rating_stars"),
]

# ---------------------------------------------------------------- the committees


def city_names(n: int) -> list[tuple[str, str]]:
    return CITIES[:n] + [(f"c{i + 1:02d}", f"第{i + 1}") for i in range(len(CITIES), n)]


def tree(cities: int, counties: int) -> list[dict]:
    """The province, its cities and their counties, for ``provision_plan`` (``parent``: the
    index in the plan; None for the central committee)."""
    code, name = PROVINCE
    plan: list[dict] = [{"code": code, "name": name, "level": "province"}]
    for city_code, city in city_names(cities):
        plan.append(
            {
                "code": f"{code}-{city_code}",
                "name": f"共青团{city}市委",
                "level": "city",
                "parent": 0,
            }
        )
        parent = len(plan) - 1
        for j in range(counties):
            plan.append(
                {
                    "code": f"{code}-{city_code}-x{j + 1:02d}",
                    "name": f"共青团{city}市第{j + 1}区委",
                    "level": "county",
                    "parent": parent,
                }
            )
    return plan


# ---------------------------------------------------------------- the figures


@dataclass
class Written:
    """What the script wrote, as arrays indexed by committee (path order), day, category."""

    committees: list  # tenants.Committee, in path order
    ancestors: list[list[int]]  # per committee: its own index and its ancestors'
    days: list[date]
    categories: list[str]
    columns: list[str]
    own: np.ndarray  # (committee, day, category, column)
    subtree: np.ndarray  # the same, summed over each committee's subtree
    hist: np.ndarray  # own histogram rows: committee, day, category, bucket, count
    served: np.ndarray  # served youths: committee, day, category, user
    generic: list[str] = field(default_factory=list)  # columns without a rule of their own
    rows: dict[str, int] = field(default_factory=dict)

    def members(self, i: int) -> np.ndarray:
        """The indices of committee ``i``'s subtree (itself included)."""
        return np.array([c for c, up in enumerate(self.ancestors) if i in up])

    def day_mask(self, start: date, end: date) -> np.ndarray:
        return np.array([start <= d <= end for d in self.days])


def bucket_of(seconds: np.ndarray) -> np.ndarray:
    """The response-time bucket (``reporting.metrics``' rule, written out again): 0 under a
    minute, then one more for each growth by a quarter, at most 63."""
    safe = np.maximum(seconds, 60.0)
    grown = 1 + np.floor(np.log(safe / 60.0) / np.log(1.25)).astype(np.int64)
    return np.where(seconds < 60.0, 0, np.minimum(63, grown))


def bucket_seconds(bucket: int) -> float:
    return 30.0 if bucket == 0 else 60.0 * 1.25 ** (bucket - 0.5)


def volumes(committees: list, monthly: int, rng: np.random.Generator) -> np.ndarray:
    """Questions a day asked on each committee's own portal."""
    by_code = {c.code: i for i, c in enumerate(committees)}
    share = np.zeros(len(committees))
    province = next(c for c in committees if c.level == "province")
    # In the order provisioned (CITIES' order of size), not the path's (the codes').
    cities = sorted((c for c in committees if c.level == "city"), key=lambda c: c.pk)
    city_weights = np.array([(k + 1) ** -ZIPF for k in range(len(cities))])
    city_weights /= city_weights.sum()
    share[by_code[province.code]] = PROVINCE_OWN
    central = next(c for c in committees if c.level == "central")
    share[by_code[central.code]] = CENTRAL_OWN
    for city, weight in zip(cities, city_weights, strict=True):
        below = [i for i, c in enumerate(committees) if c.parent_id == city.pk]
        subtree = (1 - PROVINCE_OWN) * weight
        if not below:
            share[by_code[city.code]] = subtree
            continue
        share[by_code[city.code]] = subtree * CITY_OWN
        spread = rng.lognormal(0.0, 0.8, len(below))
        share[below] = subtree * (1 - CITY_OWN) * spread / spread.sum()
    return share * monthly / 30.0


def star_shares(quality: float) -> np.ndarray:
    p = STAR_WEIGHTS * np.exp(quality * np.array([-0.6, -0.3, 0.0, 0.3, 0.6]))
    return p / p.sum()


class Planner:
    """Plausible own cells of every committee: each column drawn from the ones it follows."""

    def __init__(self, rng: np.random.Generator, per_day: np.ndarray, days: list[date],
                 categories: list[str]) -> None:  # fmt: skip
        self.rng = rng
        n = len(per_day)
        self.shape = (n, len(days), len(categories))
        weekday = np.array([WEEKDAY[d.weekday()] for d in days])
        shares = np.array([CATEGORY_SHARE.get(k, 1.0 / len(categories)) for k in categories])
        shares /= shares.sum()
        self.mean = per_day[:, None, None] * weekday[None, :, None] * shares[None, None, :]

    def trait(self, low: float, high: float) -> np.ndarray:
        """A share drawn once for each committee."""
        return self.rng.uniform(low, high, self.shape[0])[:, None, None]

    def pois(self, mean) -> np.ndarray:
        return self.rng.poisson(np.broadcast_to(mean, self.shape)).astype(np.int64)

    def binom(self, n: np.ndarray, p) -> np.ndarray:
        return self.rng.binomial(n, np.broadcast_to(p, self.shape)).astype(np.int64)

    def stars(self, n: np.ndarray, quality: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The stars of ``n`` ratings per cell and how many had 4 or 5."""
        total, high = np.zeros_like(n), np.zeros_like(n)
        for c in range(n.shape[0]):
            counts = self.rng.multinomial(n[c], star_shares(quality[c]))
            total[c] = counts @ STARS
            high[c] = counts[..., 3] + counts[..., 4]
        return total, high

    def figures(self, parents: list[int | None]) -> dict[str, np.ndarray]:
        t, pois, binom, mean = self.trait, self.pois, self.binom, self.mean
        n = self.shape[0]
        quality = self.rng.uniform(-1.0, 1.0, n)
        f: dict[str, np.ndarray] = {}
        # Questions.
        f["asked"] = asked = pois(mean)
        f["answered"] = answered = binom(asked, t(0.72, 0.97))
        f["answered_by_league"] = binom(answered, t(0.5, 0.8))
        f["solved"] = solved = binom(answered, t(0.4, 0.7))
        f["overdue"] = binom(asked - answered, 0.6) + binom(answered, t(0.02, 0.12))
        f["transferred_out"] = binom(asked, t(0.01, 0.04))
        f["ratings"] = ratings = binom(solved, t(0.55, 0.85))
        f["rating_stars"], f["ratings_high"] = self.stars(ratings, quality)
        f["deflected"] = binom(asked, t(0.05, 0.2))
        f["visits"] = pois(asked * 1.6 + mean * 2)
        # Help cases.
        f["help_received"] = received = pois(mean * t(0.03, 0.05))
        f["help_verified"] = verified = binom(received, 0.86)
        f["help_resolved"] = resolved = binom(verified, 0.85)
        f["help_reported"] = reported = binom(resolved, 0.93)
        f["help_reported_in_time"] = binom(reported, t(0.7, 0.95))
        f["help_closed"] = closed = binom(reported, 0.85)
        f["help_effective"] = binom(closed, t(0.6, 0.9))
        f["help_ratings"] = help_ratings = binom(closed, 0.98)
        help_quality = np.clip(quality + self.rng.normal(0, 0.3, n), -1, 1)
        f["help_rating_stars"], _high = self.stars(help_ratings, help_quality)
        f["help_by_league_orgs"] = league = binom(reported, 0.15)
        f["help_by_social_orgs"] = binom(reported - league, 0.12)
        f["help_collective"] = collective = binom(received, 0.03)
        f["help_collective_size"] = 3 * collective + self.rng.poisson(collective * 9)
        f["help_transferred_out"] = binom(received, 0.02)
        # Youth homes and offline services (O2O).
        f["home_bookings"] = bookings = pois(mean * t(0.05, 0.4))
        f["home_promotions"] = binom(bookings, 0.05)
        f["home_cancellations"] = cancelled = binom(bookings, 0.1)
        f["home_attended"] = attended = binom(bookings - cancelled, t(0.75, 0.95))
        f["home_no_shows"] = bookings - cancelled - attended
        f["home_ratings"] = home_ratings = binom(attended, 0.4)
        f["home_rating_stars"], _high = self.stars(home_ratings, quality)
        f["home_not_as_described"] = binom(home_ratings, t(0.0, 0.06))
        f["home_consultations"] = pois(mean * 0.05)
        f["o2o_referrals"] = referred = binom(asked, t(0.02, 0.06))
        f["o2o_booked"] = booked = binom(referred, 0.7)
        f["o2o_served"] = served = binom(booked, t(0.7, 0.9))
        f["o2o_no_shows"] = binom(booked - served, 0.7)
        # Activities.
        f["activities_published"] = published = pois(mean * t(0.005, 0.03))
        f["activities_held"] = held = binom(published, t(0.75, 0.95))
        f["activity_registrations"] = registered = pois(held * 25 + published * 5)
        f["activity_promotions"] = binom(registered, 0.05)
        f["activity_withdrawals"] = withdrawn = binom(registered, 0.08)
        f["activity_teams"] = binom(registered, 0.03)
        f["activity_check_ins"] = checked_in = binom(registered - withdrawn, t(0.7, 0.9))
        f["activity_photos"] = pois(held * 3)
        f["activity_ratings"] = activity_ratings = binom(checked_in, 0.35)
        activity_quality = np.clip(quality + self.rng.normal(0, 0.3, n), -1, 1)
        f["activity_rating_stars"], _high = self.stars(activity_ratings, activity_quality)
        f["activity_not_as_described"] = binom(activity_ratings, t(0.0, 0.06))
        f["activities_counted"] = counted = binom(held, 0.9)
        f["activities_uncounted"] = binom(counted, 0.05)
        f["activity_entries"] = entries = pois(published * 2)
        f["activity_votes"] = pois(entries * 10)
        f["activity_share_opens"] = pois(published * 30)
        f["activity_ideas"] = ideas = pois(mean * 0.01)
        f["activity_ideas_taken"] = binom(ideas, 0.2)
        f["activity_reports"] = reports = pois(held * 0.05)
        f["activities_fake"] = binom(reports, t(0.0, 0.4))
        # Reactions: likes and roasts, answers judged helpful or disliked.
        f["likes"] = pois(answered * 0.6 + mean * 0.3)
        f["roasts"] = binom(asked, 0.03)
        f["answers_helpful"] = helpful = binom(answered, t(0.3, 0.5))
        f["answers_disliked"] = binom(answered - helpful, 0.08)
        # Suggestions and surveys.
        f["suggestions_received"] = suggested = pois(mean * 0.03)
        f["suggestions_answered"] = answered_s = binom(suggested, 0.8)
        f["suggestions_adopted"] = binom(answered_s, 0.2)
        f["surveys_published"] = surveys = pois(mean * 0.002)
        f["survey_responses"] = pois(surveys * 50 + mean * 0.05)
        # Transfers in: the children's transfers out, on the same day and category.
        for key in ("transferred", "help_transferred"):
            f[f"{key}_in"] = np.zeros(self.shape, dtype=np.int64)
            for c, p in enumerate(parents):
                if p is not None:
                    f[f"{key}_in"][p] += f[f"{key}_out"][c]
        return f


def plan_figures(committees: list, days: list[date], categories: list[str], monthly: int,
                 seed: int) -> Written:  # fmt: skip
    from reporting.metrics import COLUMNS

    rng = np.random.default_rng(seed)
    index = {c.pk: i for i, c in enumerate(committees)}
    parents = [index.get(c.parent_id) for c in committees]
    ancestors = []
    for i in range(len(committees)):
        up, j = [], i
        while j is not None:
            up.append(j)
            j = parents[j]
        ancestors.append(up)
    per_day = volumes(committees, monthly, rng)
    planner = Planner(rng, per_day, days, categories)
    figures = planner.figures(parents)
    generic = [c for c in COLUMNS if c not in figures]
    for column in generic:  # a column added since: a small count, named in the output
        figures[column] = planner.pois(planner.mean * 0.02)
    own = np.stack([figures[c] for c in COLUMNS], axis=-1)
    subtree = np.zeros_like(own)
    for i, up in enumerate(ancestors):
        for a in up:
            subtree[a] += own[i]

    # One time per first answer, around the committee's own median.
    medians = np.exp(rng.normal(math.log(4 * 3600), 0.5, len(committees)))
    answered = figures["answered"]
    cells = np.nonzero(answered)
    c, d, k = (np.repeat(axis, answered[cells]) for axis in cells)
    seconds = np.exp(rng.normal(np.log(medians[c]), 1.0))
    keys, counts = np.unique(np.stack([c, d, k, bucket_of(seconds)], axis=1), axis=0,
                             return_counts=True)  # fmt: skip
    hist = np.column_stack([keys, counts])

    # The youths served, from each city's youths (the province's or the nation's above).
    cities = [i for i, x in enumerate(committees) if x.level == "city"]
    pool_start, pool_size = np.zeros(len(committees), np.int64), np.zeros(len(committees), np.int64)
    start = 1_000_000
    province_i = next(i for i, x in enumerate(committees) if x.level == "province")
    central_i = next(i for i, x in enumerate(committees) if x.level == "central")
    for city in cities:
        asked_month = figures["asked"][[m for m, up in enumerate(ancestors) if city in up]].sum()
        size = max(200, int(POOL * asked_month * 30 / len(days)))
        for m, up in enumerate(ancestors):
            if city in up:
                pool_start[m], pool_size[m] = start, size
        start += size
    for i, size in ((province_i, max(200, monthly // 10)), (central_i, max(200, monthly // 20))):
        pool_start[i], pool_size[i] = start, size
        start += size
    moving = np.ones(len(committees), dtype=bool)  # may draw from the province's pool
    moving[[province_i, central_i]] = False
    serving = (
        figures["answered"]
        + figures["help_reported"]
        + figures["activity_check_ins"]
        + figures["home_attended"]
    )
    cells = np.nonzero(serving)
    c, d, k = (np.repeat(axis, serving[cells]) for axis in cells)
    users = pool_start[c] + np.floor(rng.random(len(c)) * pool_size[c]).astype(np.int64)
    moved = moving[c] & (rng.random(len(c)) < MOVERS)
    users[moved] = pool_start[province_i] + rng.integers(0, pool_size[province_i], moved.sum())
    served = np.unique(np.stack([c, d, k, users], axis=1), axis=0)
    return Written(committees, ancestors, days, categories, list(COLUMNS), own, subtree, hist,
                   served, generic)  # fmt: skip


def write(w: Written) -> None:
    """Everything into the public tables by COPY, then ANALYZE (as autovacuum would)."""
    from django.db import connection

    pks = [c.pk for c in w.committees]
    with connection.cursor() as cursor:
        raw = cursor.cursor
        columns = ", ".join(["committee_id", "is_subtree", "day", "category", *w.columns])
        with raw.copy(f"COPY public.reporting_dailyfigures ({columns}) FROM STDIN") as copy:
            for subtree, cells in ((False, w.own), (True, w.subtree)):
                mask = cells.any(axis=3)
                for (c, d, k), values in zip(
                    np.argwhere(mask).tolist(), cells[mask].tolist(), strict=True
                ):
                    copy.write_row((pks[c], subtree, w.days[d], w.categories[k], *values))
        # The subtree histogram: every own row added to its committee's and ancestors' cells.
        owners = w.hist[:, 0]
        spread = np.array([len(w.ancestors[c]) for c in owners.tolist()])
        up = np.concatenate([w.ancestors[c] for c in owners.tolist()])
        rows = np.repeat(w.hist, spread, axis=0)
        rows[:, 0] = up
        keys, where = np.unique(rows[:, :4], axis=0, return_inverse=True)
        sums = np.bincount(where.ravel(), weights=rows[:, 4]).astype(np.int64)
        sql = (
            "COPY public.reporting_responsetimes"
            " (committee_id, is_subtree, day, category, bucket, count) FROM STDIN"
        )
        with raw.copy(sql) as copy:
            for subtree, table in ((False, w.hist), (True, np.column_stack([keys, sums]))):
                for c, d, k, b, n in table.tolist():
                    copy.write_row((pks[c], subtree, w.days[d], w.categories[k], b, n))
        sql = "COPY public.reporting_servedyouth (committee_id, day, category, user_id) FROM STDIN"
        with raw.copy(sql) as copy:
            for c, d, k, user in w.served.tolist():
                copy.write_row((pks[c], w.days[d], w.categories[k], user))
        for table in ("dailyfigures", "responsetimes", "servedyouth"):
            cursor.execute(f"ANALYZE public.reporting_{table}")
            cursor.execute(f"SELECT count(*) FROM public.reporting_{table}")
            w.rows[table] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM public.reporting_dailyfigures WHERE is_subtree")
        w.rows["dailyfigures_subtree"] = cursor.fetchone()[0]


def subtrees_are_sums(columns: list[str]) -> dict[str, bool]:
    """Whether every subtree cell, as stored, is the sum of the own cells below it (and
    there is no other), in both tables."""
    from django.db import connection

    sums = ", ".join(f"sum(f.{c})::bigint" for c in columns)
    plain = ", ".join(f"{c}::bigint" for c in columns)
    below = """
        FROM tenants_committee a
        JOIN tenants_committee d ON d.path LIKE a.path || '%%'
        JOIN public.{table} f ON f.committee_id = d.id AND NOT f.is_subtree
    """
    queries = {
        "reporting_dailyfigures": (
            f"SELECT a.id, f.day, f.category, {sums} {below} GROUP BY 1, 2, 3",
            f"SELECT committee_id, day, category, {plain} FROM public.{{table}} WHERE is_subtree",
        ),
        "reporting_responsetimes": (
            f"SELECT a.id, f.day, f.category, f.bucket, sum(f.count)::bigint {below}"
            " GROUP BY 1, 2, 3, 4",
            "SELECT committee_id, day, category, bucket, count::bigint FROM public.{table}"
            " WHERE is_subtree",
        ),
    }
    found = {}
    with connection.cursor() as cursor:
        for table, (summed, stored) in queries.items():
            summed, stored = summed.format(table=table), stored.format(table=table)
            cursor.execute(
                f"SELECT (SELECT count(*) FROM (({summed}) EXCEPT ALL ({stored})) x),"
                f" (SELECT count(*) FROM (({stored}) EXCEPT ALL ({summed})) y)"
            )
            found[table] = cursor.fetchone() == (0, 0)
    return found


# ---------------------------------------------------------------- the expected report


@dataclass
class Expected:
    sample: dict[str, int]
    value: dict[str, float | None]
    points: dict[str, float] = field(default_factory=dict)
    total: float = 0.0
    rank: int = 0


def expected_report(
    w: Written,
    ranked: list[int],
    start: date,
    end: date,
    weights: dict[str, float],
    prior_weight: int,
) -> dict[int, Expected]:
    """Each ranked committee's indicators over ``start``..``end`` by the rules of
    ``reporting.assessment``'s docstring, from what was written (committee pk: Expected)."""
    col = {c: n for n, c in enumerate(w.columns)}
    days = w.day_mask(start, end)
    everyone = w.own[:, days].sum(axis=(0, 1, 2))
    rated = sum(int(everyone[col[n]]) for n, _s in RATED)
    stars = sum(int(everyone[col[s]]) for _n, s in RATED)
    national = stars / rated if rated else 0.0
    in_days = days[w.hist[:, 1]]
    served_days = days[w.served[:, 1]]
    found: dict[int, Expected] = {}
    for i in ranked:
        members = w.members(i)
        f = {c: int(v) for c, v in zip(w.columns, w.own[members][:, days].sum(axis=(0, 1, 2)),
                                        strict=True)}  # fmt: skip
        rows = w.hist[in_days & np.isin(w.hist[:, 0], members)]
        histogram = Counter()
        for bucket, n in rows[:, 3:5].tolist():
            histogram[bucket] += n
        answers = sum(histogram.values())
        median = None
        if answers:
            seen = 0
            for bucket in sorted(histogram):
                seen += histogram[bucket]
                if seen >= answers / 2:
                    median = bucket_seconds(bucket)
                    break
        youths = len(np.unique(w.served[served_days & np.isin(w.served[:, 0], members), 3]))
        n_rated = sum(f[n] for n, _s in RATED)
        n_stars = sum(f[s] for _n, s in RATED)
        true_rated = f["home_ratings"] + f["activity_ratings"] + f["help_closed"]
        untrue = (
            f["home_not_as_described"]
            + f["activity_not_as_described"]
            + f["help_not_real"]
            + f["home_fake"]
            + f["activities_fake"]
            + f["help_fake"]
        )
        to_answer = max(f["asked"] - f["transferred_out"] + f["transferred_in"], 0)
        measured = {
            "activity": (float(youths), youths),
            "satisfaction": (
                (prior_weight * national + n_stars) / (prior_weight + n_rated) if n_rated else None,
                n_rated,
            ),
            "answer_rate": (f["answered"] / to_answer if to_answer else None, to_answer),
            "answer_time": (median / 3600 if median is not None else None, answers),
            "help": (
                f["help_effective"] / f["help_closed"] if f["help_closed"] else None,
                f["help_closed"],
            ),
            "activities": (float(max(f["activities_counted"] - f["activities_uncounted"], 0)),
                           max(f["activities_counted"] - f["activities_uncounted"], 0)),
            "truthfulness": (
                max(0.0, 1 - untrue / true_rated) if true_rated else None,
                true_rated,
            ),
            "with_activities": f["activities_held"] + f["activity_entries"],
            "with_homes": f["home_attended"] + f["o2o_served"],
            "with_organisations": f["help_by_league_orgs"] + f["help_by_social_orgs"]
            + f["answered"] - f["answered_by_league"],
            "with_tree": f["transferred_in"] + f["transferred_out"] + f["help_transferred_in"]
            + f["help_transferred_out"],
        }  # fmt: skip
        for code, got in measured.items():
            if isinstance(got, int):
                measured[code] = (float(got), got)
        found[w.committees[i].pk] = Expected(
            sample={code: n for code, (_v, n) in measured.items()},
            value={code: v for code, (v, _n) in measured.items()},
        )
    # Points against the best (the least for answer_time), the weighted total, the ranks.
    for code in weights:
        values = [e.value[code] for e in found.values() if e.value[code] is not None]
        lower = code == "answer_time"
        best = (min(values) if lower else max(values)) if values else None
        for e in found.values():
            value = e.value[code]
            if value is None or best is None:
                e.points[code] = 0.0
            elif lower:
                e.points[code] = round(100 * best / value, 1) if value > 0 else 100.0
            else:
                e.points[code] = round(100 * value / best, 1) if best > 0 else 0.0
    total_weight = sum(weights.values()) or 1.0
    for e in found.values():
        e.total = round(sum(weights[c] * e.points[c] for c in weights) / total_weight, 1)
    paths = {c.pk: c.path for c in w.committees}
    ordered = sorted(found, key=lambda pk: (-found[pk].total, paths[pk]))
    for place, pk in enumerate(ordered, start=1):
        found[pk].rank = place
    return found


def compare(report, expected: dict[int, Expected], previous: dict[int, Expected]) -> dict:
    """What differs between the report and the own count: a list of lines per check."""
    wrong: dict[str, list[str]] = {"samples": [], "values": [], "totals": [], "previous": []}
    for row in report.rows:
        e, name = expected.get(row.committee.pk), row.committee.name
        if e is None:
            continue
        for code, cell in row.cells.items():
            if cell.sample != e.sample[code]:
                wrong["samples"].append(
                    f"{name} {code}: sample {cell.sample}, wrote {e.sample[code]}"
                )
            want = e.value[code]
            if (cell.value is None) != (want is None) or (
                want is not None and not math.isclose(cell.value, want, rel_tol=1e-9)
            ):
                wrong["values"].append(f"{name} {code}: value {cell.value}, expected {want}")
            elif cell.points != e.points[code]:
                wrong["values"].append(
                    f"{name} {code}: points {cell.points}, expected {e.points[code]}"
                )
        if (row.total, row.rank) != (e.total, e.rank):
            wrong["totals"].append(
                f"{name}: total {row.total} rank {row.rank}, expected {e.total} rank {e.rank}"
            )
        was = previous[row.committee.pk]
        if (row.previous_total, row.previous_rank) != (was.total, was.rank):
            wrong["previous"].append(
                f"{name}: previous {row.previous_total} rank {row.previous_rank}, "
                f"expected {was.total} rank {was.rank}"
            )
    return wrong


# ---------------------------------------------------------------- the files


def pdf_text(pdf: bytes) -> str | None:
    """The PDF's text by ``pdftotext`` (None if it cannot read it)."""
    tool = shutil.which("pdftotext") or "/usr/bin/pdftotext"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as out:
        out.write(pdf)
        out.flush()
        done = subprocess.run([tool, out.name, "-"], capture_output=True, timeout=60)
    return done.stdout.decode() if done.returncode == 0 else None


def xlsx_rows(data: bytes) -> list[tuple]:
    """The ranking's data rows of the workbook (those after the header that start with a
    rank)."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [row for row in rows[3:] if isinstance(row[0], int)]


# ---------------------------------------------------------------- the run


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cities", type=int, default=20)
    parser.add_argument("--counties", type=int, default=10, help="under each city")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--monthly", type=int, default=100_000,
                        help="questions a month in the province's subtree")  # fmt: skip
    parser.add_argument("--month", help="the month assessed, YYYY-MM (default: last month)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", action="store_true", help="one more round in cProfile")
    args = parser.parse_args()
    if args.cities < 2 or args.counties < 0 or args.rounds < 1 or args.monthly < 100:
        parser.error("needs 2 cities, 0 counties, 1 round and 100 questions a month at least")

    with bench_database("assessment"):
        from django.core.cache import cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from tqdm import tqdm

        from franchise import standards
        from franchise.models import AssessmentStandard, IndexStandard
        from reporting import assessment, assessment_files, freshness, selectors
        from tenants.models import Committee

        print(server_description())
        if args.month:
            term = assessment.Term.parse(args.month)
            if term.start.day != 1 or term.end.month != term.start.month:
                parser.error("--month is a month: YYYY-MM")
        else:
            term = assessment.Term.last_month(selectors.local_day_now())
        previous = term.previous()

        start = time.perf_counter()
        central = provision_central()
        provision_plan(tree(args.cities, args.counties), central)
        committees = list(Committee.objects.exclude(schema_name="public").order_by("path"))
        levels = Counter(c.level for c in committees)
        print(
            f"{len(committees)} committees provisioned by clone in "
            f"{time.perf_counter() - start:.1f} s: "
            + ", ".join(f"{levels[lv]} {lv}" for lv in ("central", "province", "city", "county"))
        )

        start = time.perf_counter()
        days = [
            previous.start + timedelta(days=n) for n in range((term.end - previous.start).days + 1)
        ]
        categories = [code for code, *_rest in standards.CATEGORIES]
        written = plan_figures(committees, days, categories, args.monthly, args.seed)
        write(written)
        rows = written.rows
        print(
            f"figures of {days[0]} to {days[-1]} ({len(days)} days, {len(categories)} "
            f"categories) written by COPY in {time.perf_counter() - start:.1f} s: "
            f"reporting_dailyfigures {rows['dailyfigures']:,} rows "
            f"({rows['dailyfigures'] - rows['dailyfigures_subtree']:,} own, "
            f"{rows['dailyfigures_subtree']:,} subtree; {len(written.columns)} columns), "
            f"reporting_responsetimes {rows['responsetimes']:,}, "
            f"reporting_servedyouth {rows['servedyouth']:,}"
        )
        asked = written.columns.index("asked")
        province_i = next(i for i, c in enumerate(committees) if c.level == "province")
        for label, t in (("assessed", term), ("previous", previous)):
            mask = written.day_mask(t.start, t.end)
            in_province = np.isin(written.served[:, 0], written.members(province_i))
            n_asked = int(written.subtree[province_i, mask, :, asked].sum())
            youths = written.served[mask[written.served[:, 1]] & in_province, 3]
            print(
                f"  {label} month {t.code}: {n_asked:,} questions asked in the province's "
                f"subtree, {len(np.unique(youths)):,} distinct youths served"
            )
        if written.generic:
            print(f"  columns without a rule here (a small count): {', '.join(written.generic)}")
        start = time.perf_counter()
        sums = subtrees_are_sums(written.columns)
        print(
            "  subtree cells are the sums of the own cells (SQL): "
            + ", ".join(f"{table} {ok}" for table, ok in sums.items())
            + f" ({time.perf_counter() - start:.1f} s)"
        )

        province = Committee.objects.get(level="province")
        cities = {c.pk: c for c in committees if c.level == "city"}

        def clear() -> None:
            cache.clear()
            freshness.moved_on()

        def one_round() -> tuple[list[float], object, bytes, bytes]:
            clear()
            t0 = time.perf_counter()
            report = assessment.report(province, term)
            t1 = time.perf_counter()
            pdf = assessment_files.as_pdf(report)
            t2 = time.perf_counter()
            xlsx = assessment_files.as_xlsx(report)
            t3 = time.perf_counter()
            return [t1 - t0, t2 - t1, t3 - t2, t3 - t0], report, pdf, xlsx

        times: list[list[float]] = []
        for _ in tqdm(range(args.rounds), desc="rounds", unit="round", file=sys.stderr):
            seconds, report, pdf, xlsx = one_round()
            times.append(seconds)
        clear()
        with CaptureQueriesContext(connection) as queries:
            assessment.report(province, term)
        n_queries = len(queries)

        print()
        print(
            f"the assessment of {province.name} for {term.code} (and {previous.code} for the "
            f"trend), {len(report.rows)} committees ranked, {args.rounds} rounds, the cache "
            "cleared before each:"
        )
        labels = ["report()", "as_pdf()", "as_xlsx()", "total"]
        for n, label in enumerate(labels):
            column = [t[n] for t in times]
            extra = ""
            if n == 0:
                extra = f"; {n_queries} queries"
            elif n == 1:
                pages = (pdf_text(pdf) or "").count("\f")
                extra = f"; {len(pdf) / 1024:,.0f} KB, {pages} page(s)"
            elif n == 2:
                extra = f"; {len(xlsx) / 1024:,.0f} KB"
            print(
                f"  {label:<10} p50 {ms(statistics.median(column)):>9}, max {ms(max(column)):>9}"
                f" (first round {ms(column[0])}){extra}"
            )

        # ------------------------------------------------ the checks
        # The standards in force on a period's first day (the central one: the province
        # has none of its own), and the satisfaction prior of the index standard then.
        def weights_on(day: date) -> tuple[AssessmentStandard, dict[str, float]]:
            found = AssessmentStandard.objects.filter(node=None, effective_from__lte=day).first()
            return found, {code: float(found.weights.get(code, 0)) for code in assessment.CODES}

        def prior_on(day: date) -> int:
            found = (
                IndexStandard.objects.filter(effective_from__lte=day).first()
                or IndexStandard.objects.order_by("effective_from").first()
            )
            return found.rating_prior_weight

        standard, weights = weights_on(term.start)
        index = {c.pk: i for i, c in enumerate(committees)}
        ranked = [index[pk] for pk in cities]
        expected = expected_report(
            written, ranked, term.start, term.end, weights, prior_on(term.start)
        )
        was = expected_report(
            written,
            ranked,
            previous.start,
            previous.end,
            weights_on(previous.start)[1],
            prior_on(previous.start),
        )
        shown = [row.committee.pk for row in report.rows]
        exactly = len(shown) == len(cities) and set(shown) == set(cities)
        wrong = compare(report, expected, was)
        text = pdf_text(pdf)
        flat = "".join((text or "").split())
        missing = [c.title for c in cities.values() if "".join(c.title.split()) not in flat]
        pdf_ok = text is not None and not missing
        sheet = xlsx_rows(xlsx)
        in_order = [row.committee.title for row in report.rows]
        totals = [row.total for row in report.rows]
        xlsx_ok = (
            len(sheet) == len(cities)
            and [r[1] for r in sheet] == in_order
            and [r[2] for r in sheet] == totals
        )
        checks = {
            f"ranks exactly the {len(cities)} cities": exactly,
            f"standard v{standard.version} (central) used": report.standard.pk == standard.pk,
            f"every sample as written ({len(assessment.CODES)} indicators × {len(cities)} "
            f"cities, e.g. answer_rate on the city subtree's questions to answer)": not wrong[
                "samples"
            ],
            "every value and points as the docstring's rules": not wrong["values"],
            "totals and ranks as the docstring's rules": not wrong["totals"],
            f"the previous month's ({previous.code}) totals and ranks": not wrong["previous"],
            "the PDF read back by pdftotext names every city": pdf_ok,
            f"the XLSX opened by openpyxl: {len(sheet)} data rows, the report's order and "
            "totals": xlsx_ok,
        }
        print("checks:")
        for label, ok in checks.items():
            print(f"  {label}: {ok}")
        for kind, lines in wrong.items():
            for line in lines[:10]:
                print(f"    {kind}: {line}")
            if len(lines) > 10:
                print(f"    {kind}: … {len(lines) - 10} more")
        if text is None:
            print("    pdftotext could not read the PDF")
        elif missing:
            print(f"    not in the PDF: {', '.join(missing)}")
        top = report.rows[0]
        print(
            f"  first {top.committee.name} {top.total} (was {top.previous_total}, "
            f"rank {top.previous_rank}), last {report.rows[-1].committee.name} "
            f"{report.rows[-1].total}"
        )

        if args.profile:
            clear()
            profile = cProfile.Profile()
            profile.enable()
            report = assessment.report(province, term)
            assessment_files.as_pdf(report)
            assessment_files.as_xlsx(report)
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(30)
            print("\none more round in cProfile, by cumulative time:")
            print(out.getvalue())

        total_p50 = statistics.median(t[3] for t in times)
        print(
            goal(
                f"report + PDF + XLSX p50 < {GOAL_S:.0f} s (got {total_p50:.2f} s, "
                f"{total_p50 / GOAL_S:.2f} of the goal)",
                total_p50 < GOAL_S,
            )
        )
        if not all(checks.values()):
            print("ERROR: a check failed")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
