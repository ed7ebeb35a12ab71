"""Youth homes against the youth-home standard (``franchise.HomeStandard``).

The committee's staff record each item of the version in force for a home: met or not, the
evidence and the day it was seen. An admin of a committee above (the parent, or further up)
confirms the record or returns it with a note. A home meets the standard when every item of
the version in force is recorded as met and confirmed. Each step is on the home's timeline
and the directory's row of the home follows (``homes.directory``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import timeline
from core import access
from core.errors import ServiceError, checked_text
from franchise.models import HomeStandard
from tenants import outbox

from .models import Compliance, HomeEvent, YouthHome

State = Compliance.State


def in_force(day: date | None = None) -> HomeStandard | None:
    """The version of the standard in force on ``day`` (today)."""
    day = day or timezone.localdate()
    return HomeStandard.objects.filter(effective_from__lte=day).order_by("-effective_from").first()


@dataclass(frozen=True)
class Line:
    """An item of the standard with the home's record of it (None: not recorded)."""

    code: str
    area: str
    area_label: str
    text: str
    record: Compliance | None

    @property
    def is_confirmed_met(self) -> bool:
        return bool(self.record and self.record.is_met and self.record.state == State.CONFIRMED)


def lines(home: YouthHome, standard: HomeStandard | None = None) -> list[Line]:
    """Every item of the standard in force, in order, with the home's record of each."""
    standard = standard or in_force()
    if standard is None:
        return []
    records = {r.item: r for r in home.compliance.filter(standard_version=standard.version)}
    return [
        Line(
            code=item["code"],
            area=item["area"],
            area_label=str(HomeStandard.AREAS.get(item["area"], item["area"])),
            text=item["text"],
            record=records.get(item["code"]),
        )
        for item in standard.items
    ]


@dataclass(frozen=True)
class Measure:
    """A home against the standard in force: each line, whether all are met and confirmed,
    and how many records await the check from above."""

    version: int | None
    lines: list[Line]
    meets_standard: bool
    awaiting_check: int


def measure(home: YouthHome) -> Measure:
    standard = in_force()
    if standard is None:
        return Measure(version=None, lines=[], meets_standard=False, awaiting_check=0)
    found = lines(home, standard)
    return Measure(
        version=standard.version,
        lines=found,
        meets_standard=all(line.is_confirmed_met for line in found),
        awaiting_check=sum(
            1 for line in found if line.record and line.record.state == State.RECORDED
        ),
    )


def may_record(user) -> bool:
    """The committee's admins record its homes against the standard."""
    grant = access.access_to(user, outbox.current_committee())
    return grant.can_write and grant.has("admin")


def may_check(user) -> bool:
    """Admins of a committee above check what the committee recorded; not one who is also
    an admin of the committee itself (who would check their own records)."""
    here = outbox.current_committee()
    return access.admin_above(user, here) and not access.access_to(user, here).has("admin")


def _changed(home: YouthHome) -> None:
    from . import directory

    directory.sync(home)


def record(
    *, home: YouthHome, item: str, is_met: bool, evidence: str, observed_on: date, actor
) -> Compliance:
    """Record ``home`` against ``item`` of the standard in force; it awaits the check."""
    standard = in_force()
    if standard is None or standard.item(item) is None:
        raise ServiceError("invalid", _("Not an item of the standard in force."), field="item")
    evidence = checked_text(
        evidence, field="evidence", limit=500, required=_("Say what shows it: the evidence.")
    )
    if observed_on > timezone.localdate():
        raise ServiceError("invalid", _("Not a day in the future."), field="observed_on")
    with transaction.atomic():
        found, _created = Compliance.objects.update_or_create(
            home=home,
            standard_version=standard.version,
            item=item,
            defaults={
                "is_met": bool(is_met),
                "evidence": evidence,
                "observed_on": observed_on,
                "recorded_by": actor,
                "recorded_at": timezone.now(),
                "state": State.RECORDED,
                "checked_by": None,
                "checked_at": None,
                "check_note": "",
            },
        )
        _event(found, HomeEvent.STANDARD_RECORDED, actor, met=bool(is_met))
        _changed(home)
    return found


def check(*, compliance: Compliance, confirm: bool, actor, note: str = "") -> Compliance:
    """Confirm a record, or return it with a note saying what is missing."""
    note = checked_text(note, field="note", limit=200)
    if not confirm and not note:
        raise ServiceError("required", _("Say what is missing."), field="note")
    with transaction.atomic():
        found = Compliance.objects.select_for_update().get(pk=compliance.pk)
        if found.state != State.RECORDED:
            raise ServiceError("checked", _("This record was already checked."), status=409)
        if found.recorded_by_id == actor.pk:
            raise ServiceError("own_record", _("A record is checked by someone else."), status=403)
        found.state = State.CONFIRMED if confirm else State.RETURNED
        found.checked_by, found.checked_at, found.check_note = actor, timezone.now(), note
        found.save(update_fields=["state", "checked_by", "checked_at", "check_note"])
        _event(found, HomeEvent.STANDARD_CHECKED, actor, confirmed=confirm)
        _changed(found.home)
    return found


def _event(found: Compliance, kind: str, actor, **data) -> None:
    timeline.record(
        found.home,
        kind,
        actor=actor,
        state=found.state,
        category="other",
        data={
            "home": found.home_id,
            "version": found.standard_version,
            "item": found.item,
            **data,
        },
    )
