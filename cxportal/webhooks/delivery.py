"""Sending one webhook attempt over HTTP, and the SSRF guard on its target.

A target must be an http(s) URL whose host resolves only to public addresses, unless the operator sets
``WEBHOOKS_ALLOW_PRIVATE_TARGETS``. The host is resolved and vetted again at every attempt, and the
connection goes to the vetted address (the Host header and the TLS name stay the URL's host), so a DNS
answer that changes between the check and the connect cannot redirect the request. Redirects are never
followed. Only the standard library is used.
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

USER_AGENT = "CX-portal-webhooks/1"
ERROR_LIMIT = 500


class UnsafeTarget(Exception):
    """The URL is not an allowed webhook target; the message says why."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the vetted IP address to connect to


@dataclass(frozen=True)
class AttemptResult:
    ok: bool
    status_code: int | None = None
    error: str = ""


# IPv6 prefixes that carry an IPv4 address in their last 32 bits: NAT64 (RFC 6052) and the deprecated
# IPv4-compatible form (::a.b.c.d). 6to4 and Teredo have ``ipaddress`` properties of their own.
_IPV4_IN_LOW_BITS = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("::/96"))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address leads to: IPv4-mapped, 6to4, Teredo (server and client), NAT64."""
    found = [a for a in (ip.ipv4_mapped, ip.sixtofour) if a is not None]
    if ip.teredo is not None:
        found.extend(ip.teredo)
    found.extend(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) for net in _IPV4_IN_LOW_BITS if ip in net)
    return found


def _is_global(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    special = ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
    special = special or ip.is_unspecified or getattr(ip, "is_site_local", False)
    return ip.is_global and not special


def _is_public(address: str) -> bool:
    """Whether the address, and every IPv4 address wrapped in it, is a global unicast address.

    Wrapped forms are unwrapped first (``::ffff:127.0.0.1``, 6to4 ``2002:7f00:1::1``, NAT64
    ``64:ff9b::a9fe:a9fe``, Teredo, ``::127.0.0.1``), so no IPv6 spelling reaches a private IPv4 network;
    site-local ``fec0::/10`` and the other special ranges are refused too.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        wrapped = _embedded_ipv4(ip)
        if ip.ipv4_mapped is not None:
            return _is_global(ip.ipv4_mapped)
        if wrapped and not all(_is_global(inner) for inner in wrapped):
            return False
    return _is_global(ip)


def _parse(url: str) -> tuple[str, str, int, str]:
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port
    except ValueError as exc:
        raise UnsafeTarget(_("The URL is not valid (%(error)s).") % {"error": exc}) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeTarget(_("The URL must start with http:// or https://."))
    if not parts.hostname:
        raise UnsafeTarget(_("The URL must name a host."))
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget(_("Put no user name or password into the URL; receivers verify the signature instead."))
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80), path


def target_resolve(url: str) -> Target:
    """Check the URL and resolve its host; raises UnsafeTarget unless every address may be contacted."""
    scheme, host, port, path = _parse(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeTarget(
            _("The host %(host)s cannot be resolved (%(error)s).") % {"host": host, "error": exc}
        ) from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise UnsafeTarget(_("The host %(host)s cannot be resolved.") % {"host": host})
    if not settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS:
        refused = [a for a in addresses if not _is_public(a)]
        if refused:
            raise UnsafeTarget(
                _(
                    "The host %(host)s resolves to a private, loopback, link-local or otherwise non-public "
                    "address (%(addresses)s); webhooks may only go to public addresses."
                )
                % {"host": host, "addresses": ", ".join(refused)}
            )
    return Target(scheme=scheme, host=host, port=port, path=path, address=addresses[0])


def signature(*, secret: str, timestamp: int, body: str) -> str:
    """``sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>``, the X-CX-Signature header."""
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def payload_body(payload: dict) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def _connection(target: Target, timeout: float) -> http.client.HTTPConnection:
    if target.scheme == "https":
        conn = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(target.host, target.port, timeout=timeout)

    def connect_to_vetted_address(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None):
        # Host header and TLS server name stay target.host; only the address is pinned.
        return socket.create_connection((target.address, address[1]), timeout, source_address)

    conn._create_connection = connect_to_vetted_address
    return conn


def attempt_send(
    *, url: str, secret: str, event_type: str, event_id: str, payload: dict, timestamp: int
) -> AttemptResult:
    """POST the payload once; 2xx is success, anything else (or no answer in time) an error to retry."""
    try:
        target = target_resolve(url)
    except UnsafeTarget as exc:
        return AttemptResult(ok=False, error=f"Refused target: {exc}"[:ERROR_LIMIT])
    body = payload_body(payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-CX-Event": event_type,
        "X-CX-Delivery": event_id,
        "X-CX-Timestamp": str(timestamp),
        "X-CX-Signature": signature(secret=secret, timestamp=timestamp, body=body),
    }
    conn = _connection(target, settings.WEBHOOKS_TIMEOUT_SECONDS)
    try:
        conn.request("POST", target.path, body=body.encode(), headers=headers)
        response = conn.getresponse()
        snippet = response.read(300).decode("utf-8", "replace").strip()
    except TimeoutError:
        return AttemptResult(ok=False, error=f"No answer within {settings.WEBHOOKS_TIMEOUT_SECONDS:g} s.")
    except (OSError, http.client.HTTPException) as exc:
        return AttemptResult(ok=False, error=f"Connection failed: {exc or type(exc).__name__}"[:ERROR_LIMIT])
    finally:
        conn.close()
    if 200 <= response.status < 300:
        return AttemptResult(ok=True, status_code=response.status)
    error = f"HTTP {response.status} {response.reason}".strip()
    if 300 <= response.status < 400:
        error += " (redirects are not followed; use the final URL)"
    if snippet:
        error += f": {snippet}"
    return AttemptResult(ok=False, status_code=response.status, error=error[:ERROR_LIMIT])
