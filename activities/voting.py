"""Votes and selection (投票评选, 网络评选) and project review (项目评审).

An activity's organisers open a vote among entries (teams' projects, works); each
registered account has the ballot's votes, one an entry at most, taken through the one
capacity guard so that no account votes more however many requests it sends at once. The
organisers see anomaly flags: bursts of votes from one address, votes from accounts made
just before. A review panel scores the entries on weighted criteria, and the final ranking
combines the share of the votes and the panel's score by the weights the ballot publishes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from capacity import guard
from core.errors import ServiceError, checked_text
from core.images import checked_upload
from franchise.campaigns import checked_criteria
from franchise.models import Campaign
from tenants import outbox

from . import campaigns
from .models import (
    Activity,
    ActivityEvent,
    Allowance,
    Ballot,
    Entry,
    Registration,
    Reviewer,
    Score,
    Vote,
)
from .services import may_manage, record

Kind = ActivityEvent
RESULTS_CACHE_S = 2  # live results are at most this old
BURST_VOTES = 20  # this many votes from one address within a minute is a burst
BURST_WINDOW = "59.999999 seconds"  # within a minute: less than 60 s from the first
NEW_ACCOUNT_S = 24 * 3600  # an account younger than this at its vote is new
NEW_ACCOUNT_SHARE = 0.3  # an entry with more of its votes from new accounts is flagged
FLAG_FROM_VOTES = 10  # entries with fewer votes are not flagged for new accounts


def _refuse_unless_manager(user, activity: Activity) -> None:
    if not may_manage(user, activity):
        raise ServiceError(
            "forbidden", _("Only the activity's organisers may do this."), status=403
        )


def open_ballot(
    *,
    activity: Activity,
    actor,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    description: str = "",
    votes_per_account: int = 1,
    vote_weight: float = 1.0,
    panel_weight: float = 0.0,
    criteria=(),
) -> Ballot:
    """Open a vote of the activity (its organisers), with its published rule: under a
    campaign, the campaign's."""
    _refuse_unless_manager(actor, activity)
    title = checked_text(title, field="title", limit=100, required=_("Give it a title."))
    description = checked_text(description, field="description", limit=2000)
    if closes_at <= opens_at:
        raise ServiceError("invalid", _("Voting must close after it opens."), field="closes_at")
    if not isinstance(votes_per_account, int) or not 1 <= votes_per_account <= 20:
        raise ServiceError("invalid", _("1 to 20 votes an account."), field="votes_per_account")
    if vote_weight < 0 or panel_weight < 0 or vote_weight + panel_weight <= 0:
        raise ServiceError(
            "invalid", _("The weights must add up to more than nothing."), field="vote_weight"
        )
    campaign = (
        Campaign.objects.filter(code=activity.campaign).first() if activity.campaign else None
    )
    if campaign is not None:  # a campaign's votes follow its published rule
        votes_per_account, criteria = campaign.votes_per_account, campaign.criteria
        vote_weight, panel_weight = campaign.vote_weight, campaign.panel_weight
    checked = checked_criteria(list(criteria))
    if panel_weight > 0 and not checked:
        raise ServiceError("invalid", _("A review panel needs criteria."), field="criteria")
    return Ballot.objects.create(
        activity=activity,
        title=title,
        description=description,
        opens_at=opens_at,
        closes_at=closes_at,
        votes_per_account=votes_per_account,
        vote_weight=vote_weight,
        panel_weight=panel_weight,
        criteria=checked,
    )


def submit_entry(*, ballot: Ballot, by, title: str, description: str = "", image=None) -> Entry:
    """An entry of the vote: by its organisers, or by a participant of the activity (a
    team's captain enters for the team), before voting closes."""
    activity = ballot.activity
    title = checked_text(title, field="title", limit=100, required=_("Give it a title."))
    description = checked_text(description, field="description", limit=2000)
    registered = (
        Registration.objects.filter(
            activity=activity, youth=by, state=Registration.State.REGISTERED
        )
        .select_related("squad")
        .first()
    )
    if not may_manage(by, activity):
        if registered is None:
            raise ServiceError(
                "forbidden", _("Only the activity's participants enter."), status=403
            )
        if registered.squad and registered.squad.captain_id != by.pk:
            raise ServiceError("forbidden", _("The team's captain enters for it."), status=403)
    if timezone.now() >= ballot.closes_at:
        raise ServiceError("closed", _("Voting has closed."), status=409)
    picture = checked_upload(image, field="image") if image is not None else None
    try:
        with transaction.atomic():
            entry = Entry(
                ballot=ballot,
                title=title,
                description=description,
                submitted_by=by,
                squad=registered.squad if registered else None,
            )
            if picture is not None:
                entry.image.save(
                    f"{uuid.uuid4().hex}.{picture.extension}",
                    ContentFile(picture.content),
                    save=False,
                )
            entry.save()
            record(entry, Kind.ENTERED, activity=activity, actor=by, ballot=ballot.pk)
            campaigns.list_entry(entry)
    except IntegrityError:
        raise ServiceError("taken", _("An entry has this title."), field="title") from None
    return entry


def address_key(address: str) -> str:
    """A keyed hash of a client address: bursts from one address show, the address not."""
    if not address:
        return ""
    return salted_hmac("activities.vote-address", address, algorithm="sha256").hexdigest()[:16]


def _allowance(ballot: Ballot, voter) -> Allowance:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Allowance._meta.db_table} (ballot_id, voter_id, capacity, taken, held)"
            " VALUES (%s, %s, %s, 0, 0) ON CONFLICT (ballot_id, voter_id) DO NOTHING",
            [ballot.pk, voter.pk, ballot.votes_per_account],
        )
    return Allowance.objects.get(ballot=ballot, voter=voter)


def vote(*, entry: Entry, voter, address: str = "", now: datetime | None = None) -> Vote:
    """``voter`` votes for ``entry``: once an entry, as many entries as the ballot gives."""
    now = now or timezone.now()
    ballot = entry.ballot
    if entry.is_withdrawn:
        raise ServiceError("withdrawn", _("This entry was withdrawn."), status=409)
    if not ballot.opens_at <= now < ballot.closes_at:
        raise ServiceError("closed", _("Voting is not open."), status=409)
    joined = getattr(voter, "date_joined", None) or now
    if Vote.objects.filter(ballot=ballot, voter=voter, entry=entry).exists():
        raise ServiceError("already_voted", _("You have voted for this entry already."), status=409)
    try:
        with transaction.atomic():
            if not guard.take(_allowance(ballot, voter)):
                raise ServiceError(
                    "no_votes_left",
                    _("You have used your votes in this round."),
                    status=409,
                )
            made = Vote.objects.create(
                ballot=ballot,
                entry=entry,
                voter=voter,
                address=address_key(address),
                account_age_s=max(int((now - joined).total_seconds()), 0),
            )
            record(
                entry,
                Kind.VOTED,
                activity=ballot.activity,
                actor=voter,
                ballot=ballot.pk,
            )
    except IntegrityError:
        raise ServiceError(
            "already_voted", _("You have voted for this entry already."), status=409
        ) from None
    return made


# ---------------------------------------------------------------- the panel


def appoint(*, ballot: Ballot, actor, user) -> Reviewer:
    """Seat ``user`` on the ballot's review panel (its organisers)."""
    _refuse_unless_manager(actor, ballot.activity)
    reviewer, _made = Reviewer.objects.get_or_create(ballot=ballot, user=user)
    return reviewer


def score(*, entry: Entry, reviewer_user, points: dict[str, int]) -> list[Score]:
    """A panel member's points (0–100) for an entry on each criterion; given again, they
    replace the earlier ones."""
    ballot = entry.ballot
    seat = Reviewer.objects.filter(ballot=ballot, user=reviewer_user).first()
    if seat is None:
        raise ServiceError("forbidden", _("Only the review panel scores entries."), status=403)
    codes = {c["code"] for c in ballot.criteria}
    if set(points) != codes:
        raise ServiceError("invalid", _("Score every criterion."), field="points")
    for value in points.values():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
            raise ServiceError("invalid", _("Points are 0 to 100."), field="points")
    with transaction.atomic():
        return [
            Score.objects.update_or_create(
                entry=entry, reviewer=seat, criterion=code, defaults={"points": value}
            )[0]
            for code, value in points.items()
        ]


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Standing:
    entry_id: int
    title: str
    votes: int
    vote_share: float  # of the leading entry's votes, 0–1
    panel: float | None  # the panel's weighted mean, 0–100
    final: float  # by the ballot's weights, 0–100


def _votes(ballot: Ballot) -> dict[int, int]:
    return dict(
        Vote.objects.filter(ballot=ballot, entry__is_withdrawn=False)
        .values("entry")
        .annotate(n=Count("id"))
        .values_list("entry", "n")
    )


def _panel(ballot: Ballot) -> dict[int, float]:
    """Each entry's weighted mean of its reviewers' points (0–100)."""
    weights = {c["code"]: c["weight"] for c in ballot.criteria}
    total = sum(weights.values())
    if not total:
        return {}
    sums: dict[int, dict[str, list[int]]] = {}
    for entry_id, criterion, points in Score.objects.filter(entry__ballot=ballot).values_list(
        "entry", "criterion", "points"
    ):
        sums.setdefault(entry_id, {}).setdefault(criterion, []).append(points)
    return {
        entry_id: sum(
            weights.get(code, 0) * sum(values) / len(values) for code, values in by.items()
        )
        / total
        for entry_id, by in sums.items()
    }


def results_key(ballot: Ballot) -> str:
    """Where the ballot's live results are cached."""
    return f"activities-results:{outbox.current_committee_code()}:{ballot.pk}"


def standings(ballot: Ballot) -> list[Standing]:
    """The entries by the final ranking: the share of the leading entry's votes and the
    panel's score, weighted as the ballot publishes (cached for ``RESULTS_CACHE_S``)."""
    key = results_key(ballot)
    found = cache.get(key)
    if found is not None:
        return found
    votes, panel = _votes(ballot), _panel(ballot)
    most = max(votes.values(), default=0)
    weight = ballot.vote_weight + ballot.panel_weight
    rows = []
    for entry in ballot.entries.filter(is_withdrawn=False):
        n = votes.get(entry.pk, 0)
        share = n / most if most else 0.0
        points = panel.get(entry.pk)
        final = (ballot.vote_weight * share * 100 + ballot.panel_weight * (points or 0)) / weight
        rows.append(Standing(entry.pk, entry.title, n, round(share, 4), points, round(final, 2)))
    rows.sort(key=lambda row: (-row.final, -row.votes, row.entry_id))
    cache.set(key, rows, RESULTS_CACHE_S)
    return rows


@dataclass(frozen=True)
class Flags:
    bursts: list[dict]  # {"address", "minute", "votes"}
    new_accounts: dict[int, float]  # entry id → share of its votes from new accounts


def anomalies(ballot: Ballot) -> Flags:
    """What the organisers should look at: addresses that sent a burst of votes within a
    minute, and entries with many votes from accounts made just before."""
    with connection.cursor() as cursor:
        # For each vote, the votes from its address in the minute up to it (a window that
        # slides, so a burst astride two clock minutes shows); each address's fullest.
        cursor.execute(
            "SELECT address, since, n FROM (SELECT DISTINCT ON (address) address, since, n"
            " FROM (SELECT address, min(at) OVER last_minute AS since,"
            " count(*) OVER last_minute AS n"
            f" FROM {Vote._meta.db_table} WHERE ballot_id = %s AND address <> ''"
            " WINDOW last_minute AS (PARTITION BY address ORDER BY at"
            " RANGE BETWEEN %s::interval PRECEDING AND CURRENT ROW)) AS counted"
            " WHERE n >= %s ORDER BY address, n DESC, since) AS fullest"
            " ORDER BY n DESC, since LIMIT 50",
            [ballot.pk, BURST_WINDOW, BURST_VOTES],
        )
        bursts = [
            {"address": address, "since": since.isoformat(), "votes": n}
            for address, since, n in cursor.fetchall()
        ]
    rows = (
        Vote.objects.filter(ballot=ballot)
        .values("entry")
        .annotate(n=Count("id"), new=Count("id", filter=Q(account_age_s__lt=NEW_ACCOUNT_S)))
    )
    new_accounts = {
        row["entry"]: round(row["new"] / row["n"], 3)
        for row in rows
        if row["n"] >= FLAG_FROM_VOTES and row["new"] / row["n"] > NEW_ACCOUNT_SHARE
    }
    return Flags(bursts=bursts, new_accounts=new_accounts)


def is_open(ballot: Ballot, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return ballot.opens_at <= now < ballot.closes_at
