"""Integration fixtures: the real PostgreSQL and Redis.

Outside CI a missing service skips the test with the reason; with ``CI=true`` it fails instead, because
CI must never pass by silently skipping what it is there to check.
"""

import os
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings
from django.db import connection

# Parallel runs on one machine each take their own database with CX_TEST_REDIS_DB.
REDIS_TEST_DB = int(os.environ.get("CX_TEST_REDIS_DB", "15"))


def unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: integration tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def postgresql_url() -> str:
    """The URL of the PostgreSQL test database pytest-django created, for processes started by the test."""
    if connection.vendor != "postgresql":
        unavailable(
            f"needs PostgreSQL, but the database engine is {settings.DATABASES['default']['ENGINE']} "
            "(set DATABASE_URL=postgres://...)"
        )
    db = settings.DATABASES["default"]
    credentials = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{credentials}{'@' if credentials else ''}{host}:{port}/{quote(db['NAME'], safe='')}"


@pytest.fixture
def redis_url() -> str:
    """A Redis URL on the configured broker's server, in a database of its own (CX_TEST_REDIS_DB, default 15)."""
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith(("redis://", "rediss://")):
        unavailable(f"needs Redis, but CELERY_BROKER_URL is {broker!r} (set CELERY_BROKER_URL=redis://...)")
    parts = urlsplit(broker)
    url = urlunsplit((parts.scheme, parts.netloc, f"/{REDIS_TEST_DB}", "", ""))
    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        unavailable(f"Redis at {parts.hostname}:{parts.port or 6379} is not reachable: {exc}")
    finally:
        client.close()
    return url
