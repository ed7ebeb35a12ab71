"""Demand surveys and public calls for opinions (需求调查, 公开征集意见): a committee's own, or
one sent down from a committee above to every committee of its subtree, whose results roll
up to the sender (``SurveyTally`` in the public schema)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Survey(models.Model):
    """A survey of this committee's youths: one response an account, anonymous to staff
    when ``is_anonymous``. ``origin`` names the committee and survey it was sent down from
    (empty: this committee's own)."""

    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    is_anonymous = models.BooleanField(_("anonymous to staff"), default=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    # The activity it prepares (需求调查 → 活动发布), if any.
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("activity"),
    )
    origin_committee = models.CharField(max_length=64, blank=True)
    origin_survey = models.PositiveBigIntegerField(null=True, blank=True)
    is_sent_down = models.BooleanField(default=False)  # sent to every committee below
    created_by = models.PositiveBigIntegerField(null=True, blank=True)  # the account
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="survey_closes_after"
            ),
            models.UniqueConstraint(
                fields=["origin_committee", "origin_survey"],
                condition=Q(origin_survey__isnull=False),
                name="one_survey_copy_per_origin",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A question of a survey. ``options`` are the choices (of a single or multiple choice,
    a ranking, a matrix's columns), ``rows`` a matrix's rows; ``shown_if`` a display
    condition ``{"question": position, "option": index}``: shown only when that earlier
    question was answered with that option."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        SCALE = "scale", _("rating scale")
        RANKING = "ranking", _("ranking")
        TEXT = "text", _("free text")
        MATRIX = "matrix", _("matrix")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    is_required = models.BooleanField(_("required"), default=True)
    options = models.JSONField(default=list, blank=True)
    rows = models.JSONField(default=list, blank=True)
    scale_max = models.PositiveSmallIntegerField(default=5)  # a scale runs 1 … scale_max
    shown_if = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="one_question_a_position")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def scale_range(self) -> range:
        return range(1, self.scale_max + 1)


class Response(models.Model):
    """An account's response. ``respondent_key`` (a keyed hash of the account) keeps one
    response an account; ``respondent`` is kept only when the survey is not anonymous."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent_key = models.CharField(max_length=32)
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent_key"], name="one_response_per_account"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.pk}"


class Answer(models.Model):
    """One piece of a response: an option chosen (a multiple choice gives one an option),
    a matrix row's column, a rank given to an option, a point on a scale, or a text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.PositiveSmallIntegerField(null=True, blank=True)
    row = models.PositiveSmallIntegerField(null=True, blank=True)
    value = models.PositiveSmallIntegerField(null=True, blank=True)  # a scale's, a rank
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "option", "row"], name="answers_by_option")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.option} {self.value}"


class SurveyEvent(models.TextChoices):
    PUBLISHED = "surveys.published", _("survey published")
    SENT_DOWN = "surveys.sent_down", _("survey sent to the committees below")
    RESPONDED = "surveys.responded", _("responded to a survey")
