from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.models import GRANTABLE_KINDS, Role
from tenants.models import Committee, OutboxMessage
from tenants.services import DISCARD_REASON_MAX


class BrandingSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)

    class Meta:
        model = Committee
        fields = ["title", "display_name", "primary_colour", "slogan", "logo", "banner"]


class CommitteeSerializer(serializers.ModelSerializer):
    # "parent" clashes with Field.parent in the stubs only.
    parent = serializers.SlugRelatedField(  # type: ignore[assignment, var-annotated]
        slug_field="code", read_only=True, allow_null=True
    )
    domains: serializers.Field = serializers.SlugRelatedField(
        slug_field="domain", many=True, read_only=True
    )
    branding = BrandingSerializer(source="*", read_only=True)

    class Meta:
        model = Committee
        fields = ["code", "name", "level", "parent", "status", "created_at", "domains", "branding"]


class CommitteeQuery(serializers.Serializer):
    """Filters of the committee list."""

    level = serializers.ChoiceField(choices=Committee.Level.choices, required=False)
    status = serializers.ChoiceField(choices=Committee.Status.choices, required=False)
    parent = serializers.CharField(  # type: ignore[assignment]
        max_length=64, required=False, help_text="A committee code"
    )


class ConsoleQuery(serializers.Serializer):
    """The console page's filters: a level, and a name or the start of a code."""

    level = serializers.ChoiceField(
        choices=Committee.Level.choices, required=False, allow_blank=True
    )
    q = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ProvisionSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=100)
    level = serializers.ChoiceField(choices=Committee.Level.choices)
    parent = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code",
        queryset=Committee.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    status = serializers.ChoiceField(choices=Committee.Status.choices, default="active")
    admin_phone = serializers.CharField(max_length=20)
    admin_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    display_name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    primary_colour = serializers.CharField(max_length=7, default="#c8161d")
    slogan = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    logo = serializers.FileField(required=False, allow_null=True, default=None)
    banner = serializers.FileField(required=False, allow_null=True, default=None)


class CommitteeUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Committee.Status.choices, required=False)
    display_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    primary_colour = serializers.CharField(max_length=7, required=False)
    slogan = serializers.CharField(max_length=120, required=False, allow_blank=True)
    logo = serializers.FileField(required=False)
    banner = serializers.FileField(required=False)


class StaffSerializer(serializers.ModelSerializer):
    phone = serializers.CharField(source="user.masked_phone", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)

    class Meta:
        model = Role
        fields = ["id", "phone", "name", "kind", "granted_at"]


class GrantSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20)
    kind = serializers.ChoiceField(choices=GRANTABLE_KINDS)


class DirectoryQuery(serializers.Serializer):
    """Search the portals by name (``q``) or open one committee's branch (``parent``)."""

    q = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    parent = serializers.RegexField(  # type: ignore[assignment]
        r"^[a-z][a-z0-9-]{0,63}$",
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text="A committee code: its children",
    )


class DirectoryEntrySerializer(serializers.ModelSerializer):
    """A committee in the directory of portals, with where it sits and its portal's address."""

    title = serializers.CharField(read_only=True)
    level_name = serializers.CharField(source="get_level_display", read_only=True)
    parent = serializers.SlugRelatedField(  # type: ignore[assignment, var-annotated]
        slug_field="code", read_only=True, allow_null=True
    )
    parent_name = serializers.SerializerMethodField()
    has_children = serializers.BooleanField(read_only=True)
    portal = serializers.SerializerMethodField()

    class Meta:
        model = Committee
        fields = [
            "code",
            "name",
            "title",
            "level",
            "level_name",
            "parent",
            "parent_name",
            "has_children",
            "portal",
        ]

    def get_parent_name(self, committee) -> str:
        return committee.parent.name if committee.parent_id else ""

    def get_portal(self, committee) -> str:
        """The portal's address relative to the scheme: ``//<code>.<base domain>[:port]/``."""
        return portal_address(committee, self.context.get("request"))


def portal_address(committee: Committee, request) -> str:
    from django.conf import settings

    port = request.get_port() if request is not None else "80"
    suffix = "" if port in ("80", "443") else f":{port}"
    return f"//{committee.code}.{settings.BASE_DOMAIN}{suffix}/"


class OutboxMessageSerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(choices=OutboxMessage.State.choices, read_only=True)

    class Meta:
        model = OutboxMessage
        fields = [
            "id",
            "topic",
            "sender",
            "receiver",
            "state",
            "created_at",
            "attempts",
            "next_attempt_at",
            "last_error",
            "dead_at",
            "delivered_at",
            "discarded_at",
        ]


class DeadMessageSerializer(serializers.ModelSerializer):
    """A dead message (its content stays in the admin) and the receiver it holds up."""

    receiver_name = serializers.CharField(
        read_only=True, allow_null=True, help_text="None when no committee has the code"
    )
    waiting_behind = serializers.IntegerField(
        read_only=True, help_text="The receiver's later messages waiting behind this one"
    )

    class Meta:
        model = OutboxMessage
        fields = [
            "id",
            "topic",
            "sender",
            "receiver",
            "receiver_name",
            "waiting_behind",
            "created_at",
            "attempts",
            "last_error",
            "dead_at",
        ]


class DiscardSerializer(serializers.Serializer):
    """Discarding is explicit: ``confirm`` true and a reason."""

    confirm = serializers.BooleanField()
    reason = serializers.CharField(max_length=DISCARD_REASON_MAX)

    def validate_confirm(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(
                _("Confirm that the message is given up: it will never be applied.")
            )
        return value
