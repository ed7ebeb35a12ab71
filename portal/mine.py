"""我的 (mine): what a youth has on this portal, gathered on one page.

Each app contributes its section (my questions, my notifications, later my help cases,
bookings and activities) by calling ``register`` from its ``AppConfig.ready()``; the page and
the API list what is registered, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class Item:
    """A line under a section: the latest of what it holds."""

    title: str
    url: str
    badge: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: Any  # a lazy translation
    url_name: str
    order: int = 100
    # How many the user has (None: no number), and the latest few, for a request.
    count: Callable[[Any], int | None] = field(default=lambda request: None)
    latest: Callable[[Any], list[Item]] = field(default=lambda request: [])


_sections: dict[str, Section] = {}


def register(section: Section) -> None:
    """Add (or replace, by key) a section of 我的."""
    _sections[section.key] = section


def sections_for(request) -> list[dict]:
    """The sections for the signed-in user of ``request``, each with its link, number and
    latest items."""
    return [
        {
            "key": section.key,
            "title": str(section.title),
            "url": reverse(section.url_name),
            "count": section.count(request),
            "latest": section.latest(request),
        }
        for section in sorted(_sections.values(), key=lambda s: (s.order, s.key))
    ]
