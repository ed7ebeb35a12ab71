"""One timeline per committee's schema: everything that happened to anything the committee
serves (a question, a help case, a booking), in the order it happened. Append-only, written by
``timeline.record`` in the transaction of the change; the central rollup (``reporting``)
counts each event once and reads nothing else of a domain."""

from django.db import models
from django.utils import timezone

from . import kinds


class Event(models.Model):
    # The thing it happened to: its model's label ("qa.question") and id.
    subject_type = models.CharField(max_length=64)
    subject_id = models.BigIntegerField()
    # Namespaced by the domain that records it: "qa.asked", "help.verified".
    kind = models.CharField(max_length=48)
    actor_id = models.BigIntegerField(null=True)  # an account; None for the platform itself
    state = models.CharField(max_length=24, blank=True)  # the subject's state after the event
    category = models.CharField(max_length=16)  # its standard category after the event
    youth_id = models.BigIntegerField(null=True)  # the youth it serves
    topic = models.TextField(blank=True)  # what it is about, counted in the hot topics
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)
    # Set when the central rollup has counted the event (reporting.shipping).
    shipped_at = models.DateTimeField(null=True, blank=True)
    # "<committee>:<id>" of the event this one copies from another committee (a transferred
    # item's history, a mirrored event): a message applied twice copies it once.
    origin = models.CharField(max_length=100, blank=True, default="", db_default="")

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "id"], name="event_subject"),
            models.Index(
                fields=["id"], name="event_unshipped", condition=models.Q(shipped_at=None)
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["origin"], name="one_copy_per_origin", condition=~models.Q(origin="")
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_type}#{self.subject_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def get_kind_display(self) -> str:
        return kinds.label(self.kind)
