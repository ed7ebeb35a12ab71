"""Read paths of the portal: notices and what its home page shows."""

from datetime import timedelta

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from casework.models import Team
from qa import selectors as questions
from qa.models import Question
from reporting.models import PostVisit

from .models import Notice

HOT_DAYS = 30


def notices_for(*, include_drafts: bool) -> QuerySet[Notice]:
    """Published notices, newest first; staff also see the scheduled ones."""
    notices = Notice.objects.select_related("author")
    return notices if include_drafts else notices.filter(is_published=True)


def recently_answered(*, limit: int = 5) -> list[Question]:
    """Archived questions, the latest answered first."""
    archive = questions.with_list_facts(questions.archive())
    return list(archive.order_by("-first_answered_at", "-created_at")[:limit])


def hot_questions(*, committee, limit: int = 5, days: int = HOT_DAYS) -> list[Question]:
    """Archived questions most visited (effective visits) in the last ``days`` days, then the
    most answered to fill the list."""
    since = timezone.localdate() - timedelta(days=days)
    visited = (
        PostVisit.objects.filter(committee=committee, post_type="question", day__gte=since)
        .values("post_id")
        .annotate(n=Count("id"))
        .order_by("-n", "-post_id")
    )
    ranked = [row["post_id"] for row in visited[: limit * 4]]
    archive = questions.with_list_facts(questions.archive())
    found = {q.pk: q for q in archive.filter(pk__in=ranked)}
    hot = [found[pk] for pk in ranked if pk in found][:limit]
    if len(hot) < limit:
        more = archive.exclude(pk__in=[q.pk for q in hot]).order_by(
            F("answer_count").desc(), F("first_answered_at").desc(nulls_last=True), "-pk"
        )
        hot += list(more[: limit - len(hot)])
    return hot


def alliances() -> QuerySet[Team]:
    """The committee's active service alliances and departments, alliances first."""
    return (
        Team.objects.filter(is_active=True)
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("kind", "name")
    )
