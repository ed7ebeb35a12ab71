"""Activities at a campaign's scale, through a real HTTP server on this machine: a vote
(one vote an account, held exactly) with its live results read meanwhile, check-ins by the
venue's rotating code, and registration at the last places.

Provisions one committee (``gd``) and serves the WSGI app with gunicorn as ``./yv start``
does (``bench.bookings.Web``: ``--workers`` 2 × ``--threads`` 4), every request over TCP
with the committee's domain in the Host header, one keep-alive connection a client thread:

* ceiling, first: the cheapest request there is (``GET /healthz/live``) from the same
  clients, as fast as the server answers it: what no vote or scan can beat here;
* vote: a ballot of ``--entries`` entries, one vote an account; ``--voters`` accounts (a JWT
  each) each vote, and one in ten sends a second vote for another entry at the same moment
  from another of ``--clients`` threads: exactly one of its two must be stored (201) and the
  other refused (409 ``no_votes_left``).
  Printed: votes stored a second (goal ≥ 1,000), requests a second, the p50/p95 of a vote,
  and, from the database, votes stored, allowances used and accounts with more than one
  vote (must be 0). Meanwhile one reader asks the live results
  (``GET /api/v1/ballots/<id>/results/``) without pause: its p95 (goal < 100 ms) and,
  after, that the results add up to the votes stored;
* check-in: an activity starting in ten minutes (check-in is open) with ``--checkins``
  registered youths; a venue thread asks the rotating code as the organiser every five
  seconds, and the clients each scan it (``POST /api/v1/activities/check-ins/`` with a nonce
  and a position at the venue), then send the same scan again (counted once). Printed:
  check-ins a second (goal ≥ 500), p95, and the check-ins stored (must be the youths);
* last places: an activity with ``--places`` places and ``--racers`` youths asking at once
  (``POST /api/v1/activities/<id>/registration/``): exactly the places are registered, the
  others told it is full, zero oversold.

    .venv/bin/python bench/activities.py [--voters 3000] [--entries 20] [--clients 50]
        [--checkins 1500] [--places 10] [--racers 100] [--workers 2] [--threads 4]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bookings import CODE, Web, figures, request
from bench.harness import bench_database, goal, phone, provision_central, server_description

GOAL_VOTES_S = 1000.0
GOAL_RESULTS_MS = 100.0
GOAL_CHECKINS_S = 500.0
VENUE = (23.138, 113.326)


_made = [0]


def youths(n: int) -> list[str]:
    """``n`` new youth accounts (numbers not used before in this run), a token each."""
    from rest_framework_simplejwt.tokens import RefreshToken

    from core.models import User

    first, _made[0] = _made[0], _made[0] + n
    made = User.objects.bulk_create(
        User(phone=f"1380{first + i:07d}", name=f"青年{first + i}") for i in range(n)
    )
    return [str(RefreshToken.for_user(user).access_token) for user in made]


def _user_ids(tokens: list[str]) -> list[int]:
    from rest_framework_simplejwt.tokens import AccessToken

    return [int(AccessToken(token)["user_id"]) for token in tokens]


def _organiser():
    from rest_framework_simplejwt.tokens import RefreshToken

    from core.models import Role, User
    from tenants.models import Committee

    user = User.objects.create_user(phone(9001), None, name="组织者")
    Role.objects.create(user=user, committee=Committee.objects.get(code=CODE), kind=Role.Kind.CADRE)
    return user, str(RefreshToken.for_user(user).access_token)


def _activity(organiser, *, places: int, starts_in: timedelta):
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from activities import services

    starts = timezone.now() + starts_in
    with schema_context(CODE):
        return services.publish(
            actor=organiser,
            title="青春志愿行 · 城市定向赛",
            description="以队为单位完成城市定向任务。",
            category="volunteer",
            place="广州市天河区体育中心",
            latitude=str(VENUE[0]),
            longitude=str(VENUE[1]),
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            registration_opens_at=timezone.now() - timedelta(minutes=1),
            capacity=places,
        )


def _run(clients: int, jobs: list, work) -> tuple[float, list]:
    """Run ``work(conn, job)`` for every job on ``clients`` threads (one connection each),
    all started together; the seconds it took and every answer."""
    answers: list = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    shares = [jobs[k::clients] for k in range(clients)]

    def client(mine: list) -> None:
        conn = WEB.connection()
        start.wait()
        found = []
        for job in mine:
            began = time.perf_counter()
            try:
                status, body = work(conn, job)
            except Exception:  # a broken connection: counted as an error
                conn.close()
                conn = WEB.connection()
                status, body = 0, b"{}"
            found.append((job, time.perf_counter() - began, status, body))
        with lock:
            answers.extend(found)

    threads = [threading.Thread(target=client, args=(mine,)) for mine in shares]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, answers


def _code(body: bytes) -> str:
    try:
        return json.loads(body).get("error", {}).get("code", "")
    except ValueError:
        return ""


def ceiling_part(args) -> float:
    """The most requests a second this server answers here, for the cheapest request there
    is (``GET /healthz/live``: no account, no database), from the same clients: no vote or
    scan, which must also sign the account in, check it and write, can go faster."""
    n = max(args.voters, 2000)
    seconds, answers = _run(
        args.clients, list(range(n)), lambda conn, _job: request(conn, "GET", "/healthz/live")
    )
    ok = sum(1 for a in answers if a[2] == 200)
    rate = ok / seconds
    print(
        f"\nceiling: {n:,} GET /healthz/live (no account, no database), {args.clients} clients: "
        f"{rate:,.0f} requests/s ({ok:,} answered 200)"
    )
    return rate


def vote_part(args, organiser) -> bool:
    from django.core.cache import cache
    from django.db.models import Count
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from activities import voting
    from activities.models import Allowance, Vote

    activity = _activity(organiser, places=10, starts_in=timedelta(days=2))
    with schema_context(CODE):
        ballot = voting.open_ballot(
            activity=activity,
            actor=organiser,
            title="最佳志愿项目",
            opens_at=timezone.now() - timedelta(minutes=1),
            closes_at=timezone.now() + timedelta(days=1),
        )
        entries = [
            voting.submit_entry(ballot=ballot, by=organiser, title=f"项目{i:02d}").pk
            for i in range(args.entries)
        ]
    tokens = youths(args.voters)
    print(
        f"\nvote: {args.voters:,} accounts voting among {args.entries} entries (one vote an "
        f"account), one in ten sending a second at once; {args.clients} clients; gunicorn "
        f"{WEB.workers} workers x {WEB.threads} threads"
    )
    # A second vote sits next to the first: the next thread sends it in the same round.
    jobs = []
    for i, token in enumerate(tokens):
        jobs.append((token, entries[i % len(entries)]))
        if i % 10 == 0:
            jobs.append((token, entries[(i + 1) % len(entries)]))

    reads: list[float] = []
    stop = threading.Event()

    def reader() -> None:
        conn = WEB.connection()
        while not stop.is_set():
            began = time.perf_counter()
            status, _body = request(conn, "GET", f"/api/v1/ballots/{ballot.pk}/results/")
            if status == 200:
                reads.append(time.perf_counter() - began)

    watcher = threading.Thread(target=reader)
    watcher.start()
    try:
        seconds, answers = _run(
            args.clients,
            jobs,
            lambda conn, job: request(
                conn, "POST", f"/api/v1/entries/{job[1]}/vote/", token=job[0], body={}
            ),
        )
    finally:
        stop.set()
        watcher.join()
    kinds = Counter(f"{s} {_code(b)}".strip() for _j, _t, s, b in answers)
    stored = sum(1 for a in answers if a[2] == 201)
    print(
        f"  {len(answers):,} vote requests in {seconds:.2f} s: {stored / seconds:,.0f} votes "
        f"stored/s, {len(answers) / seconds:,.0f} requests/s"
    )
    print(f"  answers: {', '.join(f'{k}: {n:,}' for k, n in sorted(kinds.items()))}")
    figures("POST /api/v1/entries/<id>/vote/", [a[1] for a in answers], goal_ms=None)
    results_p95, fast = figures(
        "GET /api/v1/ballots/<id>/results/ meanwhile", reads, goal_ms=GOAL_RESULTS_MS
    )
    with schema_context(CODE):
        votes = Vote.objects.filter(ballot=ballot).count()
        twice = (
            Vote.objects.filter(ballot=ballot)
            .values("voter")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count()
        )
        used = sum(Allowance.objects.filter(ballot=ballot).values_list("taken", flat=True))
        cache.delete(voting.results_key(ballot))  # as they are now, not two seconds ago
        shown = sum(row.votes for row in voting.standings(ballot))
    exact = votes == stored == used == args.voters == shown and twice == 0
    print(
        f"  one vote an account: {'exact' if exact else 'WRONG'} (201s {stored:,}, votes "
        f"{votes:,}, allowances used {used:,}, accounts {args.voters:,}, in the results "
        f"{shown:,}); accounts with two votes: {twice}"
    )
    rate = stored / seconds
    ratio = rate / GOAL_VOTES_S
    print(goal(f"votes ≥ {GOAL_VOTES_S:,.0f}/s (got {rate:,.0f}/s, ratio {ratio:.2f})", ratio >= 1))
    print(goal(f"live results p95 < {GOAL_RESULTS_MS:.0f} ms (got {results_p95:.1f} ms)", fast))
    print(goal("one vote an account held exactly", exact))
    return exact


def checkin_part(args, organiser, organiser_token) -> bool:
    from django_tenants.utils import schema_context

    from activities import registration
    from activities.models import CheckIn
    from core.models import User

    activity = _activity(organiser, places=args.checkins, starts_in=timedelta(minutes=10))
    tokens = youths(args.checkins)
    with schema_context(CODE):
        for user in User.objects.filter(pk__in=_user_ids(tokens)):
            registration.register(activity=activity, youth=user)
    print(
        f"\ncheck-in: {args.checkins:,} registered youths scan the venue's rotating code (and "
        f"send the same scan again), {args.clients} clients"
    )
    code = {"now": ""}
    stop = threading.Event()

    def venue() -> None:
        path = f"/api/v1/activities/{activity.pk}/venue-code/"
        while not stop.is_set():
            conn = WEB.connection()  # a new one each time: idle keep-alives are closed
            try:
                status, body = request(conn, "GET", path, token=organiser_token)
            except OSError:
                status, body = 0, b""
            finally:
                conn.close()
            if status == 200:
                code["now"] = json.loads(body)["url"]
            stop.wait(5)

    screen = threading.Thread(target=venue)
    screen.start()
    while not code["now"]:
        time.sleep(0.05)
    nonces = [uuid.uuid4().hex for _ in tokens]
    jobs = [(t, n) for t, n in zip(tokens, nonces, strict=True)]
    jobs += jobs  # the same scans again: counted once

    def scan(conn, job):
        body = {"code": code["now"], "nonce": job[1], "latitude": VENUE[0], "longitude": VENUE[1]}
        return request(conn, "POST", "/api/v1/activities/check-ins/", token=job[0], body=body)

    try:
        seconds, answers = _run(args.clients, jobs, scan)
    finally:
        stop.set()
        screen.join()
    kinds = Counter(f"{s} {_code(b)}".strip() for _j, _t, s, b in answers)
    new = sum(1 for a in answers if a[2] == 201)
    print(
        f"  {len(answers):,} scans in {seconds:.2f} s: {new / seconds:,.0f} check-ins/s, "
        f"{len(answers) / seconds:,.0f} scans/s"
    )
    print(f"  answers: {', '.join(f'{k}: {n:,}' for k, n in sorted(kinds.items()))}")
    figures("POST /api/v1/activities/check-ins/", [a[1] for a in answers], goal_ms=None)
    with schema_context(CODE):
        stored = CheckIn.objects.filter(activity=activity).count()
    exact = stored == new == args.checkins
    print(
        f"  checked in once each: {'exact' if exact else 'WRONG'} (201s {new:,}, stored {stored:,})"
    )
    rate = new / seconds
    ratio = rate / GOAL_CHECKINS_S
    print(
        goal(
            f"check-ins ≥ {GOAL_CHECKINS_S:,.0f}/s (got {rate:,.0f}/s, ratio {ratio:.2f})",
            ratio >= 1,
        )
    )
    return exact


def last_places_part(args, organiser) -> bool:
    from django_tenants.utils import schema_context

    from activities.models import Activity, Registration

    activity = _activity(organiser, places=args.places, starts_in=timedelta(days=3))
    tokens = youths(args.racers)
    print(f"\nlast places: {args.racers} youths ask at once for {args.places} places")
    seconds, answers = _run(
        args.racers,
        tokens,
        lambda conn, token: request(
            conn, "POST", f"/api/v1/activities/{activity.pk}/registration/", token=token, body={}
        ),
    )
    kinds = Counter(f"{s} {_code(b)}".strip() for _j, _t, s, b in answers)
    shown = ", ".join(f"{k}: {n:,}" for k, n in sorted(kinds.items()))
    print(f"  answers in {seconds:.2f} s: {shown}")
    with schema_context(CODE):
        row = Activity.objects.get(pk=activity.pk)
        registered = Registration.objects.filter(activity=activity, state="registered").count()
    oversold = max(registered - args.places, 0)
    exact = row.taken == registered == args.places == kinds.get("201", 0)
    print(
        f"  taken {row.taken} of {row.capacity}, registrations {registered}: "
        f"{'exact' if exact else 'WRONG'}; oversold: {oversold}"
    )
    print(goal(f"0 oversold (got {oversold})", oversold == 0 and exact))
    return exact


WEB: Web


def main() -> int:
    global WEB
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voters", type=int, default=3000)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--clients", type=int, default=50, help="client threads")
    parser.add_argument("--checkins", type=int, default=1500)
    parser.add_argument("--places", type=int, default=10)
    parser.add_argument("--racers", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    args = parser.parse_args()
    if args.voters < 10 or args.entries < 2 or args.checkins < 10 or args.racers <= args.places:
        parser.error("needs 10 voters, 2 entries, 10 check-ins and more racers than places")

    with bench_database("activities"):
        from tenants.services import provision_committee

        print(server_description())
        central = provision_central()
        provision_committee(
            code=CODE, name="共青团广东省委", level="province", parent=central, admin_phone=phone(1)
        )
        organiser, organiser_token = _organiser()
        WEB = Web(args.workers, args.threads)
        try:
            WEB.start()
            ceiling = ceiling_part(args)
            for goal_s in (GOAL_VOTES_S, GOAL_CHECKINS_S):
                print(f"  a goal of {goal_s:,.0f}/s is {goal_s / ceiling:.2f} × this ceiling")
            ok = vote_part(args, organiser)
            ok = checkin_part(args, organiser, organiser_token) and ok
            ok = last_places_part(args, organiser) and ok
        finally:
            WEB.stop()
        print(f"\n{os.path.basename(__file__)}: {'every check exact' if ok else 'A CHECK FAILED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
