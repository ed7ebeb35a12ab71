"""The central rollup: shipping every committee's timeline into the public figures, rebuilding
them, and the console's overview from the figures against visiting every committee's schema.

Provisions ``--tenants`` committees (by clone): the central one, 34 provinces, cities under
the provinces and counties under the cities. Their sizes are skewed as the real ones are (a
Zipf law over the committees, provinces most often at the top): a few committees with
thousands of questions, most with tens; ``--questions`` in all. Each committee's activity is
written straight into its schema's ``qa_question`` and ``timeline_event`` by ``COPY``,
events as ``qa.services`` and ``qa.handlers`` record them, over the last 60 days: asked,
routed, answered (the first by a cadre or an expert with ``first`` and ``response_s``; later
ones by staff or peers), overdue (the first-response deadline of the category passed while
still open), solved, rated (1-5 stars, a few by staff), transferred out to the parent
committee and transferred in there, with each side's copies of the other's events
(``mirrored_from``) as the outbox leaves them; ``shipped_at`` NULL. Youths' visits to the
questions go into ``reporting_postvisit``.

Each committee also has help cases (找帮助, 3–5% of its questions, from a seed of their own so
that the questions stay as they were), written into ``helpcases_helpcase`` and the same
``timeline_event`` as ``helpcases.services`` and ``helpcases.collective`` record them:
received (the title as topic), routed (on arrival, or later from triage), the verification
(started, then recorded: genuine, not genuine and closed, or needing more), actions planned and
done, resolved or not, reported back (``in_time``, ``first``, ``members``, the ``sector`` of
the organisation handling it, if one does), each member's evaluation (reopening or escalating
once, else final and rated), co-signers joining public cases, overdue and escalated by the
supervision sweep while open; and collective demands of 3 to 60 youths grouping alike open
cases, co-signers and questions, handled as one case. The cases' verifications, actions and
evaluations are not written as rows: the rollup reads the timeline only.

The script keeps its own count of what it wrote, by rules written out again by hand from the
README and each domain's ``metrics`` module (not read from ``reporting.metrics``), so that a
wrong declaration or a wrong kind shows as a difference.

Then, in this process:

* ``reporting.shipping.ship_all()`` ships it all: records per second;
* ``reporting.shipping.rebuild()`` recounts it all, timed; every figure row after the
  rebuild must equal the row after shipping (``EXCEPT ALL`` both ways, four tables). While
  it runs, a second connection reads the central summary every half second (how long a
  console read waits during a rebuild) and a third counts the locks its transaction holds;
  a rebuild that fails is reported (how far it got), the rest still runs, and the script
  exits 1 at the end;
* the overview of the last 30 days (``GET /api/v1/reports/overview/?days=30`` on the console
  domain as a central admin with a JWT, through Django's test client; with ``--via
  selectors``, or where that route is not served, the selector calls its view makes)
  against ``selectors.figures_from_schemas(central, period)``, alternating for ``--rounds``
  rounds of ``--requests`` overviews and one visit of every schema; and whether the two
  agree (visits aside) with each other and with the script's own count, as do the trend,
  the categories, the ranking, one category and each province's subtree.

    .venv/bin/python bench/rollup.py [--tenants 1000] [--questions 100000] [--rounds 10]
        [--requests 20] [--via auto|http|selectors]
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    bench_database,
    goal,
    phone,
    provision_central,
    provision_plan,
    server_description,
)

GOAL_RATIO = 50.0
GOAL_P95_MS = 200.0
DAYS = 60  # the activity spans the last 60 days
PERIOD_DAYS = 30  # the overview's period
OVERVIEW = f"/api/v1/reports/overview/?days={PERIOD_DAYS}"
PROVINCES = 34
CITY_SHARE = 0.32  # of the committees below the provinces; the rest are counties
ZIPF = 0.9  # the size of the committee ranked k is proportional to k ** -ZIPF
# How likely each level is to be near the top of the size ranking (smaller: more likely).
LEVEL_SPREAD = {"central": 0.3, "province": 0.15, "city": 1.0, "county": 2.5}

# What happens to a question (shares).
ROUTED = 0.85
ANSWERED = 0.88
BY_CADRE = 0.65  # the other first answers are by experts
MORE_ANSWERS = 0.2  # another answer after the first, by staff or a peer
SOLVED = 0.55  # of the answered ones
RATED = 0.75  # of the solved ones
BY_STAFF = 0.03  # ratings by the committee's own staff (left out of satisfaction)
STARS = [1, 2, 3, 4, 5]
STAR_WEIGHTS = [3, 4, 10, 30, 53]
TRANSFERRED = 0.03  # transferred to the parent committee before any answer
RESPONSE_MEDIAN_S = 4 * 3600
VISITS_PER_QUESTION = 1.5

# What happens to a help case (shares), from help.received on.
HELP_SHARE = (0.03, 0.05)  # help cases per question, drawn for each committee
HELP_ROUTED = 0.9  # on arrival (its organisation or a rule); the others from triage, later
BY_ORGANISATION = 0.25  # handled by an organisation (else the service alliance)
LEAGUE_ORGANISATION = 0.6  # of those: a League one (团内); the others social ones (团外)
DESIGNATED = 0.5  # of those: the youth chose it
HELP_PUBLIC = 0.4  # others may read the details, and join
COSIGNED = 0.15  # of the public cases on their own: one to three other youths join
HELP_RESPONSE_MEDIAN_S = 6 * 3600  # to the first step (verification started or recorded)
VERIFYING_FIRST = 0.8  # the verification is started before it is recorded
VERDICTS = ["genuine", "not_genuine", "needs_more"]
VERDICT_WEIGHTS = [86, 7, 7]
METHODS = ["visit", "call", "documents", "other"]
METHOD_WEIGHTS = [35, 40, 20, 5]
ACTION_DONE = 0.75
# The organisations that handle help cases, and those engaged in actions.
ORGANISATIONS = {
    "league": ["青年之家", "青年志愿者协会", "学联"],
    "social": ["法律援助中心", "心理咨询站", "公益助学基金会"],
}
ENGAGED = ["", "", "区人社局", "街道办", *ORGANISATIONS["league"], *ORGANISATIONS["social"]]
HELP_RESOLVED = 0.85  # of the coordinated ones; the others end unresolved, with the reason
HELP_REPORTED = 0.93  # of the resolved or unresolved ones
EVALUATED = 0.85  # of the members reported to
REAL = 0.93
EFFECTIVE = 0.8  # of the real ones: it solved the problem
SATISFIED_STARS = [1, 1, 4, 30, 64]
UNSATISFIED_STARS = [30, 30, 25, 10, 5]
SECOND_ROUND = 0.3  # of the unsatisfied in the first round: reopen (or, 40% of them, escalate)
ESCALATE = 0.4
HELP_BY_STAFF = 0.02  # a member who also handled it: the rating is kept but not counted
COLLECTIVE = 0.03  # collective demands per help case
COLLECTIVE_SIZE = (3, 60)  # youths (members) in a collective demand, most near the bottom
ALIKE_S = 14 * 86400  # the grouped cases were asked within a fortnight of each other
MOMENT = timedelta(milliseconds=5)  # between events recorded in one transaction

# The figures a timeline gives (every column of reporting.DailyFigures but the visits).
QUESTION_FIGURES = [
    "asked", "answered", "answered_by_league", "solved", "overdue", "transferred_in",
    "transferred_out", "ratings", "rating_stars", "ratings_high",
    "deflected",  # none in the data: it must stay 0
]  # fmt: skip
HELP_FIGURES = [
    "help_received", "help_verified", "help_resolved", "help_reported", "help_reported_in_time",
    "help_closed", "help_effective", "help_ratings", "help_rating_stars",
    "help_by_league_orgs", "help_by_social_orgs", "help_collective", "help_collective_size",
    "help_transferred_in", "help_transferred_out",  # none in the data: they must stay 0
]  # fmt: skip
HOME_FIGURES = [  # youth homes: none in the data, so they must stay 0
    "home_bookings", "home_promotions", "home_cancellations", "home_attended", "home_no_shows",
    "home_ratings", "home_rating_stars", "home_not_as_described", "home_consultations",
]  # fmt: skip
# What the script counts; compared where the code declares it (compared()).
TIMELINE = QUESTION_FIGURES + HELP_FIGURES + HOME_FIGURES


# ---------------------------------------------------------------- the committees


def committee_tree(n: int, rng: random.Random) -> list[dict]:
    """``n - 1`` committees under the central one, for ``provision_plan``: the provinces, then
    cities under them, then counties under the cities (``parent``: an index in the plan)."""
    others = n - 1
    provinces = min(PROVINCES, others)
    cities = round((others - provinces) * CITY_SHARE)
    counties = others - provinces - cities
    plan: list[dict] = [
        {"code": f"p{i:02d}", "name": f"Province {i}", "level": "province"}
        for i in range(provinces)
    ]
    for j in range(cities):
        province = j % provinces
        plan.append(
            {
                "code": f"p{province:02d}-c{j:03d}",
                "name": f"City {j}",
                "level": "city",
                "parent": province,
            }
        )
    for k in range(counties):
        city = provinces + rng.randrange(cities)
        plan.append(
            {
                "code": f"{plan[city]['code']}-x{k:03d}",
                "name": f"County {k}",
                "level": "county",
                "parent": city,
            }
        )
    return plan


def sizes(levels: list[str], total: int, rng: random.Random) -> list[int]:
    """Questions per committee: a Zipf law over a ranking that puts provinces near the top."""
    order = sorted(range(len(levels)), key=lambda i: rng.random() * LEVEL_SPREAD[levels[i]])
    weights = [(rank + 1) ** -ZIPF for rank in range(len(levels))]
    scale = total / sum(weights)
    found = [0] * len(levels)
    for rank, i in enumerate(order):
        found[i] = max(5, round(weights[rank] * scale * rng.uniform(0.8, 1.2)))
    return found


# ---------------------------------------------------------------- the activity


@dataclass
class Schema:
    """What one committee's schema will hold: question rows and event rows (without ids:
    a question's id is its place in the list plus one, events get theirs in time order)."""

    code: str
    parent: str = ""  # whose supervision board a late help case goes on (its own: central)
    questions: list[dict] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)  # (question index, kind, actor, ...)
    visits: int = 0
    # Help cases as questions are: a case's id is its place in the list plus one.
    cases: list[dict] = field(default_factory=list)
    help_events: list[tuple] = field(default_factory=list)  # (case id, kind, actor, ...)
    grouped: set[int] = field(default_factory=set)  # questions in a collective demand
    actions: int = 0  # the help.action ids given so far


@dataclass
class Expected:
    """The script's own count of what the figures must say: (day, category) -> Counter, and
    the youths served (a first answer to their question, a first report on their help case) on
    each day."""

    cells: dict[tuple[date, str], Counter] = field(default_factory=dict)
    served: set[tuple[date, int]] = field(default_factory=set)

    def add(self, day: date, category: str, column: str, value: int = 1) -> None:
        if value:
            self.cells.setdefault((day, category), Counter())[column] += value

    def totals(self, start: date, end: date, category: str | None = None) -> dict[str, int]:
        found: Counter = Counter()
        for (day, cat), counts in self.cells.items():
            if start <= day <= end and (category is None or cat == category):
                found.update(counts)
        return {column: found.get(column, 0) for column in [*compared(), "visits"]}

    def youths(self, start: date, end: date) -> int:
        return len({user for day, user in self.served if start <= day <= end})


class Activity:
    """Questions and their timelines for every committee, reproducible from a seed."""

    def __init__(self, seed: int, now: datetime, youths: list[int], cadres: list[int]) -> None:
        from bench.qa_archive import Questions
        from franchise import standards

        self.rng = random.Random(seed)
        self.texts = Questions(seed)
        self.now = now
        self.youths = youths
        self.staff = cadres
        self.deadline = {code: first_s for code, _n, _e, first_s, _r in standards.CATEGORIES}
        self.expected = Expected()

    def local_day(self, moment: datetime) -> date:
        from reporting.metrics import local_day

        return local_day(moment)

    # What one event counts, as the README defines the figures (not reporting.metrics).
    def count(self, kind: str, category: str, data: dict, at: datetime, asker: int) -> None:
        if "mirrored_from" in data:
            return
        day, add = self.local_day(at), self.expected.add
        if kind in ("asked", "solved", "overdue", "transferred_in", "transferred_out"):
            add(day, category, kind)
        elif kind == "answered" and data.get("first"):
            add(day, category, "answered")
            add(day, category, "answered_by_league", data["by"] == "cadre")
            self.expected.served.add((day, asker))
        elif kind == "rated" and not data["staff"]:
            add(day, category, "ratings")
            add(day, category, "rating_stars", data["stars"])
            add(day, category, "ratings_high", data["stars"] >= 4)

    def event(self, schema: Schema, question: int, kind: str, state: str, category: str,
              data: dict, at: datetime, actor: int | None = None) -> None:  # fmt: skip
        schema.events.append((question, kind, actor, state, category, data, at))
        self.count(kind, category, data, at, schema.questions[question - 1]["asker_id"])

    def question(self, schema: Schema, **values) -> int:
        row = {
            "asker_id": None, "title": "", "body": "", "category_id": "",
            "suggested_category": "", "suggested_confidence": None, "state": "new",
            "respond_by": None, "resolve_by": None, "first_answered_at": None,
            "overdue_at": None, "solved_at": None, "transferred_to": "",
            "origin_committee": "", "origin_question_id": None, "created_at": None,
        }  # fmt: skip
        row.update(values)
        schema.questions.append(row)
        return len(schema.questions)  # its id

    def fill(self, schema: Schema, parent: Schema | None, n: int, youths: range) -> None:
        """``n`` questions asked on ``schema``'s portal (some transferred to ``parent``)."""
        rng = self.rng
        for _ in range(n):
            category, title, body = self.texts.make()
            asker = self.youths[rng.choice(youths) % len(self.youths)]
            created = self.now - timedelta(seconds=rng.uniform(0, DAYS * 86400 - 3600))
            if parent is not None and rng.random() < TRANSFERRED:
                self.transfer(schema, parent, asker, category, title, body, created)
            else:
                self.handled(schema, asker, category, title, body, created)

    def _answer_delay(self) -> float:
        return RESPONSE_MEDIAN_S * self.rng.lognormvariate(0, 1.3)

    def _asked(self, schema: Schema, qid: int, category: str, asker: int, at: datetime):
        data = {
            "suggested": category,
            "confidence": round(self.rng.uniform(0.3, 0.99), 2),
            "chosen_by_asker": self.rng.random() < 0.4,
        }
        self.event(schema, qid, "asked", "new", category, data, at, asker)

    def handled(self, schema, asker, category, title, body, created) -> None:
        """A question asked and handled here."""
        rng, now = self.rng, self.now
        qid = self.question(
            schema, asker_id=asker, title=title, body=body, category_id=category,
            suggested_category=category, suggested_confidence=0.8, created_at=created,
        )  # fmt: skip
        row = schema.questions[qid - 1]
        self._asked(schema, qid, category, asker, created)
        respond_by = created + timedelta(seconds=self.deadline[category])
        row["respond_by"], row["resolve_by"] = respond_by, created + timedelta(days=7)
        state = "new"
        staff = rng.choice(self.staff)
        if rng.random() < ROUTED:
            state = "routed"
            at = created + timedelta(seconds=rng.uniform(0.05, 2))
            data = {"team": "服务联盟", "assignee": staff}
            self.event(schema, qid, "routed", state, category, data, at)
        answered = created + timedelta(seconds=self._answer_delay())
        if rng.random() >= ANSWERED or answered > now:
            answered = None
        if respond_by < now and (answered is None or answered > respond_by):
            at = respond_by + timedelta(seconds=rng.uniform(0, 300))
            if at < now and (answered is None or at < answered):
                row["overdue_at"] = at
                self.event(schema, qid, "overdue", state, category, {"due": str(respond_by)}, at)
        row["state"] = state
        if answered is None:
            return
        self._answered(schema, qid, category, created, answered, staff, mirrored_from=None)
        row["state"], row["first_answered_at"] = "answered", answered
        self._more_answers(schema, qid, category, answered, None)
        solved = self._solved_and_rated(schema, qid, category, asker, answered, None)
        if solved:
            row["state"], row["solved_at"] = "solved", solved

    def _answered(self, schema, qid, category, created, at, staff, mirrored_from) -> None:
        data = {
            "reply_id": qid,
            "by": "cadre" if self.rng.random() < BY_CADRE else "expert",
            "first": True,
            "response_s": int((at - created).total_seconds()),
        }
        if mirrored_from:
            data["mirrored_from"] = mirrored_from
        self.event(schema, qid, "answered", "answered", category, data, at, staff)

    def _more_answers(self, schema, qid, category, after, mirrored_from) -> None:
        rng = self.rng
        if rng.random() < MORE_ANSWERS:
            at = after + timedelta(seconds=rng.uniform(600, 86400))
            if at < self.now:
                data = {"reply_id": qid + 1_000_000, "by": rng.choice(["cadre", "peer", "peer"])}
                if mirrored_from:
                    data["mirrored_from"] = mirrored_from
                self.event(schema, qid, "answered", "answered", category, data, at)

    def _solved_and_rated(self, schema, qid, category, asker, answered, mirror):
        """Solved and rated by the asker (on ``schema``, and copied to ``mirror``)."""
        rng, now = self.rng, self.now
        if rng.random() >= SOLVED:
            return None
        solved = answered + timedelta(seconds=rng.uniform(1800, 3 * 86400))
        if solved > now:
            return None
        events = [("solved", {}, solved)]
        rated = solved + timedelta(seconds=rng.uniform(60, 7200))
        if rng.random() < RATED and rated < now:
            stars = rng.choices(STARS, STAR_WEIGHTS)[0]
            events.append(("rated", {"stars": stars, "staff": rng.random() < BY_STAFF}, rated))
        for kind, data, at in events:
            self.event(schema, qid, kind, "solved", category, data, at, asker)
            if mirror is not None:
                target, target_qid, sender = mirror
                copy = {**data, "mirrored_from": sender}
                self.event(target, target_qid, kind, "solved", category, copy, at, asker)
        return solved

    def transfer(self, schema, parent, asker, category, title, body, created) -> None:
        """Asked here, transferred to ``parent`` (转接) and handled there, as the outbox
        leaves both sides: each holds the question and copies of the other's events."""
        rng, now = self.rng, self.now
        out_at = created + timedelta(seconds=rng.uniform(600, 86400))
        if out_at > now:
            return self.handled(schema, asker, category, title, body, created)
        qid = self.question(
            schema, asker_id=asker, title=title, body=body, category_id=category,
            suggested_category=category, suggested_confidence=0.8, created_at=created,
            transferred_to=parent.code, state="new",
        )  # fmt: skip
        there = self.question(
            parent, asker_id=asker, title=title, body=body, category_id=category,
            suggested_category=category, suggested_confidence=0.8, created_at=created,
            origin_committee=schema.code, origin_question_id=qid, state="routed",
        )  # fmt: skip
        here_row, there_row = schema.questions[qid - 1], parent.questions[there - 1]
        self._asked(schema, qid, category, asker, created)
        out = {"to": parent.code, "note": ""}
        self.event(schema, qid, "transferred_out", "new", category, out, out_at)
        # The copy there starts with the history from here.
        for kind, data, at in (("asked", {}, created), ("transferred_out", out, out_at)):
            copy = {**data, "mirrored_from": schema.code}
            self.event(parent, there, kind, "new", category, copy, at)
        in_at = out_at + timedelta(seconds=rng.uniform(0.5, 30))
        self.event(parent, there, "transferred_in", "new", category, {"origin": schema.code}, in_at)
        respond_by = in_at + timedelta(seconds=self.deadline[category])
        there_row["respond_by"] = respond_by
        answered = in_at + timedelta(seconds=self._answer_delay())
        if rng.random() >= ANSWERED or answered > now:
            answered = None
        if respond_by < now and (answered is None or answered > respond_by):
            at = respond_by + timedelta(seconds=rng.uniform(0, 300))
            if at < now and (answered is None or at < answered):
                there_row["overdue_at"] = at
                self.event(parent, there, "overdue", "routed", category, {"due": "…"}, at)
        if answered is None:
            return None
        staff = rng.choice(self.staff)
        self._answered(parent, there, category, created, answered, staff, mirrored_from=None)
        # …and its copy here, with the data as it was recorded there.
        first = parent.events[-1][5]
        self.event(
            schema, qid, "answered", "answered", category,
            {**first, "mirrored_from": parent.code}, answered, staff,
        )  # fmt: skip
        for row in (here_row, there_row):
            row["state"], row["first_answered_at"] = "answered", answered
        solved = self._solved_and_rated(
            schema, qid, category, asker, answered, (parent, there, schema.code)
        )
        if solved:
            for row in (here_row, there_row):
                row["state"], row["solved_at"] = "solved", solved
        return None

    def visits(self, schema: Schema, committee_id: int, write: Callable[[tuple], None]) -> None:
        """Youths' and visitors' effective visits to the schema's questions (once per post,
        visitor and day), counted into the expected figures."""
        rng, now = self.rng, self.now
        for qid, row in enumerate(schema.questions, start=1):
            if row["origin_committee"]:
                continue  # the post is on the portal where it was asked
            age = (now - row["created_at"]).total_seconds()
            for v in range(int(rng.expovariate(1 / VISITS_PER_QUESTION))):
                at = row["created_at"] + timedelta(seconds=min(age, rng.expovariate(1 / 86400)))
                # Accounts and anonymous visitors, each one once per post.
                youth = self.youths[(qid * 7 + v) % len(self.youths)]
                visitor = f"u{youth}" if v % 2 else f"a{qid:08x}{v:04x}"
                day = self.local_day(at)
                write((committee_id, "question", qid, row["category_id"], visitor, day, at))
                self.expected.add(day, row["category_id"], "visits")
                schema.visits += 1


class HelpCases:
    """Help cases and collective demands for every committee, and their timelines, as
    ``helpcases.services`` and ``helpcases.collective`` record them; reproducible from a seed
    of their own and counted into the questions' ``Expected``."""

    def __init__(self, seed: int, activity: Activity) -> None:
        from bench.qa_archive import Questions
        from franchise import standards

        self.rng = random.Random(seed)
        self.texts = Questions(seed)
        self.now, self.youths, self.staff = activity.now, activity.youths, activity.staff
        self.expected, self.local_day = activity.expected, activity.local_day
        self.windows = {code: (first, then) for code, _n, _e, first, then in standards.CATEGORIES}
        self.sizes: list[int] = []  # each collective demand's members

    # What one event counts: the rules of helpcases/metrics.py written out again by hand.
    def count(self, kind: str, category: str, data: dict, at: datetime, youth: int) -> None:
        day, add = self.local_day(at), self.expected.add
        if kind == "help.received":
            add(day, category, "help_received")
        elif kind == "help.verified" and data["verdict"] == "genuine":
            add(day, category, "help_verified")
        elif kind == "help.resolved":
            add(day, category, "help_resolved")
        elif kind == "help.reported" and data["first"]:
            add(day, category, "help_reported")
            add(day, category, "help_reported_in_time", data["in_time"])
            add(day, category, "help_by_league_orgs", data["sector"] == "league")
            add(day, category, "help_by_social_orgs", data["sector"] == "social")
            self.expected.served.add((day, youth))  # the case's youth, not every member
        elif kind == "help.evaluated" and data["final"]:
            add(day, category, "help_closed")
            add(day, category, "help_effective", data["real"] and data["solved"])
        elif kind == "help.rated" and not data["staff"]:
            add(day, category, "help_ratings")
            add(day, category, "help_rating_stars", data["stars"])
        elif kind == "help.collected":
            add(day, category, "help_collective")
            add(day, category, "help_collective_size", data["size"])

    def event(self, schema: Schema, cid: int, kind: str, data: dict, at: datetime,
              actor: int | None = None, state: str | None = None) -> None:  # fmt: skip
        """Record ``kind`` on case ``cid``; ``state``: the case's state from then on (else
        the one it had at ``at``)."""
        case = schema.cases[cid - 1]
        if state is None:
            state = max(s for s in case["states"] if s[0] <= at)[1]
        else:
            case["states"].append((at, state))
        case["updated_at"] = max(case["updated_at"], at)
        schema.help_events.append((cid, kind, actor, state, case["category_id"], data, at))
        self.count(kind, case["category_id"], data, at, case["youth_id"])

    def case(self, schema: Schema, *, youth: int, category: str, title: str, body: str,
             created: datetime, is_public: bool, is_collective: bool = False) -> int:  # fmt: skip
        """A new case's row, its deadlines running from ``created`` and the team that will
        handle it chosen; its id."""
        first_s, resolve_s = self.windows[category]
        rng = self.rng
        team, sector, designated = "服务联盟", "", None  # a service alliance: no sector
        if rng.random() < BY_ORGANISATION:
            sector = "league" if rng.random() < LEAGUE_ORGANISATION else "social"
            team = rng.choice(ORGANISATIONS[sector])
            designated = (
                ORGANISATIONS[sector].index(team) + 1 if rng.random() < DESIGNATED else None
            )
        schema.cases.append(
            {
                "youth_id": youth, "title": title, "body": body, "category_id": category,
                "is_public": is_public, "is_collective": is_collective, "collective_id": None,
                "assignee_id": rng.choice(self.staff), "team": team, "sector": sector,
                "designated": designated,
                "respond_by": created + timedelta(seconds=first_s),
                "resolve_by": created + timedelta(seconds=resolve_s),
                "overdue_at": None, "escalated_at": None, "first_response_at": None,
                "resolved_at": None, "outcome_reason": "", "report": "", "reported_at": None,
                "round": 1, "created_at": created, "updated_at": created,
                "states": [(created, "received")],
            }
        )  # fmt: skip
        return len(schema.cases)

    def fill(self, schema: Schema, n_questions: int, youths: range) -> None:
        """The help cases asked on ``schema``'s portal (3–5% of its ``n_questions``), some of
        them grouped into collective demands."""
        rng, now = self.rng, self.now
        asked = []
        for _ in range(chance_round(n_questions * rng.uniform(*HELP_SHARE), rng)):
            category, title, body = self.texts.make()
            youth = self.youths[rng.choice(youths) % len(self.youths)]
            created = now - timedelta(seconds=rng.uniform(0, DAYS * 86400 - 3600))
            asked.append((created, category, title, body, youth))
        asked.sort()
        free = list(range(len(asked)))
        groups = []
        for _ in range(chance_round(len(asked) * COLLECTIVE, rng)):
            if not free:
                break
            seed = rng.choice(free)
            created, category = asked[seed][:2]
            alike = [
                i for i in free
                if i != seed and asked[i][1] == category
                and 0 <= (asked[i][0] - created).total_seconds() <= ALIKE_S
            ]  # fmt: skip
            picked = [seed, *alike[: rng.randint(1, 3)]]
            grouped_at = asked[picked[-1]][0] + timedelta(seconds=rng.uniform(3600, 2 * 86400))
            if grouped_at < now:
                free = [i for i in free if i not in picked]
                groups.append(([asked[i] for i in picked], grouped_at))
        for i in free:
            self.alone(schema, *asked[i])
        for picked, grouped_at in groups:
            self.collective(schema, picked, grouped_at)

    def _received(self, schema, created, category, title, body, youth, *, is_public: bool,
                  before: datetime) -> tuple[int, datetime]:  # fmt: skip
        """The case received and routed (before ``before``); its id and when it was routed."""
        rng = self.rng
        cid = self.case(
            schema, youth=youth, category=category, title=title, body=body, created=created,
            is_public=is_public,
        )  # fmt: skip
        case = schema.cases[cid - 1]
        data = {"designated": case["designated"], "from_question": None}
        self.event(schema, cid, "help.received", data, created, youth)
        if rng.random() < HELP_ROUTED:
            routed, actor = created + timedelta(seconds=rng.uniform(0.05, 2)), None
        else:  # from the triage queue, by a cadre
            routed = created + timedelta(seconds=rng.uniform(600, 8 * 3600))
            actor = rng.choice(self.staff)
        if routed < before:
            data = {"team": case["team"], "assignee": case["assignee_id"]}
            self.event(schema, cid, "help.routed", data, routed, actor)
        return cid, routed

    def _others(self, taken: set[int], k: int) -> list[int]:
        """``k`` youths of the pool not in ``taken`` (added to it)."""
        found: list[int] = []
        while len(found) < k and len(taken) < len(self.youths):
            youth = self.rng.choice(self.youths)
            if youth not in taken:
                taken.add(youth)
                found.append(youth)
        return found

    def _joined(self, schema, cid: int, joins: list[tuple[datetime, int]], until) -> None:
        """The co-signers who joined case ``cid`` before ``until`` (我也遇到)."""
        size = 1
        for at, youth in sorted(joins):
            if at < min(until, self.now):
                size += 1
                self.event(schema, cid, "help.joined", {"size": size}, at, youth)

    def alone(self, schema, created, category, title, body, youth) -> None:
        """A case handled on its own, perhaps with co-signers."""
        rng, now = self.rng, self.now
        public = rng.random() < HELP_PUBLIC
        cid, routed = self._received(
            schema, created, category, title, body, youth, is_public=public, before=now
        )
        joins = []
        if public and rng.random() < COSIGNED:
            for other in self._others({youth}, rng.randint(1, 3)):
                joins.append((created + timedelta(seconds=rng.uniform(1800, 4 * 86400)), other))
        until = self.handle(schema, cid, routed, {youth}, joins)
        self._joined(schema, cid, joins, until)

    def collective(self, schema, picked: list[tuple], grouped_at: datetime) -> None:
        """Alike open cases grouped with co-signers and questions of the same category into
        one collective demand of 3–60 youths (集中性诉求), handled as one case."""
        rng = self.rng
        category = picked[0][1]
        low, high = COLLECTIVE_SIZE
        target = low + int((high - low + 1) * rng.random() ** 3)
        least = 0 if len(picked) >= 2 else 1  # one case is grouped with a question at least
        candidates = [
            qid for qid, row in enumerate(schema.questions, start=1)
            if row["category_id"] == category and row["created_at"] < grouped_at
            and not row["transferred_to"] and not row["origin_committee"]
            and qid not in schema.grouped
        ]  # fmt: skip
        if len(candidates) < least:
            for case in picked:
                self.alone(schema, *case)
            return
        most = max(least, min(len(candidates), target // 3))
        questions = sorted(rng.sample(candidates, rng.randint(least, most)))
        schema.grouped.update(questions)
        members = {youth for *_, youth in picked}
        members |= {schema.questions[q - 1]["asker_id"] for q in questions}
        joins: list[list[tuple[datetime, int]]] = [[] for _ in picked]
        for other in self._others(members, target - len(members)):
            i = rng.randrange(len(picked))
            span = (grouped_at - picked[i][0]).total_seconds()
            joins[i].append((picked[i][0] + timedelta(seconds=rng.uniform(600, span)), other))
        ids = []
        for case, joined in zip(picked, joins, strict=True):
            public = bool(joined) or rng.random() < HELP_PUBLIC
            cid, _routed = self._received(schema, *case, is_public=public, before=grouped_at)
            self._supervised(schema, cid, grouped_at)
            self._joined(schema, cid, joined, grouped_at)
            ids.append(cid)
        first = schema.cases[ids[0] - 1]
        demand = self.case(
            schema, youth=first["youth_id"], category=category, title=first["title"],
            body=first["body"], created=grouped_at, is_public=first["is_public"],
            is_collective=True,
        )  # fmt: skip
        # It is in the first case's queue.
        for key in ("assignee_id", "team", "sector", "designated"):
            schema.cases[demand - 1][key] = first[key]
        staff = first["assignee_id"]
        for cid in ids:
            schema.cases[cid - 1]["collective_id"] = demand
            self.event(schema, cid, "help.grouped", {"into": demand}, grouped_at, staff, "grouped")
        self.sizes.append(len(members))
        data = {"cases": ids, "questions": questions, "size": len(members)}
        self.event(schema, demand, "help.collected", data, grouped_at + MOMENT, staff)
        self.handle(schema, demand, grouped_at, members, [])

    def handle(self, schema, cid: int, ready: datetime, members: set[int],
               joins: list[tuple[datetime, int]]) -> datetime:  # fmt: skip
        """Staff handle the case from ``ready`` as far as now: verified, coordinated, resolved,
        reported back to every member and evaluated by them, a second round if one asks.
        Returns until when others could join it (reported back or closed, else now)."""
        now = self.now
        outcome, at = self._verification(schema, cid, ready)
        if outcome != "genuine":
            self._supervised(schema, cid, at)
            return at
        resolved, is_resolved = self._coordination(schema, cid, at)
        self._supervised(schema, cid, resolved or now)
        reported = resolved and self._report(schema, cid, resolved, is_resolved, members, joins)
        if not reported:
            return now
        members = members | {youth for at, youth in joins if at < reported}
        again = self._evaluations(schema, cid, reported, members, round=1)
        if again is None:
            return reported
        at, rated = again
        resolved, is_resolved = self._coordination(schema, cid, at)
        self._supervised(schema, cid, resolved or now)
        reported_again = resolved and self._report(schema, cid, resolved, is_resolved, members, [])
        if reported_again:
            # A member whose first-round word was final has rated the help already.
            self._evaluations(schema, cid, reported_again, members - rated, round=2)
        return reported

    def _verification(self, schema, cid: int, ready: datetime) -> tuple[str, datetime]:
        """The offline verification (线下核实): ("genuine" | "closed" | "open", when)."""
        rng, now = self.rng, self.now
        case = schema.cases[cid - 1]
        staff = case["assignee_id"]
        at = ready + timedelta(seconds=HELP_RESPONSE_MEDIAN_S * rng.lognormvariate(0, 1.2))
        if at >= now:
            return "open", now
        case["first_response_at"] = at
        response = {"first": True, "response_s": int((at - case["created_at"]).total_seconds())}
        if rng.random() < VERIFYING_FIRST:
            self.event(schema, cid, "help.verifying", response, at, staff, "verifying")
            response = {}
            at += timedelta(seconds=rng.uniform(2 * 3600, 2 * 86400))
        verdict = rng.choices(VERDICTS, VERDICT_WEIGHTS)[0]
        while at < now:
            state = {"genuine": "coordinating", "not_genuine": "closed"}.get(verdict, "verifying")
            method = rng.choices(METHODS, METHOD_WEIGHTS)[0]
            data = {"verdict": verdict, "method": method, **response}
            self.event(schema, cid, "help.verified", data, at, staff, state)
            response = {}
            if verdict == "not_genuine":
                self.event(schema, cid, "help.closed", {"reason": verdict}, at + MOMENT, staff)
                return "closed", at
            if verdict == "genuine":
                return "genuine", at
            at += timedelta(seconds=rng.uniform(86400, 5 * 86400))  # the youth sends more
            verdict = rng.choices(VERDICTS[:2], [85, 15])[0]
        return "open", now

    def _coordination(self, schema, cid: int, at: datetime) -> tuple[datetime | None, bool]:
        """Actions planned and done (协调解决), then resolved or not: (when, resolved), or
        (None, False) while still coordinated."""
        rng, now = self.rng, self.now
        case = schema.cases[cid - 1]
        staff = case["assignee_id"]
        done = []
        for _ in range(rng.randint(1, 3)):
            at += timedelta(seconds=rng.uniform(1800, 86400))
            if at >= now:
                return None, False
            schema.actions += 1
            due = (at + timedelta(days=rng.randint(1, 7))).date()
            data = {"action": schema.actions, "organisation": rng.choice(ENGAGED),
                    "due_on": str(due)}  # fmt: skip
            self.event(schema, cid, "help.action", data, at, staff)
            finished = at + timedelta(seconds=rng.uniform(3600, 2 * 86400))
            if rng.random() < ACTION_DONE and finished < now:
                self.event(schema, cid, "help.action_done", {"action": schema.actions},
                           finished, staff)  # fmt: skip
                done.append(finished)
        at = max([at, *done]) + timedelta(seconds=rng.uniform(3600, 2 * 86400))
        if at >= now:
            return None, False
        is_resolved = rng.random() < HELP_RESOLVED
        state = "resolved" if is_resolved else "unresolved"
        self.event(schema, cid, f"help.{state}", {}, at, staff, state)
        case["resolved_at"] = at
        case["outcome_reason"] = "" if is_resolved else "所需资源暂时无法协调"
        return at, is_resolved

    def _report(
        self,
        schema,
        cid: int,
        resolved: datetime,
        is_resolved: bool,
        members: set[int],
        joins: list[tuple[datetime, int]],
    ) -> datetime | None:
        """The report back (反馈结果) to every member, if made by now: when."""
        rng = self.rng
        case = schema.cases[cid - 1]
        at = resolved + timedelta(seconds=rng.uniform(1800, 86400))
        if rng.random() >= HELP_REPORTED or at >= self.now:
            return None
        reached = members | {youth for joined, youth in joins if joined < at}
        data = {
            "in_time": at <= case["resolve_by"], "first": case["reported_at"] is None,
            "members": len(reached), "resolved": is_resolved, "sector": case["sector"],
        }  # fmt: skip
        case["report"], case["reported_at"] = "已联系相关单位协调处理，结果如下。", at
        self.event(schema, cid, "help.reported", data, at, case["assignee_id"], "reported")
        return at

    def _evaluations(self, schema, cid: int, reported: datetime, members: set[int],
                     round: int) -> tuple[datetime, set[int]] | None:  # fmt: skip
        """Each member's evaluation (接受青年评价), final and rated unless an unsatisfied one
        in the first round reopens the case (or takes it to the committee above): then when,
        and who had rated it."""
        rng, now = self.rng, self.now
        rated: set[int] = set()
        times = sorted(
            (reported + timedelta(seconds=rng.uniform(3600, 5 * 86400)), member)
            for member in sorted(members)
            if rng.random() < EVALUATED
        )
        for at, member in times:
            if at >= now:
                break
            real = rng.random() < REAL
            solved = real and rng.random() < EFFECTIVE
            stars = rng.choices(STARS, SATISFIED_STARS if solved else UNSATISFIED_STARS)[0]
            again = round == 1 and not solved and rng.random() < SECOND_ROUND
            data = {"real": real, "solved": solved, "stars": stars, "final": not again}
            self.event(schema, cid, "help.evaluated", data, at, member)
            if again:
                self._reopen(schema, cid, at, member, escalate=rng.random() < ESCALATE)
                return at, rated
            rating = {"stars": stars, "staff": rng.random() < HELP_BY_STAFF}
            self.event(schema, cid, "help.rated", rating, at + MOMENT, member, "evaluated")
            rated.add(member)
        return None

    def _reopen(self, schema, cid: int, at: datetime, youth: int, *, escalate: bool) -> None:
        """The second round: coordinated again with fresh deadlines; escalated, on the parent
        committee's board at once."""
        case = schema.cases[cid - 1]
        first_s, resolve_s = self.windows[case["category_id"]]
        case["round"], case["resolved_at"], case["outcome_reason"] = 2, None, ""
        case["respond_by"], case["overdue_at"] = at + timedelta(seconds=first_s), None
        if case["resolve_by"] < at:
            case["resolve_by"] = at + timedelta(seconds=resolve_s)
        data = {"escalated": escalate}
        self.event(schema, cid, "help.reopened", data, at + MOMENT, youth, "coordinating")
        if escalate:
            case["escalated_at"] = at
            self._escalated(schema, cid, at + 2 * MOMENT, reason="youth")

    def _escalated(self, schema, cid: int, at: datetime, **data) -> None:
        case = schema.cases[cid - 1]
        data = {"to": schema.parent or schema.code, "due": str(case["resolve_by"]), "level": 1,
                **data}  # fmt: skip
        self.event(schema, cid, "help.escalated", data, at)

    def _supervised(self, schema, cid: int, until: datetime) -> None:
        """The supervision sweep (every few minutes) while the case is open, until ``until``:
        overdue past its first-response deadline, on the parent's board past its resolution
        deadline (each once)."""
        rng, case = self.rng, schema.cases[cid - 1]
        until = min(until, self.now)
        at = case["respond_by"] + timedelta(seconds=rng.uniform(0, 300))
        if case["overdue_at"] is None and at < until:
            case["overdue_at"] = at
            self.event(schema, cid, "help.overdue", {"due": str(case["respond_by"])}, at)
        at = case["resolve_by"] + timedelta(seconds=rng.uniform(0, 300))
        if case["escalated_at"] is None and at < until:
            case["escalated_at"] = at
            self._escalated(schema, cid, at)


def chance_round(x: float, rng: random.Random) -> int:
    """``x`` rounded down or up at random, as likely as its fraction: right on average."""
    return int(x) + (rng.random() < x - int(x))


QUESTION_COLUMNS = [
    "id", "asker_id", "title", "body", "category_id", "suggested_category",
    "suggested_confidence", "is_anonymous", "is_public", "state", "held_for",
    "respond_by", "resolve_by", "first_answered_at", "overdue_at", "solved_at",
    "transferred_to", "origin_committee", "origin_question_id", "created_at", "updated_at",
]  # fmt: skip
CASE_COLUMNS = [
    "id", "youth_id", "title", "body", "place", "contact", "category_id", "is_public", "state",
    "held_for", "is_collective", "collective_id", "assignee_id", "respond_by", "resolve_by",
    "overdue_at", "escalated_at", "first_response_at", "resolved_at", "outcome_reason", "report",
    "reported_at", "round", "created_at", "updated_at",
]  # fmt: skip
EVENT_COLUMNS = [
    "id", "subject_type", "subject_id", "kind", "actor_id", "state", "category", "youth_id",
    "topic", "data", "at",
]  # fmt: skip


def write_schema(schema: Schema, schema_name: str) -> None:
    """COPY the schema's questions, help cases and events in, and move its id sequences past
    them."""
    from django.db import connection
    from django_tenants.utils import schema_context

    with schema_context(schema_name), connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY qa_question ({', '.join(QUESTION_COLUMNS)}) FROM STDIN") as copy:
            for qid, row in enumerate(schema.questions, start=1):
                updated = max(
                    t for t in (row["created_at"], row["first_answered_at"], row["solved_at"]) if t
                )
                copy.write_row(
                    (
                        qid, row["asker_id"], row["title"], row["body"], row["category_id"],
                        row["suggested_category"], row["suggested_confidence"], False, True,
                        row["state"], "[]", row["respond_by"], row["resolve_by"],
                        row["first_answered_at"], row["overdue_at"], row["solved_at"],
                        row["transferred_to"], row["origin_committee"], row["origin_question_id"],
                        row["created_at"], updated,
                    )
                )  # fmt: skip
        with raw.copy(f"COPY helpcases_helpcase ({', '.join(CASE_COLUMNS)}) FROM STDIN") as copy:
            for cid, case in enumerate(schema.cases, start=1):
                copy.write_row(
                    (
                        cid, case["youth_id"], case["title"], case["body"], "", "",
                        case["category_id"], case["is_public"], max(case["states"])[1], "[]",
                        case["is_collective"], case["collective_id"], case["assignee_id"],
                        case["respond_by"], case["resolve_by"], case["overdue_at"],
                        case["escalated_at"], case["first_response_at"], case["resolved_at"],
                        case["outcome_reason"], case["report"], case["reported_at"],
                        case["round"], case["created_at"], case["updated_at"],
                    )
                )  # fmt: skip
        events = sorted(
            [("qa.question", *e) for e in schema.events]
            + [("helpcases.helpcase", *e) for e in schema.help_events],
            key=lambda e: e[7],
        )
        # Both domains' events as their services record them (timeline.record): the question
        # loop's kinds bare in the plan, the help cases' namespaced already.
        with raw.copy(f"COPY timeline_event ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as copy:
            for eid, (subject_type, sid, kind, actor, state, category, data, at) in enumerate(
                events, start=1
            ):
                if subject_type == "qa.question":
                    question = schema.questions[sid - 1]
                    youth = question["asker_id"]
                    topic = question["title"] if kind == "asked" else ""
                    kind = f"qa.{kind}"
                else:
                    case = schema.cases[sid - 1]
                    youth = case["youth_id"]
                    topic = case["title"] if kind == "help.received" else ""
                copy.write_row(
                    (eid, subject_type, sid, kind, actor, state, category, youth, topic,
                     json.dumps(data, ensure_ascii=False), at)
                )  # fmt: skip
        for table, count in (
            ("qa_question", len(schema.questions)),
            ("helpcases_helpcase", len(schema.cases)),
            ("timeline_event", len(events)),
        ):
            if count:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [count]
                )


def fill_all(
    activity: Activity, help_cases: HelpCases, committees: list, n_questions: list[int]
) -> dict[str, int]:
    """Plan every committee's activity, then write each schema and the visits."""
    from django.db import connection
    from tqdm import tqdm

    by_id = {c.pk: c for c in committees}
    schemas = {
        c.code: Schema(c.code, parent=by_id[c.parent_id].code if c.parent_id in by_id else "")
        for c in committees
    }
    pool = len(activity.youths)
    offset = 0
    for committee, n in zip(
        tqdm(committees, desc="planning", unit="tenant"), n_questions, strict=True
    ):
        parent = by_id.get(committee.parent_id)
        # A committee's askers are mostly its own youths: a slice of the pool, a bit wider.
        width = max(20, n // 2)
        youths = range(offset, offset + width)
        offset = (offset + width) % pool
        activity.fill(schemas[committee.code], schemas[parent.code] if parent else None, n, youths)
        help_cases.fill(schemas[committee.code], n, youths)
    for committee in tqdm(committees, desc="writing", unit="tenant"):
        write_schema(schemas[committee.code], committee.schema_name)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            "COPY public.reporting_postvisit (committee_id, post_type, post_id, category, visitor,"
            " day, at, is_shipped) FROM STDIN"
        ) as copy,
    ):
        for committee in tqdm(committees, desc="visits", unit="tenant"):
            activity.visits(
                schemas[committee.code], committee.pk, lambda row: copy.write_row((*row, False))
            )
    cases = [len(s.cases) for s in schemas.values()]
    sizes = help_cases.sizes or [0]
    return {
        "questions": sum(len(s.questions) for s in schemas.values()),
        "events": sum(len(s.events) + len(s.help_events) for s in schemas.values()),
        "help_events": sum(len(s.help_events) for s in schemas.values()),
        "cases": sum(cases) - len(help_cases.sizes),
        "demands": len(help_cases.sizes),
        "demand_median": int(statistics.median(sizes)),
        "demand_largest": max(sizes),
        "members": sum(help_cases.sizes),
        "cases_median": int(statistics.median(cases)),
        "cases_largest": max(cases),
        "without_cases": sum(not n for n in cases),
        "mirrored": sum(1 for s in schemas.values() for e in s.events if "mirrored_from" in e[5]),
        "visits": sum(s.visits for s in schemas.values()),
        "largest": max(len(s.questions) for s in schemas.values()),
        "smallest": min(len(s.questions) for s in schemas.values()),
        "median": int(statistics.median(len(s.questions) for s in schemas.values())),
        "over_1000": sum(len(s.questions) >= 1000 for s in schemas.values()),
        "under_100": sum(len(s.questions) < 100 for s in schemas.values()),
    }


# ---------------------------------------------------------------- the figures


FIGURE_KEYS = {
    "dailyfigures": "committee_id, is_subtree, day, category, {}",
    "responsetimes": "committee_id, is_subtree, day, category, bucket, count",
    "topiccount": "committee_id, is_subtree, day, category, term, count",
    "servedyouth": "committee_id, day, category, user_id",
}


def figure_columns(table: str) -> str:
    from reporting.metrics import COLUMNS

    return FIGURE_KEYS[table].format(", ".join(COLUMNS))


def keep_figures() -> dict[str, int]:
    """Copy every figure row aside (to compare after the rebuild); the rows per table."""
    from django.db import connection

    found = {}
    with connection.cursor() as cursor:
        for table in FIGURE_KEYS:
            cursor.execute(f"DROP TABLE IF EXISTS public.bench_kept_{table}")
            cursor.execute(
                f"CREATE TABLE public.bench_kept_{table} AS"
                f" SELECT {figure_columns(table)} FROM public.reporting_{table}"
            )
            found[table] = cursor.rowcount
    return found


def differences() -> dict[str, tuple[int, int]]:
    """Rows only in the kept copy, rows only in the figures now, per table."""
    from django.db import connection

    found = {}
    with connection.cursor() as cursor:
        for table in FIGURE_KEYS:
            columns = figure_columns(table)
            now = f"SELECT {columns} FROM public.reporting_{table}"
            kept = f"SELECT {columns} FROM public.bench_kept_{table}"
            counts = []
            for first, second in ((kept, now), (now, kept)):
                cursor.execute(f"SELECT count(*) FROM ({first} EXCEPT ALL {second}) d")
                counts.append(cursor.fetchone()[0])
            found[table] = (counts[0], counts[1])
            cursor.execute(f"DROP TABLE public.bench_kept_{table}")
    return found


class Reader(threading.Thread):
    """Reads the central summary on its own connection every half second, as the console
    would, while the main thread rebuilds: how long each read took."""

    def __init__(self, central, period) -> None:
        super().__init__(daemon=True)
        self.central, self.period = central, period
        self.stop = threading.Event()
        self.seconds: list[float] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        from django.db import connection

        from reporting import selectors

        try:
            while not self.stop.is_set():
                start = time.perf_counter()
                selectors.summary(self.central, self.period)
                self.seconds.append(time.perf_counter() - start)
                self.stop.wait(0.5)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            self.error = exc
        finally:
            connection.close()


class Locks(threading.Thread):
    """Counts the locks a backend holds, on its own connection, every fifth of a second."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.stop = threading.Event()
        self.most = 0

    def run(self) -> None:
        from django.db import connection

        try:
            with connection.cursor() as cursor:
                while not self.stop.is_set():
                    cursor.execute("SELECT count(*) FROM pg_locks WHERE pid = %s", [self.pid])
                    self.most = max(self.most, cursor.fetchone()[0])
                    self.stop.wait(0.2)
        finally:
            connection.close()


def lock_capacity() -> tuple[int, int]:
    """(max_locks_per_transaction, the server's shared lock table: that times the connections
    and prepared transactions)."""
    from django.db import connection

    with connection.cursor() as cursor:
        found = []
        for name in ("max_locks_per_transaction", "max_connections", "max_prepared_transactions"):
            cursor.execute(f"SHOW {name}")
            found.append(int(cursor.fetchone()[0]))
    return found[0], found[0] * (found[1] + found[2])


# ---------------------------------------------------------------- the overview


class Overview:
    """The console's overview of the central committee: the HTTP request when the endpoint
    exists, else the selector calls it is made of."""

    def __init__(self, central, period, via: str) -> None:
        from django.urls import Resolver404, resolve

        self.central, self.period = central, period
        try:
            resolve(OVERVIEW.split("?")[0], urlconf="config.urls_public")
            exists = True
        except Resolver404:
            exists = False
        if via == "http" and not exists:
            raise SystemExit(f"{OVERVIEW} is not served on the console yet")
        self.http = exists if via == "auto" else via == "http"
        if self.http:
            from django.test import Client
            from rest_framework_simplejwt.tokens import RefreshToken

            from core.models import Role

            admin = Role.objects.select_related("user").get(committee=central, kind="admin").user
            token = RefreshToken.for_user(admin).access_token
            self.client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")

    @property
    def label(self) -> str:
        if self.http:
            return f"GET {OVERVIEW} (console, central admin's JWT, test client)"
        return "selectors summaries + ranking + trend + by_category of central (no HTTP)"

    def __call__(self) -> dict[str, int]:
        """Serve one overview; the central subtree's figures it shows, with ``youths``."""
        from reporting import selectors

        if self.http:
            response = self.client.get(OVERVIEW)
            if response.status_code != 200:
                raise RuntimeError(f"{OVERVIEW} answered {response.status_code}: "
                                   f"{response.content[:300]!r}")  # fmt: skip
            totals = json.loads(response.content)["totals"]
            return {**totals["figures"], "youths": totals["youths"]}
        # What reporting.api.views.OverviewView calls.
        central, period = self.central, self.period
        rows = selectors.summaries([central], period) + selectors.ranking(central, period)
        selectors.standard_in_force(period)
        selectors.trend(central, period)
        selectors.by_category(central, period)
        return {**rows[0].figures, "youths": rows[0].youths}


def consistency(central, period) -> list[tuple[str, bool]]:
    """The overview's parts add up: per day, per category, the provinces plus central's own."""
    from django.db.models import Sum

    from reporting import selectors
    from reporting.metrics import COLUMNS
    from reporting.models import DailyFigures

    total = selectors.summary(central, period).figures
    days = Counter()
    for row in selectors.trend(central, period):
        days.update({c: row[c] for c in COLUMNS})
    categories = Counter()
    for figures in selectors.by_category(central, period).values():
        categories.update(figures)
    children = Counter()
    for row in selectors.ranking(central, period):
        children.update(row.figures)
    own = DailyFigures.objects.filter(
        committee=central, is_subtree=False, day__gte=period.start, day__lte=period.end
    ).aggregate(**{c: Sum(c) for c in COLUMNS})
    children.update({c: own[c] or 0 for c in COLUMNS})

    def same(counter: Counter) -> bool:
        return all(counter.get(c, 0) == total[c] for c in COLUMNS)

    return [
        ("trend, summed over its days", same(days)),
        ("by_category, summed over the categories", same(categories)),
        ("ranking of the provinces + central's own figures", same(children)),
    ]


def ms(seconds: float) -> float:
    return seconds * 1000


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 2 else values[0]


@functools.cache
def compared() -> list[str]:
    """The columns the script counts that the code declares: all, unless a rule written here
    is ahead of the declarations (then ``counted_columns`` says which)."""
    from reporting.metrics import COLUMNS

    return [column for column in TIMELINE if column in COLUMNS]


def timeline_only(figures: dict[str, int]) -> dict[str, int]:
    return {column: figures.get(column, 0) for column in compared()}


def show(figures: dict[str, int], columns: list[str]) -> str:
    return ", ".join(f"{k} {figures.get(k, 0):,}" for k in columns if k in compared())


def differing(found: dict[str, int], wanted: dict[str, int]) -> str:
    return ", ".join(
        f"{k} {found.get(k, 0):,} (own count {v:,})"
        for k, v in wanted.items()
        if found.get(k, 0) != v
    )


def counted_columns() -> tuple[list[str], list[str]]:
    """The columns the domains declare (visits aside) that the script does not count: each
    would go unchecked; and those it counts that are not declared: left out of the
    comparisons."""
    from reporting.metrics import COLUMNS

    declared = [c for c in COLUMNS if c != "visits"]
    return [c for c in declared if c not in TIMELINE], [c for c in TIMELINE if c not in declared]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tenants", type=int, default=1000, help="committees, central included")
    parser.add_argument("--questions", type=int, help="questions in all (100 per committee)")
    parser.add_argument("--rounds", type=int, default=10, help="rounds of each way")
    parser.add_argument("--requests", type=int, default=20, help="overviews per round")
    parser.add_argument(
        "--via",
        choices=["auto", "http", "selectors"],
        default="auto",
        help="the overview as the HTTP request or as its selector calls (auto: HTTP if served)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if args.tenants < 50 or args.rounds < 2 or args.requests < 5:
        parser.error("needs at least 50 tenants, 2 rounds and 5 requests per round")
    n_questions = args.questions or 100 * args.tenants

    with bench_database("rollup"):
        from django.contrib.auth.hashers import make_password
        from django.db import DatabaseError, connection
        from django.utils import timezone
        from tqdm import tqdm

        from core.models import User
        from reporting import freshness, selectors, shipping
        from reporting.selectors import Period
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

        start = time.perf_counter()
        unusable = make_password(None)
        n_youths = max(2000, n_questions // 4)
        User.objects.bulk_create(
            (
                User(phone=f"139{i:08d}", name=f"青年{i}", password=unusable)
                for i in range(n_youths)
            ),
            batch_size=5000,
        )
        youths = list(User.objects.filter(phone__startswith="139").values_list("pk", flat=True))
        staff = [
            User.objects.create_user(phone(5000 + i), None, name=f"老师{i}").pk for i in range(50)
        ]
        activity = Activity(args.seed, timezone.now(), youths, staff)
        help_cases = HelpCases(args.seed + 1, activity)
        made = fill_all(
            activity, help_cases, committees, sizes([c.level for c in committees], n_questions, rng)
        )
        filling = time.perf_counter() - start
        events, visits = made["events"], made["visits"]
        print(
            f"filled in {filling:.1f} s: {made['questions']:,} questions, {events:,} timeline "
            f"events ({made['mirrored']:,} of them copies from another committee), "
            f"{visits:,} post visits, {n_youths:,} youths"
        )
        print(
            f"  questions per committee: median {made['median']}, smallest {made['smallest']}, "
            f"largest {made['largest']:,}; {made['over_1000']} committees with 1,000 or more, "
            f"{made['under_100']} with fewer than 100"
        )
        print(
            f"  help cases: {made['cases']:,} on their own and {made['demands']} collective "
            f"demands of {made['members']:,} youths (median {made['demand_median']}, largest "
            f"{made['demand_largest']}), {made['help_events']:,} of the events; per committee "
            f"median {made['cases_median']}, largest {made['cases_largest']:,}, "
            f"{made['without_cases']} committees with none"
        )

        # ------------------------------------------------ shipping
        start = time.perf_counter()
        shipped = shipping.ship_all()
        shipping_s = time.perf_counter() - start
        with connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(f"SELECT '{t}', count(*) FROM public.reporting_{t}"
                                   for t in FIGURE_KEYS)
            )  # fmt: skip
            rows = dict(cursor.fetchall())
        print()
        print(
            f"ship_all(): {shipped:,} records ({events:,} events + {visits:,} visits) in "
            f"{shipping_s:.1f} s: {shipped / shipping_s:,.0f} records/s"
        )
        print("  figure rows written: " + ", ".join(f"{t} {n:,}" for t, n in rows.items()))
        again = shipping.ship_all()
        print(f"  shipping again: {again} records")
        today = selectors.local_day_now()
        everything = Period(today - timedelta(days=DAYS), today)
        whole = selectors.summary(central, everything).figures
        whole = timeline_only(whole) | {"visits": whole["visits"]}
        expected_whole = activity.expected.totals(everything.start, everything.end)
        print(
            f"  central subtree over all {DAYS} days equals the script's own count: "
            f"{whole == expected_whole}"
        )
        if whole != expected_whole:
            print(f"    differing: {differing(whole, expected_whole)}")
        uncounted, undeclared = counted_columns()
        covered = not uncounted
        print(
            f"  the script counts every declared column ({len(compared())}): {covered}"
            + (f"; not counted: {', '.join(uncounted)}" if uncounted else "")
        )
        if undeclared:
            print(f"  counted here but not declared, so not compared: {', '.join(undeclared)}")

        # ------------------------------------------------ rebuilding
        kept = keep_figures()
        period = Period.last(PERIOD_DAYS)
        reader = Reader(central, period)
        reader.start()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            locks = Locks(cursor.fetchone()[0])
        locks.start()
        time.sleep(1.2)  # a few reads before the rebuild starts
        before = len(reader.seconds)
        recounted = []  # the committees the rebuild has reached

        def progress(committees):
            for committee in tqdm(committees, desc="rebuilding", unit="tenant", file=sys.stderr):
                recounted.append(committee)
                yield committee

        start = time.perf_counter()
        failure: DatabaseError | None = None
        try:
            counted = shipping.rebuild(progress=progress)
        except DatabaseError as exc:
            failure, counted = exc, 0
        rebuild_s = time.perf_counter() - start
        time.sleep(0.6)
        for thread in (reader, locks):
            thread.stop.set()
            thread.join()
        if reader.error is not None:
            raise reader.error
        diff = differences()
        same = failure is None and all(d == (0, 0) for d in diff.values())
        print()
        if failure is None:
            print(
                f"rebuild(): {counted:,} records recounted in {rebuild_s:.1f} s "
                f"({counted / rebuild_s:,.0f} records/s)"
            )
            print(
                "  figure rows after the rebuild equal those after shipping: "
                f"{same} ({', '.join(f'{t} {kept[t]:,}' for t in FIGURE_KEYS)} rows compared)"
            )
            if not same:
                for table, (gone, new) in diff.items():
                    print(f"    {table}: {gone} rows only after shipping, {new} only after rebuild")
        else:
            per_lock, table = lock_capacity()
            print(
                f"rebuild() FAILED after {rebuild_s:.1f} s, at committee {len(recounted)} of "
                f"{len(committees)} ({recounted[-1].code if recounted else '-'}): "
                f"{str(failure).strip().splitlines()[0]}"
            )
            print(
                f"  its one transaction held up to {locks.most:,} locks (sampled; "
                f"~{locks.most / max(1, len(recounted)):.0f} per committee reached); the "
                f"server's lock table holds {table:,} (max_locks_per_transaction {per_lock})"
            )
            print("  rolled back: the figures are still those shipped")
        during = reader.seconds[before:]
        if during:
            print(
                f"  console reads (central summary) on another connection during the rebuild: "
                f"{len(during)}, longest {max(during):.2f} s (before it: "
                f"{ms(statistics.median(reader.seconds[:before] or [0])):.1f} ms)"
            )
        if failure is None:
            print(f"  locks held by the rebuild's transaction: up to {locks.most:,} (sampled)")

        # ------------------------------------------------ the comparison
        # The shipper marked every event once; as autovacuum would, clean and analyse the
        # tables both ways read (this only helps the schema-by-schema way).
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for committee in committees:
                cursor.execute(f'VACUUM ANALYZE "{committee.schema_name}".timeline_event')
            for table in FIGURE_KEYS:
                cursor.execute(f"ANALYZE public.reporting_{table}")
        print(f"\nVACUUM ANALYZE of every timeline_event and the figures: "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip

        overview = Overview(central, period, args.via)
        for _ in range(3):  # warm-up, not counted
            overview()
        selectors.figures_from_schemas(central, period)
        fast: list[float] = []
        cold: list[float] = []
        slow: list[float] = []
        shown = slow_figures = None
        for r in tqdm(range(args.rounds), desc="rounds", unit="round"):
            for way in ("fast", "slow") if r % 2 == 0 else ("slow", "fast"):
                if way == "fast":
                    for n in range(args.requests):
                        # Every fifth request right after a shipped batch (the figures'
                        # generation moved on): nothing cached, everything recomputed.
                        if n % 5 == 0:
                            freshness.moved_on()
                        t0 = time.perf_counter()
                        shown = overview()
                        (cold if n % 5 == 0 else fast).append(time.perf_counter() - t0)
                else:
                    t0 = time.perf_counter()
                    slow_figures = selectors.figures_from_schemas(central, period)
                    slow.append(time.perf_counter() - t0)

        assert shown is not None and slow_figures is not None
        expected = activity.expected.totals(period.start, period.end)
        agree = timeline_only(shown) == timeline_only(slow_figures)
        own_count = timeline_only(shown) == timeline_only(expected)
        visits_ok = shown.get("visits") == expected["visits"]
        youths = activity.expected.youths(period.start, period.end)
        youths_ok = shown["youths"] == youths
        cold_ms = [ms(s) for s in cold]
        fast_ms, slow_ms = [ms(s) for s in fast + cold], [ms(s) for s in slow]
        ratio = statistics.median(slow_ms) / statistics.median(fast_ms)
        cold_ratio = statistics.median(slow_ms) / statistics.median(cold_ms)
        overview_p95 = p95(fast_ms)
        print()
        print(
            f"the last {PERIOD_DAYS} days ({period.start} to {period.end}) of the central "
            f"subtree, {len(committees)} committees, {args.rounds} alternating rounds:"
        )
        print(f"  overview from the figures: {overview.label}")
        print(
            f"    {len(fast_ms)} requests as served, one in five right after a batch: "
            f"p50 {statistics.median(fast_ms):.1f} ms, p95 {overview_p95:.1f} ms, "
            f"max {max(fast_ms):.1f} ms"
        )
        print(
            f"    of them {len(cold_ms)} right after a batch (nothing cached): "
            f"p50 {statistics.median(cold_ms):.1f} ms, p95 {p95(cold_ms):.1f} ms"
        )
        print("  figures_from_schemas(central, period): every schema visited")
        print(
            f"    {len(slow_ms)} runs: p50 {statistics.median(slow_ms):.0f} ms, "
            f"min {min(slow_ms):.0f} ms, max {max(slow_ms):.0f} ms"
        )
        print(
            f"  ratio schemas/figures: {ratio:.0f}x by medians "
            f"({statistics.mean(slow_ms) / statistics.mean(fast_ms):.0f}x by means); "
            f"{cold_ratio:.0f}x against requests right after a batch"
        )
        for label, figures in (("overview", shown), ("figures_from_schemas", slow_figures)):
            print(f"  {label}:")
            print(f"    questions: {show(figures, QUESTION_FIGURES)}")
            print(f"    help:      {show(figures, HELP_FIGURES)}")
        print(f"    visits {shown.get('visits', 0):,} (overview only)")
        print(f"  overview == figures_from_schemas (visits aside): {agree}")
        print(
            f"  overview == the script's own count: {own_count}; visits too: {visits_ok}; "
            f"distinct youths served {shown['youths']:,} (own count {youths:,}): {youths_ok}"
        )
        if not own_count:
            print(f"    differing: {differing(shown, timeline_only(expected))}")
        parts = consistency(central, period)
        for label, ok in parts:
            print(f"  {label} == the overview's totals: {ok}")
        category = "career"
        by_cat = Period.last(PERIOD_DAYS, category=category)
        cat_fast = timeline_only(selectors.summary(central, by_cat).figures)
        cat_slow = timeline_only(selectors.figures_from_schemas(central, by_cat))
        print(
            f"  one category ({category}): summary == figures_from_schemas: {cat_fast == cat_slow}"
        )
        provinces = [c for c in committees if c.level == "province"]
        matched = sum(
            timeline_only(selectors.summary(p, period).figures)
            == timeline_only(selectors.figures_from_schemas(p, period))
            for p in provinces
        )
        print(
            f"  each province's subtree: summary == figures_from_schemas for {matched} "
            f"of {len(provinces)}"
        )
        if not overview.http:
            print(f"  NOTE: {OVERVIEW} not requested; timed the selector calls it makes")
        print(goal(f"schemas/figures >= {GOAL_RATIO:.0f}x (got {ratio:.0f}x)", ratio >= GOAL_RATIO))
        print(
            goal(
                f"overview p95 < {GOAL_P95_MS:.0f} ms (got {overview_p95:.1f} ms)",
                overview_p95 < GOAL_P95_MS,
            )
        )
        checks = agree and same and own_count and visits_ok and youths_ok
        checks = checks and whole == expected_whole and covered
        checks = checks and cat_fast == cat_slow and matched == len(provinces)
        checks = checks and all(ok for _label, ok in parts)
        print(goal("the figures agree with the schemas and the own count, also after a rebuild",
                   checks))  # fmt: skip
        if failure is not None:
            print(f"ERROR: reporting.shipping.rebuild() failed: {failure}".strip())
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
