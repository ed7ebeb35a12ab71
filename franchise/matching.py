"""Finding many terms in a text in one pass (Aho–Corasick), for lexicons and screening."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import ahocorasick


def normalise(text: str) -> str:
    """Full-width to half-width and lower case, so that ＡＢＣ and abc match alike."""
    return unicodedata.normalize("NFKC", text or "").lower()


class TermMatcher:
    """Terms, each with a label; ``find`` lists the labelled terms a text contains."""

    def __init__(self, terms: Iterable[tuple[str, str]]) -> None:
        self._automaton = ahocorasick.Automaton()
        for term, label in terms:
            key = normalise(term).strip()
            if key:
                self._automaton.add_word(key, (key, label))
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[tuple[str, str]]:
        """(term, label) for every occurrence, in order of where each ends."""
        if self._empty:
            return []
        return [found for _end, found in self._automaton.iter(normalise(text))]

    def labels(self, text: str) -> list[str]:
        return [label for _term, label in self.find(text)]
