"""What reactions add to the figures: the youths' likes, roasts and answers judged."""

from reporting.metrics import Count, declare

from .models import ReactionEvent

BY_STAFF = {"staff": True}

declare(
    Count("likes", ReactionEvent.LIKED, unless=BY_STAFF),
    Count("roasts", ReactionEvent.ROASTED, unless=BY_STAFF),
    Count("answers_helpful", ReactionEvent.HELPFUL, unless=BY_STAFF),
    Count("answers_disliked", ReactionEvent.DISLIKED, unless=BY_STAFF),
)
