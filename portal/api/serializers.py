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
