"""Who handles a committee's items and by when: teams, routing rules, deadlines, moderation
terms, the supervision board and the committee's working-calendar amendments."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Handled(models.Model):
    """What casework reads and writes on a domain's item (``casework.cases``): the queue it is
    in (a team's, or triage with none), its handler, its deadlines and when each was missed."""

    team = models.ForeignKey(
        "casework.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(app_label)s_%(class)s_items",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    respond_by = models.DateTimeField(null=True, blank=True)
    resolve_by = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # Moved (转接) to another committee, which handles it; it is followed here
    # (``casework.transfer``).
    transferred_to = models.CharField(max_length=64, blank=True)
    # Moved here: the committee it came from, and its id there.
    origin_committee = models.CharField(max_length=64, blank=True)
    origin_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_transferred_in(self) -> bool:
        return self.origin_id is not None

    @property
    def peers(self) -> list[str]:
        """The committees holding a copy of the item: where it came from and where it went.
        Its timeline is kept the same on all of them."""
        return [code for code in (self.origin_committee, self.transferred_to) if code]


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
    """This committee's deadlines for a standard category, instead of the central default
    (``casework.deadlines``: a day of a window is a working day)."""

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

    @property
    def first_response_days(self) -> float:
        return self.first_response_s / 86_400

    @property
    def resolution_days(self) -> float:
        return self.resolution_s / 86_400


class Team(models.Model):
    """Who handles items: a service alliance (服务联盟), a department (部门) or an
    organisation. An organisation is a League organisation (团内) or an outside social
    organisation (团外) with a public profile: youths may designate it for a help case when it
    is listed, and the categories it serves say what it is there for."""

    class Kind(models.TextChoices):
        ALLIANCE = "alliance", _("Service alliance")
        DEPARTMENT = "department", _("Department")
        ORGANISATION = "organisation", _("Organisation")

    class Sector(models.TextChoices):
        LEAGUE = "league", _("League organisation")
        SOCIAL = "social", _("Social organisation")

    name = models.CharField(_("name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ALLIANCE)
    description = models.CharField(_("description"), max_length=200, blank=True)
    sector = models.CharField(
        _("inside or outside the League"), max_length=8, choices=Sector.choices, blank=True
    )
    # Standard category codes the organisation serves.
    categories = models.JSONField(_("categories served"), default=list, blank=True)
    contact = models.CharField(_("public contact"), max_length=100, blank=True)
    is_listed = models.BooleanField(_("youths may designate it"), default=False)
    # Told when the team's items are overdue.
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
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="organisation") | models.Q(sector="", is_listed=False),
                name="only_organisations_have_a_sector_or_a_listing",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="organisation") | ~models.Q(sector=""),
                name="an_organisation_is_inside_or_outside_the_league",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_organisation(self) -> bool:
        return self.kind == self.Kind.ORGANISATION


class Member(models.Model):
    """An account handling a team's items: a cadre, an expert, an organisation or a
    department."""

    class Kind(models.TextChoices):
        """How the member answers: four of the five modes of help (团帮青、专帮青、社帮青、
        政帮青; the fifth, 青帮青, is any youth)."""

        CADRE = "cadre", _("League cadre")
        EXPERT = "expert", _("Expert")
        ORGANISATION = "organisation", _("Social organisation")
        GOVERNMENT = "government", _("Government department")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    kind = models.CharField(_("answers as"), max_length=16, choices=Kind.choices)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    last_assigned_at = models.DateTimeField(null=True, blank=True)  # for round robin

    class Meta:
        ordering = ["team_id", "id"]
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="member_once")]

    def __str__(self) -> str:
        return f"{self.team}: {self.user_id}"


class RoutingRule(models.Model):
    """Items of a category (or a local sub-category) go to a team; a member is then chosen
    by the strategy, or claims it from the team's queue."""

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


class SupervisionItem(models.Model):
    """An item of a committee below, still unresolved after its deadline, on this
    committee's supervision board (督办). It arrives through the outbox from the committee
    holding it (level 1: this is its parent) or from the board below, when it stayed
    unresolved past that board's own deadline too (level 2 and up)."""

    committee_code = models.CharField(max_length=64)  # where the item is handled
    committee_name = models.CharField(max_length=100)
    subject_type = models.CharField(max_length=32, default="qa.question")
    subject_id = models.BigIntegerField()
    link = models.CharField(max_length=200, blank=True)  # its page, on its committee's portal
    title = models.CharField(max_length=100)  # masked
    category = models.CharField(max_length=16)
    team = models.CharField(max_length=60, blank=True)
    level = models.PositiveSmallIntegerField(default=1)
    # The board this arrived from (blank from the committee holding the item).
    via = models.CharField(max_length=64, blank=True)
    escalated_at = models.DateTimeField()
    # When it goes on the board above if still unresolved, and when it went there.
    due_at = models.DateTimeField(null=True, blank=True)
    forwarded_to = models.CharField(max_length=64, blank=True)
    urge_count = models.PositiveIntegerField(default=0)
    last_urged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["resolved_at", "-escalated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee_code", "subject_type", "subject_id"],
                name="one_board_item_per_subject",
            )
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="board_item_due",
                condition=models.Q(resolved_at__isnull=True, forwarded_to=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee_code}#{self.subject_type}:{self.subject_id}"


class CalendarAmendment(models.Model):
    """A day this committee works or rests differently from the central calendar (a local
    holiday, a day worked)."""

    class Kind(models.TextChoices):
        OFF = "off", _("Day off")
        WORK = "work", _("Working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=40, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar amendment")

    def __str__(self) -> str:
        return f"{self.date} {self.kind}"


class TruthEvent(models.TextChoices):
    """What happens to a truthfulness review (``casework.truth``), on its own timeline."""

    REVIEWED = "casework.truth_reviewed", _("a truthfulness review was decided")
    OVERDUE = "casework.truth_overdue", _("a truthfulness review is overdue")
    ESCALATED = "casework.truth_escalated", _("a truthfulness review went to the committee above")
    URGED = "casework.truth_urged", _("the committee above urged a truthfulness review")


class TruthReview(Handled):
    """Kept by the committee above (真实度复核): the youths' word that one item of a committee
    below did not happen as described (a help case, a youth-home service, an activity), and
    the decision, which goes back to that committee. A case like any other: due on the
    reviewing committee's calendar by the item's category, supervised up the tree (督办) when
    late."""

    class State(models.TextChoices):
        OPEN = "open", _("to review")
        CONFIRMED = "confirmed", _("confirmed not real")
        DISMISSED = "dismissed", _("dismissed")

    source_committee = models.CharField(max_length=64)
    subject_type = models.CharField(max_length=32)  # "activities.activity"
    subject_id = models.PositiveBigIntegerField()
    category = models.ForeignKey(  # the item's, for the review's deadlines
        "franchise.Category",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        default="other",
    )
    title = models.CharField(max_length=100)
    link = models.CharField(max_length=300)  # the item's page, on its portal
    details = models.JSONField(default=list)  # [label, value] pairs: when, where, who
    reasons = models.JSONField(default=list)  # the latest flags: {"ref", "reason"}
    reports = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    note = models.CharField(_("note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("truthfulness review")
        constraints = [
            models.UniqueConstraint(
                fields=["source_committee", "subject_type", "subject_id"],
                name="one_truth_review_per_item",
            )
        ]
        indexes = [
            models.Index(fields=["state", "updated_at"], name="truth_reviews_by_state"),
            models.Index(fields=["assignee", "state"], name="truth_reviews_by_assignee"),
        ]

    def __str__(self) -> str:
        return f"{self.source_committee}:{self.subject_type}:{self.subject_id} ({self.state})"
