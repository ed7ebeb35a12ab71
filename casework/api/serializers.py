from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import IdField, IntegerField, ModelSerializer, PrimaryKeyRelatedField
from core.models import User
from franchise.models import Category

from .. import selectors
from ..models import (
    CalendarAmendment,
    Deadline,
    LocalCategory,
    LocalTerm,
    Member,
    ReplyTemplate,
    RoutingRule,
    SupervisionItem,
    Team,
    TruthReview,
)
from ..services import organisation_problem
from ..supervision import NOTE_MAX


class ReplyTemplateSerializer(ModelSerializer):
    """A team's ready answer (常用回复)."""

    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.filter(is_active=True))
    title = serializers.CharField(max_length=40)
    body = serializers.CharField(max_length=5000)

    class Meta:
        model = ReplyTemplate
        fields = ["id", "team", "title", "body", "created_at"]
        read_only_fields = ["created_at"]
        validators: list = []


class SupervisionItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupervisionItem
        fields = [
            "id",
            "committee_code",
            "committee_name",
            "subject_type",
            "subject_id",
            "link",
            "level",
            "title",
            "category",
            "team",
            "escalated_at",
            "due_at",
            "forwarded_to",
            "urge_count",
            "last_urged_at",
            "resolved_at",
        ]


# ---------------------------------------------------------------- a committee's set-up


class AccountField(PrimaryKeyRelatedField):
    def get_queryset(self):
        return User.objects.filter(is_active=True)


class TeamSerializer(ModelSerializer):
    supervisor = AccountField(required=False, allow_null=True)
    categories = serializers.ListField(
        child=serializers.SlugRelatedField(slug_field="code", queryset=Category.objects.all()),
        required=False,
    )

    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "kind",
            "description",
            "sector",
            "categories",
            "contact",
            "is_listed",
            "supervisor",
            "is_active",
        ]

    def validate(self, attrs):
        merged = {
            name: attrs.get(name, getattr(self.instance, name, default))
            for name, default in (
                ("kind", Team.Kind.ALLIANCE),
                ("sector", ""),
                ("is_listed", False),
            )
        }
        problem = organisation_problem(**merged)
        if problem:
            raise serializers.ValidationError({problem[0]: [problem[1]]})
        if "categories" in attrs:
            attrs["categories"] = [category.code for category in attrs["categories"]]
        return attrs


class MemberSerializer(ModelSerializer):
    user = AccountField()
    name = serializers.CharField(source="user.__str__", read_only=True)

    class Meta:
        model = Member
        fields = ["id", "team", "user", "name", "kind", "organisation", "is_active"]
        validators: list = []

    def validate(self, attrs):
        team, user = attrs.get("team"), attrs.get("user")
        if self.instance is not None:
            team, user = team or self.instance.team, user or self.instance.user
        if selectors.member_taken(team=team, user=user, besides=getattr(self.instance, "pk", None)):
            raise serializers.ValidationError({"user": [_("Already a member of this team.")]})
        return attrs


class RoutingRuleSerializer(ModelSerializer):
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = RoutingRule
        fields = ["id", "category", "local_category", "team", "strategy"]
        validators: list = []

    def validate(self, attrs):
        merged = {
            "category": getattr(self.instance, "category", None),
            "local_category": getattr(self.instance, "local_category", None),
            **attrs,
        }
        if merged["local_category"] is not None:
            merged["category"] = attrs["category"] = None
        elif merged["category"] is None:
            raise serializers.ValidationError(
                {"category": [_("Name a category or a local sub-category.")]}
            )
        if selectors.rule_taken(
            category=merged["category"],
            local_category=merged["local_category"],
            besides=getattr(self.instance, "pk", None),
        ):
            raise serializers.ValidationError(
                {"category": [_("That category already has a rule.")]}
            )
        return attrs


class DeadlineSerializer(ModelSerializer):
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all())
    first_response_s = IntegerField(min_value=600, max_value=90 * 86400)
    resolution_s = IntegerField(min_value=600, max_value=180 * 86400)

    class Meta:
        model = Deadline
        fields = ["id", "category", "first_response_s", "resolution_s"]

    def validate(self, attrs):
        first = attrs.get("first_response_s", getattr(self.instance, "first_response_s", 0))
        resolve = attrs.get("resolution_s", getattr(self.instance, "resolution_s", 0))
        if first > resolve:
            raise serializers.ValidationError(
                {"resolution_s": [_("Resolution cannot come before the first response.")]}
            )
        return attrs


class LocalCategorySerializer(ModelSerializer):
    standard = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all())

    class Meta:
        model = LocalCategory
        fields = ["id", "code", "name", "standard", "is_active"]

    def validate_code(self, value):
        if Category.objects.filter(code=value).exists():
            raise serializers.ValidationError(_("That is a standard category's code."))
        return value


class LocalTermSerializer(ModelSerializer):
    class Meta:
        model = LocalTerm
        fields = ["id", "term", "created_at"]


class MemberQuery(serializers.Serializer):
    team = IdField(required=False)


class CalendarAmendmentSerializer(ModelSerializer):
    class Meta:
        model = CalendarAmendment
        fields = ["id", "date", "kind", "name"]


class UrgeSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=NOTE_MAX)


class TransferSerializer(serializers.Serializer):
    to = serializers.CharField(max_length=64, help_text="The receiving committee's code")
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class PickerQuery(serializers.Serializer):
    """The handling page's transfer picker without script: committees found by name, or
    the branch below one."""

    find = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    branch = serializers.RegexField(
        r"^[a-z][a-z0-9-]{0,63}$", max_length=64, required=False, allow_blank=True, default=""
    )


class TruthReviewSerializer(ModelSerializer):
    details = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="What the reviewers see: [label, value] pairs",
    )
    reasons = serializers.ListField(child=serializers.DictField(), help_text="The latest flags")

    class Meta:
        model = TruthReview
        fields = [
            "id",
            "source_committee",
            "subject_type",
            "subject_id",
            "category",
            "title",
            "link",
            "details",
            "reasons",
            "reports",
            "state",
            "note",
            "respond_by",
            "resolve_by",
            "escalated_at",
            "decided_at",
            "created_at",
        ]


class TruthDecisionSerializer(serializers.Serializer):
    is_fake = serializers.BooleanField(help_text="Confirmed: it did not happen as described")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
