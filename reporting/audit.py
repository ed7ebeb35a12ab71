"""The audit log read as plain actions: who (and in which role) opened which committee's what,
or tried to change something there, and whether it was allowed.

A row is written for readers from above only (``core.access.log_read_from_above``); they read
and never write, so a read was allowed and any other method was refused."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from core.models import AuditAccess, Role

READS = ("GET", "HEAD", "OPTIONS")

# What a page or an endpoint shows, and what a refused write would have done, by URL name
# (the portal's URLs, config.urls_tenant); each app describes its own (``describe``).
OPENED: dict[str, StrOrPromise] = {
    "portal:workbench": gettext_lazy("the workbench home"),
    "reporting:dashboard": gettext_lazy("the figures"),
    "api:staff": gettext_lazy("the staff list"),
}
TRIED: dict[str, StrOrPromise] = {
    "api:staff": gettext_lazy("grant a staff role"),
    "portal:workbench": gettext_lazy("publish a notice or grant a role"),
}
# The set-up's routes, by the router's names (the model's).
SETUP_ROUTES: dict[str, StrOrPromise] = {}


def describe(
    *,
    opened: dict[str, StrOrPromise] | None = None,
    tried: dict[str, StrOrPromise] | None = None,
    setup_routes: dict[str, StrOrPromise] | None = None,
) -> None:
    """Declare in words what an app's pages and endpoints show (``opened``), what its
    refused writes would have done (``tried``) and what its set-up routes hold, each text
    filled in from the URL's arguments (``%(pk)s``). Called from ``AppConfig.ready``."""
    OPENED.update(opened or {})
    TRIED.update(tried or {})
    SETUP_ROUTES.update(setup_routes or {})


@dataclass(frozen=True)
class Entry:
    """One audit row in words."""

    row: AuditAccess
    reader: str  # the account and the role through which it reads from above
    action: str  # the whole sentence
    is_allowed: bool

    @property
    def outcome(self) -> str:
        return "allowed" if self.is_allowed else "refused"


def _what(name: str, kwargs: dict, *, reading: bool) -> str | None:
    table = OPENED if reading else TRIED
    base, _sep, suffix = name.rpartition("-")
    if name in table:
        return str(table[name]) % kwargs
    if name.startswith("api:") and base[4:] in SETUP_ROUTES and suffix in ("list", "detail"):
        things = SETUP_ROUTES[base[4:]]
        return str(things) if reading else _("change %(things)s") % {"things": things}
    return None


def describe_path(method: str, path: str) -> tuple[str, bool]:
    """(what was opened or tried, in words; whether it was allowed)."""
    reading = method.upper() in READS
    what = None
    try:
        match = resolve(urlsplit(path).path, urlconf="config.urls_tenant")
    except Resolver404:
        match = None
    if match is not None:
        what = _what(match.view_name, match.kwargs, reading=reading)
    if what is None:
        what = _("the page %(path)s") % {"path": urlsplit(path).path}
        if not reading:
            what = _("change something on %(what)s") % {"what": what}
    return what, reading


def _reader_roles(rows: list[AuditAccess]) -> dict[int, list[Role]]:
    roles: dict[int, list[Role]] = {}
    users = {row.user_id for row in rows}
    found = Role.objects.filter(
        user_id__in=users, kind__in=[Role.Kind.ADMIN, Role.Kind.AUDITOR]
    ).select_related("committee")
    for role in found:
        roles.setdefault(role.user_id, []).append(role)
    return roles


def _reader(row: AuditAccess, roles: list[Role]) -> str:
    """The account, with the role through which it reads ``row.committee`` from above."""
    for role in roles:
        central_auditor = role.kind == Role.Kind.AUDITOR and role.committee.level == "central"
        admin_above = role.kind == Role.Kind.ADMIN and row.committee.is_within(role.committee)
        if central_auditor or admin_above:
            return _("%(name)s (%(role)s, %(committee)s)") % {
                "name": row.user,
                "role": role.get_kind_display(),
                "committee": role.committee.name,
            }
    return str(row.user)


def entries(rows) -> list[Entry]:
    """Each audit row (``select_related("user", "committee")``) in words."""
    rows = list(rows)
    roles = _reader_roles(rows)
    found = []
    for row in rows:
        what, allowed = describe_path(row.method, row.path)
        reader = _reader(row, roles.get(row.user_id, []))
        values = {"who": reader, "committee": row.committee.name, "what": what}
        if allowed:
            action = _("%(who)s opened %(what)s of %(committee)s") % values
        else:
            action = _("%(who)s tried to %(what)s at %(committee)s: refused") % values
        found.append(Entry(row=row, reader=reader, action=action, is_allowed=allowed))
    return found
