"""Category classifier: held-out accuracy and time per question.

Trains on the training part of the shipped corpus (franchise/corpus/questions.tsv), then
classifies every held-out question it never saw. Needs no database.

    .venv/bin/python bench/classifier.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DATABASE_URL", "postgres://unused/none")  # no query is made
os.environ.setdefault("REDIS_URL", "redis://unused")

import django  # noqa: E402

django.setup()

from franchise import classifier  # noqa: E402

GOAL_ACCURACY = 0.85
GOAL_MS = 20.0


def main() -> int:
    corpus = classifier.shipped_corpus()
    training, held_out = classifier.split(corpus)
    started = time.perf_counter()
    model = classifier.Classifier.train(training)
    train_s = time.perf_counter() - started
    model.suggest("预热")  # first call builds caches; not counted
    timings, hits, confusions = [], 0, {}
    for example in held_out:
        t0 = time.perf_counter()
        got = model.suggest(example.title, example.body).category
        timings.append((time.perf_counter() - t0) * 1000)
        hits += got == example.category
        if got != example.category:
            key = f"{example.category}→{got}"
            confusions[key] = confusions.get(key, 0) + 1
    accuracy = hits / len(held_out)
    p95 = statistics.quantiles(timings, n=20)[18]
    print(f"corpus {len(corpus)} questions: {len(training)} to train, {len(held_out)} held out")
    print(f"training took {train_s:.2f} s")
    print(
        f"held-out top-1 accuracy: {accuracy:.1%} ({hits}/{len(held_out)}); "
        f"goal {GOAL_ACCURACY:.0%}, ratio {accuracy / GOAL_ACCURACY:.2f}"
    )
    print(
        f"time per question: median {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms; "
        f"goal under {GOAL_MS:.0f} ms, ratio {p95 / GOAL_MS:.2f}"
    )
    if confusions:
        common = sorted(confusions.items(), key=lambda item: -item[1])[:8]
        print("most common confusions (true→suggested):", ", ".join(f"{k} {v}" for k, v in common))
    met = accuracy >= GOAL_ACCURACY and p95 < GOAL_MS
    print("GOAL MET" if met else "GOAL MISSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
