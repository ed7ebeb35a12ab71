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
from casework.models import Handled


class Question(Handled):
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
        "casework.LocalCategory", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The team the youth asked (a youth home's staff), which it goes to instead of the rules.
    designated = models.ForeignKey(
        "casework.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The queue, the handler and the deadlines are casework's fields (Handled).
    first_answered_at = models.DateTimeField(null=True, blank=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    # Where it was transferred to or from is casework's (Handled, ``casework.transfer``).
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
                fields=["origin_committee", "origin_id"],
                name="one_copy_per_transfer",
                condition=models.Q(origin_id__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        """Waiting for staff here: in the review, triage or a team's queue."""
        return self.state in OPEN_STATES and not self.transferred_to

    @property
    def timeline(self) -> "QuerySet[timeline.models.Event]":
        """What happened to the question, oldest first."""
        return timeline.of(self)


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
    URGED = "qa.urged", _("urged by the supervising committee")
    CLOSED = "qa.closed", _("closed")
    ASSIGNED = "qa.assigned", _("assigned")
    FOLLOWED_UP = "qa.followed_up", _("followed up")
    DISLIKED = "qa.disliked", _("answer marked unhelpful")
    # Another youth took this answer for the same question instead of asking it.
    DEFLECTED = "qa.deflected", _("answer taken by another youth instead of asking")
    # It needed help offline: it goes on as a help case (data: the case's id and page).
    HANDED_OFF = "qa.handed_off", _("handled on as a help case")


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
