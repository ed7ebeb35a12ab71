from rest_framework import serializers

from core.models import AuditAccess
from franchise.models import AssessmentStandard

from ..models import RatingFlag, StandardScore
from ..selectors import Summary
from ..tables import cell


def summary_data(summary: Summary) -> dict:
    """A committee's subtree figures over a period, as the API gives them."""
    committee = summary.committee
    index = summary.index
    return {
        "code": committee.code,
        "name": committee.name,
        "level": committee.level,
        "figures": summary.figures,
        "youths": summary.youths,
        "response_median_s": summary.response_median_s,
        "response_p90_s": summary.response_p90_s,
        "rating_mean": cell(summary, "rating_mean"),
        "high_share": cell(summary, "high_share"),
        "satisfaction": cell(summary, "satisfaction"),
        # deflected ÷ (deflected + asked), the count in figures["deflected"]
        "deflection_rate": cell(summary, "deflection_rate"),
        "index": {
            "value": index.value,
            "base": index.base,
            "boost": index.boost,
            "terms": index.terms,
            "standard_version": index.standard_version,
        }
        if index
        else None,
    }


class AuditQuery(serializers.Serializer):
    committee = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text="A committee code"
    )


class AuditPageQuery(serializers.Serializer):
    q = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class AuditAccessSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.name")
    committee = serializers.CharField(source="committee.code")

    class Meta:
        model = AuditAccess
        fields = ["id", "user", "committee", "method", "path", "at"]


class AuditEntrySerializer(serializers.Serializer):
    """An audit row as a plain action: who opened which committee's what, or tried to change
    something there, and whether it was allowed (``reporting.audit``)."""

    id = serializers.IntegerField(source="row.id")
    user = serializers.CharField(source="row.user.name")
    reader = serializers.CharField(help_text="The account and the role it reads from above with")
    committee = serializers.CharField(source="row.committee.code")
    committee_name = serializers.CharField(source="row.committee.name")
    action = serializers.CharField(help_text="The whole action in words")
    outcome = serializers.ChoiceField(choices=["allowed", "refused"])
    method = serializers.CharField(source="row.method")
    path = serializers.CharField(source="row.path")
    at = serializers.DateTimeField(source="row.at")


class CampaignSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=40)
    title = serializers.CharField(max_length=100)
    theme = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    rules = serializers.CharField(required=False, allow_blank=True, default="")
    entry_guide = serializers.CharField(required=False, allow_blank=True, default="")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    votes_per_account = serializers.IntegerField(min_value=1, max_value=20, default=1)
    vote_weight = serializers.FloatField(min_value=0, default=1.0)
    panel_weight = serializers.FloatField(min_value=0, default=0.0)
    criteria = serializers.ListField(child=serializers.DictField(), required=False, default=list)


class CampaignItemSerializer(CampaignSerializer):
    node = serializers.CharField(source="node.code", read_only=True)
    launched_at = serializers.DateTimeField(read_only=True)


class LaunchSerializer(CampaignSerializer):
    node = serializers.SlugField(help_text="The committee whose subtree receives it")


class CampaignRowSerializer(serializers.Serializer):
    code = serializers.CharField(source="committee.code")
    name = serializers.CharField(source="committee.name")
    level = serializers.CharField(source="committee.level")
    committees = serializers.IntegerField(help_text="Committees of its subtree taking part")
    figures = serializers.DictField(child=serializers.IntegerField())


class CampaignListingSerializer(serializers.Serializer):
    committee = serializers.CharField(source="committee.code")
    kind = serializers.CharField()
    item_id = serializers.IntegerField()
    title = serializers.CharField()
    detail = serializers.CharField()
    link = serializers.CharField()
    starts_at = serializers.DateTimeField(allow_null=True)


class CampaignPageSerializer(serializers.Serializer):
    campaign = CampaignItemSerializer()
    node = serializers.CharField()
    totals = CampaignRowSerializer()
    ranking = CampaignRowSerializer(many=True)
    activities = CampaignListingSerializer(many=True)
    entries = CampaignListingSerializer(many=True)


class StandingQuery(serializers.Serializer):
    node = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text="A committee code"
    )
    kind = serializers.ChoiceField(
        choices=StandardScore.Kind.choices, required=False, default="account"
    )
    subtree = serializers.BooleanField(
        required=False, default=False, help_text="Rank the whole subtree, not only the committee"
    )


class StandardScoreSerializer(serializers.ModelSerializer):
    """A standard score (青年评议标准分): 0–100, the ratings behind it, those flagged."""

    committee = serializers.CharField(source="committee.code")
    terms = serializers.DictField(
        child=serializers.ListField(child=serializers.FloatField()),
        help_text="term: [ratings, mean stars]",
    )

    class Meta:
        model = StandardScore
        fields = [
            "id",
            "committee",
            "kind",
            "subject_id",
            "name",
            "score",
            "ratings",
            "flagged",
            "mean",
            "terms",
            "standard_version",
            "computed_at",
        ]


class StandardScoreDetailSerializer(StandardScoreSerializer):
    rank = serializers.IntegerField(help_text="Where it stands in its committee (1: the best)")

    class Meta(StandardScoreSerializer.Meta):
        fields = [*StandardScoreSerializer.Meta.fields, "rank"]


class AssessmentCellSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="None: nothing to measure")
    sample = serializers.IntegerField(help_text="What the value rests on")
    points = serializers.FloatField(help_text="Against the best of the committees ranked (100)")
    rank = serializers.IntegerField()


class AssessmentRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    total = serializers.FloatField()
    previous_total = serializers.FloatField(allow_null=True)
    previous_rank = serializers.IntegerField(allow_null=True)
    change = serializers.FloatField(allow_null=True)
    cells = serializers.DictField(child=AssessmentCellSerializer())


class AssessmentTermSerializer(serializers.Serializer):
    code = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class AssessmentStandardSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    node = serializers.CharField(allow_null=True, help_text="None: the central standard")
    effective_from = serializers.DateField()


class AssessmentIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    weight = serializers.FloatField()


class AssessmentSerializer(serializers.Serializer):
    node = serializers.CharField()
    term = AssessmentTermSerializer()
    standard = AssessmentStandardSerializer()
    indicators = AssessmentIndicatorSerializer(many=True)
    results = AssessmentRowSerializer(many=True)


class AssessmentStandardVersionSerializer(serializers.ModelSerializer):
    node = serializers.CharField(source="node.code", allow_null=True, default=None)
    saved_by = serializers.CharField(source="saved_by.name", allow_null=True, default=None)

    class Meta:
        model = AssessmentStandard
        fields = [
            "id",
            "node",
            "version",
            "effective_from",
            "weights",
            "latitude",
            "note",
            "saved_by",
            "saved_at",
        ]


class PublishStandardSerializer(serializers.Serializer):
    effective_from = serializers.DateField()
    weights = serializers.DictField(child=serializers.FloatField(min_value=0))
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RatingFlagSerializer(serializers.ModelSerializer):
    """A rating the standard score counted as suspect, and the central office's decision."""

    committee = serializers.CharField(source="committee.code")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="burst, address")
    credited = serializers.ListField(child=serializers.IntegerField(), help_text="Account ids")

    class Meta:
        model = RatingFlag
        fields = [
            "id",
            "committee",
            "event_id",
            "rater_id",
            "reasons",
            "stars",
            "credited",
            "team_name",
            "flagged_at",
            "decision",
            "decided_at",
        ]


class RatingFlagDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["cleared", "confirmed"])


class RatingFlagQuery(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=["open", "cleared", "confirmed"], required=False, help_text="open: to review"
    )
