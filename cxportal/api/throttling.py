"""The API's request budgets: each API key, each signed-in person and each anonymous client address
(``API_KEY_RATE``, ``API_USER_RATE``, ``API_ANON_RATE``, rates as in ``cxportal.throttling``), and the schema's 429.

An exceeded rate answers ``429`` with ``Retry-After`` (seconds) and ``{"detail": …}`` — DRF's ``Throttled``
exception does both.
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from cxportal.clientip import client_ident
from cxportal.models import ApiKey
from cxportal.throttling import rate_parse


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

    def allow_request(self, request, view):
        allowed = super().allow_request(request, view)
        if allowed and self.rate is not None and getattr(self, "key", None):
            # The budget this request counted against, for the RateLimit-* headers (cxportal.api.middleware).
            reset = self.duration - (self.now - self.history[-1]) if self.history else self.duration
            request._request.rate_limit = (self.num_requests, self.num_requests - len(self.history), reset)
        return allowed


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
    """Anonymous requests (the public schema and docs) are counted per client address (``API_ANON_RATE``),
    the address behind the ``TRUSTED_PROXIES`` (``cxportal.clientip``)."""

    scope = "anon"
    setting = "API_ANON_RATE"

    def get_cache_key(self, request, view):
        user = request.user
        if user and user.is_authenticated:
            return None
        return self.key_for(client_ident(request))


# --- Schema --------------------------------------------------------------------------------------------

_HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}

THROTTLED_RESPONSE = {
    "description": "Too many requests: the rate of this API key, person or client address is used up, or this "
    "address sent too many invalid API keys (further invalid ones wait; a valid key is never refused for that). "
    "Retry after the number of seconds "
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
