from rest_framework import serializers

from ..models import ANSWER_MAX, BODY_MAX, CHANGE_MAX, Suggestion


class SuggestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Suggestion
        fields = [
            "id",
            "body",
            "about",
            "state",
            "answer",
            "answered_at",
            "change",
            "adopted_at",
            "respond_by",
            "created_at",
        ]


class StaffSuggestionSerializer(SuggestionSerializer):
    """As staff see it: who wrote it, and whether it is late or on the board above."""

    class Meta(SuggestionSerializer.Meta):
        fields = [
            *SuggestionSerializer.Meta.fields,
            "youth",
            "overdue_at",
            "escalated_at",
            "transferred_to",
            "origin_committee",
        ]


class SubmitSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=BODY_MAX, trim_whitespace=False)
    about = serializers.ChoiceField(
        choices=Suggestion.About.choices,
        default=Suggestion.About.COMMITTEE,
        help_text="The platform as a whole: the central office answers it",
    )


class AnswerSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=ANSWER_MAX, trim_whitespace=False)


class AdoptSerializer(serializers.Serializer):
    change = serializers.CharField(max_length=CHANGE_MAX, trim_whitespace=False)


class StateQuery(serializers.Serializer):
    state = serializers.ChoiceField(choices=Suggestion.State.choices, required=False)


class SuggestionFiguresSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    answered = serializers.IntegerField()
    adopted = serializers.IntegerField()
    adoption_rate = serializers.FloatField(allow_null=True)
