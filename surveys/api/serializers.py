from rest_framework import serializers

from ..models import Question, Survey


class SurveyQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = [
            "position",
            "kind",
            "text",
            "is_required",
            "options",
            "rows",
            "scale_max",
            "shown_if",
        ]


class SurveySerializer(serializers.ModelSerializer):
    questions = SurveyQuestionSerializer(many=True, read_only=True)
    sent_from = serializers.CharField(source="origin_committee", read_only=True)

    class Meta:
        model = Survey
        fields = [
            "id",
            "title",
            "description",
            "is_anonymous",
            "opens_at",
            "closes_at",
            "activity",
            "is_sent_down",
            "sent_from",
            "questions",
        ]


class SurveyQuestionWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    text = serializers.CharField(max_length=300)
    is_required = serializers.BooleanField(default=True)
    options = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list
    )
    rows = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list
    )
    scale_max = serializers.IntegerField(min_value=2, max_value=10, default=5)
    shown_if = serializers.DictField(
        child=serializers.IntegerField(),
        required=False,
        default=dict,
        help_text='{"question": an earlier position, "option": its option\'s index}',
    )


class SurveyWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    is_anonymous = serializers.BooleanField(default=True)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    activity = serializers.IntegerField(required=False, allow_null=True)
    send_down = serializers.BooleanField(default=False)
    questions = SurveyQuestionWriteSerializer(many=True)


class ResponseWriteSerializer(serializers.Serializer):
    answers = serializers.DictField(
        help_text="Each question's position → its answer: an option's index, a list of them,"
        " a point, a ranking (the options' indexes in order), {row: column}, or a text"
    )


class ResponseMadeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class SurveyQuestionResultSerializer(serializers.Serializer):
    position = serializers.IntegerField(source="question.position")
    kind = serializers.CharField(source="question.kind")
    text = serializers.CharField(source="question.text")
    labels = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(source="question.rows", child=serializers.CharField())
    counts = serializers.ListField(child=serializers.IntegerField())
    matrix = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))
    mean = serializers.FloatField(allow_null=True)
    mean_ranks = serializers.ListField(child=serializers.FloatField(allow_null=True))
    terms = serializers.ListField(child=serializers.ListField())
    texts = serializers.ListField(child=serializers.CharField())


class CommitteeCountSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    responses = serializers.IntegerField()


class SurveyResultsSerializer(serializers.Serializer):
    responses = serializers.IntegerField()
    questions = SurveyQuestionResultSerializer(many=True)
    by_committee = CommitteeCountSerializer(many=True)
