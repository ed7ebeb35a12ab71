from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import IdField, IntegerField
from franchise.models import Category
from franchise.privacy import mask_personal_data
from qa.models import InternalNote, Question, QuestionEvent, Reply
from timeline.models import Event

SEARCH_MAX_LENGTH = 100
BODY_MAX_LENGTH = 5000


class ArchiveQuery(serializers.Serializer):
    """What the archive is searched and filtered by, on its page and in the API."""

    q = serializers.CharField(
        max_length=SEARCH_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=Category.objects.all(), required=False, allow_null=True
    )


class ArchivePageQuery(ArchiveQuery):
    """The archive's page also shows the questions still waiting (``open``)."""

    open = serializers.BooleanField(required=False, default=False)


class SimilarQuery(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    body = serializers.CharField(
        max_length=BODY_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    with_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Answer with an object, {results, duplicate}, instead of the bare list: "
        "``duplicate`` is the best question with its answer when it says the same thing.",
    )


class AskSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(
        max_length=BODY_MAX_LENGTH, allow_blank=True, required=False, default=""
    )
    category = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="A standard code or a local sub-category's code; empty: classified.",
    )
    is_anonymous = serializers.BooleanField(required=False, default=False)
    is_public = serializers.BooleanField(required=False, default=True)
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=10
    )
    offered = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The answered question offered as the same one (``duplicate`` of the "
        "similar questions), when the youth asks anyway.",
    )


class TimelineEventSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=QuestionEvent.choices)

    class Meta:
        model = Event
        fields = ["kind", "state", "category", "at"]


class QuestionSerializer(serializers.ModelSerializer):
    """A question as the viewer may see it: personal data masked unless the viewer asked it
    or handles it (``context["unmasked"]``); an anonymous asker's name only for staff."""

    asker = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = Question
        fields = [
            "id",
            "title",
            "body",
            "category",
            "category_name",
            "state",
            "asker",
            "is_anonymous",
            "is_public",
            "created_at",
        ]

    def _text(self, value: str) -> str:
        return value if self.context.get("unmasked") else mask_personal_data(value)

    def get_title(self, question) -> str:
        return self._text(question.title)

    def get_body(self, question) -> str:
        return self._text(question.body)

    def get_asker(self, question) -> str:
        if question.is_anonymous and not self.context.get("staff"):
            return str(_("An anonymous youth"))
        return self._text(str(question.asker)) if question.asker.name else str(_("A youth"))


class ReplySerializer(serializers.ModelSerializer):
    """A reply with its author's role and organisation; masked like the question."""

    author = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    author_kind_name = serializers.CharField(source="get_author_kind_display", read_only=True)

    class Meta:
        model = Reply
        fields = [
            "id",
            "kind",
            "author",
            "author_kind",
            "author_kind_name",
            "organisation",
            "body",
            "state",
            "is_peer",
            "is_unhelpful",
            "created_at",
        ]

    def get_author(self, reply) -> str:
        if reply.author_kind == Reply.AuthorKind.ASKER:
            return str(_("Asker"))
        if reply.author_kind == Reply.AuthorKind.PEER:
            return str(_("A fellow youth")) if not reply.author.name else reply.author.name
        return str(reply.author)

    def get_body(self, reply) -> str:
        return reply.body if self.context.get("unmasked") else mask_personal_data(reply.body)


class SimilarQuestionSerializer(QuestionSerializer):
    """A question like the one being typed, with how alike it is."""

    score = serializers.FloatField(help_text="0–1, best first")
    is_duplicate = serializers.BooleanField(
        help_text="It says the same thing in nearly the same words"
    )

    class Meta(QuestionSerializer.Meta):
        fields = [*QuestionSerializer.Meta.fields, "score", "is_duplicate"]


class DuplicateSerializer(serializers.Serializer):
    """The answered question saying what is being typed, with the answer to take instead of
    asking; masked as the public reads it."""

    question = SimilarQuestionSerializer()
    answer = ReplySerializer()
    link = serializers.CharField(help_text="The question's page")
    deflect = serializers.CharField(help_text="POST here when the answer solves it")


class SimilarAnswerSerializer(serializers.Serializer):
    results = SimilarQuestionSerializer(many=True)
    duplicate = DuplicateSerializer(allow_null=True)


class DeflectionSerializer(serializers.Serializer):
    """An answer taken instead of asking, on the answered question's timeline."""

    question = serializers.IntegerField(source="subject_id")
    kind = serializers.CharField()
    at = serializers.DateTimeField()


class StaffViewSerializer(serializers.Serializer):
    """What staff handling the question see besides the youth's view."""

    team = serializers.CharField(allow_null=True)
    assignee = serializers.IntegerField(allow_null=True)
    respond_by = serializers.DateTimeField(allow_null=True)
    resolve_by = serializers.DateTimeField(allow_null=True)
    overdue_at = serializers.DateTimeField(allow_null=True)
    escalated_at = serializers.DateTimeField(allow_null=True)
    suggested_category = serializers.CharField()
    suggested_confidence = serializers.FloatField(allow_null=True)
    held_for = serializers.ListField(child=serializers.CharField())
    asker_phone = serializers.CharField(
        help_text="In full for the committee's cadres and admins, the assignee and the team's "
        "supervisor; masked for other staff"
    )
    respond_urgency = serializers.ChoiceField(
        choices=["ok", "soon", "urgent", "overdue"],
        allow_null=True,
        help_text="How little time is left before the first-response deadline",
    )


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()


class QuestionDetailSerializer(QuestionSerializer):
    """One question; its attachments listed for the asker and the staff handling it, their
    number for everyone who may open it."""

    timeline = TimelineEventSerializer(many=True, read_only=True)
    replies = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    attachment_count = serializers.SerializerMethodField()
    transferred_to = serializers.CharField(read_only=True)
    origin_committee = serializers.CharField(read_only=True)
    handling = serializers.SerializerMethodField()

    class Meta(QuestionSerializer.Meta):
        fields = [
            *QuestionSerializer.Meta.fields,
            "transferred_to",
            "origin_committee",
            "timeline",
            "replies",
            "attachments",
            "attachment_count",
            "handling",
        ]

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, question) -> list[dict]:
        return [
            {
                "id": image.pk,
                "url": reverse(
                    "api:attachment",
                    kwargs={"pk": question.pk, "attachment": image.pk},
                ),
            }
            for image in self.context.get("attachments", [])
        ]

    def get_attachment_count(self, question) -> int:
        return self.context.get("attachment_count", 0)

    @extend_schema_field(ReplySerializer(many=True))
    def get_replies(self, question):
        replies = self.context.get("replies", question.replies.none())
        return ReplySerializer(replies, many=True, context=self.context).data

    def get_handling(self, question) -> dict | None:
        if not self.context.get("staff"):
            return None
        return StaffViewSerializer(
            {
                "team": question.team.name if question.team_id else None,
                "assignee": question.assignee_id,
                "respond_by": question.respond_by,
                "resolve_by": question.resolve_by,
                "overdue_at": question.overdue_at,
                "escalated_at": question.escalated_at,
                "suggested_category": question.suggested_category,
                "suggested_confidence": question.suggested_confidence,
                "held_for": question.held_for,
                "asker_phone": self.context.get("asker_phone", question.asker.masked_phone),
                "respond_urgency": self.context.get("respond_urgency"),
            }
        ).data


class QueueItemSerializer(QuestionSerializer):
    """A question in a staff queue (staff see it unmasked)."""

    team = serializers.CharField(source="team.name", default=None, read_only=True, allow_null=True)

    class Meta(QuestionSerializer.Meta):
        fields = [
            *QuestionSerializer.Meta.fields,
            "team",
            "assignee",
            "respond_by",
            "resolve_by",
            "overdue_at",
            "escalated_at",
        ]


class DeskListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = QueueItemSerializer(many=True)


class BacklogSerializer(serializers.Serializer):
    team_id = serializers.IntegerField(source="pk")
    team = serializers.CharField(source="name")
    waiting = serializers.IntegerField()
    late = serializers.IntegerField(help_text="Waiting past the first-response deadline")
    oldest = serializers.DateTimeField(allow_null=True, help_text="The oldest waiting question")


class DeskSerializer(serializers.Serializer):
    """The workbench home: my queue, what is overdue or due today (local time), each team's
    backlog, and the triage queue's size for cadres and admins (null for others)."""

    mine = DeskListSerializer()
    overdue = DeskListSerializer()
    due_today = DeskListSerializer()
    backlog = BacklogSerializer(many=True)
    triage = serializers.IntegerField(allow_null=True)


class HeldReplySerializer(ReplySerializer):
    question = serializers.IntegerField(source="question_id")
    held_for = serializers.ListField(child=serializers.CharField())

    class Meta(ReplySerializer.Meta):
        fields = [*ReplySerializer.Meta.fields, "question", "held_for"]


class BodySerializer(serializers.Serializer):
    body = serializers.CharField(max_length=BODY_MAX_LENGTH)


class RateSerializer(serializers.Serializer):
    stars = IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class AssignSerializer(serializers.Serializer):
    assignee = IdField()


class RouteSerializer(serializers.Serializer):
    team = IdField()
    assignee = IdField(required=False, allow_null=True, default=None)


class ReclassifySerializer(serializers.Serializer):
    category = serializers.CharField(
        max_length=64, help_text="A standard code or a local sub-category's code"
    )


class InternalNoteSerializer(serializers.ModelSerializer):
    """A note staff keep on a question for each other; never shown to the asker."""

    author = serializers.CharField(source="author.__str__", read_only=True)
    body = serializers.CharField(max_length=2000)

    class Meta:
        model = InternalNote
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = ["created_at"]


class QuestionListItemSerializer(QuestionSerializer):
    """A question in a list, as the pages' lists show it: who answered first, how many
    answers, when, and an excerpt (masked as the title is, before it is cut)."""

    answered_by = serializers.SerializerMethodField()
    answer_count = serializers.IntegerField(read_only=True, default=0)
    excerpt = serializers.SerializerMethodField()

    class Meta(QuestionSerializer.Meta):
        fields = [
            *QuestionSerializer.Meta.fields,
            "first_answered_at",
            "answered_by",
            "answer_count",
            "excerpt",
        ]

    def get_answered_by(self, question) -> str:
        from portal.presenters import answered_by

        return answered_by(question)

    def get_excerpt(self, question) -> str:
        from portal.presenters import excerpt

        return excerpt(self._text(question.body))
