"""API throttling: per API key, per signed-in person and per anonymous client address.

Each rate comes from a setting (``API_KEY_RATE``, ``API_USER_RATE``, ``API_ANON_RATE``, e.g. ``600/min``;
empty turns that throttle off), read on every request so tests can override it. Counters live in the
Django cache: the local-memory default counts per process, so with several web processes set
``CACHE_URL`` to a shared Redis. An exceeded rate answers ``429`` with ``Retry-After`` (seconds) and
``{"detail": …}`` — DRF's ``Throttled`` exception does both.
"""

import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from rest_framework.throttling import SimpleRateThrottle

from cxportal.apikeys import ApiKeyUser
from cxportal.models import ApiKey

_RATE = re.compile(r"^\d+/(s|sec|second|m|min|minute|h|hour|d|day)$")


class _SettingRateThrottle(SimpleRateThrottle):
    setting = ""

    def get_rate(self):
        rate = getattr(settings, self.setting, None) or None
        if rate is not None and not _RATE.match(rate):
            raise ImproperlyConfigured(f"{self.setting}={rate!r}: write it as <number>/<second|minute|hour|day>.")
        return rate

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
        if isinstance(user, ApiKeyUser) or not (user and user.is_authenticated):
            return None
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


_HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}

THROTTLED_RESPONSE = {
    "description": "Too many requests: the rate of this API key, person or client address is used up. "
    "Retry after the number of seconds in `Retry-After`.",
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
