from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models import Handled

BODY_MAX = 1000
ANSWER_MAX = 1000
CHANGE_MAX = 300


class Suggestion(Handled):
    """A youth's complaint or suggestion (吐槽) about this committee or the platform, and
    what the committee said and did about it."""

    class About(models.TextChoices):
        COMMITTEE = "committee", _("this committee's work and portal")
        PLATFORM = "platform", _("the platform as a whole")

    class State(models.TextChoices):
        OPEN = "open", _("waiting for an answer")
        ANSWERED = "answered", _("answered")
        ADOPTED = "adopted", _("adopted")

    youth = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    body = models.TextField(_("what you want to say"), max_length=BODY_MAX)
    # About the platform as a whole: the central office answers it. Written on a portal
    # below, it is sent there (``transferred_to``) and its copy there names where it came
    # from (``origin_committee``, ``origin_id``); the answer comes back.
    about = models.CharField(max_length=10, choices=About.choices, default=About.COMMITTEE)
    category = models.ForeignKey(  # the deadlines' category
        "franchise.Category",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        default="other",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    answer = models.TextField(_("answer"), max_length=ANSWER_MAX, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        null=True,
        blank=True,
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    change = models.CharField(_("what changed"), max_length=CHANGE_MAX, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        null=True,
        blank=True,
    )
    adopted_at = models.DateTimeField(null=True, blank=True)
    announcement = models.ForeignKey(
        "Announcement", null=True, blank=True, on_delete=models.SET_NULL, related_name="adopted"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("suggestion")
        indexes = [
            models.Index(fields=["state", "created_at"], name="suggestions_by_state"),
            models.Index(fields=["youth", "created_at"], name="suggestions_by_youth"),
            models.Index(fields=["assignee", "state"], name="suggestions_by_assignee"),
        ]

    def __str__(self) -> str:
        return f"{self.pk} ({self.state})"


class Announcement(models.Model):
    """The week's notice of what was adopted (每周公告), one a week."""

    week = models.DateField(unique=True)  # the Monday of the week whose adoptions it lists
    notice = models.ForeignKey("portal.Notice", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.week)


class SuggestionEvent(models.TextChoices):
    SUBMITTED = "suggestions.submitted", _("a suggestion came in")
    ANSWERED = "suggestions.answered", _("the suggestion was answered")
    ADOPTED = "suggestions.adopted", _("the suggestion was adopted")
    ANNOUNCED = "suggestions.announced", _("the change was announced")
    OVERDUE = "suggestions.overdue", _("the answer is overdue")
    ESCALATED = "suggestions.escalated", _("went to the committee above's board")
    URGED = "suggestions.urged", _("the committee above urged an answer")
