"""Provisioning a committee: our clone of the template's DDL against django-tenants' migrations.

Both ways run through ``tenants.services.provision_committee`` in one transaction: the
committee row, its domain, its schema and its first admin (a new user and role). Only the
schema step differs:

* clone: ``tenants.schema.build_schema`` (the template's DDL replayed in one batch);
* migrations: ``CREATE SCHEMA`` then ``migrate_schemas --tenant --schema=<name>``, what
  django-tenants does for a tenant with ``auto_create_schema``.

The two ways alternate (A/B, then B/A) so that drift in the machine's speed hits both.

    .venv/bin/python bench/provisioning.py [--n 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import bench_database, goal, ms, phone, server_description, summary

GOAL_SPEEDUP = 10.0


def migrate_schema(schema_name: str) -> None:
    """The baseline schema step: a new schema and every tenant migration run into it."""
    from django.core.management import call_command
    from django.db import connection

    from tenants.schema import quote

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {quote(schema_name)}")
    call_command(
        "migrate_schemas", tenant=True, schema_name=schema_name, interactive=False, verbosity=0
    )
    connection.set_schema_to_public()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=50, help="tenants provisioned each way")
    args = parser.parse_args()

    with bench_database("provisioning"):
        from unittest import mock

        from tqdm import tqdm

        from tenants import schema
        from tenants.services import provision_committee

        print(server_description())
        counter = iter(range(1, 10**8))
        made: dict = {}
        steps = {"clone": schema.build_schema, "migrations": migrate_schema}
        step_seconds: list[float] = []

        def timed_step(schema_name: str) -> None:
            start = time.perf_counter()
            steps[way_now[0]](schema_name)
            step_seconds.append(time.perf_counter() - start)

        way_now = ["clone"]

        def provision(code: str, way: str, parent=None) -> tuple[float, float]:
            kwargs = {
                "code": code,
                "name": code,
                "level": "province" if parent else "central",
                "parent": parent,
                "admin_phone": phone(next(counter)),
            }
            way_now[0] = way
            with mock.patch.object(schema, "build_schema", timed_step):
                start = time.perf_counter()
                committee = provision_committee(**kwargs)
                elapsed = time.perf_counter() - start
            made[code] = committee
            return elapsed, step_seconds[-1]

        # Untimed warm-up: the first clone reads the template's catalog (once per process
        # and migration state), the first migration run imports every migration module.
        cold_clone, _ = provision("central", "clone")
        central = made["central"]
        cold_migrations, _ = provision("wmig", "migrations", central)
        print(
            f"warm-up (not counted): first clone {ms(cold_clone)} (reads the template's "
            f"catalog), first migrations {ms(cold_migrations)}"
        )

        times: dict[str, list[float]] = {"clone": [], "migrations": []}
        schema_times: dict[str, list[float]] = {"clone": [], "migrations": []}
        for i in tqdm(range(args.n), desc="pairs", unit="pair"):
            order = ("clone", "migrations") if i % 2 == 0 else ("migrations", "clone")
            for way in order:
                code = f"{'c' if way == 'clone' else 'm'}{i:04d}"
                total, step = provision(code, way, central)
                times[way].append(total)
                schema_times[way].append(step)

        same = schema.describe_schema("c0000") == schema.describe_schema("m0000")
        print(f"a cloned and a migrated schema are identical: {'yes' if same else 'NO'}")
        print()
        print(
            f"{args.n} tenants each way, interleaved; each includes the committee row, "
            "its domain, its schema and its admin (user + role), in one transaction"
        )
        clone_total = sum(times["clone"])
        mig_total = sum(times["migrations"])
        for way, total in (("clone", clone_total), ("migrations", mig_total)):
            label = "clone (build_schema)" if way == "clone" else "migrations (migrate_schemas)"
            print(
                f"  {label:<30} total {total:7.2f} s   per tenant {summary(times[way])}, "
                f"min {ms(min(times[way]))}, max {ms(max(times[way]))}"
            )
        ratio = mig_total / clone_total
        median_ratio = statistics.median(times["migrations"]) / statistics.median(times["clone"])
        print(f"  speed-up migrations/clone: {ratio:.1f}x (by medians {median_ratio:.1f}x)")
        print("the schema step alone (the rest is the same work both ways):")
        for way, label in (("clone", "build_schema"), ("migrations", "schema + migrate_schemas")):
            print(f"  {label:<30} per tenant {summary(schema_times[way])}")
        step_ratio = sum(schema_times["migrations"]) / sum(schema_times["clone"])
        rest = [t - s for t, s in zip(times["clone"], schema_times["clone"], strict=True)]
        print(f"  speed-up of the step: {step_ratio:.1f}x; the rest of a clone: {summary(rest)}")
        print(
            goal(
                f"clone at least {GOAL_SPEEDUP:.0f}x faster (got {ratio:.1f}x)",
                ratio >= GOAL_SPEEDUP,
            )
        )
        if not same:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
