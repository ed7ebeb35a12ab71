"""Write paths of the workbench besides the question loop itself: internal notes staff keep
on a question (内部备注) and each team's ready answers (常用回复)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import access
from core.errors import ServiceError
from core.models import Role
from tenants import outbox

from .models import InternalNote, Question, ReplyTemplate, Team

NOTE_MAX = 2000
TEMPLATE_TITLE_MAX = 40
TEMPLATE_BODY_MAX = 5000
TEMPLATE_EDITORS = (Role.Kind.ADMIN, Role.Kind.CADRE)


def _text(value: str, *, field: str, limit: int, required: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError("required", required, field=field)
    if len(value) > limit:
        raise ServiceError(
            "too_long", _("Keep it under %(n)s characters.") % {"n": f"{limit:,}"}, field=field
        )
    return value


def _grant(user) -> access.Access:
    return access.access_to(user, outbox.current_committee())


def add_note(*, question: Question, author, body: str) -> InternalNote:
    """A note for the committee's staff on ``question``; the asker and the public never see it."""
    body = _text(body, field="body", limit=NOTE_MAX, required=_("Write the note."))
    if not _grant(author).can_write:
        raise ServiceError("forbidden", _("Only this committee's staff keep notes."), status=403)
    with transaction.atomic():
        return InternalNote.objects.create(question=question, author=author, body=body)


def _may_edit_templates(user) -> None:
    grant = _grant(user)
    if not (grant.can_write and grant.has(*TEMPLATE_EDITORS)):
        raise ServiceError(
            "forbidden", _("Only cadres and admins change the ready answers."), status=403
        )


def save_reply_template(
    *, actor, team: Team, title: str, body: str, template: ReplyTemplate | None = None
) -> ReplyTemplate:
    """Add a ready answer to ``team`` (or change ``template``)."""
    _may_edit_templates(actor)
    title = _text(title, field="title", limit=TEMPLATE_TITLE_MAX, required=_("Give it a title."))
    body = _text(body, field="body", limit=TEMPLATE_BODY_MAX, required=_("Write the answer."))
    if not team.is_active:
        raise ServiceError("invalid_team", _("Choose an active team."), field="team")
    template = template or ReplyTemplate()
    template.team, template.title, template.body = team, title, body
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError:
        raise ServiceError(
            "duplicate", _("That team already has a ready answer of that title."), field="title"
        ) from None
    return template


def delete_reply_template(*, actor, template: ReplyTemplate) -> None:
    _may_edit_templates(actor)
    with transaction.atomic():
        template.delete()
