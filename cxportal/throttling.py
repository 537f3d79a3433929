"""Rates and failure limits, counted in the Django cache (the API's throttles: ``cxportal.api.throttling``).

Failure limits: failed API-key authentications per client address (``API_AUTH_FAILURE_RATE``, see
``cxportal.api.authentication``); growing delays after failed web sign-ins (``Backoff``, see
``cxportal.login``). The API's request budgets (``API_KEY_RATE``, ``API_USER_RATE``, ``API_ANON_RATE``) use
the same rates.

Rates look like ``600/min`` or ``10/15min`` (``<number>/[<count>]<second|minute|hour|day>``); empty turns
one off. They are read on every request so tests can override them. The local-memory cache default
counts per process, so with several web processes set ``CACHE_URL`` to a shared cache (Redis in production;
``make run`` uses a file cache under ``var/``). An exceeded API
rate answers ``429`` with ``Retry-After`` (seconds) and ``{"detail": …}`` — DRF's ``Throttled`` exception
does both.
"""

import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from cxportal.clientip import client_ident

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


# --- Failure limits ------------------------------------------------------------------------------------


def client_address(request) -> str:
    """The client address failures are counted under (``cxportal.clientip.client_ident``: behind the
    ``TRUSTED_PROXIES``, IPv6 per /64)."""
    return client_ident(request)


@dataclass(frozen=True)
class FailureHit:
    """One counted failure: its counter, and the seconds to wait when it went past the rate (else None)."""

    key: str
    retry_after: int | None


class FailureLimit:
    """At most <number> failures per identity in each window of the rate's length (``setting``).

    Windows are fixed (aligned to the epoch), so an identity gets at most twice the number across a
    window boundary; once a window's budget is used up it waits until the window ends, and the counter
    expires with it. Counts use the cache's atomic ``incr``. The API counts only invalid keys against
    the client address (``retry_after`` refuses further invalid ones); a valid key is never refused by it.
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


API_AUTH_FAILURES = FailureLimit(scope="api_auth_failure", setting="API_AUTH_FAILURE_RATE")


@dataclass(frozen=True)
class BackoffAttempt:
    """One attempt counted ahead of its check: the counter's key and this attempt's ordinal."""

    key: str
    number: int


class Backoff:
    """Growing delays after failures of one identity, instead of a hard lock.

    The first ``free_setting`` failures cost nothing; after that each attempt must wait
    ``LOGIN_BACKOFF_BASE_SECONDS`` · 2^(failures − free) since the last failure, capped at
    ``LOGIN_BACKOFF_MAX_SECONDS`` — a person who mistyped waits seconds, an attacker gets a few guesses an
    hour. The failures are forgotten ``LOGIN_FAILURE_MEMORY_SECONDS`` after the last one. An attempt is
    counted before its password is checked (``attempt``: atomic ``incr``, so parallel attempts cannot all
    slip through) and taken back when it was refused unchecked or succeeded (``undo``); a failure records its
    time (``failed``).
    """

    def __init__(self, *, scope: str, free_setting: str):
        self.scope = scope
        self.free_setting = free_setting

    def timer(self) -> float:
        return time.time()

    def _key(self, ident: str) -> str:
        return f"backoff_{self.scope}_{ident}"

    def _delay(self, failures: int) -> int | None:
        """Seconds an attempt must wait after the last of ``failures``; None while they are free."""
        free = int(getattr(settings, self.free_setting))
        if failures < free:
            return None
        base = int(settings.LOGIN_BACKOFF_BASE_SECONDS)
        return min(int(settings.LOGIN_BACKOFF_MAX_SECONDS), base * 2 ** min(failures - free, 30))

    def _wait(self, key: str, failures: int) -> int | None:
        delay = self._delay(failures)
        if delay is None:
            return None
        last = cache.get(f"{key}_last")
        if last is None:
            return None
        left = math.ceil(last + delay - self.timer())
        return left if left > 0 else None

    def failures(self, ident: str) -> int:
        return cache.get(self._key(ident)) or 0

    def retry_after(self, ident: str) -> int | None:
        """Seconds ``ident`` must still wait; None when it may try now. Counts nothing."""
        key = self._key(ident)
        return self._wait(key, cache.get(key) or 0)

    def attempt(self, ident: str) -> tuple[BackoffAttempt, int | None]:
        """Count an attempt; returns it and the seconds to wait (then it is refused: ``undo`` it)."""
        key = self._key(ident)
        memory = int(settings.LOGIN_FAILURE_MEMORY_SECONDS)
        cache.add(key, 0, memory)
        try:
            number = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, memory)
            number = 1
        return BackoffAttempt(key=key, number=number), self._wait(key, number - 1)

    def failed(self, attempt: BackoffAttempt) -> None:
        """The attempt's password was wrong: its count stays, and the delay runs from now."""
        memory = int(settings.LOGIN_FAILURE_MEMORY_SECONDS)
        cache.set(f"{attempt.key}_last", self.timer(), memory)
        cache.touch(attempt.key, memory)

    def undo(self, attempt: BackoffAttempt | None) -> None:
        if attempt is None:
            return
        try:
            cache.decr(attempt.key)
        except ValueError:  # forgotten meanwhile: nothing to take back
            pass

    def clear(self, ident: str) -> None:
        cache.delete_many([self._key(ident), f"{self._key(ident)}_last"])


# Per (username, address): the person who mistyped, or one attacker on one account.
LOGIN_BACKOFF_PER_PAIR = Backoff(scope="login_pair", free_setting="LOGIN_FAILURES_FREE")
# Per address, any username: one address spraying many usernames.
LOGIN_BACKOFF_PER_ADDRESS = Backoff(scope="login_address", free_setting="LOGIN_ADDRESS_FAILURES_FREE")
# Per username, any address — held only against addresses that failed on that username themselves, so an
# attack from elsewhere never slows down a person signing in from an address that has not failed.
LOGIN_BACKOFF_PER_USERNAME = Backoff(scope="login_username", free_setting="LOGIN_USERNAME_FAILURES_FREE")
