"""The central rollup (统一后台数据), in the public schema: what every committee's timeline
recorded, counted per committee, day and standard category.

Each figure is kept twice: a committee's own (``is_subtree=False``) and its whole subtree's
(``is_subtree=True``, itself and every committee below it), so that the nation, a province or a
city is one indexed read however many committees lie below it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import metrics


class _Cell(models.Model):
    committee = models.ForeignKey("tenants.Committee", on_delete=models.CASCADE, related_name="+")
    is_subtree = models.BooleanField()
    day = models.DateField()  # in the platform's time zone
    category = models.CharField(max_length=16)

    class Meta:
        abstract = True


class DailyFigures(_Cell):
    """Counts of one committee (or subtree) on one day in one category: a column for each
    ``Count`` the domains declare (``reporting.metrics``, added below), and the visits."""

    visits = models.PositiveIntegerField(default=0)  # effective unique visits to posts

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "is_subtree", "day", "category"], name="figures_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.day} {self.category}"


metrics.discover()
for _count in metrics.COUNTS:
    DailyFigures.add_to_class(_count.column, models.PositiveIntegerField(default=0))


class CampaignFigures(_Cell):
    """The same counts for events under one campaign (their ``data.campaign``): a campaign's
    national page reads the nation's, a province's or a city's subtree in one indexed read."""

    campaign = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "is_subtree", "day", "category", "campaign"],
                name="campaign_cell",
            )
        ]
        indexes = [models.Index(fields=["campaign", "is_subtree"], name="campaign_cells")]

    def __str__(self) -> str:
        return f"{self.campaign} {self.committee_id} {self.day}"


for _count in metrics.COUNTS:
    CampaignFigures.add_to_class(_count.column, models.PositiveIntegerField(default=0))


class ResponseTimes(_Cell):
    """How many first answers took as long as ``bucket`` (``reporting.metrics.bucket_of``):
    a histogram that adds up across days and committees, for medians and percentiles."""

    bucket = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "is_subtree", "day", "category", "bucket"],
                name="response_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.day} {self.category} #{self.bucket}: {self.count}"


class TopicCount(_Cell):
    """How many questions asked used ``term`` (hot topics, 热点关注): a word of their
    titles, or two written together joined by a space (``franchise.text.topic_terms``)."""

    term = models.CharField(max_length=64)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "is_subtree", "day", "category", "term"], name="topic_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.day} {self.term}: {self.count}"


class ServedYouth(models.Model):
    """A youth a committee served (a first answer to their question) on a day: distinct
    youths over any range and subtree are counted from these rows."""

    committee = models.ForeignKey("tenants.Committee", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    category = models.CharField(max_length=16)
    user_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "day", "category", "user_id"], name="served_once"
            )
        ]
        indexes = [models.Index(fields=["day", "committee"], name="served_day")]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.day} {self.user_id}"


class PostVisit(models.Model):
    """A visitor opening a post, once per post per day (an effective unique visit). Staff
    visits are not recorded. Counted into ``DailyFigures.visits`` by the shipper."""

    committee = models.ForeignKey("tenants.Committee", on_delete=models.CASCADE, related_name="+")
    post_type = models.CharField(max_length=16)  # "question"
    post_id = models.BigIntegerField()
    category = models.CharField(max_length=16)
    visitor = models.CharField(max_length=40)  # an account id, or a hash for visitors
    day = models.DateField()
    at = models.DateTimeField(default=timezone.now)
    is_shipped = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "post_type", "post_id", "visitor", "day"], name="visit_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["id"], name="visit_unshipped", condition=models.Q(is_shipped=False)
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.post_type}:{self.post_id} {self.day}"


class SurveyTally(models.Model):
    """How often each answer of a survey was given, per committee: a survey sent down from
    a committee above is answered in every committee below, and its results are the sum of
    its subtree's rows here (``surveys.results``). ``option`` and ``row`` are -1 where they
    do not apply, ``term`` a word of free-text answers (else empty)."""

    origin_committee = models.CharField(max_length=64)
    origin_survey = models.PositiveBigIntegerField()
    committee = models.ForeignKey("tenants.Committee", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()
    option = models.SmallIntegerField(default=-1)
    row = models.SmallIntegerField(default=-1)
    term = models.CharField(max_length=40, default="", blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "origin_committee",
                    "origin_survey",
                    "committee",
                    "position",
                    "option",
                    "row",
                    "term",
                ],
                name="survey_tally_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.origin_committee}:{self.origin_survey} q{self.position}"


class SurveyRespondent(models.Model):
    """Who answered a survey, wherever they answered it: a survey sent down is answered in
    every committee below, and one account answers it once for the whole tree (the
    original and its copies). ``key`` is a keyed hash of the account and the original, so
    an anonymous survey's respondents stay unknown here too."""

    origin_committee = models.CharField(max_length=64)
    origin_survey = models.PositiveBigIntegerField()
    key = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["origin_committee", "origin_survey", "key"], name="one_answer_a_tree"
            )
        ]

    def __str__(self) -> str:
        return f"{self.origin_committee}:{self.origin_survey}"


class StandardScore(models.Model):
    """The youth-judgement standard score (青年评议标准分) of a staff member or a team
    (an organisation, an alliance, a department) in one committee, from every youth rating
    of what they answered, handled or ran there (``reporting.standing``). Recomputed whole."""

    class Kind(models.TextChoices):
        ACCOUNT = "account"
        TEAM = "team"

    committee = models.ForeignKey("tenants.Committee", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    subject_id = models.BigIntegerField()  # the account's id, or the team's in the schema
    name = models.CharField(max_length=100)
    ratings = models.PositiveIntegerField()  # youths' ratings behind it
    weight = models.FloatField()  # their weight, by term, suspect ones down-weighted
    mean = models.FloatField()  # their weighted mean stars
    score = models.FloatField()  # 0–100: the shrunk mean on the 1–5 scale
    flagged = models.PositiveIntegerField(default=0)  # suspect ratings among them
    terms = models.JSONField(default=dict)  # term: [ratings, mean stars]
    standard_version = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "kind", "subject_id"], name="one_score_a_subject"
            )
        ]
        indexes = [models.Index(fields=["committee", "kind", "-score"], name="score_ranking")]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.kind}:{self.subject_id} {self.score:.1f}"


class RatingFlag(models.Model):
    """A rating the standard score counted as suspect, for review: from an account made in a
    burst with other raters of the same person, or from an address another rater used. The
    central office clears it (it counts in full) or confirms it (it no longer counts)."""

    class Reason(models.TextChoices):
        BURST = "burst", _("accounts made in a burst")
        ADDRESS = "address", _("an address another rater used")

    class Decision(models.TextChoices):
        OPEN = "", _("to review")
        CLEARED = "cleared", _("cleared: it counts in full")
        CONFIRMED = "confirmed", _("confirmed: it no longer counts")

    committee = models.ForeignKey("tenants.Committee", on_delete=models.CASCADE, related_name="+")
    event_id = models.BigIntegerField()  # the rating's event, in the committee's timeline
    rater_id = models.BigIntegerField()
    reasons = models.JSONField(default=list)
    # What was rated, for the reviewer: the stars, the accounts credited and the team's name.
    stars = models.PositiveSmallIntegerField(default=0)
    credited = models.JSONField(default=list)
    team_name = models.CharField(max_length=100, blank=True)
    flagged_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=Decision.choices, default="", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["committee", "event_id"], name="one_flag_a_rating")
        ]

    def __str__(self) -> str:
        return f"{self.committee_id}:{self.event_id} {self.reasons}"
