from rest_framework import serializers


class RealRateRequestSerializer(serializers.Serializer):
    """A rating of something attended, and whether it happened as described."""

    stars = serializers.IntegerField(min_value=1, max_value=5)
    is_real = serializers.BooleanField(help_text="Whether it happened as described (真实度)")
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RatingSerializer(serializers.Serializer):
    stars = serializers.IntegerField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()
