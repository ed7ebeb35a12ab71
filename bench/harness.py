"""What every benchmark shares: servers of its own profile, a fresh database, committees.

``bench_database(name)`` must run before Django is set up: it points the settings at the
``bench`` profile's embedded servers (or at ``DATABASE_URL``/``REDIS_URL`` when both are
given), creates the database ``yv_bench_<name>`` afresh, sets Django up, migrates, and on
exit drops the database again (and stops the embedded servers if it started them).
"""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILE = "bench"


def _maintenance(database_url: str):
    import psycopg
    from psycopg.conninfo import make_conninfo

    return psycopg.connect(make_conninfo(database_url, dbname="postgres"), autocommit=True)


def _recreate(database_url: str, dbname: str) -> None:
    with _maintenance(database_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{dbname}"')


def _exists(database_url: str, dbname: str) -> bool:
    with _maintenance(database_url) as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
            is not None
        )


def _drop(database_url: str, dbname: str) -> None:
    with _maintenance(database_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


@contextlib.contextmanager
def bench_database(name: str, *, keep: bool = False) -> Iterator[str]:
    """Set Django up on a new database ``yv_bench_<name>``, migrated; yield its name. With
    ``keep`` the database is kept afterwards, and one left by an earlier run is used again
    (migrated to the code's migrations): for measuring again without filling again."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["YV_PROFILE"] = PROFILE
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    # Keys of its own, in case the Redis server is shared with other processes.
    os.environ["CACHE_KEY_PREFIX"] = f"yvbench-{name}-{os.getpid()}"
    # One client in one process: the per-address and per-account throttles are lifted, and
    # the line logged per request is left out of what is timed.
    for scope in (
        "CLASSIFY",
        "SIMILAR",
        "SEARCH",
        "ASK",
        "REGISTER",
        "CODES",
        "CHALLENGES",
        "VOTE",
    ):
        os.environ.setdefault(f"THROTTLE_{scope}", "1000000/min")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    started = False
    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        from config import embedded

        servers = embedded.start(PROFILE)
        started = servers.started
        os.environ.setdefault("DATABASE_URL", servers.database_url)
        os.environ.setdefault("REDIS_URL", servers.redis_url)
    database_url = os.environ["DATABASE_URL"]
    # BENCH_DATABASE names it instead, when several people share one server.
    dbname = os.environ.get("BENCH_DATABASE") or f"yv_bench_{name}"
    if not (keep and _exists(database_url, dbname)):
        _recreate(database_url, dbname)
    os.environ["DATABASE_NAME"] = dbname
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate_platform", verbosity=0, stdout=io.StringIO())
        yield dbname
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if not keep:
            _drop(database_url, dbname)
        if started:
            from config import embedded

            embedded.stop(PROFILE)


def server_description() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    settings = connection.settings_dict
    where = settings.get("HOST") or "local socket"
    return f"PostgreSQL {version} at {where}, database {settings['NAME']}"


def phone(n: int) -> str:
    return f"137{n:08d}"


def provision_central():
    from tenants.services import provision_committee

    return provision_committee(
        code="central", name="Central Committee", level="central", parent=None, admin_phone=phone(0)
    )


def committee_plan(n: int, *, provinces: int = 34) -> list[dict]:
    """Arguments for ``n`` committees under the central one: provinces first, then cities.

    ``parent`` holds the province's index in the plan (or None for the central committee).
    """
    plan: list[dict] = []
    count = min(n, provinces)
    for i in range(count):
        plan.append({"code": f"p{i:02d}", "name": f"Province {i}", "level": "province"})
    for j in range(n - count):
        province = j % count
        plan.append(
            {
                "code": f"p{province:02d}-c{j:04d}",
                "name": f"City {j}",
                "level": "city",
                "parent": province,
            }
        )
    return plan


def provision_plan(plan: list[dict], central, *, progress: bool = True) -> list[float]:
    """Provision every committee of ``plan`` by clone; return the seconds each one took."""
    from tqdm import tqdm

    from tenants.services import provision_committee

    made = []
    seconds = []
    for i, item in enumerate(tqdm(plan, desc="provisioning", unit="tenant", disable=not progress)):
        parent = central if item.get("parent") is None else made[item["parent"]]
        start = time.perf_counter()
        committee = provision_committee(
            code=item["code"],
            name=item["name"],
            level=item["level"],
            parent=parent,
            admin_phone=phone(i + 1),
        )
        seconds.append(time.perf_counter() - start)
        made.append(committee)
    return seconds


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def summary(seconds: list[float]) -> str:
    return f"mean {ms(statistics.mean(seconds))}, median {ms(statistics.median(seconds))}"


def goal(text: str, met: bool) -> str:
    return f"GOAL {'MET' if met else 'MISSED'}: {text}"
