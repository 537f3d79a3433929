"""The SSRF guard refuses every non-global target, however an IPv6 address wraps a private IPv4 one."""

import pytest

from cxportal.webhooks.delivery import UnsafeTarget, target_resolve


@pytest.mark.parametrize(
    "host",
    [
        "[2002:7f00:1::1]",  # 6to4 of 127.0.0.1
        "[2002:a9fe:a9fe::1]",  # 6to4 of 169.254.169.254 (cloud metadata)
        "[2002:c0a8:101::1]",  # 6to4 of 192.168.1.1
        "[2002:0a00:0001::]",  # 6to4 of 10.0.0.1
        "[fec0::1]",  # site-local
        "[64:ff9b::7f00:1]",  # NAT64 of 127.0.0.1
        "[64:ff9b::a9fe:a9fe]",  # NAT64 of 169.254.169.254
        "[64:ff9b:1::a00:1]",  # local-use NAT64
        "[2001:0:4136:e378:8000:63bf:80ff:fffe]",  # Teredo, client 127.0.0.1
        "[2001::1]",  # Teredo prefix
        "[::ffff:127.0.0.1]",  # IPv4-mapped
        "[::ffff:a9fe:a9fe]",  # IPv4-mapped metadata
        "[::127.0.0.1]",  # IPv4-compatible (deprecated)
        "[::1]",
        "[::]",
        "[fe80::1]",
        "[fc00::1]",
        "[fd12:3456::1]",
        "[ff02::1]",
        "[100::1]",  # discard-only
        "[2001:db8::1]",  # documentation
        "127.0.0.1",
        "169.254.169.254",
        "100.64.0.1",  # shared address space (carrier-grade NAT)
        "0.0.0.0",  # noqa: S104 - a target to refuse, not a bind address
        "198.18.0.1",  # benchmarking
        "240.0.0.1",
        "255.255.255.255",
    ],
)
def test_non_global_targets_are_refused_in_every_spelling(host, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(UnsafeTarget, match="non-public"):
        target_resolve(f"http://{host}/hook")


@pytest.mark.parametrize(
    "host",
    [
        "93.184.215.14",
        "[2606:2800:21f:cb07:6820:80da:af6b:8b2c]",
        "[2002:5db8:d70e::1]",  # 6to4 of the public 93.184.215.14
    ],
)
def test_global_targets_pass(host, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    assert target_resolve(f"https://{host}/hook").port == 443
