"""What each role may do in each committee, straight from core.access."""

import pytest
from django.contrib.auth.models import AnonymousUser

from core import access, services
from core.models import User
from tenants import services as committees
from tests import factories

# Per account: the committees it reads ("R") or also writes in ("RW"); absent: nothing.
EXPECTED = {
    "youth": {},
    "central_admin": {"central": "RW", "gd": "R", "gd-gz": "R", "bj": "R"},
    "auditor": {"central": "R", "gd": "R", "gd-gz": "R", "bj": "R"},
    "gd_admin": {"gd": "RW", "gd-gz": "R"},
    "gd_cadre": {"gd": "RW"},
    "gd_expert": {"gd": "RW"},
    "gd_org": {"gd": "RW"},
    "gz_cadre": {"gd-gz": "RW"},
    "bj_admin": {"bj": "RW"},
    "bj_cadre": {"bj": "RW"},
}
OWN_KINDS = {
    "central_admin": ("central", "admin"),
    "auditor": ("central", "auditor"),
    "gd_admin": ("gd", "admin"),
    "gd_cadre": ("gd", "cadre"),
    "gd_expert": ("gd", "expert"),
    "gd_org": ("gd", "org_member"),
    "gz_cadre": ("gd-gz", "cadre"),
    "bj_admin": ("bj", "admin"),
    "bj_cadre": ("bj", "cadre"),
}


def _committees(tree):
    return {"central": tree.central, "gd": tree.gd, "gd-gz": tree.gz, "bj": tree.bj}


def _fresh(user: User) -> User:
    """The account as a new request loads it (roles are cached per loaded account)."""
    return User.objects.get(pk=user.pk)


def test_every_role_reads_and_writes_where_it_should(tree):
    actual, expected = {}, {}
    for who, allowed in EXPECTED.items():
        for code, committee in _committees(tree).items():
            grant = access.access_to(tree[who], committee)
            mode = "RW" if grant.can_write else "R" if grant.can_read else ""
            assert not (grant.can_write and not grant.can_read)
            actual[who, code] = mode
            expected[who, code] = allowed.get(code, "")
    assert actual == expected


def test_the_own_kinds_are_only_those_held_in_that_committee(tree):
    for who in EXPECTED:
        for code, committee in _committees(tree).items():
            kinds = access.access_to(tree[who], committee).kinds
            own = OWN_KINDS.get(who)
            assert kinds == (frozenset({own[1]}) if own and own[0] == code else frozenset())


def test_nobody_anonymous_and_no_committee_get_no_access(tree):
    assert access.access_to(AnonymousUser(), tree.gd) == access.NO_ACCESS
    assert access.access_to(tree["gd_admin"], None) == access.NO_ACCESS
    assert not access.is_central_admin(AnonymousUser())
    assert not access.is_central_reader(AnonymousUser())
    assert not access.readable_committees(AnonymousUser()).exists()


def test_only_the_central_office_is_central(tree):
    admins = {who for who in EXPECTED if access.is_central_admin(tree[who])}
    readers = {who for who in EXPECTED if access.is_central_reader(tree[who])}
    assert admins == {"central_admin"}
    assert readers == {"central_admin", "auditor"}


def test_readable_committees_match_the_workbenches_one_may_open(tree):
    for who, allowed in EXPECTED.items():
        codes = set(access.readable_committees(tree[who]).values_list("code", flat=True))
        assert codes == set(allowed), who


def test_an_admin_does_not_read_a_sibling_whose_code_starts_alike(tree):
    gdx = factories.committee("gdx", level="province", parent=tree.central)
    gd_admin = _fresh(tree["gd_admin"])
    assert not access.access_to(gd_admin, gdx).can_read
    assert "gdx" not in set(access.readable_committees(gd_admin).values_list("code", flat=True))
    # ... while the central office reads the new committee at once.
    assert access.access_to(_fresh(tree["auditor"]), gdx).can_read


def test_an_admin_reads_every_level_below(tree):
    county = factories.committee("gd-gz-th", level="county", parent=tree.gz)
    assert access.access_to(_fresh(tree["gd_admin"]), county) == access.Access(
        kinds=frozenset(), can_read=True, can_write=False
    )
    assert access.access_to(_fresh(tree["gz_cadre"]), county) == access.NO_ACCESS


def test_roles_in_a_suspended_committee_give_nothing(tree):
    committees.set_status(committee=tree.gd, status="suspended")
    gd_admin = _fresh(tree["gd_admin"])
    assert access.access_to(gd_admin, tree.gz) == access.NO_ACCESS
    assert not access.readable_committees(gd_admin).exists()


def test_a_granted_role_counts_from_the_next_request_and_a_revoked_one_stops(tree):
    youth = tree["youth"]
    assert not access.access_to(_fresh(youth), tree.bj).can_read
    services.grant_role(user=youth, committee=tree.bj, kind="expert")
    assert access.access_to(_fresh(youth), tree.bj) == access.Access(
        kinds=frozenset({"expert"}), can_read=True, can_write=True
    )
    services.revoke_role(user=youth, committee=tree.bj, kind="expert")
    assert access.access_to(_fresh(youth), tree.bj) == access.NO_ACCESS


def test_granting_is_idempotent_and_checks_the_kind(tree):
    youth = tree["youth"]
    first = services.grant_role(user=youth, committee=tree.gd, kind="cadre")
    assert services.grant_role(user=youth, committee=tree.gd, kind="cadre") == first
    with pytest.raises(services.ServiceError) as refused:
        services.grant_role(user=youth, committee=tree.gd, kind="boss")
    assert refused.value.code == "invalid_role"
    with pytest.raises(services.ServiceError) as refused:
        services.grant_role(user=youth, committee=tree.gd, kind="auditor")
    assert refused.value.code == "invalid_role"
    assert set(youth.roles.values_list("kind", flat=True)) == {"cadre"}
