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


# Words too common in questions to say what they are about (hot topics leave them out).
FUNCTION_WORDS = frozenset(
    [
        "怎么",
        "怎么办",
        "如何",
        "什么",
        "可以",
        "需要",
        "怎样",
        "哪里",
        "为什么",
        "请问",
        "一下",
        "没有",
        "自己",
        "我们",
        "他们",
        "这个",
        "那个",
        "问题",
        "能否",
        "是否",
        "应该",
        "还是",
        "现在",
        "已经",
        "知道",
        "大家",
        "想要",
        "想问",
        "有没有",
        "是不是",
        "能不能",
        "的话",
        "之后",
        "以后",
        "怎么样",
        "吗",
        "呢",
        "了",
        "的",
    ]
)


def topic_words(text: str) -> list[str]:
    """The words of ``text`` that may name a topic: two characters or more, not function words."""
    return [w for w in words(text) if len(w) >= 2 and w not in FUNCTION_WORDS and not w.isdigit()]
