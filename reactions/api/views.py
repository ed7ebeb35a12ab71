from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.query import parse_query

from .. import services
from ..models import Reaction


class ReactSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=64, help_text='What it is, "qa.question"')
    id = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=Reaction.Kind.choices)


class CountsQuery(serializers.Serializer):
    subject = serializers.CharField(max_length=64)
    ids = serializers.RegexField(r"^\d+(,\d+){0,99}$", help_text="Up to 100 ids, comma-separated")


class ReactionCountsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="kind: youths")
    mine = serializers.ListField(child=serializers.CharField(), help_text="Kinds I gave")


def _counts(user, label: str, ids: list[int]) -> list[dict]:
    counted = services.counts(label, ids)
    given = services.mine(user, label, ids)
    return [{"id": pk, "counts": dict(counted[pk]), "mine": sorted(given[pk])} for pk in ids]


class ReactionsView(APIView):
    """Likes, roasts and answers judged (点赞、吐槽): GET counts them for up to 100 items of
    one kind of subject; POST reacts, once a kind per youth per item."""

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "POST" else []

    @extend_schema(parameters=[CountsQuery], responses={200: ReactionCountsSerializer(many=True)})
    def get(self, request):
        query = parse_query(CountsQuery, request)
        services.reactable(query["subject"])
        ids = [int(pk) for pk in query["ids"].split(",")]
        return Response(_counts(request.user, query["subject"], ids))

    @extend_schema(request=ReactSerializer, responses={201: ReactionCountsSerializer})
    def post(self, request):
        data = ReactSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        label, pk = data.validated_data["subject"], data.validated_data["id"]
        subject = services.load(label, pk)
        services.react(youth=request.user, subject=subject, kind=data.validated_data["kind"])
        return Response(_counts(request.user, label, [pk])[0], status=status.HTTP_201_CREATED)
