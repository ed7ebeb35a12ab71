from rest_framework import serializers

from core.challenges import Answer
from core.models import PhoneCode, Role, User


class ChallengeAnswerSerializer(serializers.Serializer):
    """The picture challenge, answered when an error ``challenge_required`` asked for it."""

    challenge_key = serializers.CharField(
        max_length=40, required=False, allow_blank=True, help_text="From POST auth/challenges/"
    )
    challenge_answer = serializers.CharField(
        max_length=8, required=False, allow_blank=True, help_text="What the picture shows"
    )

    def challenge(self) -> Answer | None:
        data = self.validated_data
        if not data.get("challenge_key"):
            return None
        return Answer(key=data["challenge_key"], text=data.get("challenge_answer", ""))

    @property
    def fields_without_challenge(self) -> dict:
        data = dict(self.validated_data)
        data.pop("challenge_key", None)
        data.pop("challenge_answer", None)
        return data


class PhoneSerializer(ChallengeAnswerSerializer):
    phone = serializers.CharField(max_length=20)
    purpose = serializers.ChoiceField(
        choices=PhoneCode.Purpose.choices,
        default=PhoneCode.Purpose.REGISTER,
        help_text="register, login (验证码登录) or reset (忘记密码)",
    )


class ChallengeSerializer(serializers.Serializer):
    key = serializers.CharField()
    image_url = serializers.CharField()


class RegisterSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20)
    code = serializers.CharField(max_length=10)
    password = serializers.CharField(max_length=128, write_only=True)
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class LoginSerializer(ChallengeAnswerSerializer):
    phone = serializers.CharField(max_length=20)
    password = serializers.CharField(max_length=128, write_only=True)


class CodeLoginSerializer(ChallengeAnswerSerializer):
    phone = serializers.CharField(max_length=20)
    code = serializers.CharField(max_length=10)


class ResetPasswordSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20)
    code = serializers.CharField(max_length=10)
    password = serializers.CharField(max_length=128, write_only=True)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class RoleSerializer(serializers.ModelSerializer):
    committee = serializers.CharField(source="committee.code")
    committee_name = serializers.CharField(source="committee.title")

    class Meta:
        model = Role
        fields = ["committee", "committee_name", "kind"]


class AccessSerializer(serializers.Serializer):
    kinds = serializers.ListField(child=serializers.CharField())
    can_read = serializers.BooleanField()
    can_write = serializers.BooleanField()


class MeSerializer(serializers.ModelSerializer):
    roles = RoleSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "phone", "name", "date_joined", "roles"]
        read_only_fields = ["id", "phone", "date_joined", "roles"]
