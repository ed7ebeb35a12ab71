"""Ratings of anything a youth was served with (a question's help now; help cases,
activities and youth-home services later), in a committee's schema."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Rating(models.Model):
    """1–5 stars and an optional comment, once per youth per rated thing."""

    subject_type = models.CharField(max_length=64)  # the rated model's label, "qa.question"
    subject_id = models.BigIntegerField()
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    stars = models.PositiveSmallIntegerField(
        _("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "rater"], name="one_rating_per_rater"
            ),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="stars_one_to_five"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_type}#{self.subject_id}: {self.stars}"
