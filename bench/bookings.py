"""Youth homes (青年之家) under load: 100 youths booking the same popular slots at once, and
finding homes near them and on the map among 30,000, all through a real HTTP server.

Provisions one committee (``gd``) and serves the WSGI app with gunicorn, as ``./yv start``
does (``--workers`` 2 × ``--threads`` 4, gthread, on a free port, the benchmark's database
and settings), in a process of its own; every request below goes to it over TCP with the
committee's domain (``gd.localhost``) in the Host header. Two parts:

* booking: a home opened by ``homes.services.open_home``, one service (one place a booking)
  and ``--slots`` slots tomorrow with ``--capacity`` places each; ``--clients`` youths (one
  account and JWT each) start together, one thread and keep-alive connection each, and each
  ``POST /api/v1/slots/<id>/book/`` ``{"places": 1}`` to every slot once, in an order of its
  own, as fast as answers come. 201 books; 409 ``full`` or ``already_booked`` is an expected
  refusal; anything else (5xx, a broken connection) is an error. Printed: bookings/s (201s),
  p50/p95 of every booking request as the client timed it (and, for reference, of
  ``--alone`` bookings of another slot made first one at a time, nobody else asking), the
  errors, and then, read from the database, the exact capacity check of every slot:
  ``taken`` equals its capacity when more youths tried than it has places (else the number
  who tried), the confirmed bookings' places add up to ``taken``, and no slot holds more
  than its capacity (oversold);
* finding: ``--homes`` more homes (30,000) written by ``bulk_create`` (a team each, as a
  home's staff are its team's members, then the homes, then one service each in study,
  career, mental or rights), two thirds around eight big cities and the rest anywhere in
  mainland China's bounding box, then ``VACUUM ANALYZE``d as autovacuum would. One client
  times ``GET /api/v1/homes/?lat=&lng=&radius_km=10`` at ``--searches`` random points near
  those cities, the same with ``&category=mental``, and the map ``--maps`` times: the whole
  of it (``GET /api/v1/homes/map/``: every home counted by area, as the directory,
  ``franchise.HomeListing``, holds them) and Guangzhou's view (``?bbox=``: each home in it as
  a point); each answer's count is checked against the script's own: the great-circle count
  of what it wrote, every home counted once, each home in the view. Last, the plan of
  ``homes.selectors.near`` (``EXPLAIN``) shows whether the bounding box uses the index
  ``homes_by_position``.

With 100 clients sending without pause, requests wait in gunicorn's queue for one of its
threads: by Little's law the mean latency is the clients over the requests served a second,
so the booking p95 is as much the server's throughput as one request's time.

    .venv/bin/python bench/bookings.py [--clients 100] [--slots 10] [--capacity 20]
        [--alone 50] [--homes 30000] [--searches 300] [--maps 30] [--workers 2] [--threads 4]
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import http.client
import json
import math
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import ROOT, bench_database, goal, phone, provision_central, server_description

CODE = "gd"
HOST = f"{CODE}.localhost"
GOAL_BOOK_MS = 100.0
GOAL_NEAR_MS = 50.0
RADIUS_KM = 10
CATEGORIES = ["study", "career", "mental", "rights"]
# Where most homes are (latitude, longitude): the dense part of the map, and where youths
# ask for homes near them.
CITIES = {
    "北京": (39.9042, 116.4074),
    "上海": (31.2304, 121.4737),
    "广州": (23.1291, 113.2644),
    "深圳": (22.5431, 114.0579),
    "成都": (30.5728, 104.0668),
    "武汉": (30.5928, 114.3055),
    "西安": (34.3416, 108.9398),
    "杭州": (30.2741, 120.1551),
}
MAINLAND = ((18.2, 53.5), (73.5, 134.8))  # latitude, longitude
CITY_SHARE = 2 / 3
CITY_SPREAD_DEG = 0.15  # of latitude (~17 km), one standard deviation
POINT_SPREAD_DEG = 0.05  # where the youths asking stand, around a city's centre
EARTH_RADIUS_KM = 6371.0088  # homes.selectors'


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def figures(label: str, seconds: list[float], *, goal_ms: float | None) -> tuple[float, bool]:
    values = [s * 1000 for s in seconds]
    if not values:
        print(f"  {label:<44} n     0")
        return 0.0, goal_ms is None
    p50, high = statistics.median(values), p95(values) if len(values) > 1 else values[0]
    line = (
        f"  {label:<44} n {len(values):5}  p50 {p50:7.1f} ms   p95 {high:7.1f} ms   "
        f"max {max(values):7.1f} ms"
    )
    met = True
    if goal_ms is not None:
        met = high < goal_ms
        line += f"   goal < {goal_ms:.0f} ms (ratio {high / goal_ms:.2f})"
    print(line)
    return high, met


# ---------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Web:
    """gunicorn serving ``config.wsgi`` on this benchmark's database, as ``./yv start`` runs
    it; its log and Prometheus' multiprocess files go to a temporary folder of its own."""

    def __init__(self, workers: int, threads: int) -> None:
        self.port = free_port()
        self.workers, self.threads = workers, threads
        self.folder = Path(tempfile.mkdtemp(prefix="yv-bench-bookings-"))
        self.log_path = self.folder / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self, timeout_s: float = 60) -> None:
        from django.conf import settings

        env = dict(os.environ)  # the harness's: database, Redis, cache prefix
        env.update(
            # As shipped (DEBUG off), signing with this process's key: its tokens work there.
            DJANGO_SETTINGS_MODULE="config.settings.serve",
            SECRET_KEY=settings.SECRET_KEY,
            PROMETHEUS_MULTIPROC_DIR=str(self.folder / "metrics"),
            PYTHONUNBUFFERED="1",
        )
        env.pop("YV_DEBUG", None)
        env.pop("LOG_FORMAT", None)
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--graceful-timeout",
            "10",
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,  # gunicorn.conf.py is read from here
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped:\n{self.log()[-4000:]}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if request(self.connection(), "GET", "/healthz/live", host="localhost")[0] == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not serve in {timeout_s:.0f} s:\n{self.log()[-4000:]}")

    def connection(self, timeout_s: float = 60) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout_s)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # its own session: gunicorn's
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def request(
    conn: http.client.HTTPConnection,
    method: str,
    path: str,
    *,
    host: str = HOST,
    token: str = "",
    body: dict | None = None,
) -> tuple[int, bytes]:
    headers = {"Host": host, "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


# ---------------------------------------------------------------- booking


def open_popular_home(slots: int, capacity: int, alone: int):
    """The home, its one service and ``slots`` slots tomorrow from 08:00, every half hour;
    and one more at 07:00 with ``alone`` places, booked one at a time for reference."""
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from homes import services as homes
    from homes.models import Service, Slot

    tomorrow = (timezone.localtime() + timedelta(days=1)).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    with schema_context(CODE):
        home = homes.open_home(
            name="天河青年之家",
            address="广州市天河区体育西路1号",
            district="天河区",
            latitude="23.135000",
            longitude="113.325000",
        )
        service = Service.objects.create(home=home, name="自习室", category_id="study", group_max=1)
        made = Slot.objects.bulk_create(
            Slot(
                service=service,
                capacity=capacity,
                starts_at=tomorrow + timedelta(minutes=30 * i),
                ends_at=tomorrow + timedelta(minutes=30 * i + 25),
            )
            for i in range(slots)
        )
        reference = Slot.objects.create(
            service=service,
            capacity=max(alone, 1),
            starts_at=tomorrow - timedelta(hours=1),
            ends_at=tomorrow - timedelta(minutes=35),
        )
    return home, [slot.pk for slot in made], reference.pk


def youths(n: int) -> list[str]:
    """``n`` youth accounts, an access token each."""
    from rest_framework_simplejwt.tokens import RefreshToken

    from core.models import User

    tokens = []
    for i in range(n):
        user = User.objects.create_user(f"1390000{i:04d}", None, name=f"青年{i}")
        tokens.append(str(RefreshToken.for_user(user).access_token))
    return tokens


def warm_up(web: Web, tokens: list[str], home_id: int) -> None:
    """Every gunicorn thread serves a few requests first (imports, connections, the
    committee directory), none of them a booking."""
    paths = ["/api/v1/bookings/mine/", f"/api/v1/homes/{home_id}/slots/", "/api/v1/ping/"]

    def client(k: int) -> None:
        conn = web.connection()
        try:
            for j in range(12):
                status, body = request(conn, "GET", paths[j % 3], token=tokens[k % len(tokens)])
                if status != 200:
                    raise RuntimeError(f"warm-up {paths[j % 3]} answered {status}: {body[:200]!r}")
        finally:
            conn.close()

    threads = [
        threading.Thread(target=client, args=(k,)) for k in range(2 * web.workers * web.threads)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


class Booker(threading.Thread):
    """One youth: books every slot once, in an order of its own, as fast as answers come."""

    def __init__(self, web: Web, token: str, slot_ids: list[int], start: threading.Barrier, seed):
        super().__init__(daemon=True)
        self.web, self.token, self.start_line = web, token, start
        self.order = list(slot_ids)
        random.Random(seed).shuffle(self.order)
        self.answers: list[tuple[int, float, int, str]] = []  # slot, seconds, status, code

    def run(self) -> None:
        conn = self.web.connection()
        self.start_line.wait()
        try:
            for slot in self.order:
                t0 = time.perf_counter()
                try:
                    status, body = request(
                        conn,
                        "POST",
                        f"/api/v1/slots/{slot}/book/",
                        token=self.token,
                        body={"places": 1},
                    )
                    code = ""
                    if status != 201:
                        with contextlib.suppress(ValueError, KeyError, TypeError):
                            code = json.loads(body)["error"]["code"]
                except (OSError, http.client.HTTPException) as exc:
                    status, code = 0, type(exc).__name__
                    conn.close()  # the next request opens a new connection
                self.answers.append((slot, time.perf_counter() - t0, status, code))
        finally:
            conn.close()


def book_alone(web: Web, tokens: list[str], slot: int) -> list[float]:
    """Youths book ``slot`` one after another, nobody else asking: one booking's time."""
    seconds = []
    conn = web.connection()
    try:
        for token in tokens:
            t0 = time.perf_counter()
            status, body = request(
                conn, "POST", f"/api/v1/slots/{slot}/book/", token=token, body={"places": 1}
            )
            seconds.append(time.perf_counter() - t0)
            if status != 201:
                raise RuntimeError(f"a booking alone answered {status}: {body[:200]!r}")
    finally:
        conn.close()
    return seconds


def book_all(web: Web, tokens: list[str], slot_ids: list[int], seed: int):
    start = threading.Barrier(len(tokens) + 1)
    bookers = [Booker(web, token, slot_ids, start, seed + i) for i, token in enumerate(tokens)]
    for booker in bookers:
        booker.start()
    start.wait()
    t0 = time.perf_counter()
    for booker in bookers:
        booker.join()
    return time.perf_counter() - t0, [a for b in bookers for a in b.answers]


def capacity_check(slot_ids: list[int], tried: Counter) -> list[dict]:
    """Each slot as the database holds it, with what it must hold."""
    from django.db.models import Count, Q, Sum
    from django_tenants.utils import schema_context

    from homes.models import Booking, Slot

    confirmed = Q(bookings__state=Booking.State.CONFIRMED)
    with schema_context(CODE):
        slots = (
            Slot.objects.filter(pk__in=slot_ids)
            .annotate(
                confirmed_places=Sum("bookings__places", filter=confirmed, default=0),
                confirmed=Count("bookings", filter=confirmed),
            )
            .order_by("starts_at")
        )
        rows = []
        for slot in slots:
            expected = min(slot.capacity, tried[slot.pk])
            rows.append(
                {
                    "slot": slot.pk,
                    "capacity": slot.capacity,
                    "held": slot.held,
                    "taken": slot.taken,
                    "tried": tried[slot.pk],
                    "confirmed": slot.confirmed,
                    "confirmed_places": slot.confirmed_places,
                    "taken_ok": slot.taken == expected,
                    "sum_ok": slot.confirmed_places == slot.taken,
                    "oversold": max(slot.taken + slot.held, slot.confirmed_places) > slot.capacity,
                }
            )
    return rows


def booking_part(args, web: Web) -> tuple[bool, bool]:
    from django_tenants.utils import schema_context

    from homes.models import Booking, HomeEvent
    from timeline.models import Event

    alone = min(args.alone, args.clients)
    home, slot_ids, reference = open_popular_home(args.slots, args.capacity, alone)
    tokens = youths(args.clients)
    print(
        f"\nbooking: {args.clients} youths, each books each of {len(slot_ids)} slots once "
        f"(capacity {args.capacity} each, {args.capacity * len(slot_ids)} places; one place a "
        f"booking); gunicorn {web.workers} workers x {web.threads} threads"
    )
    warm_up(web, tokens, home.pk)
    alone_s = book_alone(web, tokens[:alone], reference) if alone else []
    load = os.getloadavg()[0]
    seconds, answers = book_all(web, tokens, slot_ids, args.seed)
    kinds = Counter(
        "201 booked" if status == 201 else f"{status} {code}".strip()
        for _, _, status, code in answers
    )
    booked = sum(1 for a in answers if a[2] == 201)
    expected = {"full", "already_booked"}
    errors = [a for a in answers if a[2] != 201 and not (a[2] == 409 and a[3] in expected)]
    server_errors = sum(1 for a in errors if a[2] >= 500 or a[2] == 0)
    tried = Counter(slot for slot, *_ in answers)
    print(
        f"  {len(answers):,} booking requests in {seconds:.2f} s: {booked / seconds:,.1f} "
        f"bookings/s (201), {len(answers) / seconds:,.1f} requests/s; load average before "
        f"{load:.1f} on {os.cpu_count()} cores"
    )
    print(f"  answers: {', '.join(f'{k}: {n:,}' for k, n in sorted(kinds.items()))}")
    book_p95, fast = figures(
        "POST /api/v1/slots/<id>/book/ (every answer)",
        [a[1] for a in answers],
        goal_ms=GOAL_BOOK_MS,
    )
    figures("  of them 201 booked", [a[1] for a in answers if a[2] == 201], goal_ms=None)
    figures("  of them 409 full", [a[1] for a in answers if a[3] == "full"], goal_ms=None)
    figures("for reference: one booking at a time, alone", alone_s, goal_ms=None)
    print(
        f"  Little's law: {args.clients} requests in flight / {len(answers) / seconds:,.0f} "
        f"served a second = {args.clients / (len(answers) / seconds) * 1000:.0f} ms mean wait"
    )
    print(f"  errors: {len(errors)} ({server_errors} 5xx or broken connections)")
    for slot, _, status, code in errors[:10]:
        print(f"    slot {slot}: {status} {code}")

    rows = capacity_check(slot_ids, tried)
    with schema_context(CODE):
        confirmed = Booking.objects.filter(
            slot_id__in=slot_ids, state=Booking.State.CONFIRMED
        ).count()
        events = Event.objects.filter(kind=HomeEvent.BOOKED, data__slot__in=slot_ids).count()
    print("  slot    capacity  tried  taken  held  confirmed (places)  check")
    for row in rows:
        wrong = [
            text
            for text, bad in (
                ("taken != expected", not row["taken_ok"]),
                ("places != taken", not row["sum_ok"]),
                ("OVERSOLD", row["oversold"]),
            )
            if bad
        ]
        print(
            f"  {row['slot']:<7} {row['capacity']:>8} {row['tried']:>6} {row['taken']:>6} "
            f"{row['held']:>5} {row['confirmed']:>10} ({row['confirmed_places']:>3})      "
            f"{'; '.join(wrong) or 'ok'}"
        )
    exact = all(r["taken_ok"] and r["sum_ok"] for r in rows) and confirmed == booked == events
    oversold = sum(r["oversold"] for r in rows)
    print(
        f"  capacity check: {'exact' if exact else 'WRONG'} (201 answers {booked}, confirmed "
        f"bookings {confirmed}, booked events {events}); oversold slots: {oversold}"
    )
    print(goal(f"booking p95 < {GOAL_BOOK_MS:.0f} ms (got {book_p95:.1f} ms)", fast))
    print(goal(f"0 oversold (got {oversold})", oversold == 0))
    print(
        goal(
            f"every slot's places exact and 0 errors (got {'exact' if exact else 'WRONG'}, "
            f"{len(errors)} errors)",
            exact and not errors,
        )
    )
    return fast, oversold == 0


# ---------------------------------------------------------------- finding homes


def position(rng: random.Random) -> tuple[Decimal, Decimal, str]:
    """A home's place: around one of the cities (two thirds) or anywhere in the mainland."""
    if rng.random() < CITY_SHARE:
        city, (lat, lng) = rng.choice(list(CITIES.items()))
        lat += rng.gauss(0, CITY_SPREAD_DEG)
        lng += rng.gauss(0, CITY_SPREAD_DEG / math.cos(math.radians(lat)))
    else:
        city = ""
        (lat_lo, lat_hi), (lng_lo, lng_hi) = MAINLAND
        lat, lng = rng.uniform(lat_lo, lat_hi), rng.uniform(lng_lo, lng_hi)
    return Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}"), city


def fill_homes(n: int, rng: random.Random) -> float:
    """``n`` published homes, a team and one service each; the seconds it took."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from casework.models import Team
    from franchise.models import HomeListing
    from homes.models import Service, YouthHome
    from tenants.models import Committee

    t0 = time.perf_counter()
    planned = []
    for i in range(n):
        lat, lng, city = position(rng)
        planned.append((f"{city or '青年'}之家{i:05d}", lat, lng, city, rng.choice(CATEGORIES)))
    with schema_context(CODE):
        teams = Team.objects.bulk_create(
            (
                Team(
                    name=name,
                    kind=Team.Kind.ORGANISATION,
                    sector=Team.Sector.LEAGUE,
                    description="Youth home",
                )
                for name, *_ in planned
            ),
            batch_size=5000,
        )
        homes = YouthHome.objects.bulk_create(
            (
                YouthHome(
                    team_id=team.pk,
                    name=name,
                    address=f"{city or '某地'}青年路{i % 999 + 1}号",
                    district=city,
                    latitude=lat,
                    longitude=lng,
                    opening_hours="09:00-18:00",
                )
                for i, (team, (name, lat, lng, city, _)) in enumerate(
                    zip(teams, planned, strict=True)
                )
            ),
            batch_size=5000,
        )
        Service.objects.bulk_create(
            (
                Service(home_id=home.pk, name=category, category_id=category, group_max=1)
                for home, (*_, category) in zip(homes, planned, strict=True)
            ),
            batch_size=5000,
        )
        # The national directory's rows, as homes.directory.sync writes them one by one.
        committee = Committee.objects.get(code=CODE)
        HomeListing.objects.bulk_create(
            (
                HomeListing(
                    committee=committee,
                    home_id=home.pk,
                    name=home.name,
                    address=home.address,
                    district=home.district,
                    latitude=home.latitude,
                    longitude=home.longitude,
                    categories=[category],
                )
                for home, (*_, category) in zip(homes, planned, strict=True)
            ),
            batch_size=5000,
        )
        with connection.cursor() as cursor:
            for table in ("casework_team", "homes_youthhome", "homes_service"):
                cursor.execute(f"VACUUM ANALYZE {table}")
            cursor.execute("VACUUM ANALYZE public.franchise_homelisting")
    return time.perf_counter() - t0


class Positions:
    """The script's own count of the homes within a radius by the great-circle distance
    (haversine, homes.selectors' radius of the Earth), and how many of those lie outside
    the bounding box that ``homes.selectors.near`` narrows the rows by."""

    def __init__(self) -> None:
        """Every published home of the committee, as the database holds it."""
        from django_tenants.utils import schema_context

        from homes import selectors
        from homes.models import Service

        with schema_context(CODE):
            serves: dict[int, set[str]] = {}
            for home, category in Service.objects.filter(is_active=True).values_list(
                "home_id", "category_id"
            ):
                serves.setdefault(home, set()).add(category)
            self.homes = sorted(
                (float(lat), float(lng), frozenset(serves.get(pk, ())))
                for pk, lat, lng in selectors.published().values_list("pk", "latitude", "longitude")
            )
        self.lats = [h[0] for h in self.homes]

    def within(
        self, lat: float, lng: float, radius_km: float, category: str = ""
    ) -> tuple[int, int]:
        from homes import selectors

        reach = 1.01 * math.degrees(radius_km / EARTH_RADIUS_KM)  # wider than the circle
        lo = bisect.bisect_left(self.lats, lat - reach)
        hi = bisect.bisect_right(self.lats, lat + reach)
        dlat = radius_km / selectors.KM_PER_DEGREE
        dlng = radius_km / (selectors.KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
        lat0, lng0 = math.radians(lat), math.radians(lng)
        found = outside = 0
        for la, lo_, serves in self.homes[lo:hi]:
            if category and category not in serves:
                continue
            h = (
                math.sin((math.radians(la) - lat0) / 2) ** 2
                + math.cos(math.radians(la))
                * math.cos(lat0)
                * math.sin((math.radians(lo_) - lng0) / 2) ** 2
            )
            if 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h)) <= radius_km:
                found += 1
                outside += abs(la - lat) > dlat or abs(lo_ - lng) > dlng
        return found, outside


def time_near(web: Web, points, category: str, positions: Positions, warm: int = 10):
    """One client: the first page of homes near each point; seconds, counts, mismatches."""
    seconds, counts, wrong = [], [], []
    conn = web.connection()
    try:
        for i, (lat, lng) in enumerate(points):
            query = f"lat={lat:.6f}&lng={lng:.6f}&radius_km={RADIUS_KM}"
            if category:
                query += f"&category={category}"
            t0 = time.perf_counter()
            status, body = request(conn, "GET", f"/api/v1/homes/?{query}")
            elapsed = time.perf_counter() - t0
            if status != 200:
                raise RuntimeError(f"/api/v1/homes/?{query} answered {status}: {body[:200]!r}")
            if i < warm:
                continue
            page = json.loads(body)
            seconds.append(elapsed)
            counts.append(page["count"])
            mine, outside = positions.within(lat, lng, RADIUS_KM, category)
            distances = [h["distance_km"] for h in page["results"]]
            if (
                page["count"] != mine
                or distances != sorted(distances)
                or (category and any(category not in h["categories"] for h in page["results"]))
            ):
                wrong.append((lat, lng, page["count"], mine, outside))
    finally:
        conn.close()
    return seconds, counts, wrong


def time_map(web: Web, rounds: int, query: str, check, warm: int = 3):
    """``GET /api/v1/homes/map/?<query>`` ``rounds`` times; ``check(answer)`` says what is
    wrong with an answer (None: right). The seconds and the answer's size."""
    seconds, size = [], 0
    conn = web.connection()
    path = "/api/v1/homes/map/" + (f"?{query}" if query else "")
    try:
        for i in range(rounds + warm):
            t0 = time.perf_counter()
            status, body = request(conn, "GET", path)
            elapsed = time.perf_counter() - t0
            if status != 200:
                raise RuntimeError(f"{path} answered {status}: {body[:200]!r}")
            wrong = check(json.loads(body))
            if wrong:
                raise RuntimeError(f"{path}: {wrong}")
            if i >= warm:
                seconds.append(elapsed)
                size = len(body)
    finally:
        conn.close()
    return seconds, size


def map_checks(published: int, in_box: int):
    """What the whole map and a city's view must answer: every home counted by area, and
    each home in the view as a point."""

    def whole(answer: dict) -> str | None:
        counted = sum(cell["count"] for cell in answer["cells"])
        if answer["points"] or answer["total"] != published or counted != published:
            return f"{counted} homes counted by area, {len(answer['points'])} points"
        return None

    def city(answer: dict) -> str | None:
        if answer["cells"] or len(answer["points"]) != in_box:
            return f"{len(answer['points'])} points and {len(answer['cells'])} areas, not {in_box}"
        return None

    return whole, city


def plan_of_near(lat: float, lng: float) -> list[str]:
    from django.db import connection
    from django_tenants.utils import schema_context

    from homes import selectors

    with schema_context(CODE), connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + str(selectors.near(lat, lng, RADIUS_KM).query))
        return [row[0] for row in cursor.fetchall()]


def finding_part(args, web: Web) -> tuple[bool, bool]:
    from django_tenants.utils import schema_context

    from homes import selectors

    rng = random.Random(args.seed)
    seconds = fill_homes(args.homes, rng)
    with schema_context(CODE):
        published = selectors.published().count()
    print(
        f"\nfinding: {args.homes:,} homes written in {seconds:.1f} s (bulk_create: teams, "
        f"homes, a service each; VACUUM ANALYZE), {published:,} published in all; "
        f"{CITY_SHARE:.0%} around {len(CITIES)} cities"
    )
    positions = Positions()
    centres = list(CITIES.values())
    points = []
    for _ in range(args.searches + 10):
        lat, lng = rng.choice(centres)
        lat += rng.gauss(0, POINT_SPREAD_DEG)
        points.append((lat, lng + rng.gauss(0, POINT_SPREAD_DEG / math.cos(math.radians(lat)))))

    near_s, near_counts, near_wrong = time_near(web, points, "", positions)
    cat_s, cat_counts, cat_wrong = time_near(web, points, "mental", positions)

    lat, lng = CITIES["广州"]
    west, south, east, north = lng - 0.12, lat - 0.1, lng + 0.12, lat + 0.1
    with schema_context(CODE):
        in_box = (
            selectors.published()
            .filter(
                latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
            )
            .count()
        )
    whole, city = map_checks(published, in_box)
    map_s, map_size = time_map(web, args.maps, "", whole)
    box = f"bbox={west:.4f},{south:.4f},{east:.4f},{north:.4f}"
    city_s, city_size = time_map(web, args.maps, box, city)
    print(
        f"  homes within {RADIUS_KM} km of the points asked: median "
        f"{statistics.median(near_counts):,.0f}, max {max(near_counts):,} (serving mental: median "
        f"{statistics.median(cat_counts):,.0f}, max {max(cat_counts):,}); first page of 20"
    )
    near_p95, near_met = figures(
        f"GET /api/v1/homes/?lat&lng&radius_km={RADIUS_KM}", near_s, goal_ms=GOAL_NEAR_MS
    )
    cat_p95, cat_met = figures("  the same &category=mental", cat_s, goal_ms=GOAL_NEAR_MS)
    print(f"  the whole map: {published:,} homes counted by area ({map_size:,} bytes)")
    map_p95, map_met = figures("GET /api/v1/homes/map/", map_s, goal_ms=GOAL_NEAR_MS)
    print(f"  Guangzhou's view: {in_box:,} homes as points ({city_size:,} bytes)")
    city_p95, city_met = figures(f"GET /api/v1/homes/map/?{box}", city_s, goal_ms=GOAL_NEAR_MS)
    wrong = near_wrong + cat_wrong
    print(
        f"  answers checked against the script's own great-circle count within the radius "
        f"(and nearest first, every home serving the category asked): "
        f"{len(wrong)} of {len(near_s) + len(cat_s)} differ"
    )
    if wrong:
        fewer = sum(max(mine - count, 0) for *_, count, mine, _ in wrong)
        more = sum(max(count - mine, 0) for *_, count, mine, _ in wrong)
        outside = sum(o for *_, o in wrong)
        print(
            f"    homes within the radius the API left out: {fewer} (outside the bounding box "
            f"near() narrows by: {outside}); homes it counted beyond the radius: {more}"
        )
    for lat, lng, count, mine, outside in wrong[:5]:
        print(
            f"    at {lat:.4f},{lng:.4f}: the API counts {count}, the script {mine} "
            f"({outside} outside the box)"
        )

    lat, lng = points[0]
    plan = plan_of_near(lat, lng)
    uses_index = any("homes_by_position" in line for line in plan)
    print(f"  EXPLAIN homes.selectors.near({lat:.4f}, {lng:.4f}, {RADIUS_KM}):")
    for line in plan:
        if "homes_by_position" in line or "Index Cond" in line or line is plan[0]:
            print(f"    {line.strip()}")
    print(goal(f"near me p95 < {GOAL_NEAR_MS:.0f} ms (got {near_p95:.1f} ms)", near_met))
    print(goal(f"near me by category p95 < {GOAL_NEAR_MS:.0f} ms (got {cat_p95:.1f} ms)", cat_met))
    print(goal(f"the whole map p95 < {GOAL_NEAR_MS:.0f} ms (got {map_p95:.1f} ms)", map_met))
    print(goal(f"a city's view p95 < {GOAL_NEAR_MS:.0f} ms (got {city_p95:.1f} ms)", city_met))
    print(goal("the bounding box uses the index homes_by_position", uses_index))
    return near_met and cat_met and map_met and city_met, uses_index


# ---------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=100, help="youths booking at once")
    parser.add_argument("--slots", type=int, default=10, help="popular slots, all tomorrow")
    parser.add_argument("--capacity", type=int, default=20, help="places in each slot")
    parser.add_argument(
        "--alone", type=int, default=50, help="bookings one at a time first, for reference"
    )
    parser.add_argument("--homes", type=int, default=30_000, help="homes for near me and the map")
    parser.add_argument("--searches", type=int, default=300, help="near-me requests of each kind")
    parser.add_argument("--maps", type=int, default=30, help="map requests")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if args.clients < 2 or args.slots < 1 or args.capacity < 1:
        parser.error("needs 2 clients, 1 slot and 1 place at least")
    if args.homes < 100 or args.searches < 20 or args.maps < 1:
        parser.error("needs 100 homes, 20 searches and 1 map request at least")

    with bench_database("bookings"):
        from tenants.services import provision_committee

        print(server_description())
        central = provision_central()
        provision_committee(
            code=CODE, name="共青团广东省委", level="province", parent=central, admin_phone=phone(1)
        )
        web = Web(args.workers, args.threads)
        try:
            web.start()
            booking_part(args, web)
            finding_part(args, web)
        finally:
            web.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
