"""The client's address, behind any number of trusted reverse proxies, and the identity limits count it as.

``TRUSTED_PROXIES`` (environment) says which proxies may tell us the client's address in
``X-Forwarded-For``:

- empty or ``0`` (default): nobody; the address is ``REMOTE_ADDR``. Right when clients connect directly.
- a number ``N``: exactly N proxies stand in front of the app (nginx alone: ``1``; a load balancer and nginx:
  ``2``); the client is the N-th address from the right of ``X-Forwarded-For`` + ``REMOTE_ADDR``.
- networks, comma-separated (``10.0.0.0/8,192.168.1.5``): every hop inside them is a proxy; the client is the
  right-most address outside them, reading ``X-Forwarded-For`` only while ``REMOTE_ADDR`` is such a proxy.

Whatever the client writes into ``X-Forwarded-For`` itself is to the left of what the trusted proxies appended,
so it is never taken. Every limit (sign-in, API keys, API throttles, public survey links) counts
``client_ident``: IPv4 as is, IPv6 per /64 (the block one subscriber gets, so rotating within it gains nothing).
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def trusted_proxies_parse(value) -> int | tuple:
    """``TRUSTED_PROXIES`` as a number of proxies or a tuple of networks."""
    if isinstance(value, int):
        if value < 0:
            raise ImproperlyConfigured("TRUSTED_PROXIES must not be negative.")
        return value
    text = str(value or "").strip()
    if not text:
        return 0
    if text.isdecimal():
        return int(text)
    networks = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {part!r} is neither a number of proxies nor an address or network "
                "(e.g. TRUSTED_PROXIES=1 or TRUSTED_PROXIES=10.0.0.0/8,127.0.0.1)."
            ) from None
    return tuple(networks)


def trusted_proxies() -> int | tuple:
    value = getattr(settings, "TRUSTED_PROXIES", 0)
    return trusted_proxies_parse(",".join(value) if isinstance(value, list | tuple) else value)


def _address(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_ip(request) -> str:
    """The client's IP address (see the module's docstring); ``REMOTE_ADDR`` when nothing better is known."""
    meta = request.META
    remote = meta.get("REMOTE_ADDR", "") or ""
    trusted = trusted_proxies()
    if not trusted:
        return str(_address(remote) or remote or "unknown")
    forwarded = [part for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    chain = [*forwarded, remote]
    if isinstance(trusted, int):
        candidate = chain[-(trusted + 1)] if len(chain) > trusted else chain[0]
        address = _address(candidate)
        return str(address) if address is not None else str(_address(remote) or remote or "unknown")
    client = _address(remote)
    for hop in reversed(forwarded):
        if client is None or not any(client in network for network in trusted if network.version == client.version):
            break
        parsed = _address(hop)
        if parsed is None:
            break  # a malformed hop: keep the last proxy-vouched address
        client = parsed
    return str(client) if client is not None else (remote or "unknown")


def address_ident(ip: str) -> str:
    """What limits count an address as: IPv4 as is, IPv6 as its /64 network."""
    address = _address(ip)
    if address is None:
        return ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def client_ident(request) -> str:
    """The client's address as every limit counts it (IPv6 per /64)."""
    return address_ident(client_ip(request))
