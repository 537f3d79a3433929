"""API throttling and failure limits, counted in the Django cache.

Throttles: each API key, each signed-in person and each anonymous client address has a request budget
(``API_KEY_RATE``, ``API_USER_RATE``, ``API_ANON_RATE``). Failure limits: failed API-key authentications per
client address (``API_AUTH_FAILURE_RATE``, see ``cxportal.apikeys``) and failed web sign-ins per address and
per username (``LOGIN_FAILURE_RATE``, see ``cxportal.login``).

Rates look like ``600/min`` or ``10/15min`` (``<number>/[<count>]<second|minute|hour|day>``); empty turns
one off. They are read on every request so tests can override them. The local-memory cache default
counts per process, so with several web processes set ``CACHE_URL`` to a shared Redis. An exceeded API
rate answers ``429`` with ``Retry-After`` (seconds) and ``{"detail": …}`` — DRF's ``Throttled`` exception
does both.
"""

import ipaddress
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from cxportal.models import ApiKey

_RATE = re.compile(r"^(\d+)/([1-9]\d*)?(s|sec|second|m|min|minute|h|hour|d|day)$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_parse(setting: str, rate) -> tuple[int, int] | None:
    """``(number, seconds)`` of a rate such as ``600/min`` or ``10/15min``; None when it is empty (off)."""
    if not rate:
        return None
    match = _RATE.match(str(rate))
    if match is None:
        raise ImproperlyConfigured(
            f"{setting}={rate!r}: write it as <number>/[<count>]<second|minute|hour|day>, e.g. 600/min or 10/15min."
        )
    number, count, unit = match.groups()
    return int(number), int(count or 1) * _UNIT_SECONDS[unit[0]]


class _SettingRateThrottle(SimpleRateThrottle):
    setting = ""

    def get_rate(self):
        rate = getattr(settings, self.setting, None) or None
        rate_parse(self.setting, rate)  # a malformed rate is a configuration error, not a silent default
        return rate

    def parse_rate(self, rate):
        return rate_parse(self.setting, rate) or (None, None)

    def key_for(self, ident) -> str:
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ApiKeyRateThrottle(_SettingRateThrottle):
    """Each API key has its own budget (``API_KEY_RATE``), shared by all clients using that key."""

    scope = "api_key"
    setting = "API_KEY_RATE"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return None
        return self.key_for(request.auth.prefix)


class UserRateThrottle(_SettingRateThrottle):
    """Each signed-in person (session) has their own budget (``API_USER_RATE``)."""

    scope = "user"
    setting = "API_USER_RATE"

    def get_cache_key(self, request, view):
        user = request.user
        if isinstance(request.auth, ApiKey) or not (user and user.is_authenticated):
            return None  # API-key requests count against the key (``ApiKeyRateThrottle``)
        return self.key_for(user.pk)


class AnonRateThrottle(_SettingRateThrottle):
    """Anonymous requests (the public schema and docs) are counted per client address (``API_ANON_RATE``).

    Behind a proxy set DRF's ``NUM_PROXIES`` or make sure ``REMOTE_ADDR`` is the client's address.
    """

    scope = "anon"
    setting = "API_ANON_RATE"

    def get_cache_key(self, request, view):
        user = request.user
        if user and user.is_authenticated:
            return None
        return self.key_for(self.get_ident(request))


# --- Failure limits ------------------------------------------------------------------------------------


def client_address(request) -> str:
    """The client address failures are counted under: IPv4 as is, IPv6 per /64 (one subscriber's block).

    The address is DRF's ``get_ident``: ``REMOTE_ADDR``, or with ``NUM_PROXIES`` set the address that many
    proxies in from the end of ``X-Forwarded-For`` — never a header the client alone controls.
    """
    ident = BaseThrottle().get_ident(request)
    try:
        address = ipaddress.ip_address(ident)
    except ValueError:
        return ident
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


@dataclass(frozen=True)
class FailureHit:
    """One counted failure: its counter, and the seconds to wait when it went past the rate (else None)."""

    key: str
    retry_after: int | None


class FailureLimit:
    """At most <number> failures per identity in each window of the rate's length (``setting``).

    Windows are fixed (aligned to the epoch), so an identity gets at most twice the number across a
    window boundary; once a window's budget is used up it waits until the window ends, and the counter
    expires with it. Counts use the cache's atomic ``incr``. The sign-in counts an attempt before checking
    the password (``hit``, then ``undo`` on success), so parallel attempts cannot slip past the limit; the
    API checks (``retry_after``, one cache read per request) and counts only failures — a handful of
    parallel extra guesses at a 256-bit secret gain nothing.
    """

    def __init__(self, *, scope: str, setting: str):
        self.scope = scope
        self.setting = setting

    def timer(self) -> float:
        return time.time()

    def _window(self, ident: str):
        """``(key, number, seconds left)`` of the current window, or None while the limit is off."""
        rate = rate_parse(self.setting, getattr(settings, self.setting, None))
        if rate is None:
            return None
        number, seconds = rate
        now = self.timer()
        index = int(now // seconds)
        left = max(1, math.ceil((index + 1) * seconds - now))
        return f"throttle_{self.scope}_{ident}_{index}", number, left

    def retry_after(self, ident: str) -> int | None:
        """Seconds until ``ident`` may try again when its failures used up the rate; None while some remain."""
        window = self._window(ident)
        if window is None:
            return None
        key, number, left = window
        return left if (cache.get(key) or 0) >= number else None

    def hit(self, ident: str) -> FailureHit | None:
        """Count one failure of ``ident``; None while the limit is off."""
        window = self._window(ident)
        if window is None:
            return None
        key, number, left = window
        cache.add(key, 0, left + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, left + 1)
            count = 1
        return FailureHit(key=key, retry_after=left if count > number else None)

    def undo(self, hit: FailureHit | None) -> None:
        """Take back a failure counted ahead of time (``hit``) that turned out not to be one."""
        if hit is None:
            return
        try:
            cache.decr(hit.key)
        except ValueError:  # its window is over and the counter gone: nothing to take back
            pass


API_AUTH_FAILURES = FailureLimit(scope="api_auth_failure", setting="API_AUTH_FAILURE_RATE")
LOGIN_FAILURES_PER_ADDRESS = FailureLimit(scope="login_failure_address", setting="LOGIN_FAILURE_RATE")
LOGIN_FAILURES_PER_USERNAME = FailureLimit(scope="login_failure_username", setting="LOGIN_FAILURE_RATE")


# --- Schema --------------------------------------------------------------------------------------------

_HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}

THROTTLED_RESPONSE = {
    "description": "Too many requests: the rate of this API key, person or client address is used up, or this "
    "address sent too many invalid API keys (then even a valid key waits). Retry after the number of seconds "
    "in `Retry-After`.",
    "headers": {
        "Retry-After": {
            "description": "Seconds to wait before the next request.",
            "schema": {"type": "integer"},
        }
    },
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Throttled"}}},
}
THROTTLED_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string", "example": "Request was throttled. Expected available in 12 seconds."}},
    "required": ["detail"],
}


def schema_add_throttled_response(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation may answer 429."""
    result.setdefault("components", {}).setdefault("schemas", {})["Throttled"] = THROTTLED_SCHEMA
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method in _HTTP_METHODS:
                operation.setdefault("responses", {}).setdefault("429", THROTTLED_RESPONSE)
    return result
