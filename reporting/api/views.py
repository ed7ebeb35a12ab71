"""The console's API: the same figures as the dashboard pages, for any committee's subtree the
account may read (a province admin its province, the central office the nation)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core import access
from core.api.permissions import committee_of
from core.api.query import parse_query
from core.models import AuditAccess
from franchise import assessing
from franchise import campaigns as campaign_services
from franchise.models import AssessmentStandard, Campaign
from tenants.models import Committee

from .. import assessment, assessment_files, audit, campaigns, selectors, standing
from ..models import RatingFlag, StandardScore
from ..scope import AssessmentQuery, Scope, ScopeQuery, assessment_of, scope_of
from .serializers import (
    AssessmentSerializer,
    AssessmentStandardVersionSerializer,
    AuditEntrySerializer,
    AuditQuery,
    CampaignItemSerializer,
    CampaignPageSerializer,
    LaunchSerializer,
    PublishStandardSerializer,
    RatingFlagDecisionSerializer,
    RatingFlagQuery,
    RatingFlagSerializer,
    StandardScoreDetailSerializer,
    StandardScoreSerializer,
    StandingQuery,
    summary_data,
)

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


class CampaignListView(ListAPIView):
    """The campaigns the account sees; POST launches one for a subtree (the central admin,
    or a province's admin for its own), which every committee in it receives."""

    permission_classes = [IsAuthenticated]
    serializer_class = CampaignItemSerializer

    def get_queryset(self):
        return campaigns.visible(self.request.user, committee_of(self.request)).order_by(
            "-starts_on", "-id"
        )

    @extend_schema(request=LaunchSerializer, responses={201: CampaignItemSerializer})
    def post(self, request):
        data = LaunchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        node = get_object_or_404(Committee, code=fields.pop("node"))
        made = campaign_services.launch(actor=request.user, node=node, **fields)
        return Response(CampaignItemSerializer(made).data, status=201)


class CampaignDetailView(APIView):
    """A campaign's national page: its figures for ``node`` (where it was launched by
    default) and each committee below (or of ``level``), and the first activities and
    entries published under it there."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("node", str, description="A committee's code"),
            OpenApiParameter("level", str, description="Rank every committee of this level"),
        ],
        responses={200: CampaignPageSerializer},
    )
    def get(self, request, code):
        campaign = get_object_or_404(Campaign, code=code)
        node, level = campaigns.scope(
            request.user,
            campaign,
            here=committee_of(request),
            node=request.query_params.get("node", ""),
            level=request.query_params.get("level", ""),
        )
        totals, rows = campaigns.rollup(campaign, node, level=level)
        return Response(
            CampaignPageSerializer(
                {
                    "campaign": campaign,
                    "node": node.code,
                    "totals": totals,
                    "ranking": rows,
                    "activities": campaigns.listings(campaign, node, "activity")[:50],
                    "entries": campaigns.listings(campaign, node, "entry")[:50],
                }
            ).data
        )


class StandingListView(ListAPIView):
    """青年评议标准分: the staff (``kind=account``) or teams of a committee, or of its whole
    subtree, best first, each with the ratings behind its score."""

    permission_classes = [IsAuthenticated]
    serializer_class = StandardScoreSerializer

    def get_queryset(self):
        scope = scope_of(self.request, here=committee_of(self.request))
        query = parse_query(StandingQuery, self.request)
        return selectors.standard_scores(scope.node, kind=query["kind"], subtree=query["subtree"])

    @extend_schema(parameters=[StandingQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _central_admin(request) -> None:
    if not access.is_central_admin(request.user):
        raise PermissionDenied


class RatingFlagListView(ListAPIView):
    """The ratings the standard score flagged as suspect (the central office's), those to
    review first."""

    permission_classes = [IsAuthenticated]
    serializer_class = RatingFlagSerializer

    def get_queryset(self):
        _central_admin(self.request)
        decision = parse_query(RatingFlagQuery, self.request).get("decision")
        return selectors.rating_flags(
            None if decision is None else ("" if decision == "open" else decision)
        )

    @extend_schema(parameters=[RatingFlagQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RatingFlagDecisionView(APIView):
    """Clear a flagged rating (it counts in full) or confirm it (it no longer counts), from
    the next recompute (the central office)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=RatingFlagDecisionSerializer, responses={200: RatingFlagSerializer})
    def post(self, request, pk):
        _central_admin(request)
        data = RatingFlagDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        flag = standing.decide(
            flag=get_object_or_404(RatingFlag, pk=pk),
            actor=request.user,
            decision=data.validated_data["decision"],
        )
        return Response(RatingFlagSerializer(flag).data)


class StandingDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: StandardScoreDetailSerializer}, summary="One standard score")
    def get(self, request, pk):
        score = get_object_or_404(StandardScore.objects.select_related("committee"), pk=pk)
        here = committee_of(request)
        readable = access.access_to(request.user, score.committee).can_read
        if not readable or (here is not None and not score.committee.is_within(here)):
            raise NotFound
        score.rank = selectors.rank_of(score)
        return Response(StandardScoreDetailSerializer(score).data)


def _assessment_data(report) -> dict:
    standard = report.standard
    return {
        "node": report.node.code,
        "term": {"code": report.term.code, "start": report.term.start, "end": report.term.end},
        "standard": {
            "version": standard.version,
            "node": standard.node.code if standard.node else None,
            "effective_from": standard.effective_from,
        },
        "indicators": [
            {"code": i.code, "name": i.label, "weight": weight} for i, weight in report.indicators
        ],
        "results": [
            {
                "rank": row.rank,
                "code": row.committee.code,
                "name": row.committee.name,
                "total": row.total,
                "previous_total": row.previous_total,
                "previous_rank": row.previous_rank,
                "change": row.change,
                "cells": {
                    code: {
                        "value": cell.value,
                        "sample": cell.sample,
                        "points": cell.points,
                        "rank": cell.rank,
                    }
                    for code, cell in row.cells.items()
                },
            }
            for row in report.rows
        ],
    }


class AssessmentView(APIView):
    """考核: the committees below ``node`` ranked for a month, quarter or year on every
    indicator (value, sample, points, rank), their total and their place last period."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[AssessmentQuery], responses={200: AssessmentSerializer})
    def get(self, request):
        report = assessment_of(request, here=committee_of(request))
        return Response(AssessmentSerializer(_assessment_data(report)).data)


class AssessmentFileView(APIView):
    """The same report as a printable PDF or an XLSX workbook."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[AssessmentQuery],
        responses={(200, "application/pdf"): bytes, (200, "application/vnd.ms-excel"): bytes},
    )
    def get(self, request, fmt):
        if fmt not in assessment_files.FILES:
            raise NotFound
        report = assessment_of(request, here=committee_of(request))
        return assessment_files.download(report, fmt)


class StandardNodeQuery(serializers.Serializer):
    node = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="A province's code for its own standard; none for the central one",
    )


def _standard_node(request) -> Committee | None:
    code = parse_query(StandardNodeQuery, request).get("node")
    if not code:
        if not access.is_central_reader(request.user):
            raise PermissionDenied
        return None
    node = Committee.objects.filter(code=code, level=Committee.Level.PROVINCE).first()
    here = committee_of(request)
    if node is None or (here is not None and node != here):
        raise NotFound
    if not access.access_to(request.user, node).can_read:
        raise PermissionDenied
    return node


class AssessmentStandardListView(ListAPIView):
    """The versions of the central assessment standard, or of a province's own (``node``);
    POST publishes a new one (the central admin; a province's admin its own), in force from
    a future day; ``?preview=true`` instead returns last month's assessment by it, unsaved."""

    permission_classes = [IsAuthenticated]
    serializer_class = AssessmentStandardVersionSerializer

    def get_queryset(self):
        return AssessmentStandard.objects.filter(node=_standard_node(self.request)).select_related(
            "node", "saved_by"
        )

    @extend_schema(parameters=[StandardNodeQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        parameters=[
            StandardNodeQuery,
            OpenApiParameter("preview", bool, description="Assess last month by it, unsaved"),
        ],
        request=PublishStandardSerializer,
        responses={201: AssessmentStandardVersionSerializer, 200: AssessmentSerializer},
    )
    def post(self, request):
        node = _standard_node(request)
        data = PublishStandardSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        if not assessing.may_publish(request.user, node):
            raise PermissionDenied
        if request.query_params.get("preview") in ("1", "true"):
            weights = assessing.check_weights(
                fields["weights"], node=node, effective_from=fields["effective_from"]
            )
            found = assessment.preview(
                node,
                weights=weights,
                effective_from=fields["effective_from"],
                today=selectors.local_day_now(),
            )
            if found is None:
                raise NotFound
            return Response(AssessmentSerializer(_assessment_data(found[1])).data)
        saved = assessing.publish(actor=request.user, node=node, **fields)
        return Response(AssessmentStandardVersionSerializer(saved).data, status=201)
