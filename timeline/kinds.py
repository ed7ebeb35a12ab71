"""The kinds of event each domain records, with their names as shown: a domain registers its
``TextChoices`` (values namespaced by the domain, ``"qa.asked"``) when its app is ready."""

from __future__ import annotations

from django.db import models

_labels: dict[str, str] = {}


def register(choices: type[models.TextChoices]) -> None:
    for value, label in choices.choices:
        _labels[value] = label


def label(kind: str) -> str:
    """The name of ``kind`` as shown (the kind itself when no domain registered it)."""
    return str(_labels.get(kind, kind))
