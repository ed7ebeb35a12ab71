"""Questions youths ask and everything that happens to them (找咨询), in a committee's schema."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import timeline
import timeline.models


class Question(models.Model):
    class State(models.TextChoices):
        NEW = "new", _("New")
        PENDING_REVIEW = "pending_review", _("Pending review")
        ROUTED = "routed", _("Routed")
        ANSWERED = "answered", _("Answered")
        SOLVED = "solved", _("Solved")
        CLOSED = "closed", _("Closed")

    # Accounts and standard categories live in the public schema: no database constraint
    # across schemas (see portal.Notice.author).
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("details"), blank=True)
    category = models.ForeignKey(
        "franchise.Category", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    # What the classifier suggested, kept to learn from a cadre's correction.
    suggested_category = models.CharField(max_length=16, blank=True)
    suggested_confidence = models.FloatField(null=True)
    is_anonymous = models.BooleanField(_("ask anonymously"), default=False)
    is_public = models.BooleanField(_("may be shown in the public archive"), default=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.NEW)
    held_for = models.JSONField(default=list, blank=True)  # sensitive terms that held it
    local_category = models.ForeignKey(
        "LocalCategory", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The queue it is in: a team's, or the triage queue when there is none (see selectors).
    team = models.ForeignKey(
        "Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    # Supervision (督办): the deadlines, and when each was missed.
    respond_by = models.DateTimeField(null=True, blank=True)
    resolve_by = models.DateTimeField(null=True, blank=True)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    # A question transferred (转接) to another committee: handled there, followed here.
    transferred_to = models.CharField(max_length=64, blank=True)
    # A question transferred in: where it was asked, and its id there.
    origin_committee = models.CharField(max_length=64, blank=True)
    origin_question_id = models.BigIntegerField(null=True, blank=True)
    # Segmented words of title and body (franchise.text), kept current by the services.
    search = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            GinIndex(fields=["search"], name="question_search"),
            models.Index(fields=["state", "-created_at"], name="question_state"),
            models.Index(fields=["asker", "-created_at"], name="question_asker"),
            models.Index(fields=["team", "state"], name="question_queue"),
            models.Index(fields=["assignee", "state"], name="question_assignee"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["origin_committee", "origin_question_id"],
                name="one_copy_per_transfer",
                condition=models.Q(origin_question_id__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        """Waiting for staff here: in the review, triage or a team's queue."""
        return self.state in OPEN_STATES and not self.transferred_to

    @property
    def is_transferred_in(self) -> bool:
        return self.origin_question_id is not None

    @property
    def timeline(self) -> "QuerySet[timeline.models.Event]":
        """What happened to the question, oldest first."""
        return timeline.of(self)

    @property
    def peers(self) -> list[str]:
        """The committees holding a copy of this question: where it was transferred from
        and where to. Its timeline is kept the same on all of them."""
        return [code for code in (self.origin_committee, self.transferred_to) if code]


OPEN_STATES = (Question.State.NEW, Question.State.PENDING_REVIEW, Question.State.ROUTED)


class QuestionEvent(models.TextChoices):
    """What happens to a question, as the timeline (``timeline.Event.kind``) names it."""

    ASKED = "qa.asked", _("asked")
    HELD = "qa.held", _("held for review")
    RELEASED = "qa.released", _("released after review")
    REJECTED = "qa.rejected", _("rejected after review")
    CLASSIFIED = "qa.classified", _("classified")
    ROUTED = "qa.routed", _("routed")
    TRANSFERRED_OUT = "qa.transferred_out", _("transferred out")
    TRANSFERRED_IN = "qa.transferred_in", _("transferred in")
    ANSWERED = "qa.answered", _("answered")
    SOLVED = "qa.solved", _("solved")
    RATED = "qa.rated", _("rated")
    REOPENED = "qa.reopened", _("reopened")
    OVERDUE = "qa.overdue", _("overdue")
    ESCALATED = "qa.escalated", _("escalated")
    CLOSED = "qa.closed", _("closed")
    ASSIGNED = "qa.assigned", _("assigned")
    FOLLOWED_UP = "qa.followed_up", _("followed up")
    DISLIKED = "qa.disliked", _("answer marked unhelpful")
    # Another youth took this answer for the same question instead of asking it.
    DEFLECTED = "qa.deflected", _("answer taken by another youth instead of asking")


class Reply(models.Model):
    """An answer to a question, or the asker's follow-up. Screened like the question: a hit
    holds it for review."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("Answer")
        FOLLOW_UP = "follow_up", _("Follow-up")

    class AuthorKind(models.TextChoices):
        """The five modes of help: 团帮青、专帮青、青帮青、政帮青、社帮青."""

        CADRE = "cadre", _("League cadre")
        EXPERT = "expert", _("Expert")
        ORGANISATION = "organisation", _("Social organisation")
        GOVERNMENT = "government", _("Government department")
        PEER = "peer", _("Fellow youth")
        ASKER = "asker", _("Asker")

    class State(models.TextChoices):
        PUBLISHED = "published", _("Published")
        PENDING_REVIEW = "pending_review", _("Pending review")
        REJECTED = "rejected", _("Rejected")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="replies")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ANSWER)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    author_kind = models.CharField(max_length=16, choices=AuthorKind.choices)
    organisation = models.CharField(max_length=100, blank=True)
    body = models.TextField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PUBLISHED)
    held_for = models.JSONField(default=list, blank=True)
    is_unhelpful = models.BooleanField(default=False)  # the asker's dislike
    # "<committee>:<id>" of the reply this one mirrors on a transferred question.
    origin_ref = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["origin_ref"],
                name="one_mirror_per_reply",
                condition=~models.Q(origin_ref=""),
            )
        ]
        indexes = [
            models.Index(
                fields=["id"],
                name="reply_pending",
                condition=models.Q(state="pending_review"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id} {self.kind} {self.pk}"

    @property
    def is_peer(self) -> bool:
        return self.author_kind == self.AuthorKind.PEER


def _private_storage():
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)


def _attachment_path(attachment: "Attachment", filename: str) -> str:
    from django.db import connection

    return f"{getattr(connection, 'schema_name', 'public')}/questions/{filename}"


class Attachment(models.Model):
    """An image attached to a question; shown to the asker and the staff handling it only,
    so it is kept outside the publicly served media folder."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, storage=_private_storage)
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return str(self.file.name)


class LocalCategory(models.Model):
    """A committee's own sub-category (地方子类), mapped to one standard category."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=30)
    standard = models.ForeignKey(
        "franchise.Category",
        verbose_name=_("standard category"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["standard_id", "name"]
        verbose_name = _("local sub-category")

    def __str__(self) -> str:
        return self.name


class LocalTerm(models.Model):
    """A sensitive term this committee screens for besides the central list."""

    term = models.CharField(_("term"), max_length=50, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term


class Deadline(models.Model):
    """This committee's deadlines for a standard category, instead of the central default."""

    category = models.OneToOneField(
        "franchise.Category",
        verbose_name=_("standard category"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    first_response_s = models.PositiveIntegerField(_("first response within (s)"))
    resolution_s = models.PositiveIntegerField(_("resolution within (s)"))

    class Meta:
        ordering = ["category_id"]

    def __str__(self) -> str:
        return f"{self.category_id}: {self.first_response_s}/{self.resolution_s}"


class Team(models.Model):
    """A service alliance (服务联盟) or department (部门) that answers questions."""

    class Kind(models.TextChoices):
        ALLIANCE = "alliance", _("Service alliance")
        DEPARTMENT = "department", _("Department")

    name = models.CharField(_("name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ALLIANCE)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Told when the team's questions are overdue.
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """An account answering for a team: a cadre, an expert, an organisation or a department."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    kind = models.CharField(
        _("answers as"),
        max_length=16,
        choices=[c for c in Reply.AuthorKind.choices if c[0] not in ("peer", "asker")],
    )
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    last_assigned_at = models.DateTimeField(null=True, blank=True)  # for round robin

    class Meta:
        ordering = ["team_id", "id"]
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="member_once")]

    def __str__(self) -> str:
        return f"{self.team}: {self.user_id}"


class RoutingRule(models.Model):
    """Questions of a category (or a local sub-category) go to a team; a member is then
    chosen by the strategy, or claims it from the team's queue."""

    class Strategy(models.TextChoices):
        QUEUE = "queue", _("Members claim from the queue")
        LEAST_LOADED = "least_loaded", _("Least loaded member")
        ROUND_ROBIN = "round_robin", _("Round robin")

    category = models.ForeignKey(
        "franchise.Category",
        verbose_name=_("standard category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    local_category = models.ForeignKey(
        LocalCategory,
        verbose_name=_("local sub-category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="rules"
    )
    strategy = models.CharField(
        _("strategy"), max_length=16, choices=Strategy.choices, default=Strategy.LEAST_LOADED
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["category"],
                name="one_rule_per_category",
                condition=models.Q(local_category__isnull=True),
            ),
            models.UniqueConstraint(fields=["local_category"], name="one_rule_per_local_category"),
            models.CheckConstraint(
                condition=models.Q(category__isnull=False) | models.Q(local_category__isnull=False),
                name="rule_names_a_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_category_id or self.category_id} → {self.team_id}"


class SupervisionItem(models.Model):
    """A question of a committee below that missed its resolution deadline, on this
    committee's supervision board (督办). Arrives through the outbox."""

    committee_code = models.CharField(max_length=64)
    committee_name = models.CharField(max_length=100)
    question_id = models.BigIntegerField()
    title = models.CharField(max_length=100)  # masked
    category = models.CharField(max_length=16)
    team = models.CharField(max_length=60, blank=True)
    escalated_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["resolved_at", "-escalated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee_code", "question_id"], name="one_item_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee_code}#{self.question_id}"


class InternalNote(models.Model):
    """A note staff keep on a question for each other (内部备注): never shown to the asker
    nor on the public page, nor sent with a transfer."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.question_id} note {self.pk}"


class ReplyTemplate(models.Model):
    """A team's ready answer (常用回复) that staff insert into the answer box and adapt."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="reply_templates"
    )
    title = models.CharField(_("title"), max_length=40)
    body = models.TextField(_("text"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["team_id", "title"]
        constraints = [
            models.UniqueConstraint(fields=["team", "title"], name="reply_template_title_once")
        ]

    def __str__(self) -> str:
        return self.title
