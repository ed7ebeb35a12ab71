"""What a viewer may see of a question, decided once, and the question as shown to them.

``rights_over`` is the one selector of a viewer's rights over a question; ``shown`` renders a
question or a reply for those rights, for pages and the API alike. Nothing masked is ever
assigned back to a model: the presenter wraps it.

- The asker and this committee's own staff read the text as written; everyone else (the
  public, other committees' staff, readers from above: an admin above, the central auditor)
  reads it masked (``franchise.privacy``).
- Attachments (photos of ID cards, contracts …) go to the asker and to the staff handling
  the question: this committee's admins and cadres, its assignee and the members of its team.
  Anyone else who may open the question, readers from above included, sees only how many
  there are; the file is refused to them (403).

On the workbench the asker's mobile number shows only to those who need it
(``may_see_phone``); deadlines show as casework's countdowns (``casework.presenters``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from casework.models import Member
from core import access
from core.access import Access
from core.models import Role
from franchise.privacy import mask_personal_data

from .models import Question


def may_see_phone(user, question: Question, grant: access.Access) -> bool:
    """Whether ``user`` sees the asker's mobile number: the committee's cadres and admins,
    the question's assignee and its team's supervisor (who may have to call the youth back).
    Other members of staff and readers from above see it masked."""
    if not grant.can_write:
        return False
    if grant.has(Role.Kind.CADRE, Role.Kind.ADMIN):
        return True
    if question.assignee_id is not None and question.assignee_id == user.pk:
        return True
    return question.team is not None and question.team.supervisor_id == user.pk


def asker_phone(user, question: Question, grant: access.Access) -> str:
    """The asker's mobile number as ``user`` may see it."""
    asker = question.asker
    return asker.phone if may_see_phone(user, question, grant) else asker.masked_phone


# ---------------------------------------------------------------- what a viewer may see

MASKED_FIELDS = ("title", "body")


@dataclass(frozen=True)
class Rights:
    is_asker: bool
    is_staff: bool  # this committee's own staff: may act on it
    reads_from_above: bool  # may read the workbench without being staff here
    sees_personal_data: bool
    sees_attachments: bool
    sees_asker: bool  # the asker's name although anonymous to the public


def handles(question: Question, *, user, grant: Access) -> bool:
    """Whether ``user`` is among the staff handling ``question`` here."""
    if not grant.can_write:
        return False
    if grant.has(Role.Kind.ADMIN, Role.Kind.CADRE) or question.assignee_id == user.pk:
        return True
    if question.team_id is None:
        return False
    return Member.objects.filter(team_id=question.team_id, user=user, is_active=True).exists()


def rights_over(question: Question, *, user, grant: Access) -> Rights:
    """The rights of ``user`` (with ``grant`` in this committee) over ``question``."""
    is_asker = bool(user.is_authenticated and question.asker_id == user.pk)
    return Rights(
        is_asker=is_asker,
        is_staff=grant.can_write,
        reads_from_above=grant.can_read and not grant.can_write,
        sees_personal_data=is_asker or grant.can_write,
        sees_attachments=is_asker or handles(question, user=user, grant=grant),
        sees_asker=grant.can_write or not question.is_anonymous,
    )


PUBLIC = Rights(
    is_asker=False,
    is_staff=False,
    reads_from_above=False,
    sees_personal_data=False,
    sees_attachments=False,
    sees_asker=False,
)
# The committee's own staff in a list (a queue): the text as written, no files.
STAFF = Rights(
    is_asker=False,
    is_staff=True,
    reads_from_above=False,
    sees_personal_data=True,
    sees_attachments=False,
    sees_asker=True,
)


class Shown:
    """A question or reply as shown: every attribute of the model, its text masked unless
    the rights allow it as written."""

    def __init__(self, item: Any, *, as_written: bool):
        self._item = item
        self._as_written = as_written

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._item, name)
        if name in MASKED_FIELDS and not self._as_written:
            return mask_personal_data(value)
        return value

    def __str__(self) -> str:
        return str(self._item)


def shown(item: Any, rights: Rights = PUBLIC) -> Shown:
    return Shown(item, as_written=rights.sees_personal_data)


def shown_all(items, rights: Rights = PUBLIC) -> list[Shown]:
    return [shown(item, rights) for item in items]


def attachments_for(question: Question, rights: Rights) -> tuple[list, int]:
    """(the attachments ``rights`` may open, how many there are)."""
    files = list(question.attachments.all())
    return (files if rights.sees_attachments else []), len(files)


@dataclass(frozen=True)
class DuplicateCard:
    """The answered question saying what is being asked, with its first answer, as the
    public reads them (the ask page's card 这个问题已有答复)."""

    question: Shown
    answer: Shown
    url: str

    @property
    def by(self) -> list[str]:
        """Who answered: the mode of help, then the organisation when there is one."""
        kind = str(self.answer.get_author_kind_display())
        organisation = (self.answer.organisation or "").strip()
        return [kind, organisation] if organisation else [kind]


def duplicate_card(duplicate) -> DuplicateCard | None:
    """The card of ``qa.selectors.duplicate_among``'s (question, answer), or None."""
    if duplicate is None:
        return None
    question, answer = duplicate
    return DuplicateCard(shown(question), shown(answer), reverse("qa:question", args=[question.pk]))
