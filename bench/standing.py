"""The standard score's recompute (青年评议标准分, ``reporting.standing.recompute()``): every
cadre's, expert's and team's score across ``--tenants`` committees, from ``--ratings`` youth
ratings in all, read from the committees' timelines.

Provisions the committees by clone as ``bench/rollup.py`` does (the central one, 34
provinces, cities under the provinces, counties under the cities) and gives them their
ratings by a Zipf law over the committees (provinces most often at the top): a few with
thousands, most with tens. Everything is planned first and then written by ``COPY``:

* accounts in ``core_user``: youths made over the last nine years; 2 to 30 staff members
  (cadres, experts) per committee, more in the larger ones; and, in some committees, bursts of
  5 to 20 accounts made minutes apart that all rate one staff member (mostly five stars, some
  one star; half of the bursts from one address), besides near misses that must not be
  flagged (four accounts minutes apart, or five to eight half an hour apart);
* teams in each schema's ``casework_team``: the service alliance, a department in the
  larger committees, League and social organisations; a tenth of them renamed at some moment
  of the three years, their earlier events naming them by the old name;
* the rating events in each schema's ``timeline_event``, in time order (ids in time order),
  as ``ratings.services.rate`` and each domain's ``record`` append them: ``qa.rated`` on a
  ``qa.question`` (answers), ``help.rated`` on a ``helpcases.helpcase`` (help cases),
  ``homes.rated`` on a ``homes.booking`` (youth-home bookings, with ``home`` and ``slot``;
  a third checked in by the youth, crediting the home's team only) and ``activities.rated``
  on an ``activities.registration`` (with ``activity``), the rater as ``actor_id`` and
  ``youth_id``, and in ``data`` the ``stars`` (1-5, skewed toward 4 and 5 by each staff
  member's own quality), ``staff`` (true for a few by the committee's own staff: kept, not
  counted), the ``term``, whom it ``credited`` (one account, sometimes two, or none), the
  ``team`` and ``team_name`` (or none) and the ``client``, a 32-digit hex key, mostly
  distinct: a youth rates from their usual address some of the time, a few ratings come from
  an address another rater of the same staff member used (a campus network), a few have none
  (``""``); bookings and activities also say whether it happened as described (``real``);
* around each rating, the rated thing's own history as its domain records it (a question
  asked, routed, answered and solved; a help case received, assigned, verified, reported back
  and evaluated; a booking made and checked in; a registration and its check-in), about four
  events a rating, which the recompute must read past;
* the copies the outbox leaves in the parent's timeline of 3% of the answers' ratings
  outside the central committee (a question transferred up: ``data.mirrored_from`` and, for
  most, ``origin`` naming the event they copy), which must not count for the parent.

Then, in this process, ``recompute()`` for ``--rounds`` rounds (median against the goal of
60 s), and its phases once: ``standing.facts()`` (reading every schema's timeline and the
raters' accounts), ``standing.score()`` (flags and standings), the rest (names, rows,
replacing the kept ones) by difference.

The check is the script's own: every subject's expected score and every expected flag,
computed from the events it wrote (the same rows the ``COPY`` wrote, read again from the
plan) by the module docstring's rules written out again by hand (not with
``reporting.standing``): an event counts when its kind is one of the four above, it is not
``staff``, not a copy (no ``mirrored_from``, no ``origin``), its stars are 1-5 and it credits
an account or a team; a rating weighs its term's weight, times the suspect weight when
flagged; the national mean is over the unflagged ratings; a subject's score is its shrunk mean
on the scale of 100; a team is named as its latest counted event names it. A rating is flagged
(burst) when its rater's account and those of ``burst_accounts - 1`` other raters of one of
its subjects were made within ``burst_window_s`` of each other, and (address) when another
rater of one of its subjects used the same non-empty address first (by event id, which is
time order). Every ``reporting_standardscore`` row (ratings, flagged, weight, mean, score to
0.01, terms, name) and every ``reporting_ratingflag`` row (by committee and ``event_id``:
rater and reasons) must be as expected, and the flagged ratings of any subject must move its
score by no more than ``standing.burst_bound``. Where they differ, the script says whether
counting ratings instead of raters (one youth's repeated ratings of one person taken as
several accounts, an address they used before as another's) explains it. It exits 1 on a
difference or an error, never on a missed goal; ``--profile`` adds one recompute under
cProfile.

    .venv/bin/python bench/standing.py [--tenants 1000] [--ratings 300000] [--rounds 3]
        [--seed 2026] [--profile]
"""

from __future__ import annotations

import argparse
import bisect
import cProfile
import hashlib
import io
import json
import pstats
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    bench_database,
    goal,
    provision_central,
    provision_plan,
    server_description,
)
from bench.rollup import committee_tree, sizes

GOAL_S = 60.0
JOINED_YEARS = 9  # youths' accounts were made over the last nine years
RATED_DAYS = 3 * 365  # ratings over the last three years (not before the rater joined)
TERMS = ["answers", "help", "bookings", "activities"]
TERM_SHARES = [72, 12, 9, 7]
SUBJECT_TYPES = {
    "answers": "qa.question",
    "help": "helpcases.helpcase",
    "bookings": "homes.booking",
    "activities": "activities.registration",
}
# The kind of each term's rating event, as each domain registers it (``ratings.register``).
RATED_KINDS = {
    "answers": "qa.rated",
    "help": "help.rated",
    "bookings": "homes.rated",
    "activities": "activities.rated",
}
# The rated thing's history before its rating: (kind, state after it), in order.
HISTORY = {
    "answers": [
        ("qa.asked", "new"),
        ("qa.routed", "routed"),
        ("qa.answered", "answered"),
        ("qa.solved", "solved"),
    ],
    "help": [
        ("help.received", "received"),
        ("help.assigned", "assigned"),
        ("help.verified", "verified"),
        ("help.reported", "reported"),
        ("help.evaluated", "evaluated"),
    ],
    "bookings": [("homes.booked", "confirmed"), ("homes.attended", "attended")],
    "activities": [
        ("activities.registered", "registered"),
        ("activities.checked_in", "registered"),
    ],
}
RATED_STATE = {"answers": "solved", "help": "evaluated", "bookings": "attended",
               "activities": "registered"}  # fmt: skip
CATEGORIES = ["study", "career", "mental", "rights", "romance", "health", "league", "volunteer",
              "other"]  # fmt: skip
CATEGORY_SHARES = [22, 24, 12, 10, 5, 7, 6, 8, 6]
TOPICS = [
    "应届生找工作被要求交培训费正常吗",
    "考研和考公怎么选",
    "租房押金不退怎么办",
    "最近总是失眠焦虑",
    "想参加志愿服务去哪里报名",
]
TEAM_SHARE = {"answers": 0.7, "help": 0.9, "bookings": 1.0, "activities": 1.0}
SELF_CHECKIN = 0.33  # bookings the youth checked in to themselves: the team only
TWO_CREDITED = 0.08  # answers and help cases with a second staff member credited
BY_STAFF = 0.03  # ratings by the committee's own staff: kept, not counted
AS_DESCRIBED = 0.95  # bookings and activities that happened as described (``real``)
# Each staff member's stars (1-5) come from one of these, the typical one most often.
QUALITY = {
    "good": [2, 3, 8, 27, 60],
    "typical": [3, 4, 10, 30, 53],
    "poor": [10, 12, 20, 30, 28],
}
QUALITY_SHARES = [25, 60, 15]
STAFF_ZIPF = 0.8  # the staff member ranked k answers in proportion to k ** -STAFF_ZIPF
USUAL_ADDRESS = 0.35  # a youth's rating from their usual address
NO_ADDRESS = 0.02  # no address known
SHARED_ADDRESS = 0.01  # from an address another rater of the same staff member used
BURSTY = 0.08  # committees with 50 ratings or more that get one or two bursts
BURST_SIZE = (5, 20)
BURST_GAP_S = (5, 240)  # between the accounts of a burst
BURST_ONE_ADDRESS = 0.5
BURST_FIVE_STARS = 0.8  # the others are one star (against the staff member)
NEAR_MISS = 0.06  # committees with a group of accounts close together but no burst
MIN_RATINGS = 50
RENAMED = 0.1  # teams renamed once: their earlier events name them by the old name
TRANSFERRED = 0.03  # answers' ratings copied to the parent's timeline (a transferred question)
COPY_WITHOUT_ORIGIN = 0.2  # of those, copied by a message from before events were named


# ---------------------------------------------------------------- the plan


@dataclass(slots=True)
class Row:
    """One rating event as written (``id``, ``subject_id`` and ``team_name`` given when the
    committee's timeline is put in time order)."""

    rater: int
    stars: int
    created: datetime
    counts: bool  # a youth's judgement; false: ``staff`` in the event
    term: str
    credited: tuple[int, ...]
    team: int | None
    client: str
    handler: int  # the staff member who answered, handled or ran it
    category: str
    place: int = 0  # the booking's home, the registration's activity
    real: bool = True
    id: int = 0
    subject_id: int = 0
    team_name: str = ""
    planted: str = ""  # "burst", or "near" for a near miss


@dataclass(slots=True)
class Copy:
    """A rating event of a question transferred up, as the outbox copies it into the
    parent's timeline."""

    source: Row
    sender: str  # the code of the committee it was rated on
    has_origin: bool
    at: datetime
    subject_id: int = 0
    id: int = 0


@dataclass
class Plan:
    """What one committee's schema will hold."""

    committee_id: int
    schema_name: str
    code: str
    parent_id: int | None
    staff: list[int] = field(default_factory=list)
    teams: list[tuple[int, str, str, str]] = field(default_factory=list)  # id, name, kind, sector
    renamed: dict[int, tuple[datetime, str]] = field(default_factory=dict)  # team: (at, old name)
    ratings: list[Row] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    # The timeline in id order: (at, the rating or copy, the step of its history; -1 the
    # rating event itself).
    timeline: list[tuple[datetime, Row | Copy, int]] = field(default_factory=list)
    bursts: int = 0  # accounts in bursts
    near_misses: int = 0


@dataclass
class Accounts:
    """Every account the script makes: (id, phone, name, date_joined)."""

    next_id: int
    rows: list[tuple[int, str, str, datetime]] = field(default_factory=list)
    joined: dict[int, datetime] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    phones: Counter = field(default_factory=Counter)

    def make(self, prefix: str, name: str, joined: datetime) -> int:
        pk = self.next_id
        self.next_id += 1
        number = self.phones[prefix]
        self.phones[prefix] += 1
        self.rows.append((pk, f"{prefix}{number:08d}", name, joined))
        self.joined[pk] = joined
        self.names[pk] = name
        return pk


LEAGUE_ORGS = ["青年之家", "青年志愿者协会", "学联", "少工委", "青年创业联盟"]
SOCIAL_ORGS = ["法律援助中心", "心理咨询站", "公益助学基金会", "社工服务中心"]


class Planner:
    def __init__(self, seed: int, now: datetime, accounts: Accounts, youths: list[int]) -> None:
        self.rng = random.Random(seed)
        self.now = now
        self.accounts = accounts
        self.youths = youths
        self.offset = 0

    def client(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def usual(self, youth: int) -> str:
        """A youth's usual address: the same key every time."""
        return hashlib.blake2b(b"usual %d" % youth, digest_size=16).hexdigest()

    def rated_at(self, joined: datetime) -> datetime:
        start = max(joined, self.now - timedelta(days=RATED_DAYS))
        return start + (self.now - start) * self.rng.random()

    def category(self) -> str:
        return self.rng.choices(CATEGORIES, CATEGORY_SHARES)[0]

    def place(self, term: str, team: int | None, n: int) -> int:
        """A booking's home (numbered as its team) or a registration's activity."""
        if term == "bookings":
            return team or 1
        if term == "activities":
            return self.rng.randint(1, 1 + n // 25)
        return 0

    def committee(self, committee, n: int) -> Plan:
        rng, accounts = self.rng, self.accounts
        plan = Plan(committee.pk, committee.schema_name, committee.code, committee.parent_id)
        n_staff = max(2, min(30, 2 + n // 120 + rng.randint(0, 3)))
        joined_staff = self.now - timedelta(days=rng.uniform(400, JOINED_YEARS * 365))
        plan.staff = [
            accounts.make("138", f"老师{accounts.phones['138']}", joined_staff)
            for _ in range(n_staff)
        ]
        quality = {s: rng.choices(list(QUALITY), QUALITY_SHARES)[0] for s in plan.staff}
        popularity = [(k + 1) ** -STAFF_ZIPF for k in range(n_staff)]
        rng.shuffle(popularity)
        # Teams: the service alliance; a department in the larger committees; organisations.
        next_team = 1
        plan.teams.append((next_team, "服务联盟", "alliance", ""))
        if n >= 40:
            next_team += 1
            plan.teams.append((next_team, "办公室", "department", ""))
        for name in rng.sample(LEAGUE_ORGS, rng.randint(0, min(3, 1 + n // 400))):
            next_team += 1
            plan.teams.append((next_team, name, "organisation", "league"))
        for name in rng.sample(SOCIAL_ORGS, rng.randint(0, min(2, n // 500))):
            next_team += 1
            plan.teams.append((next_team, name, "organisation", "social"))
        for tid, name, _kind, _sector in plan.teams:
            if rng.random() < RENAMED:
                at = self.now - timedelta(days=rng.uniform(30, RATED_DAYS - 30))
                plan.renamed[tid] = (at, f"原{name}")
        handling = [t[0] for t in plan.teams if t[2] != "organisation"]
        organisations = [t[0] for t in plan.teams if t[2] == "organisation"]
        all_teams = [t[0] for t in plan.teams]

        # The committee's raters: a slice of the youths, about one rating each.
        width = max(30, n)
        pool = len(self.youths)
        raters = [self.youths[(self.offset + i) % pool] for i in range(width)]
        self.offset = (self.offset + width) % pool
        clients_of: dict[int, list[str]] = defaultdict(list)  # staff: the addresses used
        for _ in range(n):
            term = rng.choices(TERMS, TERM_SHARES)[0]
            staff = rng.choices(plan.staff, popularity)[0]
            credited: tuple[int, ...] = (staff,)
            if term in ("answers", "help") and rng.random() < TWO_CREDITED:
                other = rng.choice(plan.staff)
                if other != staff:
                    credited = tuple(sorted((staff, other)))
            if term == "bookings" and rng.random() < SELF_CHECKIN:
                credited = ()
            team = None
            if rng.random() < TEAM_SHARE[term]:
                if term == "answers":
                    team = rng.choice(handling)
                elif term == "help":
                    team = rng.choice(organisations) if organisations else handling[0]
                else:
                    team = rng.choice(all_teams)
            stars = rng.choices([1, 2, 3, 4, 5], QUALITY[quality[staff]])[0]
            common = {
                "handler": staff,
                "category": self.category(),
                "place": self.place(term, team, n),
                "real": rng.random() < AS_DESCRIBED,
            }
            if rng.random() < BY_STAFF:
                rater = rng.choice(plan.staff)
                row = Row(rater, stars, self.rated_at(accounts.joined[rater]), False, term,
                          credited, team, self.client(), **common)  # fmt: skip
                plan.ratings.append(row)
                continue
            rater = rng.choice(raters)
            draw = rng.random()
            if draw < NO_ADDRESS:
                client = ""
            elif draw < NO_ADDRESS + SHARED_ADDRESS and clients_of[staff]:
                client = rng.choice(clients_of[staff])
            elif draw < NO_ADDRESS + SHARED_ADDRESS + USUAL_ADDRESS:
                client = self.usual(rater)
            else:
                client = self.client()
            if client:
                clients_of[staff].append(client)
            created = self.rated_at(accounts.joined[rater])
            plan.ratings.append(
                Row(rater, stars, created, True, term, credited, team, client, **common)
            )

        if n >= MIN_RATINGS and rng.random() < BURSTY:
            for _ in range(rng.randint(1, 2)):
                self.burst(plan, rng.randint(*BURST_SIZE), BURST_GAP_S, handling)
        if n >= MIN_RATINGS and rng.random() < NEAR_MISS:
            if rng.random() < 0.5:
                self.burst(plan, 4, BURST_GAP_S, handling, near=True)
            else:
                self.burst(plan, rng.randint(5, 8), (1800, 2400), handling, near=True)
        return plan

    def burst(self, plan: Plan, size: int, gaps: tuple[int, int], teams: list[int],
              *, near: bool = False) -> None:  # fmt: skip
        """``size`` accounts made ``gaps`` seconds apart, each rating one staff member once."""
        rng = self.rng
        target = rng.choice(plan.staff)
        at = self.now - timedelta(days=rng.uniform(5, 300))
        stars = 5 if rng.random() < BURST_FIVE_STARS else 1
        one_address = self.client() if rng.random() < BURST_ONE_ADDRESS else ""
        team = rng.choice(teams) if rng.random() < 0.5 else None
        category = self.category()
        for _ in range(size):
            at += timedelta(seconds=rng.uniform(*gaps))
            account = self.accounts.make("136", f"新用户{self.accounts.phones['136']}", at)
            created = min(self.now, at + timedelta(seconds=rng.uniform(600, 3 * 86400)))
            client = one_address or self.client()
            plan.ratings.append(Row(account, stars, created, True, "answers", (target,), team,
                                    client, target, category,
                                    planted="near" if near else "burst"))  # fmt: skip
        if near:
            plan.near_misses += size
        else:
            plan.bursts += size

    def transfers(self, plans: list[Plan]) -> None:
        """Copy a share of every committee's answers' ratings into its parent's timeline, as
        the outbox leaves a transferred question's history there."""
        rng = self.rng
        by_id = {p.committee_id: p for p in plans}
        for plan in plans:
            parent = by_id.get(plan.parent_id) if plan.parent_id else None
            if parent is None:
                continue
            for row in plan.ratings:
                if row.term == "answers" and rng.random() < TRANSFERRED:
                    at = min(self.now, row.created + timedelta(seconds=rng.uniform(1, 120)))
                    has_origin = rng.random() >= COPY_WITHOUT_ORIGIN
                    parent.copies.append(Copy(row, plan.code, has_origin, at))

    def history(self, row: Row) -> list[datetime]:
        """When each step of the rated thing's history before its rating happened."""
        steps = len(HISTORY[row.term])
        joined = self.accounts.joined[row.rater]
        span = timedelta(seconds=self.rng.uniform(2 * 3600, 20 * 86400))
        start = max(joined + timedelta(seconds=1), row.created - span)
        if start >= row.created:
            start = joined
        return [start + (row.created - start) * (k / steps) for k in range(steps)]

    def finish(self, plan: Plan) -> None:
        """Put the committee's timeline in time order: event ids, subject ids (a question's,
        a case's … in the order of their ratings) and the team names events carry."""
        plan.ratings.sort(key=lambda row: row.created)
        names = {tid: name for tid, name, _kind, _sector in plan.teams}
        subject_ids: Counter = Counter()
        entries: list[tuple[datetime, int, Row | Copy, int]] = []
        for row in plan.ratings:
            subject_ids[row.term] += 1
            row.subject_id = subject_ids[row.term]
            if row.team is not None:
                renamed_at, old = plan.renamed.get(row.team, (None, ""))
                is_old = renamed_at is not None and row.created < renamed_at
                row.team_name = old if is_old else names[row.team]
            for step, at in enumerate(self.history(row)):
                entries.append((at, len(entries), row, step))
            entries.append((row.created, len(entries), row, -1))
        for copy in sorted(plan.copies, key=lambda copy: copy.at):
            subject_ids["answers"] += 1
            copy.subject_id = subject_ids["answers"]
            entries.append((copy.at, len(entries), copy, -1))
        entries.sort(key=lambda entry: (entry[0], entry[1]))
        plan.timeline = []
        for eid, (at, _seq, item, step) in enumerate(entries, start=1):
            if step == -1:
                item.id = eid
            plan.timeline.append((at, item, step))


# ---------------------------------------------------------------- writing


USER_COLUMNS = [
    "id", "password", "last_login", "is_superuser", "phone", "name", "is_active", "is_staff",
    "date_joined",
]  # fmt: skip
TEAM_COLUMNS = [
    "id", "name", "kind", "description", "sector", "categories", "contact", "is_listed",
    "supervisor_id", "is_active",
]  # fmt: skip
EVENT_COLUMNS = [
    "id", "subject_type", "subject_id", "kind", "actor_id", "state", "category", "youth_id",
    "topic", "data", "at", "origin",
]  # fmt: skip


def check_columns(schema_name: str) -> None:
    """Every column without a default that the COPYs leave out would fail them: say which."""
    from django.db import connection

    tables = {
        ("public", "core_user"): USER_COLUMNS,
        (schema_name, "casework_team"): TEAM_COLUMNS,
        (schema_name, "timeline_event"): EVENT_COLUMNS,
    }
    with connection.cursor() as cursor:
        for (schema, table), columns in tables.items():
            cursor.execute(
                "SELECT column_name, is_nullable = 'YES' OR column_default IS NOT NULL"
                " FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
                [schema, table],
            )
            found = dict(cursor.fetchall())
            unknown = [c for c in columns if c not in found]
            missing = [c for c, optional in found.items() if not optional and c not in columns]
            if unknown or missing:
                raise SystemExit(
                    f"{table}: the script writes {unknown or 'no'} unknown columns and leaves "
                    f"out {missing or 'no'} required ones; update its column lists"
                )


def write_accounts(accounts: Accounts) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    unusable = make_password(None)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            f"COPY public.core_user ({', '.join(USER_COLUMNS)}) FROM STDIN"
        ) as copy:
            for pk, number, name, joined in accounts.rows:
                copy.write_row((pk, unusable, None, False, number, name, True, False, joined))
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('public.core_user', 'id'), %s)",
            [accounts.next_id - 1],
        )


def rating_data(row: Row) -> dict:
    """A rating event's ``data``, as ``ratings.services.rate`` and the domain's ``record``
    put it together."""
    data = {
        "stars": row.stars,
        "staff": not row.counts,
        "term": row.term,
        "credited": list(row.credited),
        "team": row.team,
        "team_name": row.team_name,
        "client": row.client,
    }
    if row.term == "bookings":
        return {"home": row.place, "slot": row.subject_id, **data, "real": row.real}
    if row.term == "activities":
        return {"activity": row.place, **data, "real": row.real}
    return data


def history_event(row: Row, step: int, at: datetime) -> tuple:
    """Step ``step`` of the rated thing's history: (kind, actor, state, topic, data)."""
    kind, state = HISTORY[row.term][step]
    youth, staff = row.rater, row.handler
    topic = TOPICS[row.subject_id % len(TOPICS)]
    match kind:
        case "qa.asked" | "help.received":
            return kind, youth, state, topic, {}
        case "qa.routed":
            return kind, None, state, "", {"team": row.team_name or "服务联盟", "assignee": staff}
        case "qa.answered":
            # The answer came half-way between the asking and the rating.
            response_s = int((row.created - at).total_seconds())
            return kind, staff, state, "", {"reply_id": row.subject_id, "by": "cadre",
                                            "first": True, "response_s": response_s}  # fmt: skip
        case "help.assigned":
            return kind, None, state, "", {"assignee": staff}
        case "help.verified":
            return kind, staff, state, "", {"verdict": "genuine", "method": "visit"}
        case "help.reported":
            return kind, staff, state, "", {"in_time": True, "first": True}
        case "help.evaluated":
            return kind, youth, state, "", {"real": row.real, "solved": row.stars >= 3}
        case "homes.booked":
            return kind, youth, state, "", {"home": row.place, "slot": row.subject_id,
                                            "places": 1}  # fmt: skip
        case "homes.attended":
            actor = staff if row.credited else youth  # checked in by the youth
            return kind, actor, state, "", {"home": row.place, "slot": row.subject_id}
        case _:  # activities.registered, activities.checked_in
            return kind, youth, state, "", {"activity": row.place}


def events_of(plan: Plan) -> Iterator[tuple]:
    """The committee's ``timeline_event`` rows as written, in id order (``data`` a dict)."""
    for eid, (at, item, step) in enumerate(plan.timeline, start=1):
        if isinstance(item, Copy):
            row = item.source
            data = {**rating_data(row), "mirrored_from": item.sender}
            origin = f"{item.sender}:{row.id}" if item.has_origin else ""
            yield (eid, "qa.question", item.subject_id, "qa.rated", row.rater, "solved",
                   row.category, row.rater, "", data, at, origin)  # fmt: skip
        elif step == -1:
            yield (eid, SUBJECT_TYPES[item.term], item.subject_id, RATED_KINDS[item.term],
                   item.rater, RATED_STATE[item.term], item.category, item.rater, "",
                   rating_data(item), at, "")  # fmt: skip
        else:
            kind, actor, state, topic, data = history_event(item, step, at)
            yield (eid, SUBJECT_TYPES[item.term], item.subject_id, kind, actor, state,
                   item.category, item.rater, topic, data, at, "")  # fmt: skip


def write_schema(plan: Plan) -> None:
    from django.db import connection

    quote = connection.ops.quote_name
    schema = quote(plan.schema_name)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(
            f"COPY {schema}.casework_team ({', '.join(TEAM_COLUMNS)}) FROM STDIN"
        ) as copy:
            for tid, name, kind, sector in plan.teams:
                copy.write_row((tid, name, kind, "", sector, "[]", "", False, None, True))
        with raw.copy(
            f"COPY {schema}.timeline_event ({', '.join(EVENT_COLUMNS)}) FROM STDIN"
        ) as copy:
            for event in events_of(plan):
                copy.write_row((*event[:9], json.dumps(event[9], ensure_ascii=False), *event[10:]))
        for table, count in (
            ("casework_team", len(plan.teams)),
            ("timeline_event", len(plan.timeline)),
        ):
            if count:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{schema}.{table}', 'id'), %s)", [count]
                )


# ---------------------------------------------------------------- the expected scores


@dataclass(slots=True)
class Rated:
    """A rating event that counts, read back from what was written."""

    id: int
    rater: int
    stars: int
    term: str
    client: str
    team_name: str


@dataclass
class Expected:
    scores: dict[tuple[int, str, int], dict]
    flags: dict[tuple[int, int], tuple[int, list[str]]]  # (committee, event): (rater, reasons)
    national: float | None
    moves: list[tuple[float, float]]  # per subject with flagged ratings: (moved, bound)
    left_out: Counter  # events of a rated kind that do not count, by why


def micros(moment: datetime) -> int:
    return (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


def expected(plans: list[Plan], accounts: Accounts, standard, *,
             by_raters: bool = True) -> Expected:  # fmt: skip
    """The scores and flags by the module docstring's rules, from the events the script
    wrote. ``by_raters`` false counts each rating as an account of its own (a youth's
    repeated ratings of one person as several raters, an address they used before as
    another's), to tell the two readings apart."""
    from reporting.standing import burst_bound

    weights = {
        "answers": standard.answer_weight,
        "help": standard.help_weight,
        "bookings": standard.booking_weight,
        "activities": standard.activity_weight,
    }
    rated_kinds = set(RATED_KINDS.values())
    window = standard.burst_window_s * 1_000_000
    k = standard.burst_accounts
    # The rating events that count, under each subject they credit.
    subjects: dict[tuple[int, str, int], list[Rated]] = defaultdict(list)
    counted: list[tuple[int, Rated]] = []
    left_out: Counter = Counter()
    for plan in plans:
        for event in events_of(plan):
            eid, kind, actor, data, origin = event[0], event[3], event[4], event[9], event[11]
            if kind not in rated_kinds:
                continue
            if data.get("staff"):
                left_out["staff"] += 1
                continue
            if "mirrored_from" in data or origin:
                left_out["copy"] += 1
                continue
            credited, team = data.get("credited"), data.get("team")
            if credited is None or not 1 <= data.get("stars", 0) <= 5 or actor is None:
                left_out["not a rating"] += 1
                continue
            if not credited and team is None:
                left_out["credits no one"] += 1
                continue
            rated = Rated(eid, actor, data["stars"], data["term"], data.get("client", ""),
                          data.get("team_name", ""))  # fmt: skip
            counted.append((plan.committee_id, rated))
            for account in credited:
                subjects[(plan.committee_id, "account", account)].append(rated)
            if team is not None:
                subjects[(plan.committee_id, "team", team)].append(rated)

    reasons: dict[tuple[int, int], set[str]] = defaultdict(set)
    for (committee_id, _kind, _sid), rows in subjects.items():
        # Bursts: windows of burst_window_s that hold burst_accounts raters' accounts or more.
        if by_raters:
            members = sorted({row.rater for row in rows}, key=lambda r: accounts.joined[r])
            times = [micros(accounts.joined[r]) for r in members]
        else:
            members = sorted(rows, key=lambda row: accounts.joined[row.rater])
            times = [micros(accounts.joined[row.rater]) for row in members]
        marks = [0] * (len(members) + 1)
        for start, t in enumerate(times):
            end = bisect.bisect_right(times, t + window)
            if end - start >= k:
                marks[start] += 1
                marks[end] -= 1
        running = 0
        in_burst = set()
        for i, member in enumerate(members):
            running += marks[i]
            if running > 0:
                in_burst.add(member if by_raters else member.id)
        for row in rows:
            if (row.rater if by_raters else row.id) in in_burst:
                reasons[(committee_id, row.id)].add("burst")
        # Addresses: a rating from an address another rater of this subject used before.
        seen: dict[str, set[int]] = defaultdict(set)
        for row in sorted(rows, key=lambda row: row.id):
            if not row.client:
                continue
            others = seen[row.client] - {row.rater} if by_raters else seen[row.client]
            if others:
                reasons[(committee_id, row.id)].add("address")
            seen[row.client].add(row.rater)

    # Weights, the national mean over the unflagged ratings, each subject's sums.
    national_weight = national_stars = 0.0
    for committee_id, row in counted:
        if (committee_id, row.id) not in reasons:
            national_weight += weights[row.term]
            national_stars += weights[row.term] * row.stars
    national = national_stars / national_weight if national_weight else None
    prior = standard.prior_weight
    found: dict[tuple[int, str, int], dict] = {}
    moves: list[tuple[float, float]] = []
    for key, rows in subjects.items():
        committee_id = key[0]
        weight = stars = fair_weight = fair_stars = 0.0
        flagged = 0
        terms: dict[str, list[int]] = {}
        for row in rows:
            suspect = (committee_id, row.id) in reasons
            w = weights[row.term] * (standard.suspect_weight if suspect else 1.0)
            weight += w
            stars += w * row.stars
            if suspect:
                flagged += 1
            else:
                fair_weight += w
                fair_stars += w * row.stars
            n_total = terms.setdefault(row.term, [0, 0])
            n_total[0] += 1
            n_total[1] += row.stars
        score = None
        if national is not None:
            score = ((prior * national + stars) / (prior + weight) - 1) / 4 * 100
            if flagged:
                fair = ((prior * national + fair_stars) / (prior + fair_weight) - 1) / 4 * 100
                moves.append((abs(score - fair), burst_bound(standard, flagged)))
        if key[1] == "account":
            name = accounts.names.get(key[2], "")
        else:  # as its latest counted event names it
            name = max(rows, key=lambda row: row.id).team_name
        found[key] = {
            "ratings": len(rows),
            "flagged": flagged,
            "weight": weight,
            "mean": stars / weight if weight else 0.0,
            "score": score if score is not None else 0.0,
            "terms": {term: [n, total / n] for term, (n, total) in terms.items()},
            "name": name[:100],
        }
    raters = {(cid, row.id): row.rater for cid, row in counted}
    flags = {key: (raters[key], sorted(why)) for key, why in reasons.items()}
    return Expected(found, flags, national, moves, left_out)


def compare(want: Expected, version: int) -> tuple[Counter, list[str]]:
    """The kept rows against ``want``: differences by kind, and a few examples."""
    from reporting.models import RatingFlag, StandardScore

    kinds: Counter = Counter()
    examples: list[str] = []

    def differ(kind: str, text: str) -> None:
        kinds[kind] += 1
        if len(examples) < 8:
            examples.append(text)

    kept = {
        (s.committee_id, s.kind, s.subject_id): s
        for s in StandardScore.objects.all().iterator(chunk_size=5000)
    }
    for key in sorted(want.scores.keys() - kept.keys()):
        differ("subject missing", f"{key}: expected, not kept")
    for key in sorted(kept.keys() - want.scores.keys()):
        differ("subject unexpected", f"{key}: kept, not expected")
    for key in sorted(want.scores.keys() & kept.keys()):
        w, s = want.scores[key], kept[key]
        for name, tolerance in (("weight", 1e-3), ("mean", 1e-3), ("score", 0.01)):
            if abs(getattr(s, name) - w[name]) > tolerance:
                differ(name, f"{key} {name}: kept {getattr(s, name):.4f}, expected {w[name]:.4f}")
        for name in ("ratings", "flagged", "name"):
            if getattr(s, name) != w[name]:
                differ(name, f"{key} {name}: kept {getattr(s, name)!r}, expected {w[name]!r}")
        terms_ok = set(s.terms) == set(w["terms"]) and all(
            s.terms[t][0] == n and abs(s.terms[t][1] - mean) <= 0.01
            for t, (n, mean) in w["terms"].items()
        )
        if not terms_ok:
            differ("terms", f"{key} terms: kept {s.terms}, expected {w['terms']}")
        if s.standard_version != version:
            differ("standard_version", f"{key}: version {s.standard_version}")
    flags = {
        (f.committee_id, f.event_id): (f.rater_id, sorted(f.reasons))
        for f in RatingFlag.objects.all().iterator(chunk_size=5000)
    }
    for key in sorted(want.flags.keys() - flags.keys()):
        differ("flag missing", f"event {key}: expected {want.flags[key][1]}, not flagged")
    for key in sorted(flags.keys() - want.flags.keys()):
        differ("flag unexpected", f"event {key}: flagged {flags[key][1]}, not expected")
    for key in sorted(want.flags.keys() & flags.keys()):
        if flags[key] != want.flags[key]:
            differ("flag reasons", f"event {key}: flagged {flags[key]}, expected {want.flags[key]}")
    return kinds, examples


# ---------------------------------------------------------------- running


# ---------------------------------------------------------------- running


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tenants", type=int, default=1000, help="committees, central included")
    parser.add_argument("--ratings", type=int, default=300_000, help="ratings in all")
    parser.add_argument("--rounds", type=int, default=3, help="timed recomputes")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", action="store_true", help="one more recompute in cProfile")
    args = parser.parse_args()
    if args.tenants < 50 or args.rounds < 1 or args.ratings < 10 * args.tenants:
        parser.error("needs at least 50 tenants, 1 round and 10 ratings per committee")

    with bench_database("standing"):
        from django.db import connection
        from django.db.models import Max
        from django.utils import timezone
        from tqdm import tqdm

        from core.models import User
        from franchise.models import ScoreStandard
        from reporting import standing
        from reporting.models import RatingFlag, StandardScore
        from tenants.models import Committee

        print(server_description())
        rng = random.Random(args.seed)
        start = time.perf_counter()
        central = provision_central()
        plan = committee_tree(args.tenants, rng)
        provision_plan(plan, central)
        committees = list(Committee.objects.exclude(schema_name="public").order_by("pk"))
        levels = Counter(c.level for c in committees)
        print(
            f"{len(committees)} committees provisioned by clone in "
            f"{time.perf_counter() - start:.1f} s: "
            + ", ".join(f"{levels[lv]} {lv}" for lv in ("central", "province", "city", "county"))
        )
        check_columns(central.schema_name)

        # ------------------------------------------------ planning and writing
        start = time.perf_counter()
        now = timezone.now()
        accounts = Accounts(next_id=(User.objects.aggregate(m=Max("pk"))["m"] or 0) + 1)
        n_youths = max(5000, args.ratings // 2)
        youths = [
            accounts.make(
                "139",
                f"青年{i}",
                now - timedelta(seconds=rng.uniform(86400, JOINED_YEARS * 365 * 86400)),
            )
            for i in range(n_youths)
        ]
        planner = Planner(args.seed + 1, now, accounts, youths)
        counts = sizes([c.level for c in committees], args.ratings, rng)
        plans = [
            planner.committee(c, n)
            for c, n in zip(tqdm(committees, desc="planning", unit="tenant"), counts, strict=True)
        ]
        planner.transfers(plans)
        for p in plans:
            planner.finish(p)
        write_accounts(accounts)
        for p in tqdm(plans, desc="writing", unit="tenant"):
            write_schema(p)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE public.core_user")
            for c in tqdm(committees, desc="vacuum", unit="tenant"):
                cursor.execute(f'VACUUM ANALYZE "{c.schema_name}".timeline_event')
        filling = time.perf_counter() - start
        all_rows = [row for p in plans for row in p.ratings]
        per = sorted(len(p.ratings) for p in plans)
        by_term = Counter(row.term for row in all_rows)
        staff = sum(len(p.staff) for p in plans)
        teams = sum(len(p.teams) for p in plans)
        events = sum(len(p.timeline) for p in plans)
        copies = [c for p in plans for c in p.copies]
        print(
            f"filled in {filling:.1f} s (COPY, VACUUM ANALYZE): {events:,} timeline events, of "
            f"which {len(all_rows):,} ratings and {len(copies):,} copies of ratings in the "
            f"parent's timeline ({sum(not c.has_origin for c in copies):,} without origin); "
            f"{len(accounts.rows):,} accounts ({n_youths:,} youths, {staff:,} staff, "
            f"{sum(p.bursts for p in plans)} in {sum(bool(p.bursts) for p in plans)} committees' "
            f"bursts, {sum(p.near_misses for p in plans)} in near misses), {teams:,} teams "
            f"({sum(len(p.renamed) for p in plans):,} renamed)"
        )
        print(
            f"  ratings per committee: median {statistics.median(per):.0f}, smallest {per[0]}, "
            f"largest {per[-1]:,}; {sum(n >= 1000 for n in per)} committees with 1,000 or more"
        )
        print(
            "  by term: "
            + ", ".join(f"{t} {by_term[t]:,}" for t in TERMS)
            + f"; by staff (not counted) {sum(not r.counts for r in all_rows):,}; "
            f"two credited {sum(len(r.credited) == 2 for r in all_rows):,}; team only "
            f"{sum(not r.credited for r in all_rows):,}; "
            f"no team {sum(r.team is None for r in all_rows):,}"
        )
        clients = Counter(r.client for r in all_rows if r.client)
        print(
            f"  addresses: {len(clients):,} distinct among {sum(clients.values()):,} ratings "
            f"with one; {sum(not r.client for r in all_rows):,} without"
        )
        del all_rows

        # ------------------------------------------------ the recompute
        standard = standing.standard_for(timezone.localdate())
        print()
        registered = sorted(standing.RATED_KINDS)
        print(
            f"rating kinds registered: {', '.join(registered)}"
            + ("" if set(registered) == set(RATED_KINDS.values()) else
               f" (the script writes {', '.join(sorted(RATED_KINDS.values()))})")
        )  # fmt: skip
        print(
            f"standard v{standard.version}: answers {standard.answer_weight}, help "
            f"{standard.help_weight}, bookings {standard.booking_weight}, activities "
            f"{standard.activity_weight}; prior {standard.prior_weight}, suspect "
            f"{standard.suspect_weight}, burst {standard.burst_accounts} accounts in "
            f"{standard.burst_window_s} s"
        )
        seconds: list[float] = []
        failure: Exception | None = None
        for r in range(args.rounds):
            t0 = time.perf_counter()
            try:
                standing.recompute()
            except Exception as exc:  # reported, then exit 1
                failure = exc
                print(f"  round {r + 1}: recompute() FAILED: {exc!r}")
                break
            seconds.append(time.perf_counter() - t0)
            print(f"  round {r + 1}: recompute() {seconds[-1]:.2f} s")
        if failure is not None:
            return 1
        median = statistics.median(seconds)
        scored = Counter(StandardScore.objects.values_list("kind", flat=True))
        flags_kept = Counter(
            reason for reasons in RatingFlag.objects.values_list("reasons", flat=True)
            for reason in reasons
        )  # fmt: skip
        print(
            f"  median of {len(seconds)}: {median:.2f} s; {scored['account']:,} accounts and "
            f"{scored['team']:,} teams scored, {RatingFlag.objects.count():,} ratings flagged "
            f"(burst {flags_kept['burst']:,}, address {flags_kept['address']:,})"
        )

        # Its phases, once each.
        ordered = list(Committee.objects.exclude(schema_name="public").order_by("path"))
        t0 = time.perf_counter()
        found = standing.facts(ordered)
        facts_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        scores = standing.score(found, standard)
        score_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        flags_of = standing.flags_of(found, standard)
        flags_s = time.perf_counter() - t0
        print(
            f"  phases: facts() {facts_s:.2f} s ({len(found):,} facts), score() {score_s:.2f} s "
            f"(of which flags_of() about {flags_s:.2f} s), the rest (names, rows, replacing) "
            f"about {max(0.0, median - facts_s - score_s):.2f} s by difference from the median"
        )
        del flags_of
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            standing.recompute()
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
            stats.print_stats(30)
            stats.print_callees(r"standing\.py:\d+\((recompute|facts|score|flags_of)\)")
            print("\nrecompute() in cProfile, by cumulative time:")
            print(out.getvalue())

        # ------------------------------------------------ the check
        version = standard.version
        in_force = (
            ScoreStandard.objects.filter(effective_from__lte=timezone.localdate())
            .order_by("-effective_from")
            .first()
        )
        want = expected(plans, accounts, in_force)
        kinds, examples = compare(want, version)
        agree = not kinds
        print()
        why = Counter(reason for _rater, reasons in want.flags.values() for reason in reasons)
        print(
            f"the script's own count: {len(want.scores):,} subjects, {len(want.flags):,} ratings "
            f"flagged (burst {why['burst']:,}, address {why['address']:,}), national mean "
            f"{want.national:.4f} (recompute: {scores.national_mean:.4f}); rating events left "
            "out: " + ", ".join(f"{why} {n:,}" for why, n in sorted(want.left_out.items()))
        )
        print(f"  every kept score and flag as expected: {agree}")
        if not agree:
            print("  differences: " + ", ".join(f"{k} {n:,}" for k, n in kinds.most_common()))
            for text in examples:
                print(f"    {text}")
            literal = expected(plans, accounts, in_force, by_raters=False)
            kinds_literal, _ = compare(literal, version)
            why = Counter(r for _rater, reasons in literal.flags.values() for r in reasons)
            print(
                "  counting ratings instead of raters (a youth's ratings of one person as "
                "several accounts, an address they used before as another's): "
                f"{len(literal.flags):,} flagged (burst {why['burst']:,}, "
                f"address {why['address']:,}); as kept: {not kinds_literal}"
                + (
                    ""
                    if not kinds_literal
                    else " (" + ", ".join(f"{k} {n:,}" for k, n in kinds_literal.items()) + ")"
                )
            )
        kept_flags = dict(
            ((f.committee_id, f.event_id), f.reasons) for f in RatingFlag.objects.all()
        )
        planted: Counter = Counter()
        for p in plans:
            for row in p.ratings:
                if row.planted:
                    planted[row.planted] += 1
                    planted[f"{row.planted} caught"] += "burst" in kept_flags.get(
                        (p.committee_id, row.id), []
                    )
        print(
            f"  planted bursts: {planted['burst']} ratings, {planted['burst caught']} of them "
            f"flagged as burst; near misses: {planted['near']}, {planted['near caught']} flagged"
        )
        worst = max(want.moves, key=lambda m: m[0] / m[1] if m[1] else 0, default=(0.0, 0.0))
        within = all(moved <= bound + 1e-9 for moved, bound in want.moves)
        print(
            f"  flagged ratings move no score by more than burst_bound: {within} "
            f"({len(want.moves):,} subjects with flagged ratings; closest {worst[0]:.3f} of "
            f"{worst[1]:.3f} points); burst_bound(5) = {standing.burst_bound(standard, 5):.3f}"
        )

        print()
        print(
            f"{len(committees)} committees, {sum(per):,} ratings, {len(found):,} counted, "
            f"{sum(scored.values()):,} subjects scored, {RatingFlag.objects.count():,} flagged; "
            f"recompute median {median:.2f} s ({', '.join(f'{s:.2f}' for s in seconds)})"
        )
        print(server_description())
        ratio = median / GOAL_S
        print(goal(f"recompute < {GOAL_S:.0f} s (got {median:.1f} s, {ratio:.2f} of the goal)",
                   median < GOAL_S))  # fmt: skip
        if not (agree and within):
            print("ERROR: the kept scores or flags differ from the script's own count")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
