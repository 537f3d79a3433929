"""A fixed-window submit limit for public survey links, kept in Django's cache (Redis in production).

With the default local-memory cache each web process counts on its own; set ``CACHE_URL`` to a shared
cache (Redis ``redis://127.0.0.1:6379/1`` in production; ``make run`` uses a file cache) so the limit holds
across processes and machines. Clients are counted like every other limit (``cxportal.clientip``): the
address behind the ``TRUSTED_PROXIES``, IPv6 per /64.
"""

import time

from django.conf import settings
from django.core.cache import cache

from cxportal.clientip import client_ident


def submit_limit_hit(*, survey_token: str, client_ip: str) -> int | None:
    """Count one submit from ``client_ip``; None while within the limit, else seconds until it lifts."""
    limit = getattr(settings, "SURVEY_SUBMIT_LIMIT", 20)
    window = getattr(settings, "SURVEY_SUBMIT_WINDOW", 600)
    key = f"surveys:submits:{survey_token}:{client_ip}"
    now = int(time.time())
    # add() keeps an existing window: the first submit opens it, the counter expires with it.
    cache.add(f"{key}:start", now, window)
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, window)
        count = 1
    if count <= limit:
        return None
    started = cache.get(f"{key}:start") or now
    return max(1, window - (now - started))


def client_ip(request) -> str:
    """The identity a client's submits are counted under (IPv6 per /64, behind the trusted proxies)."""
    return client_ident(request)
