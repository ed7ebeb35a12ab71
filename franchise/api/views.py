"""The category classifier over the API."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.throttling import ScopedAddressThrottle
from franchise import classifier


class ClassifyRequest(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True, default="")
    body = serializers.CharField(max_length=5000, allow_blank=True, default="")

    def validate(self, data):
        if not (data["title"].strip() or data["body"].strip()):
            raise serializers.ValidationError({"title": _("Give a title or a text to classify.")})
        return data


class Alternative(serializers.Serializer):
    category = serializers.CharField()
    confidence = serializers.FloatField()


class ClassifyResponse(serializers.Serializer):
    category = serializers.CharField()
    confidence = serializers.FloatField()
    alternatives = Alternative(many=True)


class ClassifyView(APIView):
    """Suggest a standard category for a question while it is being written."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedAddressThrottle]
    throttle_scope = "classify"

    @extend_schema(
        request=ClassifyRequest,
        responses={200: ClassifyResponse},
        summary="Suggest a standard category for a question",
    )
    def post(self, request):
        data = ClassifyRequest(data=request.data)
        data.is_valid(raise_exception=True)
        suggestion = classifier.suggest(data.validated_data["title"], data.validated_data["body"])
        return Response(
            {
                "category": suggestion.category,
                "confidence": suggestion.confidence,
                "alternatives": [
                    {"category": c, "confidence": p} for c, p in suggestion.alternatives
                ],
            }
        )
