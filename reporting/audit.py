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

from core.models import AuditAccess, Role

READS = ("GET", "HEAD", "OPTIONS")

# What a page or an endpoint shows, by URL name (the portal's URLs, config.urls_tenant).
OPENED = {
    "portal:workbench": gettext_lazy("the workbench home"),
    "qa:queues": gettext_lazy("the question queues"),
    "qa:handle": gettext_lazy("the handling page of question #%(pk)s"),
    "qa:supervision": gettext_lazy("the supervision board"),
    "qa:setup": gettext_lazy("the set-up (teams, rules, deadlines)"),
    "qa:question": gettext_lazy("question #%(pk)s"),
    "qa:attachment": gettext_lazy("an attachment of question #%(pk)s"),
    "reporting:dashboard": gettext_lazy("the figures"),
    "api:queue": gettext_lazy("the question queue %(name)s"),
    "api:held-replies": gettext_lazy("the replies held for review"),
    "api:supervision": gettext_lazy("the supervision board"),
    "api:question": gettext_lazy("question #%(pk)s"),
    "api:question-notes": gettext_lazy("the internal notes of question #%(pk)s"),
    "api:attachment": gettext_lazy("an attachment of question #%(pk)s"),
    "api:staff": gettext_lazy("the staff list"),
    "api:desk": gettext_lazy("the workbench home"),
}
# What a refused write would have done.
TRIED = {
    "api:question-answers": gettext_lazy("answer question #%(pk)s"),
    "api:question-claim": gettext_lazy("claim question #%(pk)s"),
    "api:question-assign": gettext_lazy("assign question #%(pk)s"),
    "api:question-route": gettext_lazy("route question #%(pk)s"),
    "api:question-reclassify": gettext_lazy("re-classify question #%(pk)s"),
    "api:question-transfer": gettext_lazy("transfer question #%(pk)s"),
    "api:question-close": gettext_lazy("close question #%(pk)s"),
    "api:question-release": gettext_lazy("release question #%(pk)s"),
    "api:question-reject": gettext_lazy("reject question #%(pk)s"),
    "api:question-notes": gettext_lazy("add a note to question #%(pk)s"),
    "api:reply-release": gettext_lazy("release reply #%(pk)s"),
    "api:reply-reject": gettext_lazy("reject reply #%(pk)s"),
    "api:staff": gettext_lazy("grant a staff role"),
    "qa:handle": gettext_lazy("act on question #%(pk)s"),
    "qa:setup": gettext_lazy("change the set-up"),
    "portal:workbench": gettext_lazy("publish a notice or grant a role"),
}
# The set-up's routes, by the router's names (the model's).
SETUP_ROUTES = {
    "team": gettext_lazy("the teams"),
    "member": gettext_lazy("the team members"),
    "routingrule": gettext_lazy("the routing rules"),
    "deadline": gettext_lazy("the deadlines"),
    "localcategory": gettext_lazy("the local sub-categories"),
    "localterm": gettext_lazy("the local sensitive terms"),
    "replytemplate": gettext_lazy("the ready answers"),
}


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
