"""Write paths of the workbench besides the question loop itself: internal notes staff keep
on a question (内部备注)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core import access
from core.errors import ServiceError, checked_text
from tenants import outbox

from .models import InternalNote, Question

NOTE_MAX = 2000


def _grant(user) -> access.Access:
    return access.access_to(user, outbox.current_committee())


def add_note(*, question: Question, author, body: str) -> InternalNote:
    """A note for the committee's staff on ``question``; the asker and the public never see it."""
    body = checked_text(body, field="body", limit=NOTE_MAX, required=_("Write the note."))
    if not _grant(author).can_write:
        raise ServiceError("forbidden", _("Only this committee's staff keep notes."), status=403)
    with transaction.atomic():
        return InternalNote.objects.create(question=question, author=author, body=body)
