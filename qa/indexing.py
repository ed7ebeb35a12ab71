"""How a found question shows what matched, and re-indexing questions (what a question is
found by is ``similarity.documents``)."""

import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from similarity.documents import search_document

BATCH = 1000


def rebuild(question_model, connection) -> int:
    """Recompute the search words of every question in the current schema, in batches of
    ``BATCH``; how many there were."""
    table = question_model._meta.db_table
    done, last = 0, 0
    with connection.cursor() as cursor:
        while True:
            rows = list(
                question_model.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", "title", "body")[:BATCH]
            )
            if not rows:
                return done
            cursor.executemany(
                f"UPDATE {table} SET search = %s::tsvector WHERE id = %s",
                [(search_document(title, body), pk) for pk, title, body in rows],
            )
            done += len(rows)
            last = rows[-1][0]


def highlighted(text: str, found: list[str]) -> SafeString:
    """``text`` escaped for HTML, with each place where one of the words ``found`` is written
    (full-width or upper-case alike, inside longer words too) in ``<mark>``."""
    normal, origin = [], []
    for i, char in enumerate(text):
        for piece in unicodedata.normalize("NFKC", char).lower():
            normal.append(piece)
            origin.append(i)
    flat = "".join(normal)
    marked = [False] * len(text)
    for word in found:
        start = flat.find(word)
        while word and start != -1:
            for i in range(origin[start], origin[start + len(word) - 1] + 1):
                marked[i] = True
            start = flat.find(word, start + len(word))
    html, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and marked[j] == marked[i]:
            j += 1
        piece = escape(text[i:j])
        html.append(f"<mark>{piece}</mark>" if marked[i] else piece)
        i = j
    return mark_safe("".join(html))  # noqa: S308 - every piece of text is escaped above
