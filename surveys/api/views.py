"""Surveys over the API: the open ones and one to answer; responding once; the committee's
staff publish (and send down) surveys, read the results and export the responses."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from activities.models import Activity

from .. import selectors, services
from ..models import Survey
from . import serializers as s


class SurveyListView(generics.ListAPIView):
    """The surveys open now; the committee's staff see every survey (``all=1``). POST
    publishes one (sent to every committee below with ``send_down``)."""

    permission_classes = [AllowAny]
    serializer_class = s.SurveySerializer

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(parameters=[OpenApiParameter("all", bool, description="Every survey (staff)")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if self.request.query_params.get("all") and services.may_manage(self.request.user):
            return selectors.managed().prefetch_related("questions")
        return selectors.open_surveys().prefetch_related("questions")

    @extend_schema(request=s.SurveyWriteSerializer, responses={201: s.SurveySerializer})
    def post(self, request):
        data = s.SurveyWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        activity_id = fields.pop("activity", None)
        activity = get_object_or_404(Activity, pk=activity_id) if activity_id else None
        survey = services.publish(actor=request.user, activity=activity, **fields)
        return Response(s.SurveySerializer(survey).data, status=status.HTTP_201_CREATED)


def _survey(pk: int) -> Survey:
    return get_object_or_404(Survey.objects.prefetch_related("questions"), pk=pk)


class SurveyDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: s.SurveySerializer})
    def get(self, request, pk):
        return Response(s.SurveySerializer(_survey(pk)).data)


class RespondView(APIView):
    """Answer the survey, once an account (409 ``already_responded``)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.ResponseWriteSerializer, responses={201: s.ResponseMadeSerializer})
    def post(self, request, pk):
        data = s.ResponseWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        made = services.respond(
            survey=_survey(pk), youth=request.user, answers=data.validated_data["answers"]
        )
        return Response(s.ResponseMadeSerializer(made).data, status=status.HTTP_201_CREATED)


def _managed(request, pk: int) -> Survey:
    if not services.may_manage(request.user):
        raise PermissionDenied
    return _survey(pk)


class ResultsView(APIView):
    """The results (the committee's staff): per option, per point, mean ranks, matrices,
    free text's words; for a survey sent down, of the whole subtree, with the responses
    per committee below."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: s.SurveyResultsSerializer})
    def get(self, request, pk):
        found = selectors.results(_managed(request, pk))
        return Response(
            s.SurveyResultsSerializer(
                {
                    "responses": found.responses,
                    "questions": found.questions,
                    "by_committee": [
                        {"code": c.code, "name": c.name, "responses": n}
                        for c, n in found.by_committee
                    ],
                }
            ).data
        )


class ExportView(APIView):
    """This committee's responses as CSV or XLSX (the committee's staff; anonymous surveys
    without who answered)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "text/csv"): bytes})
    def get(self, request, pk, fmt):
        survey = _managed(request, pk)
        if fmt not in ("csv", "xlsx"):
            raise Http404
        if fmt == "csv":
            body, kind = selectors.as_csv(survey), "text/csv; charset=utf-8"
        else:
            body = selectors.as_xlsx(survey)
            kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(body, content_type=kind)
        response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.{fmt}"'
        return response
