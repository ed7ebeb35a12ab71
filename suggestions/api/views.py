"""吐槽我们 in the API: a youth writes and reads their own; the committee's staff read them
all and the figures, its cadres and admins answer and adopt."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.permissions import IsCommitteeStaff
from core.api.query import parse_query
from core.models import Role

from .. import selectors, services
from ..models import Suggestion
from . import serializers as s


class IsHandler(IsCommitteeStaff):
    write_kinds = (Role.Kind.CADRE, Role.Kind.ADMIN)


class SuggestionListView(generics.ListAPIView):
    """The suggestions to this committee, those waiting first (its staff, and readers from
    above); by ``state``. POST: any signed-in account writes one (JSON ``body``)."""

    serializer_class = s.StaffSuggestionSerializer

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsAuthenticated()]
        return [IsCommitteeStaff()]

    @extend_schema(parameters=[OpenApiParameter("state", str, enum=Suggestion.State.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.for_staff(parse_query(s.StateQuery, self.request).get("state", ""))

    @extend_schema(request=s.SubmitSerializer, responses={201: s.SuggestionSerializer})
    def post(self, request):
        data = s.SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        made = services.submit(youth=request.user, **data.validated_data)
        return Response(s.SuggestionSerializer(made).data, status=status.HTTP_201_CREATED)


class MySuggestionsView(generics.ListAPIView):
    """What I wrote to this committee, the newest first, with its answers."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.SuggestionSerializer

    def get_queryset(self):
        return selectors.mine(self.request.user)


class AnswerView(APIView):
    """Answer the youth (the committee's cadres and admins; once)."""

    permission_classes = [IsHandler]

    @extend_schema(request=s.AnswerSerializer, responses={200: s.StaffSuggestionSerializer})
    def post(self, request, pk):
        data = s.AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        found = get_object_or_404(Suggestion, pk=pk)
        done = services.answer(suggestion=found, actor=request.user, **data.validated_data)
        return Response(s.StaffSuggestionSerializer(done).data)


class AdoptView(APIView):
    """Mark an answered suggestion adopted with what changed (the committee's cadres and
    admins): it goes in next Monday's announcement."""

    permission_classes = [IsHandler]

    @extend_schema(request=s.AdoptSerializer, responses={200: s.StaffSuggestionSerializer})
    def post(self, request, pk):
        data = s.AdoptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        found = get_object_or_404(Suggestion, pk=pk)
        done = services.adopt(suggestion=found, actor=request.user, **data.validated_data)
        return Response(s.StaffSuggestionSerializer(done).data)


class FiguresView(APIView):
    """Received, answered, adopted and the adoption rate (its staff, readers from above)."""

    permission_classes = [IsCommitteeStaff]

    @extend_schema(responses={200: s.SuggestionFiguresSerializer})
    def get(self, request):
        return Response(s.SuggestionFiguresSerializer(selectors.figures()).data)
