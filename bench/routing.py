"""Routing a request to its committee: tenant domains against the public console domain.

With ``--tenants`` committees provisioned (by clone), serves ``GET /api/v1/ping/`` through
Django's WSGI handler in this process, called directly with a WSGI environ (no test client,
no HTTP server), in alternating rounds: one round on the console domain, one spread over the
committees' domains (each domain in turn). Before timing, every domain is served once so that
the process's committee directory is warm, as it is in a running server.

    .venv/bin/python bench/routing.py [--tenants 1000] [--rounds 20] [--requests 500]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    bench_database,
    committee_plan,
    goal,
    provision_central,
    provision_plan,
    server_description,
)

GOAL_RATIO = 0.85
PATH = "/api/v1/ping/"


def environ(host: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": PATH,
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": host,
        "HTTP_ACCEPT": "application/json",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


class Server:
    """Calls the WSGI application as a WSGI server would, and checks each answer."""

    def __init__(self) -> None:
        from django.core.handlers.wsgi import WSGIHandler

        self.app = WSGIHandler()
        self.status = ""

    def _start_response(self, status, headers, exc_info=None):
        self.status = status

    def get(self, host: str) -> bytes:
        result = self.app(environ(host), self._start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()
        if not self.status.startswith("200"):
            raise RuntimeError(f"{host}{PATH} answered {self.status}: {body[:200]!r}")
        return body

    def run(self, hosts: list[str], count: int, offset: int = 0) -> tuple[float, float]:
        """Serve ``count`` requests over ``hosts`` in turn; return wall and CPU seconds."""
        get = self.get
        n = len(hosts)
        start, cpu = time.perf_counter(), time.process_time()
        for i in range(offset, offset + count):
            get(hosts[i % n])
        return time.perf_counter() - start, time.process_time() - cpu


def count_queries(server: Server, host: str) -> tuple[int, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        server.get(host)
    return len(captured), [q["sql"] for q in captured.captured_queries]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tenants", type=int, default=1000, help="committees to provision")
    parser.add_argument("--rounds", type=int, default=20, help="rounds of each kind")
    parser.add_argument("--requests", type=int, default=500, help="requests per round")
    args = parser.parse_args()

    with bench_database("routing"):
        from django.conf import settings
        from django.db import connection

        print(server_description())
        central = provision_central()
        start = time.perf_counter()
        provision_plan(committee_plan(args.tenants), central)
        elapsed = time.perf_counter() - start
        print(f"{args.tenants} committees provisioned by clone in {elapsed:.1f} s")

        from tenants.models import Domain

        tenant_hosts = list(
            Domain.objects.exclude(tenant__code="central")
            .order_by("domain")
            .values_list("domain", flat=True)
        )
        public_hosts = [settings.BASE_DOMAIN]
        server = Server()

        # Each answer names the committee that served it.
        for host in tenant_hosts[:3] + public_hosts:
            answer = json.loads(server.get(host))
            expected = None if host == settings.BASE_DOMAIN else host.split(".")[0]
            if answer["committee"] != expected:
                raise RuntimeError(f"{host} was served by {answer['committee']!r}")

        # A domain not served yet: its first request looks the committee up.
        cold = count_queries(server, tenant_hosts[-1])
        server.run(tenant_hosts, len(tenant_hosts))
        server.run(public_hosts, args.requests)
        warm_tenant = count_queries(server, tenant_hosts[0])
        warm_public = count_queries(server, public_hosts[0])

        times: dict[str, list[float]] = {"tenant": [], "public": []}
        cpu_times: dict[str, list[float]] = {"tenant": [], "public": []}
        queries = {"tenant": 0, "public": 0}
        kind = "tenant"

        def counted(execute, sql, params, many, context):
            queries[kind] += 1
            return execute(sql, params, many, context)

        offset = 0
        with connection.execute_wrapper(counted):
            for r in range(args.rounds):
                for kind in ("tenant", "public") if r % 2 == 0 else ("public", "tenant"):
                    if kind == "tenant":
                        wall, cpu = server.run(tenant_hosts, args.requests, offset)
                        offset += args.requests
                    else:
                        wall, cpu = server.run(public_hosts, args.requests)
                    times[kind].append(wall)
                    cpu_times[kind].append(cpu)

        per_round = args.requests
        print()
        print(
            f"GET {PATH} through the WSGI handler, {args.rounds} rounds x {per_round} "
            f"requests of each kind, alternating; tenant requests spread over "
            f"{min(len(tenant_hosts), args.rounds * per_round)} of {len(tenant_hosts)} domains"
        )
        rps = {}
        for kind, label in (("tenant", "tenant domains"), ("public", "public console")):
            total = sum(times[kind])
            rps[kind] = args.rounds * per_round / total
            rounds = [per_round / t for t in times[kind]]
            print(
                f"  {label:<15} {rps[kind]:8.0f} req/s  (per round: median "
                f"{statistics.median(rounds):.0f}, min {min(rounds):.0f}, max {max(rounds):.0f}; "
                f"{total / (args.rounds * per_round) * 1e6:.0f} us per request)"
            )
        ratio = rps["tenant"] / rps["public"]
        pairs = zip(times["tenant"], times["public"], strict=True)
        paired = statistics.median(p / t for t, p in pairs)
        print(f"  ratio tenant/public: {ratio:.3f} (median of the rounds' pairs: {paired:.3f})")
        cpu_us = {k: sum(v) / (args.rounds * per_round) * 1e6 for k, v in cpu_times.items()}
        print(
            f"  CPU time of this process per request: tenant {cpu_us['tenant']:.0f} us, "
            f"public {cpu_us['public']:.0f} us, ratio (as req/s) "
            f"{cpu_us['public'] / cpu_us['tenant']:.3f}"
        )
        print("database queries per request:")
        for label, (count, sql) in (
            ("warm tenant request", warm_tenant),
            ("warm public request", warm_public),
            ("cold tenant request (domain not served before)", cold),
        ):
            print(f"  {label}: {count}")
            for statement in sql:
                print(f"      {statement}")
        print(
            f"  during the timed rounds: {queries['tenant']} on tenant domains, "
            f"{queries['public']} on the console"
        )
        print(goal(f"tenant/public >= {GOAL_RATIO} (got {ratio:.3f})", ratio >= GOAL_RATIO))
        print(goal("a warm tenant request makes no query", warm_tenant[0] == 0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
