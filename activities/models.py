"""Activities (找活动): what a committee or one of its organisations runs for youths, the
registrations for it (alone or as a team), check-ins at the venue, photos after it, and the
youths' evaluation of it."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from capacity.models import Pool


def new_secret() -> str:
    return secrets.token_hex(16)


def new_token() -> str:
    return secrets.token_urlsafe(12)


class Activity(Pool):
    """An activity (活动) and its places (``capacity.guard`` takes them). Published, it takes
    registrations from ``registration_opens_at`` until ``registration_closes_at``."""

    class State(models.TextChoices):
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")

    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"))
    category = models.ForeignKey(
        "franchise.Category", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    # The organisation that runs it; none: the committee itself.
    organiser = models.ForeignKey(
        "casework.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("organiser"),
    )
    is_online = models.BooleanField(_("online"), default=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    registration_opens_at = models.DateTimeField(_("registration opens"))
    registration_closes_at = models.DateTimeField(_("registration closes"))
    audience = models.CharField(_("audience"), max_length=100, blank=True)
    allows_individuals = models.BooleanField(_("individuals may register"), default=True)
    allows_teams = models.BooleanField(_("teams may register"), default=False)
    team_min = models.PositiveSmallIntegerField(_("smallest team"), default=2)
    team_max = models.PositiveSmallIntegerField(_("largest team"), default=10)
    cover = models.FileField(_("cover image"), upload_to="activities/covers/", blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PUBLISHED)
    # The campaign it is published under (franchise.Campaign's code), received here.
    campaign = models.CharField(_("campaign"), max_length=40, blank=True)
    # Signs the venue's rotating check-in code; a new one voids every code shown before.
    checkin_secret = models.CharField(max_length=32, default=new_secret, editable=False)
    # When it first counted for the influence index: registrations, and photos after it.
    counted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)  # when its end was recorded
    # A report that it was fake (虚假活动), confirmed by the committee above: shown on its
    # page, and it no longer counts.
    fake_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(Pool.Meta):
        verbose_name = _("activity")
        constraints = [
            *Pool.Meta.constraints,
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=F("registration_opens_at"))
                & Q(registration_closes_at__lte=F("ends_at")),
                name="activity_registration_window",
            ),
            models.CheckConstraint(
                condition=Q(team_min__gte=1) & Q(team_max__gte=F("team_min")),
                name="activity_team_bounds",
            ),
            models.CheckConstraint(
                condition=Q(allows_individuals=True) | Q(allows_teams=True),
                name="activity_takes_someone",
            ),
        ]
        indexes = [models.Index(fields=["state", "starts_at"], name="activities_by_start")]

    def __str__(self) -> str:
        return self.title

    @property
    def has_venue(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Squad(models.Model):
    """A team of youths registering together (组队报名): its captain forms it, members join
    by its invitation link, and it takes its places all or none."""

    class State(models.TextChoices):
        FORMING = "forming", _("forming")
        REGISTERED = "registered", _("registered")
        WAITING = "waiting", _("on the waitlist")
        DISBANDED = "disbanded", _("disbanded")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="squads")
    name = models.CharField(_("team name"), max_length=40)
    captain = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    token = models.CharField(max_length=20, unique=True, default=new_token)
    state = models.CharField(max_length=10, choices=State.choices, default=State.FORMING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "name"],
                # OR, not NOT or IN: a schema built by replaying the DDL reads it back the
                # same (tenants.schema).
                condition=Q(state="forming") | Q(state="registered") | Q(state="waiting"),
                name="one_team_name_per_activity",
            )
        ]

    def __str__(self) -> str:
        return self.name


class SquadMember(models.Model):
    """A youth in a team; the captain is one too. A team that disbands lets its members go."""

    squad = models.ForeignKey(Squad, on_delete=models.CASCADE, related_name="members")
    # The team's activity again: a youth is in one team of an activity.
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    youth = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "youth"], name="one_team_per_youth")
        ]

    def __str__(self) -> str:
        return f"{self.squad_id}: {self.youth_id}"


class Registration(models.Model):
    """A youth's place in an activity (报名), alone or in a team."""

    class State(models.TextChoices):
        REGISTERED = "registered", _("registered")
        CANCELLED = "cancelled", _("cancelled")

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="registrations")
    youth = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    squad = models.ForeignKey(
        Squad, on_delete=models.PROTECT, null=True, blank=True, related_name="registrations"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.REGISTERED)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "youth"],
                condition=Q(state="registered"),
                name="one_registration_per_youth",
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.youth_id} ({self.state})"


class CheckIn(models.Model):
    """A registered youth at the venue (签到): by scanning its rotating code (online, or
    offline and uploaded later), or marked by staff. ``nonce`` is the scan's own: uploading
    it again changes nothing."""

    class Method(models.TextChoices):
        SCAN = "scan", _("scanned the venue's code")
        STAFF = "staff", _("marked by staff")

    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="check_in"
    )
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="check_ins")
    nonce = models.CharField(max_length=64)
    method = models.CharField(max_length=5, choices=Method.choices)
    scanned_at = models.DateTimeField()  # when the code was shown (its window), not uploaded
    uploaded_at = models.DateTimeField(auto_now_add=True)
    is_offline = models.BooleanField(default=False)
    distance_m = models.PositiveIntegerField(null=True, blank=True)  # from the venue, if told
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )

    class Meta:
        verbose_name = _("check-in")
        constraints = [
            models.UniqueConstraint(fields=["activity", "nonce"], name="one_check_in_per_nonce")
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.registration_id} ({self.method})"


class ActivityPhoto(models.Model):
    """A photo of the activity taken there, uploaded by its organiser or a participant; the
    organiser selects those the activity's page shows."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to="activities/photos/")
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    is_selected = models.BooleanField(_("shown"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("photo")

    def __str__(self) -> str:
        return self.caption or str(self.image.name)


class Idea(models.Model):
    """A youth's idea for an activity before its plan is fixed (创意互动, 我的活动我做主):
    others vote it up, and the organisers mark what they took."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="ideas")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    text = models.CharField(_("idea"), max_length=300)
    votes = models.PositiveIntegerField(default=0)
    is_taken = models.BooleanField(_("taken"), default=False)
    answer = models.CharField(_("the organisers' answer"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idea")
        indexes = [models.Index(fields=["activity", "votes"], name="ideas_by_votes")]

    def __str__(self) -> str:
        return self.text


class IdeaVote(models.Model):
    """One youth's vote for an idea (once an idea)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    youth = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "youth"], name="one_vote_per_idea")]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.youth_id}"


class ReceivedCampaign(models.Model):
    """A campaign this committee received from above (``franchise.Campaign``): once, through
    the outbox; its activities may be published under it."""

    code = models.SlugField(max_length=40, unique=True)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.code


class FakeReport(models.Model):
    """A report that an activity was fake or not as published (虚假活动举报), from a
    participant or anyone with an account; it goes to the committee above for review."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    reason = models.CharField(_("what was fake"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fake-activity report")
        constraints = [
            models.UniqueConstraint(fields=["activity", "reporter"], name="one_report_per_account")
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.reporter_id}"


class Ballot(models.Model):
    """A vote among entries (投票评选, 网络评选) of an activity, in one round: each account
    has ``votes_per_account`` votes, one an entry at most. A review panel may score the
    entries against weighted ``criteria``; the final ranking combines the two by the
    published weights."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="ballots")
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("rules"), blank=True)
    votes_per_account = models.PositiveSmallIntegerField(
        _("votes per account"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    vote_weight = models.FloatField(_("weight of the votes"), default=1.0)
    panel_weight = models.FloatField(_("weight of the review panel"), default=0.0)
    # [{"code": "idea", "name": "创意", "weight": 0.4}, …]
    criteria = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="ballot_closes_after"
            ),
            models.CheckConstraint(
                condition=Q(votes_per_account__gte=1), name="ballot_gives_a_vote"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Entry(models.Model):
    """An entry in a vote: a team's project, a work."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="entries")
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    squad = models.ForeignKey(
        Squad, on_delete=models.SET_NULL, null=True, blank=True, related_name="entries"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    image = models.FileField(_("image"), upload_to="activities/entries/", blank=True)
    is_withdrawn = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("entry")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "title"], name="one_entry_per_title")
        ]

    def __str__(self) -> str:
        return self.title


class Allowance(Pool):
    """An account's votes in a ballot: taken one a vote through ``capacity.guard``, so
    that no account votes more than the ballot gives, however many requests it sends."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )

    class Meta(Pool.Meta):
        constraints = [
            *Pool.Meta.constraints,
            models.UniqueConstraint(fields=["ballot", "voter"], name="one_allowance_per_voter"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.voter_id} ({self.taken}/{self.capacity})"


class Vote(models.Model):
    """One vote for an entry. ``address`` is a keyed hash of where it came from and
    ``account_age_s`` how old the account was: what the anomaly flags read."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    address = models.CharField(max_length=16, blank=True)
    account_age_s = models.PositiveBigIntegerField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "voter", "entry"], name="one_vote_per_entry_and_voter"
            )
        ]
        indexes = [
            models.Index(fields=["ballot", "entry"], name="votes_by_entry"),
            models.Index(fields=["ballot", "address", "at"], name="votes_by_address"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.voter_id}"


class Reviewer(models.Model):
    """A member of a ballot's review panel (项目评审), appointed by its organisers."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "user"], name="one_seat_per_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.user_id}"


class Score(models.Model):
    """A reviewer's points (0–100) for an entry on one criterion."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="scores")
    criterion = models.SlugField(max_length=20)
    points = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "reviewer", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(condition=Q(points__lte=100), name="score_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.criterion}: {self.points}"


class ActivityEvent(models.TextChoices):
    """What happens to an activity and its registrations, as the timeline names it."""

    PUBLISHED = "activities.published", _("published")
    CHANGED = "activities.changed", _("changed")
    CANCELLED = "activities.cancelled", _("cancelled")
    REGISTERED = "activities.registered", _("registered")
    TEAM_REGISTERED = "activities.team_registered", _("a team registered")
    WAITLISTED = "activities.waitlisted", _("joined the waitlist")
    PROMOTED = "activities.promoted", _("registered from the waitlist")
    WITHDRAWN = "activities.withdrawn", _("cancelled the registration")
    CHECKED_IN = "activities.checked_in", _("checked in")
    PHOTO = "activities.photo", _("a photo was uploaded")
    MESSAGED = "activities.messaged", _("participants were sent a message")
    ENDED = "activities.ended", _("ended")
    # It had registrations and, after it ended, photos: it counts (the influence index).
    COUNTED = "activities.counted", _("counts for the index")
    # Recorded at the moment it was counted, so the period it counted in loses it.
    UNCOUNTED = "activities.uncounted", _("no longer counts for the index")
    RATED = "activities.rated", _("rated")
    REPORTED = "activities.reported", _("reported as fake")
    FAKE_CONFIRMED = "activities.fake_confirmed", _("confirmed fake")
    FAKE_DISMISSED = "activities.fake_dismissed", _("the fake report was dismissed")
    VOTED = "activities.voted", _("voted")
    SHARE_OPENED = "activities.share_opened", _("a share link was opened")
    IDEA = "activities.idea", _("proposed an idea")
    IDEA_TAKEN = "activities.idea_taken", _("an idea was taken")
    ENTERED = "activities.entered", _("an entry was submitted")
