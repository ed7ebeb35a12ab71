"""Questions over the API: ask, the public archive and its search, my questions, one question,
similar questions while typing."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core import access
from core.api.permissions import committee_of
from qa import selectors, services

from .serializers import AskSerializer, QuestionDetailSerializer, QuestionSerializer


def _grant(request) -> access.Access:
    return access.access_to(request.user, committee_of(request))


class QuestionListView(generics.ListAPIView):
    """The public archive of answered questions; ``?q=`` searches it by Chinese words."""

    permission_classes = [AllowAny]
    serializer_class = QuestionSerializer

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsAuthenticated()]
        return super().get_permissions()

    def get_queryset(self):
        text = self.request.query_params.get("q", "").strip()
        questions = selectors.search_archive(text) if text else selectors.archive()
        category = self.request.query_params.get("category")
        if category:
            questions = questions.filter(category_id=category)
        return questions.select_related("category", "asker")

    @extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("category", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=AskSerializer,
        responses={201: QuestionSerializer},
        summary="Ask a question; without a category it is classified",
    )
    def post(self, request):
        data = AskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.ask_question(
            asker=request.user,
            **{**data.validated_data, "category": data.validated_data["category"] or None},
        )
        body = QuestionSerializer(question, context={"unmasked": True}).data
        return Response(body, status=status.HTTP_201_CREATED)


class MyQuestionsView(generics.ListAPIView):
    """The questions I asked here, with their states."""

    permission_classes = [IsAuthenticated]
    serializer_class = QuestionSerializer

    def get_queryset(self):
        return selectors.questions_of(self.request.user).select_related("asker")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "unmasked": True}


class QuestionDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: QuestionDetailSerializer})
    def get(self, request, pk):
        grant = _grant(request)
        question = selectors.visible_question(pk=pk, user=request.user, is_staff=grant.can_read)
        if question is None:
            raise Http404
        mine = request.user.is_authenticated and question.asker_id == request.user.pk
        # Personal data only for this committee's own staff; readers from above (a province
        # admin, the central auditor) see it masked.
        context = {"unmasked": grant.can_write or mine, "staff": grant.can_write}
        return Response(QuestionDetailSerializer(question, context=context).data)


class SimilarQuestionsView(APIView):
    """Answered questions like the one being typed, to read before asking."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("title", str), OpenApiParameter("body", str)],
        responses={200: QuestionSerializer(many=True)},
    )
    def get(self, request):
        params = request.query_params
        found = selectors.similar_questions(params.get("title", ""), params.get("body", ""))
        return Response(
            QuestionSerializer(found.select_related("category", "asker"), many=True).data
        )
