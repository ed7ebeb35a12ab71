"""Places that can be taken, and youths waiting for them (候补).

A domain's bookable row (a youth home's slot, an activity) inherits ``Pool``; its places are
taken and given back only through ``capacity.guard``, and its waitlist is ``Waiter`` rows."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Pool(models.Model):
    """A number of places: ``taken`` by bookings, ``held`` for a youth offered them from the
    waitlist. Together never more than ``capacity``: a check constraint in the database, the
    last word whatever a writer does."""

    capacity = models.PositiveIntegerField(_("capacity"))
    taken = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=F("taken") + F("held")),
                name="%(app_label)s_%(class)s_within_capacity",
            )
        ]

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken - self.held, 0)


class Waiter(models.Model):
    """A youth waiting for ``places`` of a pool. When that many free, the first in line is
    offered them and they are held until ``offered_until``; accepted they are the youth's,
    else they pass to the next."""

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting")
        OFFERED = "offered", _("offered a place")
        ACCEPTED = "accepted", _("accepted")
        EXPIRED = "expired", _("offer expired")
        LEFT = "left", _("left the waitlist")

    pool_type = models.CharField(max_length=100)  # the pool's model label, "homes.slot"
    pool_id = models.BigIntegerField()
    youth = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    places = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    offered_until = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)  # what the domain needs to book then
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pool_type", "pool_id", "youth"],
                condition=Q(state="waiting") | Q(state="offered"),  # OR: see homes.Booking
                name="one_place_in_line_per_youth",
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="waiter_wants_a_place"),
        ]
        indexes = [
            models.Index(fields=["pool_type", "pool_id", "state", "id"], name="waiters_in_line"),
            models.Index(
                fields=["offered_until"],
                condition=Q(state="offered"),
                name="offers_running",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pool_type}:{self.pool_id} {self.youth_id} ({self.state})"
