from rest_framework import serializers

from portal.models import Notice


class NoticeSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.name", read_only=True)

    class Meta:
        model = Notice
        fields = ["id", "title", "body", "author", "is_published", "publish_at", "published_at"]
        read_only_fields = ["id", "author", "is_published", "published_at"]


class NoticeEditSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120, required=False)
    body = serializers.CharField(required=False)


class IconQuery(serializers.Serializer):
    size = serializers.ChoiceField(choices=[32, 192, 512], default=32)


class QuestionItemSerializer(serializers.Serializer):
    """A question as lists show it (``portal.presenters.QuestionItem``)."""

    id = serializers.IntegerField()
    url = serializers.CharField()
    title = serializers.CharField()
    excerpt = serializers.CharField()
    category = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    date = serializers.DateTimeField()
    answered_by = serializers.CharField()
    answer_count = serializers.IntegerField()


class AllianceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    description = serializers.CharField()
    members = serializers.IntegerField(source="member_count")


class HomeSerializer(serializers.Serializer):
    hot = QuestionItemSerializer(many=True)
    recent = QuestionItemSerializer(many=True)
    notices = NoticeSerializer(many=True)
    alliances = AllianceSerializer(many=True)


class MineItemSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField()
    badge = serializers.CharField()


class MineSectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    count = serializers.IntegerField(allow_null=True)
    latest = MineItemSerializer(many=True)


class MineSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField(help_text="The account's number, masked")
    sections = MineSectionSerializer(many=True)
