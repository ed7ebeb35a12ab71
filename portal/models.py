"""What a committee's portal publishes (in the committee's own schema)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    """A notice (公告) on the portal: news, or what changed from youths' suggestions.

    A notice may be scheduled: it appears once ``publish_at`` has passed and a worker
    has published it.
    """

    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("body"))
    # No database constraint across schemas: each one would add a trigger on public.core_user
    # per committee (thousands), and accounts are deactivated, never deleted.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    is_published = models.BooleanField(default=False)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["is_published", "-published_at"], name="notice_feed")]

    def __str__(self) -> str:
        return self.title
