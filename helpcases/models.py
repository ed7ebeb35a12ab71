"""Help cases and collective demands, in a committee's schema."""

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


class HelpCase(Handled):
    """A youth's need for help (找帮助), or a collective demand (集中性诉求) grouping several
    cases and questions to be handled as one."""

    class State(models.TextChoices):
        PENDING_REVIEW = "pending_review", _("Pending review")
        RECEIVED = "received", _("Received")  # 线上接收
        VERIFYING = "verifying", _("Being verified")  # 线下核实
        COORDINATING = "coordinating", _("Being coordinated")  # 协调解决
        RESOLVED = "resolved", _("Resolved")
        UNRESOLVED = "unresolved", _("Not resolved")
        REPORTED = "reported", _("Reported back")  # 反馈结果
        EVALUATED = "evaluated", _("Evaluated")  # 接受青年评价
        CLOSED = "closed", _("Closed")
        GROUPED = "grouped", _("Handled in a collective demand")

    youth = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    title = models.CharField(_("what you need"), max_length=100)
    body = models.TextField(_("details"), blank=True)
    place = models.CharField(_("where"), max_length=200, blank=True)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    contact = models.CharField(_("how to reach you"), max_length=100, blank=True)
    category = models.ForeignKey(
        "franchise.Category", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    local_category = models.ForeignKey(
        "casework.LocalCategory", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The organisation the youth asked to help (an organisation listed on the portal).
    designated = models.ForeignKey(
        "casework.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whether the details (not the youth's name or contact) may be shown on the public page.
    is_public = models.BooleanField(_("others may read the details"), default=False)
    state = models.CharField(max_length=16, choices=State.choices, default=State.RECEIVED)
    held_for = models.JSONField(default=list, blank=True)
    is_collective = models.BooleanField(default=False)
    # The collective demand this case is handled in.
    collective = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="grouped"
    )
    # The question it came from (a question that needed offline help).
    question_id = models.BigIntegerField(null=True, blank=True)
    # The queue, the handler and the deadlines are casework's fields (Handled).
    first_response_at = models.DateTimeField(null=True, blank=True)
    # The outcome, and what the youth was told.
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome_reason = models.CharField(_("why it could not be resolved"), max_length=500, blank=True)
    report = models.TextField(_("what was done"), blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    # The youths' one second chance after an unsatisfied evaluation (reopen or escalate).
    round = models.PositiveSmallIntegerField(default=1)
    # Segmented words of title and details (similarity.documents), for grouping alike cases.
    search = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            GinIndex(fields=["search"], name="helpcase_search"),
            models.Index(fields=["state", "-created_at"], name="helpcase_state"),
            models.Index(fields=["youth", "-created_at"], name="helpcase_youth"),
            models.Index(fields=["team", "state"], name="helpcase_queue"),
            models.Index(fields=["assignee", "state"], name="helpcase_assignee"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["origin_committee", "origin_id"],
                name="one_help_copy_per_transfer",
                condition=models.Q(origin_id__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def timeline(self) -> "QuerySet[timeline.models.Event]":
        return timeline.of(self)

    @property
    def is_open(self) -> bool:
        """Waiting for staff here: received, being verified or coordinated."""
        return self.state in OPEN_STATES and not self.transferred_to


OPEN_STATES = (
    HelpCase.State.RECEIVED,
    HelpCase.State.VERIFYING,
    HelpCase.State.COORDINATING,
)


class HelpEvent(models.TextChoices):
    """What happens to a help case, as the timeline names it."""

    RECEIVED = "help.received", _("received")
    HELD = "help.held", _("held for review")
    RELEASED = "help.released", _("released after review")
    REJECTED = "help.rejected", _("rejected after review")
    ROUTED = "help.routed", _("passed to a team")
    ASSIGNED = "help.assigned", _("assigned")
    VERIFYING = "help.verifying", _("verification started")
    VERIFIED = "help.verified", _("verified offline")
    ACTION = "help.action", _("action planned")
    ACTION_DONE = "help.action_done", _("action done")
    RESOLVED = "help.resolved", _("resolved")
    UNRESOLVED = "help.unresolved", _("could not be resolved")
    REPORTED = "help.reported", _("result reported back")
    EVALUATED = "help.evaluated", _("evaluated by the youth")
    RATED = "help.rated", _("rated")
    # The committee above reviewed a youth's word that the help was not real.
    FAKE_CONFIRMED = "help.fake_confirmed", _("confirmed not real by the committee above")
    FAKE_DISMISSED = "help.fake_dismissed", _("the word that it was not real was dismissed")
    REOPENED = "help.reopened", _("reopened after the youth's evaluation")
    ESCALATED = "help.escalated", _("escalated")
    OVERDUE = "help.overdue", _("overdue")
    URGED = "help.urged", _("urged by the supervising committee")
    JOINED = "help.joined", _("another youth has the same need")
    GROUPED = "help.grouped", _("grouped into a collective demand")
    COLLECTED = "help.collected", _("collective demand formed")
    CLOSED = "help.closed", _("closed")
    TRANSFERRED_OUT = "help.transferred_out", _("transferred out")
    TRANSFERRED_IN = "help.transferred_in", _("transferred in")


class Verification(models.Model):
    """The offline verification (线下核实) staff recorded: how, when, what they found."""

    class Method(models.TextChoices):
        VISIT = "visit", _("Visit")
        CALL = "call", _("Phone call")
        DOCUMENTS = "documents", _("Documents")
        OTHER = "other", _("Other")

    class Verdict(models.TextChoices):
        GENUINE = "genuine", _("Genuine")
        NOT_GENUINE = "not_genuine", _("Not genuine")
        NEEDS_MORE = "needs_more", _("Needs more information")

    case = models.ForeignKey(HelpCase, on_delete=models.CASCADE, related_name="verifications")
    method = models.CharField(_("how"), max_length=16, choices=Method.choices)
    verified_on = models.DateField(_("when"))
    findings = models.TextField(_("findings"), max_length=2000)
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.verdict}"


class Action(models.Model):
    """A planned step of the coordination (协调解决): who is engaged, what, by when."""

    case = models.ForeignKey(HelpCase, on_delete=models.CASCADE, related_name="actions")
    organisation = models.ForeignKey(
        "casework.Team",
        verbose_name=_("organisation engaged"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resource = models.CharField(_("resource engaged"), max_length=100, blank=True)
    description = models.CharField(_("what will be done"), max_length=500)
    due_on = models.DateField(_("by"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class CoSigner(models.Model):
    """Another youth with the same need (我也遇到), on a public case."""

    case = models.ForeignKey(HelpCase, on_delete=models.CASCADE, related_name="cosigners")
    youth = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    details = models.CharField(_("your situation (optional)"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "youth"], name="cosign_once")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.youth_id}"


class GroupedQuestion(models.Model):
    """A question of this committee handled in a collective demand (its asker is a member)."""

    case = models.ForeignKey(HelpCase, on_delete=models.CASCADE, related_name="questions")
    question_id = models.BigIntegerField(unique=True)
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )

    def __str__(self) -> str:
        return f"{self.case_id}: question {self.question_id}"


class Evaluation(models.Model):
    """A member's evaluation of the help (接受青年评价), once per round: was it real, did it
    solve the problem; unsatisfied, the youth may reopen the case or escalate it, once."""

    class Next(models.TextChoices):
        NONE = "", _("Nothing more")
        REOPEN = "reopen", _("Reopen the case")
        ESCALATE = "escalate", _("Take it to the committee above")

    case = models.ForeignKey(HelpCase, on_delete=models.CASCADE, related_name="evaluations")
    youth = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    round = models.PositiveSmallIntegerField()
    stars = models.PositiveSmallIntegerField(_("stars"))
    is_real = models.BooleanField(_("the help really happened"))
    is_solved = models.BooleanField(_("it solved my problem"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    next = models.CharField(max_length=8, choices=Next.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "youth", "round"], name="evaluate_once"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="evaluation_stars"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.youth_id} {self.stars}"
