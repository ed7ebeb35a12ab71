"""Suggesting a standard category for a question (自动分类), offline.

The model is trained on the corpus shipped in ``franchise/corpus/questions.tsv`` plus every
category a cadre corrected on any portal (``TrainingExample``): a tenant's corrections
improve the shared model at the next training run (``retrain``, run by beat). Each process
uses the newest stored model, re-checking for a newer one at most every ``RELOAD_EVERY_S``.
"""

from __future__ import annotations

import csv
import hashlib
import pickle
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline

from .matching import TermMatcher
from .models import ClassifierModel, TrainingExample
from .text import words

CORPUS = Path(__file__).resolve().parent / "corpus" / "questions.tsv"
LEXICON = Path(__file__).resolve().parent / "corpus" / "lexicon.tsv"
HELD_OUT_EVERY = 5  # one example in five (by a hash of its title) is kept for evaluation
RELOAD_EVERY_S = 60.0


@dataclass(frozen=True)
class Example:
    category: str
    title: str
    body: str = ""


@dataclass(frozen=True)
class Suggestion:
    category: str
    confidence: float
    alternatives: list[tuple[str, float]]


def shipped_corpus() -> list[Example]:
    with CORPUS.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [Example(r["category"], r["title"], r["body"] or "") for r in rows]


def shipped_lexicon() -> list[tuple[str, str]]:
    """(term, category): each category's typical vocabulary."""
    with LEXICON.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(r["term"], r["category"]) for r in rows]


def is_held_out(example: Example) -> bool:
    digest = hashlib.sha1(example.title.encode()).digest()
    return digest[0] % HELD_OUT_EVERY == 0


def split(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    """(training, held-out): the same split on every machine and every run."""
    training = [e for e in examples if not is_held_out(e)]
    held_out = [e for e in examples if is_held_out(e)]
    return training, held_out


def _document(title: str, body: str) -> str:
    # The title says most about the need: count it twice.
    return f"{title}\n{title}\n{body}"


def _words(document: str) -> list[str]:
    return words(document)


class _LexiconHits:
    """A token per category whose typical vocabulary the document uses: it carries what a
    cadre knows about words the corpus may not contain."""

    def __init__(self, lexicon: list[tuple[str, str]]) -> None:
        self._matcher = TermMatcher(lexicon)

    def __call__(self, document: str) -> list[str]:
        return [f"lexicon:{category}" for category in self._matcher.labels(document)]


class Classifier:
    def __init__(self, pipeline) -> None:
        self._pipeline = pipeline

    @classmethod
    def train(cls, examples: list[Example]) -> Classifier:
        # Weights and C chosen by 5-fold cross-validation on the training part only.
        features = FeatureUnion(
            [
                ("lexicon", TfidfVectorizer(analyzer=_LexiconHits(shipped_lexicon()))),
                ("words", TfidfVectorizer(analyzer=_words, sublinear_tf=True)),
                (
                    "chars",
                    TfidfVectorizer(
                        analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=2
                    ),
                ),
            ],
            transformer_weights={"lexicon": 0.2, "words": 1.0, "chars": 1.0},
        )
        pipeline = make_pipeline(features, LogisticRegression(C=10.0, max_iter=3000))
        pipeline.fit([_document(e.title, e.body) for e in examples], [e.category for e in examples])
        return cls(pipeline)

    def suggest(self, title: str, body: str = "", alternatives: int = 3) -> Suggestion:
        """The most likely category, its probability, and the next ``alternatives``."""
        probabilities = self._pipeline.predict_proba([_document(title, body)])[0]
        ranked = sorted(
            zip(self._pipeline.classes_, probabilities, strict=True),
            key=lambda pair: pair[1],
            reverse=True,
        )
        return Suggestion(
            category=str(ranked[0][0]),
            confidence=round(float(ranked[0][1]), 4),
            alternatives=[(str(c), round(float(p), 4)) for c, p in ranked[1 : 1 + alternatives]],
        )

    def accuracy(self, examples: list[Example]) -> float:
        hits = sum(self.suggest(e.title, e.body).category == e.category for e in examples)
        return hits / len(examples) if examples else 0.0

    def dumps(self) -> bytes:
        return pickle.dumps(self._pipeline)

    @classmethod
    def loads(cls, blob: bytes) -> Classifier:
        return cls(pickle.loads(blob))  # noqa: S301 - written by retrain() only


def corrections() -> list[Example]:
    return [
        Example(e.category_id, e.title, e.body)
        for e in TrainingExample.objects.only("category", "title", "body")
    ]


def retrain() -> ClassifierModel:
    """Train on the shipped corpus and every correction; store and return the new model.

    The held-out accuracy stored with it is that of the same training without the
    held-out part of the corpus.
    """
    corpus, corrected = shipped_corpus(), corrections()
    training, held_out = split(corpus)
    accuracy = Classifier.train(training + corrected).accuracy(held_out)
    model = Classifier.train(corpus + corrected)
    return ClassifierModel.objects.create(
        blob=model.dumps(),
        examples=len(corpus) + len(corrected),
        corrections=len(corrected),
        held_out_accuracy=accuracy,
    )


class _Current:
    """The newest stored model, loaded once per process and refreshed now and then."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._model: Classifier | None = None
        self._pk: int | None = None
        self._checked_at = 0.0

    def get(self) -> Classifier:
        now = time.monotonic()
        if self._model is not None and now - self._checked_at < RELOAD_EVERY_S:
            return self._model
        with self._lock:
            self._checked_at = now
            newest = ClassifierModel.objects.order_by("-created_at", "-pk").only("pk").first()
            if newest is None:
                newest = retrain()
            if newest.pk != self._pk:
                blob = ClassifierModel.objects.values_list("blob", flat=True).get(pk=newest.pk)
                self._model, self._pk = Classifier.loads(bytes(blob)), newest.pk
            assert self._model is not None
            return self._model

    def forget(self) -> None:
        self._model, self._pk, self._checked_at = None, None, 0.0


current = _Current()


def suggest(title: str, body: str = "") -> Suggestion:
    return current.get().suggest(title, body)
