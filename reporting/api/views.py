"""The console's API: the same figures as the dashboard pages, for any committee's subtree the
account may read (a province admin its province, the central office the nation)."""

from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core import access
from core.api.permissions import committee_of
from core.api.query import parse_query
from core.models import AuditAccess

from .. import audit, selectors
from ..scope import Scope, ScopeQuery, scope_of
from .serializers import AuditEntrySerializer, AuditQuery, summary_data

SCOPE_PARAMETERS = [ScopeQuery]


class _ScopedView(APIView):
    permission_classes = [IsAuthenticated]

    def scope(self, request) -> Scope:
        return scope_of(request, here=committee_of(request))


def _period(scope: Scope) -> dict:
    period = scope.period
    return {"start": period.start, "end": period.end, "category": period.category}


class OverviewView(_ScopedView):
    """A subtree at a glance: totals, day by day, per category, and the committees below."""

    @extend_schema(parameters=SCOPE_PARAMETERS, responses={200: dict})
    def get(self, request):
        scope = self.scope(request)
        totals, rows = selectors.overview(
            scope.node, scope.period, sort=scope.sort, level=scope.level
        )
        standard = selectors.standard_in_force(scope.period)
        return Response(
            {
                "period": _period(scope),
                "standard": {
                    "version": standard.version,
                    "effective_from": standard.effective_from,
                },
                "totals": summary_data(totals),
                # Youth homes as they are now (stocks), beside the period's sums.
                "homes": selectors.homes_in(scope.node),
                "trend": selectors.trend(scope.node, scope.period),
                "categories": selectors.by_category(scope.node, scope.period),
                "ranking": [summary_data(row) for row in rows],
            }
        )


class RankingView(_ScopedView):
    """The committees below, best first by ``sort``."""

    @extend_schema(parameters=SCOPE_PARAMETERS, responses={200: dict})
    def get(self, request):
        scope = self.scope(request)
        rows = selectors.ranking(scope.node, scope.period, sort=scope.sort, level=scope.level)
        return Response(
            {
                "period": _period(scope),
                "sort": scope.sort,
                "results": [summary_data(r) for r in rows],
            }
        )


class TopicsView(_ScopedView):
    """The terms that rose most above their usual rate in the week to ``end`` (a phrase
    shown without the space, ``words`` its parts), with last week's count."""

    @extend_schema(parameters=SCOPE_PARAMETERS, responses={200: dict})
    def get(self, request):
        scope = self.scope(request)
        found = selectors.hot_topics(
            scope.node, today=scope.period.end, category=scope.period.category
        )
        return Response(
            {
                "end": scope.period.end,
                "results": [
                    {
                        "term": t.label,
                        "words": t.words,
                        "this_week": t.this_week,
                        "last_week": t.last_week,
                        "usual": round(t.usual, 1),
                        "rise": round(t.rise, 2),
                    }
                    for t in found
                ],
            }
        )


class IsCentralAdminOnly(BasePermission):
    def has_permission(self, request, view) -> bool:
        return access.is_central_admin(request.user)


class AuditLogView(ListAPIView):
    """Reads of committees' workbenches from above (the central auditor, higher admins)."""

    permission_classes = [IsCentralAdminOnly]
    serializer_class = AuditEntrySerializer

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # the platform's lists are always paged
        rows = audit.entries(page)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def get_queryset(self):
        found = AuditAccess.objects.select_related("user", "committee")
        if code := parse_query(AuditQuery, self.request).get("committee"):
            found = found.filter(committee__code=code)
        return found

    @extend_schema(parameters=[AuditQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
