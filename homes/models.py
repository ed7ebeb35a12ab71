"""Youth homes (青年之家): a committee's places where youths are served offline, the services
each offers, their weekly schedules, the slots those make, and the youths' bookings."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from capacity.models import Pool


class YouthHome(models.Model):
    """A youth home of this committee. Its staff are the members of the team that runs it
    (``team``, a casework team of kind organisation)."""

    name = models.CharField(_("name"), max_length=60)  # its team's name too
    address = models.CharField(_("address"), max_length=200)
    district = models.CharField(_("district"), max_length=50, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    team = models.OneToOneField(
        "casework.Team", on_delete=models.PROTECT, related_name="youth_home"
    )
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("youth home")
        indexes = [models.Index(fields=["latitude", "longitude"], name="homes_by_position")]

    def __str__(self) -> str:
        return self.name


class HomePhoto(models.Model):
    """A picture of a home (its door and sign, its rooms), shown on its page in order."""

    home = models.ForeignKey(YouthHome, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to="homes/photos/")
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("photo")

    def __str__(self) -> str:
        return self.caption or str(self.image.name)


class Service(models.Model):
    """What a home offers (法律援助, 心理咨询, 自习室…), in a standard category."""

    home = models.ForeignKey(YouthHome, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("name"), max_length=100)
    category = models.ForeignKey(
        "franchise.Category", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    description = models.TextField(_("description"), blank=True)
    group_max = models.PositiveSmallIntegerField(
        _("places one booking may take"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service")
        constraints = [
            models.CheckConstraint(
                condition=Q(group_max__gte=1) & Q(group_max__lte=20), name="service_group_size"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Schedule(models.Model):
    """A weekly opening of a service: each ``weekday`` from ``starts`` to ``ends``, with
    ``capacity`` places, from ``valid_from`` until ``valid_until`` (open-ended when empty).
    The committee's days off (public holidays and its own) make no slots."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    weekday = models.PositiveSmallIntegerField(
        _("day of the week"), validators=[MaxValueValidator(6)]
    )  # date.weekday(): Monday is 0
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("schedule")
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="schedule_weekday"),
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="schedule_ends_after"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="schedule_has_places"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id}: {self.weekday} {self.starts}–{self.ends}"


class Slot(Pool):
    """One opening of a service, with its places (``capacity.guard`` takes them)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="slots")
    schedule = models.ForeignKey(
        Schedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="slots"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    is_cancelled = models.BooleanField(default=False)

    class Meta(Pool.Meta):
        verbose_name = _("slot")
        constraints = [
            *Pool.Meta.constraints,
            models.UniqueConstraint(fields=["service", "starts_at"], name="one_slot_per_start"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after"),
        ]
        indexes = [models.Index(fields=["starts_at"], name="slots_by_start")]


def new_code() -> str:
    """A booking's check-in code: 12 random digits, easy to read out and to type."""
    return f"{secrets.randbelow(10**12):012d}"


class Booking(models.Model):
    """A youth's places in a slot (预约), and what became of them."""

    class State(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        ATTENDED = "attended", _("checked in")
        CANCELLED = "cancelled", _("cancelled")
        NO_SHOW = "no_show", _("did not come")

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    youth = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    places = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(max_length=10, choices=State.choices, default=State.CONFIRMED)
    code = models.CharField(max_length=12, unique=True, default=new_code)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("booking")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "youth"],
                # Written as OR, not IN: a schema built by replaying the DDL reads it back
                # the same (tenants.schema).
                condition=Q(state="confirmed") | Q(state="attended"),
                name="one_booking_per_youth_and_slot",
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="booking_takes_a_place"),
        ]

    def __str__(self) -> str:
        return f"{self.slot_id}: {self.youth_id} ({self.state})"


class HomeEvent(models.TextChoices):
    """What happens to a booking, as the timeline names it."""

    BOOKED = "homes.booked", _("booked")
    CANCELLED = "homes.cancelled", _("cancelled")
    WAITLISTED = "homes.waitlisted", _("joined the waitlist")
    PROMOTED = "homes.promoted", _("booked from the waitlist")
    ATTENDED = "homes.attended", _("checked in")
    NO_SHOW = "homes.no_show", _("did not come")
    RATED = "homes.rated", _("rated")
    # The committee above reviewed a youth's word that it did not happen as described.
    FAKE_CONFIRMED = "homes.fake_confirmed", _("confirmed not real by the committee above")
    FAKE_DISMISSED = "homes.fake_dismissed", _("the word that it was not real was dismissed")
    CONSULTED = "homes.consulted", _("asked a youth home")
    STANDARD_RECORDED = "homes.standard_recorded", _("recorded against the standard")
    STANDARD_CHECKED = "homes.standard_checked", _("checked against the standard")
    # On the home's referral, and on the question's or help case's timeline where it came from.
    REFERRED = "homes.referred", _("sent to a youth home")
    REFERRAL_OFFERED = "homes.referral_offered", _("the youth home offered a time")
    REFERRAL_BOOKED = "homes.referral_booked", _("booked at the youth home")
    REFERRAL_DECLINED = "homes.referral_declined", _("declined the youth home's offer")
    REFERRAL_LAPSED = "homes.referral_lapsed", _("the youth home's offer lapsed")
    REFERRAL_ATTENDED = "homes.referral_attended", _("served at the youth home")
    REFERRAL_NO_SHOW = "homes.referral_no_show", _("did not come to the youth home")
    REFERRAL_CANCELLED = "homes.referral_cancelled", _("cancelled the youth home booking")


class Compliance(models.Model):
    """A home against one item of the youth-home standard (``franchise.HomeStandard``): met
    or not, with its evidence and the day it was seen, recorded by the committee's staff and
    checked by an admin of a committee above. Recording it again puts it back to be checked;
    every step is on the home's timeline."""

    class State(models.TextChoices):
        RECORDED = "recorded", _("awaiting the parent committee's check")
        CONFIRMED = "confirmed", _("confirmed by the parent committee")
        RETURNED = "returned", _("returned by the parent committee")

    home = models.ForeignKey(YouthHome, on_delete=models.CASCADE, related_name="compliance")
    standard_version = models.PositiveIntegerField()
    item = models.SlugField(max_length=20)
    is_met = models.BooleanField(_("met"))
    evidence = models.CharField(_("evidence"), max_length=500)
    observed_on = models.DateField(_("seen on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    recorded_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.RECORDED)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        null=True,
        blank=True,
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    check_note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("standard compliance")
        constraints = [
            models.UniqueConstraint(
                fields=["home", "standard_version", "item"], name="one_record_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.home_id} v{self.standard_version} {self.item}: {self.state}"


class Referral(models.Model):
    """A youth sent from a question or a help case to a youth home (一键转至线下), kept by the
    home's committee: the thread it carries, the slot offered (held for the youth until
    ``offer_expires_at``) and the booking the youth confirmed. Its source may be in another
    committee; each step is reported to the source's timeline (``homes.referrals``)."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("waiting for the home to offer a time")
        OFFERED = "offered", _("a time is offered")
        BOOKED = "booked", _("booked")
        DECLINED = "declined", _("declined")
        LAPSED = "lapsed", _("the offer lapsed")

    home = models.ForeignKey(YouthHome, on_delete=models.PROTECT, related_name="referrals")
    youth = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    source_committee = models.CharField(max_length=64)
    source_type = models.CharField(max_length=40)  # "qa.question", "helpcases.helpcase"
    source_id = models.PositiveBigIntegerField()
    source_link = models.CharField(max_length=300)  # the youth's page of it, on its portal
    title = models.CharField(max_length=200)  # masked
    thread = models.TextField(blank=True)  # what was asked and said, masked
    note = models.CharField(max_length=500, blank=True)  # from the staff who sent it
    category = models.CharField(max_length=16)
    state = models.CharField(max_length=10, choices=State.choices, default=State.REQUESTED)
    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    booking = models.OneToOneField(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="referral"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("referral to a youth home")
        constraints = [
            models.UniqueConstraint(
                fields=["source_committee", "source_type", "source_id", "home"],
                condition=Q(state="requested") | Q(state="offered"),
                name="one_open_referral_per_source_and_home",
            )
        ]
        indexes = [models.Index(fields=["state", "offer_expires_at"], name="referrals_by_expiry")]

    def __str__(self) -> str:
        return f"{self.source_type}:{self.source_id} → {self.home_id} ({self.state})"
