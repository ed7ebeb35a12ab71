"""A committee's casework over the API: its set-up (teams, members, rules, deadlines, local
sub-categories and terms, ready answers, calendar) and its supervision board (督办)."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.permissions import IsCommitteeStaff
from core.api.query import parse_query
from core.models import Role

from .. import selectors, services, supervision, truth
from ..models import (
    CalendarAmendment,
    Deadline,
    LocalCategory,
    LocalTerm,
    Member,
    ReplyTemplate,
    RoutingRule,
    SupervisionItem,
    Team,
    TruthReview,
)
from . import serializers as s


class SupervisionView(generics.ListAPIView):
    """This committee's supervision board (督办): late items of the committees below."""

    permission_classes = [IsCommitteeStaff]
    serializer_class = s.SupervisionItemSerializer

    def get_queryset(self):
        return selectors.supervision_board()


# ---------------------------------------------------------------- a committee's set-up


class SetupViewSet(viewsets.ModelViewSet):
    """Read by the committee's staff; changed by its admins."""

    permission_classes = [IsCommitteeStaff]
    write_kinds = (Role.Kind.ADMIN,)


class TeamViewSet(SetupViewSet):
    """Service alliances (服务联盟) and departments."""

    queryset = Team.objects.all()
    serializer_class = s.TeamSerializer


class MemberViewSet(SetupViewSet):
    """Who answers for each team, as what, for which organisation."""

    queryset = Member.objects.select_related("user")
    serializer_class = s.MemberSerializer

    def get_queryset(self):
        if self.action != "list":
            return self.queryset.all()
        team = parse_query(s.MemberQuery, self.request).get("team")
        return self.queryset.filter(team_id=team) if team else self.queryset.all()

    @extend_schema(parameters=[s.MemberQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class RoutingRuleViewSet(SetupViewSet):
    """Which team each category (or local sub-category) goes to, and how a member is chosen."""

    queryset = RoutingRule.objects.all()
    serializer_class = s.RoutingRuleSerializer


class DeadlineViewSet(SetupViewSet):
    """This committee's deadlines per standard category (the central ones otherwise)."""

    queryset = Deadline.objects.all()
    serializer_class = s.DeadlineSerializer


class LocalCategoryViewSet(SetupViewSet):
    """Local sub-categories, each mapped to a standard category."""

    queryset = LocalCategory.objects.all()
    serializer_class = s.LocalCategorySerializer


class LocalTermViewSet(SetupViewSet):
    """Sensitive terms screened here besides the central list."""

    queryset = LocalTerm.objects.all()
    serializer_class = s.LocalTermSerializer


class ReplyTemplateViewSet(viewsets.ModelViewSet):
    """Each team's ready answers (常用回复): read by this committee's staff, changed by its
    cadres and admins."""

    permission_classes = [IsCommitteeStaff]
    write_kinds = services.TEMPLATE_EDITORS
    queryset = ReplyTemplate.objects.select_related("team")
    serializer_class = s.ReplyTemplateSerializer

    def perform_create(self, serializer):
        serializer.instance = services.save_reply_template(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        instance = serializer.instance
        data = {
            "team": instance.team,
            "title": instance.title,
            "body": instance.body,
            **serializer.validated_data,
        }
        serializer.instance = services.save_reply_template(
            actor=self.request.user, template=instance, **data
        )

    def perform_destroy(self, instance):
        services.delete_reply_template(actor=self.request.user, template=instance)


class UrgeView(APIView):
    """Urge (催办) the handlers of an item on this board, with a note that reaches them."""

    permission_classes = [IsCommitteeStaff]
    write_kinds = (Role.Kind.CADRE, Role.Kind.ADMIN)

    @extend_schema(request=s.UrgeSerializer, responses=s.SupervisionItemSerializer)
    def post(self, request, pk):
        data = s.UrgeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = generics.get_object_or_404(SupervisionItem, pk=pk)
        item = supervision.urge(item=item, actor=request.user, note=data.validated_data["note"])
        return Response(s.SupervisionItemSerializer(item).data, status=status.HTTP_200_OK)


class CalendarAmendmentViewSet(SetupViewSet):
    """The days this committee works or rests differently from the national calendar."""

    queryset = CalendarAmendment.objects.all()
    serializer_class = s.CalendarAmendmentSerializer


# ---------------------------------------------------------------- truthfulness reviews


class TruthReviewListView(generics.ListAPIView):
    """Items of the committees below (and ours at the top) that youths said did not happen
    as described (真实度复核), one review an item, those to decide first."""

    permission_classes = [IsCommitteeStaff]
    serializer_class = s.TruthReviewSerializer

    def get_queryset(self):
        return truth.reviews()


class TruthDecisionView(APIView):
    """Confirm that the item did not happen as described, or dismiss the flags (this
    committee's admins): the committee that holds it applies the decision."""

    permission_classes = [IsCommitteeStaff]
    write_kinds = (Role.Kind.ADMIN,)

    @extend_schema(request=s.TruthDecisionSerializer, responses={200: s.TruthReviewSerializer})
    def post(self, request, pk):
        data = s.TruthDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = generics.get_object_or_404(TruthReview, pk=pk)
        review = truth.decide(review=review, actor=request.user, **data.validated_data)
        return Response(s.TruthReviewSerializer(review).data)
