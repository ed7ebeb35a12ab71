from rest_framework import serializers

from core.models import Role, User


class PhoneSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20)


class RegisterSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20)
    code = serializers.CharField(max_length=10)
    password = serializers.CharField(max_length=128, write_only=True)
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class LoginSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20)
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
