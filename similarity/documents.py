"""What a row is found by: its words as the public may read them. Personal data is masked
before the words are taken, so a search for a phone or ID-card number finds nothing the
public page would not show. Every source of the similarity service (questions, help cases)
keeps its ``search`` column with ``search_vector``."""

from django.contrib.postgres.search import SearchVectorField
from django.db.models import Value
from django.db.models.functions import Cast

from franchise.privacy import mask_personal_data
from franchise.text import as_tsvector


def search_document(title: str, body: str) -> str:
    """The row's tsvector as text: the search-mode cut of its masked title (weight A) and
    details (weight B), each word at its character's position, and the title's characters
    (weight D) for the similarity service."""
    return as_tsvector(
        [(mask_personal_data(title), "A"), (mask_personal_data(body or ""), "B")],
        characters_of=0,
    )


def search_vector(title: str, body: str) -> Cast:
    """``search_document`` as a value for a ``search`` column."""
    return Cast(Value(search_document(title, body)), output_field=SearchVectorField())
