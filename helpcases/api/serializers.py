"""Help cases over the API. Request serializers parse (types, presence); every rule is the
service's (``helpcases.services``, ``helpcases.collective``). Response serializers render a case
as ``helpcases.presenters.shown`` renders it for the viewer: they mask nothing themselves."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework.models import Team
from core.api.fields import DateField, IdField, IntegerField

from .. import presenters, selectors, services
from ..models import Action, Evaluation, HelpCase, HelpEvent, Verification

# ---------------------------------------------------------------- what a request says


def _text(**kwargs) -> serializers.CharField:
    """A text the service checks (required or not, its length)."""
    return serializers.CharField(allow_blank=True, **kwargs)


def _optional_text(**kwargs) -> serializers.CharField:
    return _text(required=False, default="", **kwargs)


class HelpSubmitSerializer(serializers.Serializer):
    title = _text(help_text="What the youth needs help with.")
    body = _optional_text()
    place = _optional_text()
    needed_by = DateField(required=False, allow_null=True, default=None)
    contact = _optional_text(help_text="Only the staff handling the request see it.")
    category = _optional_text(
        help_text="A standard code or a local sub-category's code; empty: classified."
    )
    designated = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A listed organisation (GET /api/v1/organisations/).",
    )
    is_public = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Others may read the details and join; the name and contact stay private.",
    )


class HelpVerifySerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=Verification.Method.choices)
    verified_on = DateField()
    findings = _text()
    verdict = serializers.ChoiceField(
        choices=Verification.Verdict.choices,
        help_text="genuine: on to coordination; not_genuine: closed; needs_more: it waits.",
    )


class HelpPlanSerializer(serializers.Serializer):
    description = _text()
    organisation = IdField(required=False, allow_null=True, default=None)
    resource = _optional_text()
    due_on = DateField(required=False, allow_null=True, default=None)


class HelpResolveSerializer(serializers.Serializer):
    is_resolved = serializers.BooleanField()
    reason = _optional_text(help_text="Why not, when it could not be resolved.")


class HelpReportSerializer(serializers.Serializer):
    report = _text()


class HelpRejectSerializer(serializers.Serializer):
    reason = _optional_text()


class HelpEvaluateSerializer(serializers.Serializer):
    stars = IntegerField(help_text="1 to 5")
    is_real = serializers.BooleanField()
    is_solved = serializers.BooleanField()
    comment = _optional_text()
    next = serializers.ChoiceField(
        choices=Evaluation.Next.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Unsatisfied, once for the case: reopen it, or take it to the committee above.",
    )


class HelpJoinSerializer(serializers.Serializer):
    details = _optional_text()


class HelpGroupSerializer(serializers.Serializer):
    cases = serializers.ListField(
        child=IdField(),
        max_length=100,
        help_text="Open cases of this committee; the first one's queue handles the demand.",
    )
    questions = serializers.ListField(child=IdField(), required=False, default=list, max_length=100)
    title = _optional_text(help_text="The demand's title; empty: the first case's.")


# ---------------------------------------------------------------- what the viewer sees


class OrganisationSerializer(serializers.ModelSerializer):
    """An organisation youths may ask to help."""

    sector_name = serializers.CharField(source="get_sector_display", read_only=True)
    categories = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "description", "sector", "sector_name", "categories", "contact"]


class HelpStepSerializer(serializers.Serializer):
    """A step of the case on its timeline, as the viewer may follow it."""

    kind = serializers.ChoiceField(choices=HelpEvent.choices)
    kind_name = serializers.CharField(source="label")
    at = serializers.DateTimeField()
    note = serializers.CharField(help_text="The team, the verdict, the organisation engaged…")


class HelpViewerSerializer(serializers.Serializer):
    """What the viewer is to the case (``helpcases.selectors.rights_over``)."""

    is_member = serializers.BooleanField(help_text="A youth this case serves")
    is_staff = serializers.BooleanField(help_text="This committee's staff")
    reads_from_above = serializers.BooleanField()


class HelpVerificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Verification
        fields = ["id", "method", "verified_on", "findings", "verdict", "staff", "created_at"]


class HelpActionSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(
        source="organisation.name", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = Action
        fields = [
            "id",
            "description",
            "organisation",
            "organisation_name",
            "resource",
            "due_on",
            "done_at",
            "staff",
            "created_at",
        ]


class HelpHandlingSerializer(serializers.Serializer):
    """What this committee's staff see besides the youth's view."""

    team = serializers.IntegerField(source="team_id", allow_null=True)
    team_name = serializers.CharField(source="team.name", default=None, allow_null=True)
    assignee = serializers.IntegerField(source="assignee_id", allow_null=True)
    respond_by = serializers.DateTimeField(allow_null=True)
    resolve_by = serializers.DateTimeField(allow_null=True)
    overdue_at = serializers.DateTimeField(allow_null=True)
    escalated_at = serializers.DateTimeField(allow_null=True)
    first_response_at = serializers.DateTimeField(allow_null=True)
    held_for = serializers.ListField(child=serializers.CharField())
    verifications = HelpVerificationSerializer(many=True, source="verifications.all")
    actions = HelpActionSerializer(many=True, source="actions.all")


class HelpCaseItemSerializer(serializers.Serializer):
    """A case in a list, as the viewer may see it: the title masked unless the viewer is a
    youth it serves or this committee's staff."""

    id = serializers.IntegerField(source="case.pk")
    title = serializers.CharField()
    category = serializers.CharField(source="case.category_id")
    category_name = serializers.CharField(source="case.category.name")
    state = serializers.ChoiceField(source="case.state", choices=HelpCase.State.choices)
    state_name = serializers.CharField(source="case.get_state_display")
    is_public = serializers.BooleanField(source="case.is_public")
    is_collective = serializers.BooleanField(source="case.is_collective")
    needed_by = serializers.DateField(source="case.needed_by", allow_null=True)
    joined = serializers.IntegerField(
        source="case.joined",
        default=0,
        help_text="Co-signers, grouped cases and questions: the more, the sooner",
    )
    created_at = serializers.DateTimeField(source="case.created_at")

    def to_representation(self, instance):
        if isinstance(instance, HelpCase):
            rights = selectors.rights_over(instance, self.context["request"].user)
            assert rights is not None, "a list holds only cases the viewer may see"
            instance = presenters.shown(instance, rights, steps=False)
        return super().to_representation(instance)


class HelpQueueItemSerializer(HelpCaseItemSerializer):
    """A case in the staff queue, with its handling."""

    team = serializers.IntegerField(source="case.team_id", allow_null=True)
    team_name = serializers.CharField(source="case.team.name", default=None, allow_null=True)
    assignee = serializers.IntegerField(source="case.assignee_id", allow_null=True)
    respond_by = serializers.DateTimeField(source="case.respond_by", allow_null=True)
    resolve_by = serializers.DateTimeField(source="case.resolve_by", allow_null=True)
    overdue_at = serializers.DateTimeField(source="case.overdue_at", allow_null=True)
    escalated_at = serializers.DateTimeField(source="case.escalated_at", allow_null=True)
    held_for = serializers.ListField(child=serializers.CharField(), source="case.held_for")


class HelpCaseSerializer(HelpCaseItemSerializer):
    """One case as the viewer may see it: the presenter's ``Shown`` for the viewer's
    ``context["rights"]`` (``helpcases.presenters.shown``). The public reads it masked,
    without the youth's name or contact, the details only when the youth allowed it;
    ``handling`` is for this committee's staff (null for others)."""

    body = serializers.CharField()
    place = serializers.CharField()
    youth = serializers.CharField()
    contact = serializers.CharField()
    report = serializers.CharField()
    outcome_reason = serializers.CharField()
    designated = serializers.IntegerField(source="case.designated_id", allow_null=True)
    designated_name = serializers.CharField(
        source="case.designated.name", default=None, allow_null=True
    )
    collective = serializers.IntegerField(
        source="case.collective_id",
        allow_null=True,
        help_text="The collective demand this case is handled in",
    )
    question = serializers.IntegerField(
        source="case.question_id", allow_null=True, help_text="The question it came from"
    )
    round = serializers.IntegerField(source="case.round")
    transferred_to = serializers.CharField(
        source="case.transferred_to",
        help_text="The committee it was transferred to, which handles it (empty: here)",
    )
    origin_committee = serializers.CharField(
        source="case.origin_committee", help_text="The committee it was transferred from"
    )
    size = serializers.SerializerMethodField(help_text="The youths the case serves")
    resolved_at = serializers.DateTimeField(source="case.resolved_at", allow_null=True)
    reported_at = serializers.DateTimeField(source="case.reported_at", allow_null=True)
    steps = HelpStepSerializer(many=True)
    viewer = serializers.SerializerMethodField()
    handling = serializers.SerializerMethodField()

    def get_size(self, shown) -> int:
        return services.size(shown.case)

    @extend_schema_field(HelpViewerSerializer)
    def get_viewer(self, shown) -> dict:
        rights = self.context["rights"]
        return {
            "is_member": rights.is_member,
            "is_staff": rights.is_staff,
            "reads_from_above": rights.reads_from_above,
        }

    @extend_schema_field(HelpHandlingSerializer(allow_null=True))
    def get_handling(self, shown) -> dict | None:
        if not self.context["rights"].is_staff:
            return None
        return HelpHandlingSerializer(shown.case).data
