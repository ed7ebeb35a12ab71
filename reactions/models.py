"""Reactions (点赞、吐槽、有用、不满意) to what a portal publishes, in a committee's schema."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", _("Like")
        ROAST = "roast", _("Roast")
        HELPFUL = "helpful", _("Helpful")
        DISLIKE = "dislike", _("Not helpful")

    subject_type = models.CharField(max_length=64)  # the model's label, "qa.reply"
    subject_id = models.BigIntegerField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    youth = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    # A youth's judgement: not by the committee's staff, nor by whoever wrote or ran it.
    counts = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind", "youth"],
                name="one_reaction_of_a_kind",
            )
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="reaction_subject")]

    def __str__(self) -> str:
        return f"{self.subject_type}#{self.subject_id} {self.kind}"


class ReactionEvent(models.TextChoices):
    LIKED = "reactions.liked", _("liked")
    ROASTED = "reactions.roasted", _("roasted")
    HELPFUL = "reactions.helpful", _("marked helpful")
    DISLIKED = "reactions.disliked", _("marked not helpful")


EVENT_OF = {
    Reaction.Kind.LIKE: ReactionEvent.LIKED,
    Reaction.Kind.ROAST: ReactionEvent.ROASTED,
    Reaction.Kind.HELPFUL: ReactionEvent.HELPFUL,
    Reaction.Kind.DISLIKE: ReactionEvent.DISLIKED,
}
