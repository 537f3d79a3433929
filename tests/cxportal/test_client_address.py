"""``TRUSTED_PROXIES``: which address every limit counts, behind none, a number of, or listed proxies."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings
from rest_framework.test import APIClient

from cxportal.clientip import client_ident, client_ip, trusted_proxies_parse


def _request(remote="203.0.113.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "client"),
    [
        # No proxy trusted: the header is the client's own words and is ignored.
        ("0", "203.0.113.1", "198.51.100.7", "203.0.113.1"),
        ("", "203.0.113.1", None, "203.0.113.1"),
        # One proxy (nginx): the last entry is what it appended; anything left of it the client wrote.
        ("1", "10.0.0.2", "198.51.100.7", "198.51.100.7"),
        ("1", "10.0.0.2", "6.6.6.6, 198.51.100.7", "198.51.100.7"),
        ("1", "10.0.0.2", None, "10.0.0.2"),
        # Two proxies (load balancer, then nginx).
        ("2", "10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        # Listed proxy networks: the right-most address outside them.
        ("10.0.0.0/8,127.0.0.1", "10.0.0.2", "6.6.6.6, 198.51.100.7, 10.1.2.3", "198.51.100.7"),
        ("10.0.0.0/8", "203.0.113.1", "198.51.100.7", "203.0.113.1"),  # not from a proxy: header ignored
        ("10.0.0.0/8", "10.0.0.2", "not-an-address, 10.0.0.5", "10.0.0.5"),
        # IPv6 and IPv4-mapped forms.
        ("1", "::ffff:10.0.0.2", "2001:db8::1", "2001:db8::1"),
        ("0", "::ffff:203.0.113.1", None, "203.0.113.1"),
    ],
)
def test_the_client_address_behind_the_trusted_proxies(trusted, remote, forwarded, client):
    with override_settings(TRUSTED_PROXIES=trusted):
        assert client_ip(_request(remote, forwarded)) == client


def test_limits_count_ipv6_per_64_block():
    with override_settings(TRUSTED_PROXIES="0"):
        assert client_ident(_request("2001:db8:1:2::99")) == "2001:db8:1:2::/64"
        assert client_ident(_request("203.0.113.1")) == "203.0.113.1"


@pytest.mark.parametrize("value", ["nginx", "10.0.0.0/33", "-1"])
def test_a_malformed_setting_is_a_clear_configuration_error(value):
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        trusted_proxies_parse(value)


@pytest.mark.django_db
@override_settings(
    API_ANON_RATE="2/min",
    TRUSTED_PROXIES="1",
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "client-address"}},
)
def test_behind_the_proxy_the_api_counts_each_client_not_the_proxy():
    proxy = "10.0.0.2"
    first = APIClient(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = APIClient(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.2")

    assert [first.get("/api/docs/").status_code for _ in range(3)] == [200, 200, 429]
    assert second.get("/api/docs/").status_code == 200
