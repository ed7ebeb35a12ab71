"""The central standards every committee's data maps to (统一后台数据), in the public schema."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A standard question category (``study``, ``career``…) with its default deadlines."""

    code = models.SlugField(primary_key=True, max_length=16)
    name = models.CharField(_("name"), max_length=20)
    name_en = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    first_response_s = models.PositiveIntegerField(
        _("first response within (s)"), help_text=_("Default; a committee may set its own.")
    )
    resolution_s = models.PositiveIntegerField(_("resolution within (s)"))

    class Meta:
        ordering = ["position"]
        verbose_name = _("standard category")
        verbose_name_plural = _("standard categories")

    def __str__(self) -> str:
        return self.name


class SensitiveTerm(models.Model):
    """A term the central office screens for: a hit sends the text to review, not to print."""

    term = models.CharField(max_length=50, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term


class TrainingExample(models.Model):
    """A question labelled by staff (a corrected category): training data for the next model."""

    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT)
    committee_code = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.category_id}: {self.title}"


class ClassifierModel(models.Model):
    """A trained category classifier; the newest one is used everywhere."""

    created_at = models.DateTimeField(auto_now_add=True)
    blob = models.BinaryField()
    examples = models.PositiveIntegerField()
    corrections = models.PositiveIntegerField(default=0)
    held_out_accuracy = models.FloatField(null=True)

    class Meta:
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"classifier {self.pk} ({self.examples} examples)"


def in_force(versions: models.QuerySet, day):
    """The version among ``versions`` (of a standard with ``effective_from``) in force on
    ``day``: the latest from that day or before, the earliest for days before any."""
    found = versions.filter(effective_from__lte=day).order_by("-effective_from").first()
    return found or versions.order_by("effective_from")[:1].get()


class IndexStandard(models.Model):
    """The influence index's weights (影响力指数) and the satisfaction prior, versioned: a
    period is scored with the version in force on its first day, so a past month's index can
    be recomputed as it was. See ``franchise.influence``."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    effective_from = models.DateField(_("in force from"), unique=True)
    visit_weight = models.FloatField(_("points per effective unique visit"))
    league_answer_weight = models.FloatField(_("points per question answered by the League"))
    other_answer_weight = models.FloatField(_("points per question answered by others"))
    help_weight = models.FloatField(_("points per effective help case"))
    activity_weight = models.FloatField(_("points per activity with registrations and photos"))
    boost_threshold = models.FloatField(
        _("help effectiveness that scales the index up"),
        help_text=_("At or above it the index is multiplied by effectiveness ÷ threshold."),
    )
    rating_prior_weight = models.PositiveIntegerField(
        _("ratings of prior weight"),
        help_text=_("Satisfaction is shrunk toward the national mean as if by this many ratings."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("influence index standard")
        verbose_name_plural = _("influence index standards")

    def __str__(self) -> str:
        return f"v{self.version} ({self.effective_from})"


class ScoreStandard(models.Model):
    """The youth-judgement standard score's weights (青年评议标准分), versioned like the index:
    a score is computed with the version in force on the day it is computed for. See
    ``reporting.standing``."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    effective_from = models.DateField(_("in force from"), unique=True)
    answer_weight = models.FloatField(_("weight of a rating of an answer"))
    help_weight = models.FloatField(_("weight of a rating of a help case"))
    booking_weight = models.FloatField(_("weight of a rating of a youth-home service"))
    activity_weight = models.FloatField(_("weight of a rating of an activity"))
    prior_weight = models.PositiveIntegerField(
        _("ratings of prior weight"),
        help_text=_("A score is shrunk toward the national mean as if by this many ratings."),
    )
    suspect_weight = models.FloatField(
        _("weight kept by a suspect rating"),
        help_text=_(
            "A rating from an account made in a burst, or from an address another rater of "
            "the same person used, counts this much of a rating (0 to 1) and is flagged."
        ),
    )
    burst_accounts = models.PositiveIntegerField(
        _("accounts that make a burst"),
        help_text=_("This many raters of one person whose accounts were made close together."),
    )
    burst_window_s = models.PositiveIntegerField(_("burst window (s)"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("standard score standard")
        verbose_name_plural = _("standard score standards")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(suspect_weight__gte=0, suspect_weight__lte=1),
                name="suspect_weight_is_a_share",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    answer_weight__gte=0,
                    help_weight__gte=0,
                    booking_weight__gte=0,
                    activity_weight__gte=0,
                ),
                name="score_weights_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(burst_accounts__gte=2), name="a_burst_is_two_or_more"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version} ({self.effective_from})"

    def weight_of(self, term: str) -> float:
        """The weight of a rating under the score's ``term`` (``ratings.Rateable.term``)."""
        return {
            "answers": self.answer_weight,
            "help": self.help_weight,
            "bookings": self.booking_weight,
            "activities": self.activity_weight,
        }.get(term, 0.0)


class AssessmentStandard(models.Model):
    """An assessment standard (考核标准): the weight of each indicator in a committee's
    assessment (``reporting.assessment``), versioned. The central office's (no ``node``)
    holds for everyone; a province may publish its own for its subtree, each weight within the
    central version's ``latitude``. A period is assessed with the version in force on its
    first day, so a past period's report is recomputed as it was."""

    node = models.ForeignKey(
        "tenants.Committee",
        verbose_name=_("for the subtree of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the central standard."),
    )
    version = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("in force from"))
    weights = models.JSONField(_("weights"), default=dict)  # indicator code: weight
    latitude = models.FloatField(
        _("latitude of a province"),
        default=0.5,
        help_text=_("A province's weight may differ from the central one by this share of it."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("assessment standard")
        verbose_name_plural = _("assessment standards")
        constraints = [
            models.UniqueConstraint(
                fields=["node", "version"], name="one_version_a_node", nulls_distinct=False
            ),
            models.UniqueConstraint(
                fields=["node", "effective_from"], name="one_start_a_node", nulls_distinct=False
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__gte=0, latitude__lte=1), name="latitude_is_a_share"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version} ({self.effective_from})"


class SynonymList(models.Model):
    """The central list of words of the same meaning (同义词表), colloquial and written
    forms alike, versioned: each save is a new numbered version holding the whole list; the
    newest is in force and old versions stay readable. See ``franchise.synonyms``."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    groups = models.JSONField(_("groups"), default=list)  # [[word, …], …], normalised
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("synonym list version")
        verbose_name_plural = _("synonym list versions")

    def __str__(self) -> str:
        return f"v{self.version}"


class LocalSynonyms(models.Model):
    """A committee's own groups of words of the same meaning (本地同义词), added to the central
    list for it and for every committee below it. Kept in the public schema, one row per
    committee; ``version`` counts its saves, so every process sees a change."""

    committee = models.OneToOneField(
        "tenants.Committee",
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        related_name="local_synonyms",
    )
    groups = models.JSONField(_("groups"), default=list)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("local synonyms")
        verbose_name_plural = _("local synonyms")

    def __str__(self) -> str:
        return f"{self.committee_id} v{self.version}"


class CalendarDay(models.Model):
    """A day the central working calendar (工作日历) sets apart from the ordinary week: a day
    off for a public holiday (法定节假日, the weekend days inside it included) or a Saturday or
    Sunday worked in lieu (调休上班), as the State Council publishes them each year. Every other
    Monday to Friday is a working day and every other weekend day a day off; a committee may
    amend the calendar for itself. See ``franchise.calendar``."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("public holiday (day off)")
        WORKDAY = "workday", _("weekend day worked in lieu")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(
        _("holiday"),
        max_length=40,
        help_text=_("The holiday it belongs to, named as in the State Council's notice."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {self.name} ({self.get_kind_display()})"

    def clean(self) -> None:
        if self.kind == self.Kind.WORKDAY and self.date and self.date.weekday() < 5:
            raise ValidationError(
                {"kind": _("A day worked in lieu is a Saturday or a Sunday; weekdays are worked.")}
            )


class HomeStandard(models.Model):
    """The youth-home standard (《“青年之家”建设基本要求》): what every home must have (阵地标识、
    软硬件基准、人员配备管理及提问回复要求), item by item, versioned. A home is measured against the
    version in force today; records made against an older version keep it. Items are
    ``{"code", "area", "text"}``, ``area`` one of ``AREAS``. See ``homes.standard``."""

    AREAS = {
        "signage": _("Signage"),
        "equipment": _("Premises and equipment"),
        "staffing": _("Staffing and management"),
        "replies": _("Answering questions"),
    }

    version = models.PositiveIntegerField(_("version"), unique=True)
    effective_from = models.DateField(_("in force from"), unique=True)
    items = models.JSONField(_("items"), default=list)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("youth-home standard")
        verbose_name_plural = _("youth-home standards")

    def __str__(self) -> str:
        return f"v{self.version} ({self.effective_from})"

    def item(self, code: str) -> dict | None:
        return next((item for item in self.items if item.get("code") == code), None)

    def clean(self) -> None:
        codes = [item.get("code") for item in self.items if isinstance(item, dict)]
        if (
            not self.items
            or len(codes) != len(self.items)
            or len(set(codes)) != len(codes)
            or any(
                not code or item.get("area") not in self.AREAS or not str(item.get("text", ""))
                for code, item in zip(codes, self.items, strict=True)
            )
        ):
            raise ValidationError({"items": _("Each item needs its own code, an area and a text.")})


class HomeListing(models.Model):
    """The national directory of youth homes: one row per home of every committee, written
    by the committee in the same transaction as the home (``homes.directory``). The maps of a
    subtree and of the nation, and the homes suggested for an offline service (O2O), read it
    without visiting any committee's schema."""

    committee = models.ForeignKey(
        "tenants.Committee", on_delete=models.CASCADE, related_name="home_listings"
    )
    home_id = models.PositiveBigIntegerField()
    name = models.CharField(max_length=60)
    address = models.CharField(max_length=200)
    district = models.CharField(max_length=50, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    categories = models.JSONField(default=list)  # the standard categories of its services
    is_published = models.BooleanField(default=True)
    meets_standard = models.BooleanField(default=False)
    standard_version = models.PositiveIntegerField(null=True, blank=True)
    awaiting_check = models.PositiveIntegerField(default=0)  # compliance records to check
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["committee", "home_id"], name="one_listing_per_home")
        ]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="listings_by_position"),
            # The latest change, which the maps' cached answers are kept under.
            models.Index(fields=["updated_at"], name="listings_by_change"),
        ]

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    """A themed campaign (重磅项目, 全团集中行动) the central office, or a province for its
    subtree (``node``), launches: every committee below receives it through the outbox and
    publishes activities and entries under it. Its vote settings are the defaults of the
    votes its activities open."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=100)
    theme = models.CharField(_("theme"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    rules = models.TextField(_("rules"), blank=True)
    entry_guide = models.TextField(_("what an entry contains"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    node = models.ForeignKey(
        "tenants.Committee", on_delete=models.CASCADE, related_name="campaigns_launched"
    )
    votes_per_account = models.PositiveSmallIntegerField(_("votes per account"), default=1)
    vote_weight = models.FloatField(_("weight of the votes"), default=1.0)
    panel_weight = models.FloatField(_("weight of the review panel"), default=0.0)
    criteria = models.JSONField(_("review criteria"), default=list, blank=True)
    launched_by = models.PositiveBigIntegerField()  # the account
    launched_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("campaign")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="campaign_period"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CampaignListing(models.Model):
    """An activity, or an entry in one of its votes, published under a campaign by one
    committee: the campaign's national page lists them without visiting any schema. Written
    by the committee in the transaction that changes it (``activities.directory``)."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("activity")
        ENTRY = "entry", _("entry")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="listings")
    committee = models.ForeignKey(
        "tenants.Committee", on_delete=models.CASCADE, related_name="campaign_listings"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    item_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=100)
    detail = models.CharField(max_length=200, blank=True)  # when and where; the team
    link = models.CharField(max_length=300)  # its page on the committee's portal
    starts_at = models.DateTimeField(null=True, blank=True)
    is_shown = models.BooleanField(default=True)  # not cancelled, not confirmed fake
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "kind", "item_id"], name="one_listing_per_item"
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "kind", "starts_at"], name="listings_in_campaign")
        ]

    def __str__(self) -> str:
        return self.title


class CaseStudy(models.Model):
    """A case of the national case library (案例库): an activity a committee's staff
    nominated, with its idea and practice, its photos and how youths judged it; curated by
    the committee above (or the central office), then found by cadres of every committee.
    Written by the source committee (``activities.cases``); the source is credited."""

    class State(models.TextChoices):
        NOMINATED = "nominated", _("nominated")
        ACCEPTED = "accepted", _("in the library")
        DECLINED = "declined", _("declined")

    committee = models.ForeignKey(
        "tenants.Committee", on_delete=models.CASCADE, related_name="case_studies"
    )
    activity_id = models.PositiveBigIntegerField()
    title = models.CharField(_("title"), max_length=100)
    category = models.CharField(max_length=16)
    theme = models.CharField(_("theme"), max_length=100, blank=True)  # its campaign's
    summary = models.TextField(_("idea and practice"))
    link = models.CharField(max_length=300)
    photos = models.JSONField(default=list)  # the photos' addresses
    figures = models.JSONField(default=dict)  # registrations, check-ins, ratings, stars
    held_on = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.NOMINATED)
    nominated_by = models.PositiveBigIntegerField()
    curated_by = models.PositiveBigIntegerField(null=True, blank=True)
    curated_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("case")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "activity_id"], name="one_case_per_activity"
            )
        ]
        indexes = [models.Index(fields=["state", "category", "held_on"], name="cases_found")]

    def __str__(self) -> str:
        return self.title
