"""What a dashboard request asks for (which committee's subtree, which days, category, level,
order) and whether the account may see it: the same rules for pages, API and exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from core import access
from core.api.fields import DateField, IntegerField
from core.api.query import parse_query
from franchise.models import Category
from tenants.models import Committee

from .selectors import SORTS, Period, local_day_now

MAX_DAYS = 366
DAYS_MESSAGE = gettext_lazy("Give between 1 and 366 days.")
DATE_MESSAGE = gettext_lazy("Give dates as YYYY-MM-DD.")


@dataclass(frozen=True)
class Scope:
    node: Committee  # whose subtree the figures are of
    top: Committee  # the highest committee the account may read above or at ``node``
    period: Period
    level: str | None  # rank every committee of this level in the subtree, else the children
    sort: str

    @property
    def trail(self) -> list[Committee]:
        """From ``top`` down to ``node``, for the breadcrumbs."""
        codes = self.node.path.strip("/").split("/")
        start = codes.index(self.top.code)
        found = {c.code: c for c in Committee.objects.filter(code__in=codes[start:])}
        return [found[code] for code in codes[start:]]

    def query(self, **changes) -> str:
        """The query string of this scope with ``changes`` (for links that keep the filters)."""
        from django.utils.http import urlencode

        params = {
            "node": self.node.code,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "category": self.period.category or "",
            "level": self.level or "",
            "sort": self.sort,
            **changes,
        }
        return urlencode({k: v for k, v in params.items() if v})


class ScopeQuery(serializers.Serializer):
    """The query parameters of a dashboard, its API and its exports."""

    node = serializers.CharField(max_length=64, required=False, allow_blank=True)
    days = IntegerField(
        min_value=1,
        max_value=MAX_DAYS,
        required=False,
        error_messages={key: DAYS_MESSAGE for key in ("invalid", "min_value", "max_value")},
    )
    start = DateField(required=False, error_messages={"invalid": DATE_MESSAGE})
    end = DateField(required=False, error_messages={"invalid": DATE_MESSAGE})
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Category.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": gettext_lazy("No such category.")},
    )
    level = serializers.ChoiceField(
        choices=Committee.Level.choices,
        required=False,
        allow_blank=True,
        error_messages={"invalid_choice": gettext_lazy("No such level.")},
    )
    sort = serializers.ChoiceField(
        choices=SORTS,
        required=False,
        allow_blank=True,
        error_messages={"invalid_choice": gettext_lazy("Cannot sort by that.")},
    )

    def validate(self, data):
        end = data.get("end") or local_day_now()
        start = data.get("start") or end - timedelta(days=data.get("days", 30) - 1)
        if start > end:
            raise serializers.ValidationError({"start": _("The start comes after the end.")})
        if (end - start).days >= MAX_DAYS:
            raise serializers.ValidationError({"start": _("Give at most 366 days.")})
        category = data.get("category")
        return {**data, "period": Period(start, end, category.code if category else None)}


def node_of(user, code: str | None, *, here: Committee | None) -> Committee:
    """The committee ``code`` names (none: the top one ``user`` reads on the console, ``here``
    on a portal), if ``user`` may read it and, on a portal, it lies within ``here``; else
    PermissionDenied."""
    if here is None:
        node = Committee.objects.filter(code=code).first() if code else readable_top(user, None)
    else:
        node = Committee.objects.filter(code=code).first() if code else here
        if node is not None and not node.is_within(here):
            node = None
    if node is None or not access.access_to(user, node).can_read:
        raise PermissionDenied
    return node


def readable_top(user, committee: Committee | None) -> Committee | None:
    """The highest committee ``user`` may read at or above ``committee`` (or anywhere, when
    None): where their dashboard starts."""
    readable = access.readable_committees(user)
    if committee is not None:
        readable = readable.filter(code__in=committee.path.strip("/").split("/"))
    return readable.order_by("path").first()


def scope_of(request, *, here: Committee | None) -> Scope:
    """The scope the request's query asks for on the domain of ``here`` (None: the console,
    where any committee the account may read can be asked for; a portal shows its own
    subtree). Raises PermissionDenied for a committee the account may not read, InvalidInput
    for bad input."""
    query = parse_query(ScopeQuery, request)
    user = request.user
    node = node_of(user, query.get("node"), here=here)
    top = here if here is not None else readable_top(user, node) or node
    return Scope(
        node=node,
        top=top,
        period=query["period"],
        level=query.get("level") or None,
        sort=query.get("sort") or "index",
    )


class AssessmentQuery(serializers.Serializer):
    """Which committees' assessment, for which period."""

    node = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text="A committee code"
    )
    term = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        help_text="A month (2026-11), a quarter (2026-Q4) or a year (2026); last month if none",
    )
    level = serializers.ChoiceField(
        choices=Committee.Level.choices,
        required=False,
        allow_blank=True,
        help_text="Rank every committee of this level in the subtree, not the children",
        error_messages={"invalid_choice": gettext_lazy("No such level.")},
    )

    def validate_term(self, text):
        from django.core.exceptions import ValidationError

        from .assessment import Term

        if not text:
            return Term.last_month(local_day_now())
        try:
            return Term.parse(text)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from None


def assessment_of(request, *, here: Committee | None):
    """The report the request asks for on the domain of ``here`` (None: the console): the
    node must be one the account may read, and on a portal within its committee."""
    from .assessment import Term, report

    query = parse_query(AssessmentQuery, request)
    node = node_of(request.user, query.get("node"), here=here)
    term = query.get("term") or Term.last_month(local_day_now())
    return report(node, term, level=query.get("level") or None)
