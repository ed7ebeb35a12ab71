"""Writes to the central standards: the synonym list's versions and committees' additions."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ServiceError
from tenants.models import Committee

from . import synonyms
from .models import LocalSynonyms, SynonymList


def publish(groups: str | Iterable[Iterable[str]], *, note: str = "", author) -> SynonymList:
    """Save ``groups`` (text, one group per line, or lists of words) as the new version of
    the central synonym list, in force at once. Raises ``ValidationError`` (field
    ``groups``) for a list that does not pass ``synonyms.clean_groups``."""
    cleaned = synonyms.clean_groups(groups)
    with transaction.atomic():
        # One save at a time: versions are numbered in the order they are saved.
        latest = SynonymList.objects.select_for_update().order_by("-version").first()
        saved = SynonymList.objects.create(
            version=(latest.version if latest else 0) + 1,
            groups=[list(group) for group in cleaned],
            saved_by=author,
            note=(note or "").strip()[:200],
        )
        synonyms.lists.forget()  # this transaction reads its own save at once, others on commit
        transaction.on_commit(synonyms.lists.forget)
    return saved


def set_local(
    committee: Committee, groups: str | Iterable[Iterable[str]], *, author
) -> LocalSynonyms:
    """Replace ``committee``'s own additions to the synonym list (applying to it and the
    committees below it) with ``groups``; an empty list removes them. The central office keeps
    the central list instead (``publish``)."""
    if committee.level == Committee.Level.CENTRAL:
        raise ServiceError(
            "central_list",
            _("The central office keeps the central synonym list on the console."),
            field="groups",
        )
    cleaned = [list(group) for group in synonyms.clean_groups(groups)]
    with transaction.atomic():
        # A new row for every save (its id names this content in every process's cache).
        before = LocalSynonyms.objects.select_for_update().filter(committee=committee).first()
        if before is not None:
            before.delete()
        row = LocalSynonyms.objects.create(
            committee=committee,
            groups=cleaned,
            version=(before.version if before else 0) + 1,
            updated_by=author,
        )
        synonyms.lists.forget()
        transaction.on_commit(synonyms.lists.forget)
    return row
