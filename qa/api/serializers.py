from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from franchise.privacy import mask_personal_data
from qa.models import Question, TimelineEvent


class AskSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(allow_blank=True, required=False, default="")
    category = serializers.CharField(required=False, allow_blank=True, default="")
    is_anonymous = serializers.BooleanField(required=False, default=False)
    is_public = serializers.BooleanField(required=False, default=True)


class TimelineEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = TimelineEvent
        fields = ["kind", "state", "category", "at"]


class QuestionSerializer(serializers.ModelSerializer):
    """A question as the viewer may see it: personal data masked unless the viewer asked it
    or handles it (``context["unmasked"]``); an anonymous asker's name only for staff."""

    asker = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = Question
        fields = [
            "id",
            "title",
            "body",
            "category",
            "category_name",
            "state",
            "asker",
            "is_anonymous",
            "is_public",
            "created_at",
        ]

    def _text(self, value: str) -> str:
        return value if self.context.get("unmasked") else mask_personal_data(value)

    def get_title(self, question) -> str:
        return self._text(question.title)

    def get_body(self, question) -> str:
        return self._text(question.body)

    def get_asker(self, question) -> str:
        if question.is_anonymous and not self.context.get("staff"):
            return str(_("An anonymous youth"))
        return self._text(str(question.asker)) if question.asker.name else str(_("A youth"))


class QuestionDetailSerializer(QuestionSerializer):
    timeline = TimelineEventSerializer(many=True, read_only=True)

    class Meta(QuestionSerializer.Meta):
        fields = [*QuestionSerializer.Meta.fields, "timeline"]
