"""Ideas for an activity (创意互动, 我的活动我做主): until it starts, youths propose ideas for
it and vote them up (once an idea); its organisers mark the ideas they took, with an
answer."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ServiceError, checked_text

from .models import Activity, ActivityEvent, Idea, IdeaVote
from .services import may_manage, record

Kind = ActivityEvent
IDEAS_PER_YOUTH = 5


def _refuse_unless_open(activity: Activity) -> None:
    if activity.state != Activity.State.PUBLISHED or timezone.now() >= activity.starts_at:
        raise ServiceError("closed", _("Ideas are taken until the activity starts."), status=409)


def propose(*, activity: Activity, author, text: str) -> Idea:
    """``author`` proposes an idea for the activity."""
    text = checked_text(text, field="text", limit=300, required=_("Write your idea."))
    _refuse_unless_open(activity)
    if Idea.objects.filter(activity=activity, author=author).count() >= IDEAS_PER_YOUTH:
        raise ServiceError(
            "too_many", _("At most %(n)s ideas each.") % {"n": IDEAS_PER_YOUTH}, status=409
        )
    with transaction.atomic():
        idea = Idea.objects.create(activity=activity, author=author, text=text)
        record(idea, Kind.IDEA, activity=activity, actor=author, youth=author)
    return idea


def vote_up(*, idea: Idea, youth) -> Idea:
    """``youth`` votes the idea up, once (not their own)."""
    _refuse_unless_open(idea.activity)
    if idea.author_id == youth.pk:
        raise ServiceError("own_idea", _("Vote for others' ideas."), status=409)
    try:
        with transaction.atomic():
            IdeaVote.objects.create(idea=idea, youth=youth)
            Idea.objects.filter(pk=idea.pk).update(votes=F("votes") + 1)
    except IntegrityError:
        raise ServiceError(
            "already_voted", _("You have voted for this idea."), status=409
        ) from None
    idea.refresh_from_db()
    return idea


def take(*, idea: Idea, actor, answer: str = "") -> Idea:
    """The organisers mark the idea taken, with what they will do with it."""
    if not may_manage(actor, idea.activity):
        raise ServiceError(
            "forbidden", _("Only the activity's organisers may do this."), status=403
        )
    idea.is_taken, idea.answer = True, checked_text(answer, field="answer", limit=300)
    with transaction.atomic():
        idea.save(update_fields=["is_taken", "answer"])
        record(idea, Kind.IDEA_TAKEN, activity=idea.activity, actor=actor)
    return idea


def of(activity: Activity) -> QuerySet[Idea]:
    """The activity's ideas, the most voted first."""
    return activity.ideas.order_by("-is_taken", "-votes", "id")
