"""Whether provisioning by clone slows down as committees accumulate.

Provisions ``--n`` committees (34 provinces under the central committee, then cities under
them) with ``tenants.services.provision_committee`` and compares the time per committee of
the first hundred with that of the last hundred.

    .venv/bin/python bench/provision_growth.py [--n 1000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    bench_database,
    committee_plan,
    goal,
    ms,
    provision_central,
    provision_plan,
    server_description,
    summary,
)

GOAL_RATIO = 1.5
BLOCK = 100


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="committees to provision")
    args = parser.parse_args()
    if args.n < 2 * BLOCK:
        parser.error(f"--n must be at least {2 * BLOCK}")

    with bench_database("provision_growth"):
        print(server_description())
        start = time.perf_counter()
        central = provision_central()
        print(f"central committee first (not counted): {ms(time.perf_counter() - start)}")

        start = time.perf_counter()
        seconds = provision_plan(committee_plan(args.n), central)
        total = time.perf_counter() - start

        first, last = seconds[:BLOCK], seconds[-BLOCK:]
        print()
        print(f"{args.n} committees provisioned by clone in {total:.1f} s")
        print(f"  per committee, all:        {summary(seconds)}")
        print(f"  per committee, first {BLOCK}:  {summary(first)}")
        print(f"  per committee, last {BLOCK}:   {summary(last)}")
        ratio = statistics.mean(last) / statistics.mean(first)
        median_ratio = statistics.median(last) / statistics.median(first)
        print(f"  last/first: {ratio:.2f} by means, {median_ratio:.2f} by medians")
        print("  mean per block of a hundred:")
        for i in range(0, args.n, BLOCK):
            block = seconds[i : i + BLOCK]
            print(f"    {i + 1:>5}-{i + len(block):<5} {ms(statistics.mean(block))}")
        print(goal(f"last/first <= {GOAL_RATIO} (got {ratio:.2f})", ratio <= GOAL_RATIO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
