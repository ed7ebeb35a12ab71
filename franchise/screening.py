"""Sensitive-term screening: a hit sends a text to the review queue instead of publishing it.

The central list (``SensitiveTerm``) is matched together with a committee's local terms in
one pass. Each process keeps the central matcher and rebuilds it when the list changes
(checked at most every ``RELOAD_EVERY_S``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from django.db.models import Count, Max

from .matching import TermMatcher
from .models import SensitiveTerm

RELOAD_EVERY_S = 30.0


class _CentralTerms:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._terms: tuple[str, ...] = ()
        self._version: tuple | None = None
        self._checked_at = 0.0

    def get(self) -> tuple[str, ...]:
        now = time.monotonic()
        if self._version is not None and now - self._checked_at < RELOAD_EVERY_S:
            return self._terms
        with self._lock:
            self._checked_at = now
            version = tuple(SensitiveTerm.objects.aggregate(n=Count("pk"), last=Max("pk")).values())
            if version != self._version:
                self._terms = tuple(SensitiveTerm.objects.values_list("term", flat=True))
                self._version = version
            return self._terms

    def forget(self) -> None:
        self._version, self._checked_at = None, 0.0


central_terms = _CentralTerms()
_matchers: dict[tuple[str, ...], TermMatcher] = {}


def screen(*texts: str, local_terms: Iterable[str] = ()) -> list[str]:
    """The sensitive terms found in ``texts`` (central and local lists), without repeats."""
    terms = central_terms.get() + tuple(sorted(set(local_terms)))
    matcher = _matchers.get(terms)
    if matcher is None:
        if len(_matchers) > 256:  # committees' local lists change; keep memory bounded
            _matchers.clear()
        matcher = _matchers[terms] = TermMatcher((term, term) for term in terms)
    found: dict[str, None] = {}
    for text in texts:
        found.update(dict.fromkeys(matcher.labels(text)))
    return list(found)
