"""Share links (转发, 分享) to anything a portal publishes: each link names what it leads to
and who shared it, and counts the distinct visitors who opened it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Share(models.Model):
    """A link to ``subject`` shared by ``sharer`` (none: the page's own link)."""

    subject_type = models.CharField(max_length=100)  # "activities.activity"
    subject_id = models.PositiveBigIntegerField()
    sharer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        null=True,
        blank=True,
    )
    token = models.CharField(max_length=16, unique=True)
    opens = models.PositiveIntegerField(default=0)  # distinct visitors a day
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("share link")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "sharer"], name="one_link_per_sharer"
            ),
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"],
                condition=models.Q(sharer__isnull=True),
                name="one_own_link_per_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_type}:{self.subject_id} ({self.token})"


class ShareOpen(models.Model):
    """A visitor (a keyed hash of the account or the browser) opened a link on a day."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="+")
    visitor = models.CharField(max_length=32)
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["share", "visitor", "day"], name="one_open_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.share_id} {self.day}"
