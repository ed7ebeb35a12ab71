"""Writes to the central standards: the synonym list's versions and committees' additions."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from core.errors import ServiceError
from tenants.models import Committee

from . import synonyms
from .models import LocalSynonyms, SynonymList

LOCK_CLASS = 7301  # advisory locks of the synonym list: (LOCK_CLASS, committee id or 0)


def _lock(key: int) -> None:
    """Wait for any other save of the same list to commit; the next statement sees it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, key % 2**31])


def publish(groups: str | Iterable[Iterable[str]], *, note: str = "", author) -> SynonymList:
    """Save ``groups`` (text, one group per line, or lists of words) as the new version of
    the central synonym list, in force at once. Raises ``ValidationError`` (field
    ``groups``) for a list that does not pass ``synonyms.clean_groups``."""
    cleaned = synonyms.clean_groups(groups)
    if not cleaned:  # an empty save would take every synonym away on every portal at once
        raise ValidationError({"groups": [_("The central list needs at least one group.")]})
    with transaction.atomic():
        # One save at a time: versions are numbered in the order they are saved.
        _lock(0)
        latest = SynonymList.objects.order_by("-version").first()
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
        _lock(committee.pk)
        # A new row for every save (its id names this content in every process's cache).
        before = LocalSynonyms.objects.filter(committee=committee).first()
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
