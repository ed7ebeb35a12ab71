"""Soak: N minutes of mixed traffic at a steady rate against the whole running platform.

Starts the platform as ``./yv start`` does (web, worker, beat on an embedded PostgreSQL and
Redis of its own, in a temporary folder: ``config.harness``), then sends requests at a fixed
rate from a few client threads, in a fixed mix: browsing pages, searching the archive, asking,
answering (a committee's admin answers what was asked), and the asker marking it solved and
rating it, over the six demo committees. Prints the p50/p95 of each kind, the errors (any
answer but the expected one, goal 0) and each process's resident memory (with its children)
after a warm-up minute and at the end (goal: growth under 10%).

    .venv/bin/python bench/soak.py                 # 10 minutes at 6 requests/s
    .venv/bin/python bench/soak.py --minutes 2     # a quick check
"""

from __future__ import annotations

import argparse
import collections
import queue
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.harness import Platform  # noqa: E402

# The demo's committees and the last digits of their accounts (seed_demo).
COMMITTEES = {"gd": "1", "bj": "2", "sc": "3", "gd-gz": "4", "gd-sz": "5"}
TITLES = [
    "实习期间被拖欠工资怎么办",
    "考研还是直接工作更好",
    "毕业后户口档案怎么处理",
    "租房押金不退可以找谁",
    "大学生创业有哪些补贴",
    "志愿者服务时长怎么认定",
    "入团申请书应该怎么写",
    "考试焦虑睡不着怎么调整",
]
WORDS = ["工资", "考研", "户口", "租房", "创业", "志愿者", "入团", "焦虑", "就业", "保险"]
# Kind → share of the traffic.
MIX = {"browse": 0.45, "search": 0.25, "ask": 0.10, "answer": 0.10, "rate": 0.10}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Traffic:
    def __init__(self, platform: Platform, seed: int = 7) -> None:
        self.platform = platform
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.youth = {c: platform.token(c, f"139000{n}0002") for c, n in COMMITTEES.items()}
        self.admin = {c: platform.token(c, f"139000{n}0000") for c, n in COMMITTEES.items()}
        self.asked: dict[str, collections.deque] = {c: collections.deque() for c in COMMITTEES}
        self.answered: dict[str, collections.deque] = {c: collections.deque() for c in COMMITTEES}
        self.known: list[tuple[str, int]] = []
        self.times: dict[str, list[float]] = collections.defaultdict(list)
        self.errors: list[str] = []
        for code in COMMITTEES:
            found = platform.get(code, "/api/v1/questions/").json()["results"]
            self.known += [(code, q["id"]) for q in found]

    def pick(self) -> str:
        roll, total = self.random.random(), 0.0
        for kind, share in MIX.items():
            total += share
            if roll < total:
                return kind
        return "browse"

    def run(self, kind: str) -> None:
        code = self.random.choice(list(COMMITTEES))
        started = time.perf_counter()
        try:
            ok = getattr(self, kind)(code)
        except Exception as exc:  # a broken connection or a timeout is an error
            ok = f"{type(exc).__name__}: {exc}"
        with self.lock:
            self.times[kind].append((time.perf_counter() - started) * 1000)
            if ok is not True:
                self.errors.append(f"{kind} on {code}: {ok}")

    @staticmethod
    def _expect(response, *statuses: int):
        if response.status_code in statuses:
            return True
        return f"{response.status_code} {response.request.method} {response.url}"

    def browse(self, code: str):
        choice = self.random.random()
        if choice < 0.3:
            return self._expect(self.platform.get(code, "/"), 200)
        if choice < 0.6:
            return self._expect(self.platform.get(code, "/questions/"), 200)
        with self.lock:
            where, pk = self.random.choice(self.known)
        return self._expect(self.platform.get(where, f"/questions/{pk}/"), 200)

    def search(self, code: str):
        word = self.random.choice(WORDS)
        if self.random.random() < 0.5:
            return self._expect(self.platform.get(code, "/questions/", params={"q": word}), 200)
        return self._expect(self.platform.get(code, "/api/v1/questions/", params={"q": word}), 200)

    def ask(self, code: str):
        title = f"{self.random.choice(TITLES)}（{self.random.randrange(10**6)}）"
        done = self.platform.post(
            code,
            "/api/v1/questions/",
            token=self.youth[code],
            json={"title": title, "body": "想请教一下具体该怎么办，谢谢。"},
        )
        if done.status_code == 201:
            with self.lock:
                self.asked[code].append(done.json()["id"])
                self.known.append((code, done.json()["id"]))
        return self._expect(done, 201)

    def answer(self, code: str):
        with self.lock:
            pk = self.asked[code].popleft() if self.asked[code] else None
        if pk is None:
            return self.browse(code)
        done = self.platform.post(
            code,
            f"/api/v1/questions/{pk}/answers/",
            token=self.admin[code],
            json={"body": "您好，建议先保留好相关材料，再拨打12355青少年服务热线咨询。"},
        )
        if done.status_code in (200, 201):
            with self.lock:
                self.answered[code].append(pk)
        return self._expect(done, 200, 201)

    def rate(self, code: str):
        with self.lock:
            pk = self.answered[code].popleft() if self.answered[code] else None
        if pk is None:
            return self.search(code)
        token = self.youth[code]
        solved = self.platform.post(code, f"/api/v1/questions/{pk}/solve/", token=token)
        if solved.status_code != 200:
            return self._expect(solved, 200)
        rated = self.platform.post(
            code, f"/api/v1/questions/{pk}/rating/", token=token, json={"stars": 5}
        )
        return self._expect(rated, 200, 201)


def drive(traffic: Traffic, seconds: float, rate: float, clients: int) -> None:
    """Send ``rate`` requests a second for ``seconds``, each at its planned time."""
    slots: queue.Queue = queue.Queue(maxsize=clients * 4)

    def client() -> None:
        while True:
            kind = slots.get()
            if kind is None:
                return
            traffic.run(kind)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start = time.monotonic()
    n = 0
    while (planned := start + n / rate) < start + seconds:
        delay = planned - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        slots.put(traffic.pick())
        n += 1
    for _ in threads:
        slots.put(None)
    for thread in threads:
        thread.join()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=6.0, help="requests per second")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--warmup", type=float, default=60.0, help="seconds before measuring")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="yv-soak-", dir="/tmp"))
    # The traffic comes from one address and a few accounts: the per-address and per-account
    # throttles are lifted, as for a load test from one machine.
    lifted = {f"THROTTLE_{s}": "1000000/min" for s in ("SEARCH", "SIMILAR", "ASK", "CLASSIFY")}
    platform = Platform(folder, free_port(), WEB_WORKERS="2", WORKER_CONCURRENCY="2", **lifted)
    print(f"starting the platform in {folder} …", flush=True)
    platform.start()
    try:
        traffic = Traffic(platform)
        drive(traffic, args.warmup, args.rate, args.clients)
        before = platform.rss_bytes()
        warm_errors = len(traffic.errors)
        traffic.times.clear()
        print(f"warm-up {args.warmup:.0f} s done; soaking {args.minutes:g} min …", flush=True)
        started = time.monotonic()
        drive(traffic, args.minutes * 60, args.rate, args.clients)
        elapsed = time.monotonic() - started
        after = platform.rss_bytes()
        restarted = "stopped with exit code" in platform.log()
    finally:
        platform.stop()

    sent = sum(len(t) for t in traffic.times.values())
    print(
        f"\n{sent} requests in {elapsed:.0f} s ({sent / elapsed:.2f}/s, planned {args.rate:g}/s), "
        f"{args.clients} clients"
    )
    print(f"{'kind':<8} {'count':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for kind in MIX:
        times = sorted(traffic.times.get(kind, []))
        if not times:
            continue
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{kind:<8} {len(times):>6} {statistics.median(times):>8.1f} {p95:>8.1f}")
    errors = traffic.errors[warm_errors:]
    print(f"\nerrors: {len(errors)} (goal 0; {warm_errors} during the warm-up)")
    for line in errors[:20]:
        print(f"  {line}")
    print(f"a process restarted by the launcher: {'yes' if restarted else 'no'}")
    print(f"\n{'process':<8} {'RSS start MB':>13} {'RSS end MB':>11} {'growth':>8}")
    worst = 0.0
    for name in before:
        growth = (after.get(name, 0) - before[name]) / before[name] if before[name] else 0.0
        worst = max(worst, growth)
        print(
            f"{name:<8} {before[name] / 2**20:>13.1f} {after.get(name, 0) / 2**20:>11.1f} "
            f"{growth:>+8.1%}"
        )
    met = not errors and worst < 0.10 and not restarted
    print(
        f"\nworst growth {worst:+.1%} (goal < 10%), errors {len(errors)} (goal 0): "
        f"{'GOAL MET' if met else 'GOAL MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
