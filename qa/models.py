"""Questions youths ask and everything that happens to them (找咨询), in a committee's schema."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
        ]

    def __str__(self) -> str:
        return self.title


class TimelineEvent(models.Model):
    """One thing that happened to a question: append-only, written in the same transaction as
    the change. The central rollup reads these in ``id`` order."""

    class Kind(models.TextChoices):
        ASKED = "asked", _("asked")
        HELD = "held", _("held for review")
        RELEASED = "released", _("released after review")
        REJECTED = "rejected", _("rejected after review")
        CLASSIFIED = "classified", _("classified")
        ROUTED = "routed", _("routed")
        TRANSFERRED_OUT = "transferred_out", _("transferred out")
        TRANSFERRED_IN = "transferred_in", _("transferred in")
        ANSWERED = "answered", _("answered")
        SOLVED = "solved", _("solved")
        RATED = "rated", _("rated")
        REOPENED = "reopened", _("reopened")
        OVERDUE = "overdue", _("overdue")
        ESCALATED = "escalated", _("escalated")
        CLOSED = "closed", _("closed")

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="timeline")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor_id = models.BigIntegerField(null=True)  # an account; None for the platform itself
    state = models.CharField(max_length=16)  # the question's state after the event
    category = models.CharField(max_length=16)  # its standard category after the event
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["question", "id"], name="timeline_question")]

    def __str__(self) -> str:
        return f"{self.question_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
