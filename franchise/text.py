"""Chinese text as words: one segmentation for search, suggestions and classification.

Words come from jieba's dictionary (through rjieba, its Rust port); punctuation, spaces and
symbols are dropped in Python because PostgreSQL's C locale would index full-width
punctuation as parts of words. Latin words are lower-cased.
"""

import re
import unicodedata

import rjieba

# A token is kept when it has at least one letter or digit of any script.
_WORDLIKE = re.compile(r"\w", re.UNICODE)


def words(text: str) -> list[str]:
    """The words of ``text`` in order, without punctuation or spaces."""
    text = unicodedata.normalize("NFKC", text or "")
    return [
        token.lower()
        for token in rjieba.cut(text)
        if _WORDLIKE.search(token) and not token.isspace() and token != "_"
    ]


def as_document(*parts: str) -> str:
    """The words of ``parts`` joined by spaces, ready for ``to_tsvector('simple', …)``."""
    return " ".join(word for part in parts for word in words(part))
