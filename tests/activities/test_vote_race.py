"""An account's votes under concurrency: one account sends its vote for eight entries at the
same moment, each request on its own connection, in a round of one vote an account, and
exactly one vote is counted; the other seven are told the votes are used. Twenty accounts
voting at the same moment each get their one vote. The negative control runs the same
race with the guard replaced by a read-then-write: the account votes more than once, so the
test can fail."""

import threading
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.utils import timezone
from django_tenants.utils import schema_context

from activities import voting
from activities.models import Allowance, Ballot, Entry, Vote
from capacity import guard
from core.errors import ServiceError
from tenants.models import Committee
from tests import factories

pytestmark = pytest.mark.slow

ENTRIES = 8
VOTERS = 20


def unguarded_take(everyone_read: threading.Barrier):
    """``guard.take`` as it would be written without the guard: read the votes left, check
    them, then write what was read plus one. Every request reads before any writes."""

    def take(pool, places=1):
        row = Allowance.objects.get(pk=pool.pk)
        is_free = row.capacity - row.taken - row.held >= places
        everyone_read.wait(timeout=30)
        if not is_free:
            return False
        Allowance.objects.filter(pk=pool.pk).update(taken=row.taken + places)
        return True

    return take


def race(attempts) -> tuple[list[Vote], list[str]]:
    """Each of ``attempts`` runs in its own thread on Guangdong's schema, all at once; the
    votes made and the refusals' codes."""
    gd = Committee.objects.get(code="gd")
    start = threading.Barrier(len(attempts))
    made, refused, failures = [], [], []

    def attempt(act) -> None:
        try:
            connection.set_tenant(gd)
            start.wait(timeout=30)
            try:
                made.append(act())
            except ServiceError as exc:
                refused.append(exc.code)
        except BaseException as exc:  # reported by the test
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(act,)) for act in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a racer hung"
    assert not failures, failures
    return made, refused


def vote_with_entries(committed_tree, n: int, votes_per_account: int = 1):
    """A vote of Guangdong's activity, open now, with ``n`` entries by its cadre."""
    cadre = factories.staff(committed_tree["gd"], "cadre")
    activity = factories.activity("gd", cadre)
    with schema_context("gd"):
        ballot = voting.open_ballot(
            activity=activity,
            actor=cadre,
            title="最美志愿服务项目评选",
            opens_at=timezone.now() - timedelta(minutes=1),
            closes_at=timezone.now() + timedelta(days=3),
            votes_per_account=votes_per_account,
        )
        made = [voting.submit_entry(ballot=ballot, by=cadre, title=f"项目{i}") for i in range(n)]
        return ballot, list(
            Entry.objects.select_related("ballot").filter(pk__in=[e.pk for e in made])
        )


def counted(ballot: Ballot) -> tuple[int, dict[int, int]]:
    """The ballot's votes, and each account's votes taken as its allowance counts them."""
    with schema_context("gd"):
        allowances = dict(Allowance.objects.filter(ballot=ballot).values_list("voter_id", "taken"))
        return Vote.objects.filter(ballot=ballot).count(), allowances


@pytest.mark.parametrize(
    "guarded, made_before",
    [(True, False), (True, True), (False, True)],
    ids=["guarded-first-votes", "guarded-allowance-made", "negative-control"],
)
def test_one_account_sending_eight_votes_at_once_gets_one(
    committed_tree, monkeypatch, guarded, made_before
):
    ballot, entries = vote_with_entries(committed_tree, ENTRIES)
    voter = factories.account(name="刷票的人")
    if made_before:
        # The account's allowance exists (it opened the vote's page, say): the requests do
        # not queue on making it. The negative control needs this, or every request but
        # the first would wait for the first to commit and none could read before it.
        with schema_context("gd"):
            voting._allowance(ballot, voter)
    if not guarded:
        monkeypatch.setattr(guard, "take", unguarded_take(threading.Barrier(ENTRIES)))
    made, refused = race(
        [lambda entry=entry: voting.vote(entry=entry, voter=voter) for entry in entries]
    )
    votes, allowances = counted(ballot)
    if guarded:
        assert (len(made), refused) == (1, ["no_votes_left"] * (ENTRIES - 1))
        assert (votes, allowances) == (1, {voter.pk: 1})
        assert made[0].voter_id == voter.pk and made[0].entry_id in {e.pk for e in entries}
    else:  # without the guard the one vote is cast for every entry asked
        assert len(made) > 1 and votes > ballot.votes_per_account


def test_twenty_accounts_voting_at_once_each_get_their_vote(committed_tree):
    ballot, [entry, other] = vote_with_entries(committed_tree, 2)
    voters = [factories.account(name=f"青年{i}") for i in range(VOTERS)]
    made, refused = race(
        [lambda voter=voter: voting.vote(entry=entry, voter=voter) for voter in voters]
    )
    votes, allowances = counted(ballot)
    assert (len(made), refused, votes) == (VOTERS, [], VOTERS)
    assert allowances == {voter.pk: 1 for voter in voters}
    with schema_context("gd"):
        cache.delete_pattern("activities-results:*")  # none cached by an earlier test
        [first, second] = voting.standings(ballot)
    assert (first.entry_id, first.votes, second.entry_id, second.votes) == (
        entry.pk,
        VOTERS,
        other.pk,
        0,
    )
