"""The client's address: the peer's, or what a trusted proxy forwarded; never what a client
wrote in X-Forwarded-For itself."""

import pytest
from django.test import RequestFactory, override_settings

from core.addresses import client_ip
from reporting.models import PostVisit
from tests.reporting.helpers import answer, ask

PROXIES = ["10.0.0.0/8", "2001:db8::/32"]


def request(peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        # No proxy is trusted: the peer, whatever the header says.
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),
        ("203.0.113.9", None, "203.0.113.9"),
    ],
)
@override_settings(TRUSTED_PROXIES=[])
def test_without_trusted_proxies_the_peer_is_the_client(peer, forwarded, client):
    assert client_ip(request(peer, forwarded)) == client


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        # An untrusted peer that claims to forward for someone is still itself.
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),
        # The proxy forwards a client.
        ("10.0.0.2", "198.51.100.1", "198.51.100.1"),
        # A client that wrote its own header before the proxy appended the real address.
        ("10.0.0.2", "1.1.1.1, 198.51.100.1", "198.51.100.1"),
        # Two proxies of ours in a row.
        ("10.0.0.2", "198.51.100.1, 10.0.0.3", "198.51.100.1"),
        ("10.0.0.2", " 198.51.100.1 ,10.0.0.3 ", "198.51.100.1"),
        # IPv6, and an IPv4 client written as an IPv4-mapped address.
        ("2001:db8::1", "2400:cb00::7", "2400:cb00::7"),
        ("10.0.0.2", "::ffff:198.51.100.1", "198.51.100.1"),
        # Garbage left of what our proxy wrote is never reached; garbage where our proxy
        # should have written leaves the proxy as the client.
        ("10.0.0.2", "not-an-address, 198.51.100.1", "198.51.100.1"),
        ("10.0.0.2", "198.51.100.1, not-an-address", "10.0.0.2"),
        # A request from inside, through our proxy: every hop is ours.
        ("10.0.0.2", "10.1.2.3", "10.1.2.3"),
        ("10.0.0.2", None, "10.0.0.2"),
        ("10.0.0.2", "", "10.0.0.2"),
    ],
)
@override_settings(TRUSTED_PROXIES=PROXIES)
def test_behind_trusted_proxies_the_right_most_untrusted_address(peer, forwarded, client):
    assert client_ip(request(peer, forwarded)) == client


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_anonymous_visitors_behind_the_proxy_are_told_apart_but_not_by_a_forged_header(tree, api):
    """Visits by anonymous readers without a session are told apart by address and browser."""
    question = ask("gd", tree["youth"])
    answer("gd", question, tree["gd_cadre"])
    path = f"/api/v1/questions/{question.pk}/"
    client = api("gd")
    for peer, forwarded in [
        ("10.0.0.2", "198.51.100.1"),
        ("10.0.0.2", "198.51.100.2"),
        ("10.0.0.2", "198.51.100.2"),  # the same reader again
        ("203.0.113.9", "198.51.100.3"),  # forged: an outsider is itself
        ("203.0.113.9", "198.51.100.4"),
    ]:
        assert client.get(path, REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded).status_code == 200
    assert PostVisit.objects.filter(post_id=question.pk).count() == 3
