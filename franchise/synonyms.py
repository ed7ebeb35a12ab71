"""The words of the same meaning in force (同义词表): the central list and committees' own.

The central office keeps one list, versioned (``SynonymList``: each save is a new version
holding every group; the newest is in force). A committee may add groups of its own
(``LocalSynonyms``), which apply to it and to every committee below it. The list in force
for a committee is the central list with the additions of its ancestors (from the top) and
its own merged in: a group sharing a word with one already there extends it.

Search and the similar-question look-up ask for the list on every call, so each process
keeps the lists it has built, keyed by the versions they were built from. A call costs no
query when this process checked the versions less than ``RECHECK_S`` ago and otherwise one
small indexed query (the central version and the committee chain's local versions); the
groups are read and a ``Thesaurus`` built only when a version changed. A save here is seen
here at once, and by every other process within ``RECHECK_S``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import CharField, Value
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from tenants.models import Committee

from .matching import normalise
from .models import LocalSynonyms, SynonymList
from .text import SEED, Thesaurus, groups_of

RECHECK_S = 2.0
MAX_GROUPS = 2000
MAX_WORD_CHARS = 20
MAX_BUILT = 512  # lists kept per process (committees' additions differ)

Groups = list[tuple[str, ...]]
# (central row id, ((committee code, local row id), … from the top)): what a list is built of
Stamp = tuple[int | None, tuple[tuple[str, int], ...]]


# --- Reading and checking a list ----------------------------------------------------------


def clean_groups(raw: str | Iterable[Iterable[str]]) -> Groups:
    """The groups of ``raw`` (text with one group per line, words separated by spaces, or a
    list of groups, each a list of words or a line of text), NFKC-normalised and lower-cased
    as ``text.groups_of`` reads them.
    Raises ``ValidationError`` on the field ``groups`` with every problem found: a group of
    fewer than two distinct words, an empty word, a word with a space inside or longer than
    ``MAX_WORD_CHARS``, a word in two groups, more than ``MAX_GROUPS`` groups."""
    if isinstance(raw, str):
        lines = [
            (_("Line %(n)s") % {"n": n}, line.split())
            for n, line in enumerate(raw.splitlines(), start=1)
            if line.strip()
        ]
    else:
        lines = [
            (_("Group %(n)s") % {"n": n}, words.split() if isinstance(words, str) else list(words))
            for n, words in enumerate(raw, start=1)
        ]
    problems: list[str] = []
    found: Groups = []
    seen: dict[str, str] = {}  # word → where it was first
    for where, words in lines:
        if len(problems) >= 20:
            break
        bad = False
        for word in words:
            normal = normalise(word).strip()
            if not normal:
                problems.append(_("%(where)s: a word is empty.") % {"where": where})
                bad = True
            elif len(normal.split()) > 1:
                problems.append(
                    _("%(where)s: “%(word)s” has a space inside; a word may not.")
                    % {"where": where, "word": normal}
                )
                bad = True
            elif len(normal) > MAX_WORD_CHARS:
                problems.append(
                    _("%(where)s: “%(word)s” is longer than %(max)s characters.")
                    % {"where": where, "word": normal, "max": MAX_WORD_CHARS}
                )
                bad = True
        if bad:
            continue
        group = groups_of(" ".join(words))
        if not group:
            problems.append(
                _("%(where)s: a group needs at least two different words.") % {"where": where}
            )
            continue
        for word in group[0]:
            if word in seen:
                problems.append(
                    _("%(where)s: “%(word)s” is also in %(other)s; a word is in one group only.")
                    % {"where": where, "word": word, "other": seen[word]}
                )
            else:
                seen[word] = where
        found.append(group[0])
    if len(lines) > MAX_GROUPS:
        problems.insert(
            0,
            _("At most %(max)s groups; this list has %(count)s.")
            % {"max": MAX_GROUPS, "count": len(lines)},
        )
    if problems:
        raise ValidationError({"groups": problems})
    return found


def as_text(groups: Iterable[Sequence[str]]) -> str:
    """``groups`` written one group per line, words separated by spaces."""
    return "\n".join(" ".join(group) for group in groups)


def merged(central: Iterable[Sequence[str]], *additions: Iterable[Sequence[str]]) -> Groups:
    """The central groups with each list of ``additions`` merged in, in order: a group
    sharing a word with groups already there joins them (and its new words are added to the
    first); one sharing none is added at the end."""
    groups: list[list[str]] = []
    where: dict[str, int] = {}

    def add(group: Sequence[str]) -> None:
        hits = sorted({where[word] for word in group if word in where})
        if not hits:
            target = len(groups)
            groups.append([])
        else:
            target = hits[0]
            for other in hits[1:]:
                for word in groups[other]:
                    groups[target].append(word)
                    where[word] = target
                groups[other] = []
        for word in group:
            if where.get(word) != target:
                groups[target].append(word)
                where[word] = target

    for group in central:
        add(group)
    for addition in additions:
        for group in addition:
            add(group)
    return [tuple(group) for group in groups if group]


def changes(
    before: Iterable[Sequence[str]], after: Iterable[Sequence[str]]
) -> tuple[Groups, Groups]:
    """(groups added, groups removed) from ``before`` to ``after``; a changed group is its
    old form removed and its new form added."""
    old = {frozenset(group): tuple(group) for group in before}
    new = {frozenset(group): tuple(group) for group in after}
    added = [group for key, group in new.items() if key not in old]
    removed = [group for key, group in old.items() if key not in new]
    return added, removed


# --- The list in force --------------------------------------------------------------------


@dataclass(frozen=True)
class InForce:
    """What a committee's list is made of: the central version (None: none stored, the seed
    list applies), its groups, and the additions of the committee chain from the top."""

    central_version: int | None
    central: Groups
    additions: tuple[tuple[str, Groups], ...]  # (committee code, groups), from the top


def _chain(committee) -> list[str]:
    """The codes of ``committee``'s ancestors and its own, from the top; [] for none."""
    path = getattr(committee, "path", None) if committee is not None else None
    return _chain_of(path or "")


def _chain_of(path: str) -> list[str]:
    return [code for code in path.strip("/").split("/") if code]


_paths: dict[str, str] = {}  # schema name → committee path; a committee's path never changes


def _path_of_schema(schema_name: str) -> str:
    """The path of the committee whose schema is ``schema_name`` (read once per process)."""
    path = _paths.get(schema_name)
    if path is None:
        path = (
            Committee.objects.filter(schema_name=schema_name).values_list("path", flat=True).first()
        ) or ""
        if path:  # a schema without a committee (the template) is asked again
            if len(_paths) > 50_000:
                _paths.clear()
            _paths[schema_name] = path
    return path


def _stamp(chain: list[str]) -> Stamp:
    """The ids of the central version in force and of the chain's local additions, in one
    query (on the unique indexes of version, code and committee). Ids come from sequences,
    which never hand a number out twice (not even after a rollback), so an id names one
    content for ever: every save of local additions writes a new row."""
    central = (
        SynonymList.objects.order_by("-version")
        .annotate(owner=Value("", output_field=CharField()))
        .values_list("owner", "pk")[:1]
    )
    if chain:
        local = LocalSynonyms.objects.filter(committee__code__in=chain).values_list(
            "committee__code", "pk"
        )
        rows = list(central.union(local, all=True))
    else:
        rows = list(central)
    central_id = next((pk for owner, pk in rows if owner == ""), None)
    ids = {owner: pk for owner, pk in rows if owner}
    return central_id, tuple((code, ids[code]) for code in chain if code in ids)


def _load(stamp: Stamp) -> tuple[Stamp, Thesaurus]:
    """The list of ``stamp``'s rows, and the stamp of what was actually read (a save in
    between is read as it is now)."""
    central_id, local = stamp
    if central_id is None:
        central: Groups = list(SEED.groups)
    else:
        stored = SynonymList.objects.filter(pk=central_id).values_list("groups", flat=True)
        central = [tuple(group) for group in stored.first() or []]
    codes = [code for code, _pk in local]
    rows = {
        code: (pk, groups)
        for code, pk, groups in LocalSynonyms.objects.filter(committee__code__in=codes).values_list(
            "committee__code", "pk", "groups"
        )
    }
    chain = [code for code in codes if code in rows]
    read: Stamp = (central_id, tuple((code, rows[code][0]) for code in chain))
    additions = [[tuple(group) for group in rows[code][1]] for code in chain]
    return read, Thesaurus(merged(central, *additions))


class _Lists:
    """This process's lists: built ones by stamp, and when each committee's was checked."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: dict[Stamp, Thesaurus] = {}
        self._checked: dict[str, tuple[float, Stamp]] = {}  # chain's last code ("" central)

    def get(self, chain: list[str]) -> Thesaurus:
        now = time.time()
        key = chain[-1] if chain else ""
        checked = self._checked.get(key)
        if checked is not None and 0 <= now - checked[0] < RECHECK_S:
            built = self._built.get(checked[1])
            if built is not None:
                return built
        stamp = _stamp(chain)
        built = self._built.get(stamp)
        if built is None:
            stamp, built = _load(stamp)
            with self._lock:
                if len(self._built) >= MAX_BUILT:
                    self._built.clear()
                self._built[stamp] = built
        self._checked[key] = (now, stamp)
        return built

    def forget(self) -> None:
        """Check the versions again on the next call (after a save in this process)."""
        self._checked.clear()


lists = _Lists()


def thesaurus_for(committee) -> Thesaurus:
    """The words of the same meaning in force for ``committee`` (a ``tenants.Committee``, or
    None for the central list alone): the newest central version (the seed list
    ``text.SEED`` when none is stored) merged with the local additions of the committee's
    ancestors, from the top, and its own."""
    return lists.get(_chain(committee))


def current() -> Thesaurus:
    """The words of the same meaning in force for the committee whose schema the current
    connection uses (``connection.tenant``, or the committee of ``connection.schema_name``
    inside a ``schema_context``); the central list alone on the public schema."""
    tenant = getattr(connection, "tenant", None)
    path = getattr(tenant, "path", None)
    if path is None:
        schema_name = getattr(connection, "schema_name", "") or get_public_schema_name()
        path = _path_of_schema(schema_name) if schema_name != get_public_schema_name() else ""
    return lists.get(_chain_of(path))


def in_force(committee) -> InForce:
    """The parts of ``committee``'s list (for the pages that show them), read afresh."""
    latest = SynonymList.objects.order_by("-version").first()
    central = [tuple(group) for group in latest.groups] if latest else list(SEED.groups)
    chain = _chain(committee)
    rows = {
        row.committee.code: [tuple(group) for group in row.groups]
        for row in LocalSynonyms.objects.filter(committee__code__in=chain).select_related(
            "committee"
        )
    }
    return InForce(
        central_version=latest.version if latest else None,
        central=central,
        additions=tuple((code, rows[code]) for code in chain if code in rows),
    )


def previous(version: SynonymList) -> SynonymList | None:
    """The version saved before ``version``, if any."""
    return SynonymList.objects.filter(version__lt=version.version).order_by("-version").first()


def version_changes(version: SynonymList) -> tuple[Groups, Groups]:
    """(groups added, groups removed) by ``version`` against the one before it (all of its
    groups are added by the first)."""
    before = previous(version)
    return changes(before.groups if before else [], version.groups)
