"""Finding the answer that already exists, at a province's volume: the relevance of similar
questions and of search, before and after the similarity service, in one run.

Fills one committee (``gd``) with ``--questions`` answered public questions made as
``bench/qa_archive.py`` makes them (100,000 by default; ``--questions 1000000`` for a year of
Guangdong), counts its words as the daily recount does, then measures in this process both
the algorithm of ``bench/baseline.py`` (before) and the current one (``qa.selectors``):

* similar questions for each of ``bench/paraphrases.tsv``'s paraphrases (written by hand,
  apart from the corpus and its variations): recall@1 and recall@3 (the restated question
  among the first one or three suggestions) and MRR over the five shown; how many
  paraphrases are offered an existing answer as a duplicate (score ≥ ``DUPLICATE``), and how
  many of those are the restated question; the p95 of the look-up, also for ``--typed``
  questions with details made like the stored ones;
* search for each of ``bench/search_queries.tsv``'s one- and two-word queries: the precision
  of the first five results by the graded judgements (grade 1 or 2), and for each one-word
  query whose word is in the titles of five questions or more, the share of the first five
  with the word (or a word of the same meaning) in the title; the p95 of count + first page.

Everything random comes from ``--seed``. ``--keep`` keeps the filled database for the next
run with the same ``--questions`` (``yv_bench_relevance_<n>``).

    .venv/bin/python bench/relevance.py [--questions 100000] [--typed 300] [--keep]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import judgements
from bench.harness import bench_database, goal, server_description
from bench.qa_archive import CODE, PAGE, Questions, p95, provision_archive

GOAL_RECALL_3 = 0.90
GOAL_TITLE_5 = 0.80
SHOWN = 5


@dataclass
class Figures:
    """What one algorithm achieved."""

    ranks: list[int | None] = field(default_factory=list)  # of the restated question, 1-based
    duplicates: int = 0
    right_duplicates: int = 0
    similar_s: list[float] = field(default_factory=list)
    precision: list[float] = field(default_factory=list)
    in_title: list[float] = field(default_factory=list)
    search_s: list[float] = field(default_factory=list)

    def recall(self, k: int) -> float:
        return sum(1 for r in self.ranks if r is not None and r <= k) / len(self.ranks)

    @property
    def mrr(self) -> float:
        return sum(1 / r for r in self.ranks if r) / len(self.ranks)


def timed(call: Callable, *args):
    t0 = time.perf_counter()
    result = call(*args)
    return result, time.perf_counter() - t0


def measure(similar, search, typed, forms, titled) -> Figures:
    from similarity.service import DUPLICATE

    result = Figures()
    for case in judgements.paraphrases():
        found, seconds = timed(similar, case.text)
        result.similar_s.append(seconds)
        rank = next(
            (i for i, q in enumerate(found[:SHOWN], 1) if case.is_restated_by(q.title)),
            None,
        )
        result.ranks.append(rank)
        best = found[0] if found else None
        if best is not None and getattr(best, "score", 0) >= DUPLICATE:
            result.duplicates += 1
            result.right_duplicates += case.is_restated_by(best.title)
    for title, body in typed:
        result.similar_s.append(timed(similar, title, body)[1])
    for case in judgements.search_queries():

        def page(text=case.query):
            found = search(text)
            return found.count(), list(found[:PAGE])

        (_count, first), seconds = timed(page)
        result.search_s.append(seconds)
        top = first[:SHOWN]
        if top:
            result.precision.append(sum(case.grade(q.title) > 0 for q in top) / len(top))
        if " " not in case.query and titled[case.query] >= SHOWN:
            written = forms(case.query)
            result.in_title.append(
                sum(any(w in q.title.lower() for w in written) for q in top) / SHOWN
            )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=int, default=100_000, help="answered questions")
    parser.add_argument("--typed", type=int, default=300, help="look-ups of typed questions")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the database for a rerun")
    args = parser.parse_args()
    goal_ms = 50.0 if args.questions <= 100_000 else 100.0

    with bench_database(f"relevance_{args.questions}", keep=args.keep):
        from django_tenants.utils import schema_context

        from bench import baseline
        from franchise.text import Thesaurus, forms_of
        from qa import selectors
        from tenants.models import Committee

        print(server_description())
        questions = Questions(args.seed)
        if not Committee.objects.filter(code=CODE).exists():
            stored, filling, size = provision_archive(questions, args.questions)
            print(
                f"filled {stored[0]:,} answered questions in {filling:.1f} s "
                f"(COPY, VACUUM ANALYZE and the words' counts); qa_question: {size}"
            )
        else:
            print("using the archive kept by an earlier run (--keep)")
        typed = [questions.make()[1:] for _ in range(args.typed)]
        paraphrases, searches = judgements.paraphrases(), judgements.search_queries()

        with schema_context(CODE):
            titled = {
                s.query: selectors.archive().filter(title__contains=s.query)[:SHOWN].count()
                for s in searches
                if " " not in s.query
            }
            for title, body in typed[:10]:  # warm-up, not counted
                baseline.similar_questions(title, body)
                selectors.similar_questions(title, body)
            before = measure(
                baseline.similar_questions,
                baseline.search_archive,
                typed,
                forms_of,
                titled,
            )
            after = measure(
                selectors.similar_questions, selectors.search_archive, typed, forms_of, titled
            )
            # The same without any words of the same meaning: what the synonym list adds.
            bare = Thesaurus()
            unlisted = measure(
                lambda title, body="": selectors.similar_questions(title, body, thesaurus=bare),
                lambda text: selectors.search_archive(text, bare),
                [],
                forms_of,
                titled,
            )

        n = len(paraphrases)
        print()
        print(
            f"on {args.questions:,} answered questions; {n} paraphrases, "
            f"{len(typed)} typed questions, {len(searches)} searches "
            f"({len(before.in_title)} one-word searches with five titles or more)"
        )
        print(f"  {'':<40}{'before':>10}{'after':>10}{'ratio':>8}")

        def line(label: str, old: float, new: float, unit: str = "") -> None:
            ratio = new / old if old else float("inf")
            print(f"  {label:<40}{old:>9.3f}{unit}{new:>9.3f}{unit}{ratio:>8.2f}")

        line("similar recall@1", before.recall(1), after.recall(1))
        line("similar recall@3", before.recall(3), after.recall(3))
        line("similar MRR (first five)", before.mrr, after.mrr)
        line("search precision of the first five", mean(before.precision), mean(after.precision))
        line(
            "one-word search: word in first five titles",
            mean(before.in_title),
            mean(after.in_title),
        )
        line("similar p95 (ms)", p95(ms(before.similar_s)), p95(ms(after.similar_s)))
        line(
            "search p95 (ms, count + first page)", p95(ms(before.search_s)), p95(ms(after.search_s))
        )
        print(
            f"  without the synonym list: recall@1 {unlisted.recall(1):.3f}, "
            f"recall@3 {unlisted.recall(3):.3f}, MRR {unlisted.mrr:.3f}, "
            f"search precision {mean(unlisted.precision):.3f}"
        )
        print(
            f"  duplicates offered (score >= DUPLICATE): {after.duplicates} of {n} paraphrases, "
            f"{after.right_duplicates} of them the restated question"
        )
        missed = [c for c, r in zip(paraphrases, after.ranks, strict=True) if not r or r > 3]
        for case in missed[:15]:
            print(f"    missed: {case.text} -> {case.restates}")
        similar_p95, search_p95 = p95(ms(after.similar_s)), p95(ms(after.search_s))
        print(
            goal(
                f"recall@3 >= {GOAL_RECALL_3:.2f} (got {after.recall(3):.3f})",
                after.recall(3) >= GOAL_RECALL_3,
            )
        )
        print(
            goal(
                f"word in first five titles >= {GOAL_TITLE_5:.0%} (got {mean(after.in_title):.1%})",
                mean(after.in_title) >= GOAL_TITLE_5,
            )
        )
        print(
            goal(
                f"similar p95 < {goal_ms:.0f} ms (got {similar_p95:.1f} ms)", similar_p95 < goal_ms
            )
        )
        print(
            goal(f"search p95 < {goal_ms:.0f} ms (got {search_p95:.1f} ms)", search_p95 < goal_ms)
        )
    return 0


def ms(seconds: list[float]) -> list[float]:
    return [s * 1000 for s in seconds]


def mean(values: list[float]) -> float:
    return statistics.mean(values) if values else 0.0


if __name__ == "__main__":
    sys.exit(main())
