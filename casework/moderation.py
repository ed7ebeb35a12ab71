"""Screening what youths and staff write, with this committee's own sensitive terms besides
the central list (``franchise.screening``)."""

from __future__ import annotations

from franchise import screening

from .models import LocalTerm


def screen(*texts: str) -> list[str]:
    """The sensitive terms found in ``texts``: an item holding any waits for review."""
    return screening.screen(
        *texts, local_terms=list(LocalTerm.objects.values_list("term", flat=True))
    )
