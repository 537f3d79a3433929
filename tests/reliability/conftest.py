"""Fault-injection fixtures. The real PostgreSQL and Redis come from the integration fixtures (same
skip-outside-CI / fail-in-CI rule); faults are injected only into processes these tests start on 127.0.0.1:
their own ``redis-server``, their own workers and beats, their own database backends."""

import pytest

from tests.integration.conftest import postgresql_url, redis_url, unavailable  # noqa: F401 - fixtures reused
from tests.integration.test_distribution_worker import no_kick  # noqa: F401 - fixture reused
from tests.reliability.processes import RedisServer


@pytest.fixture
def own_redis(tmp_path, redis_url):  # noqa: F811 - redis_url: CI has Redis, so it has redis-server too
    """A redis-server of this test's own on a free port, to stop and restart at will."""
    server = RedisServer(tmp_path / "redis")
    if server.binary is None:
        unavailable("needs the redis-server binary to stop and restart a Redis of the test's own")
    server.start()
    try:
        yield server
    finally:
        server.stop()
