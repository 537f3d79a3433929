"""A real PostgreSQL streaming replica of the CI server (scripts/pg_replica.sh: pg_basebackup -R into a
temporary directory, started with pg_ctl on another port): the dashboards and the metrics API read from it,
writes go to the primary, and a client that just wrote reads from the primary. The replica is removed at the
end, also when the test fails.

To prove where a page's numbers come from, WAL replay on the replica is paused while the primary gets more
answers: the replica still holds the old snapshots, so a page showing the old count read the replica.
"""

import shutil
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.urls import reverse

from cxportal.dbrouter import REPLICA, STICKY_COOKIE
from metrics.services import snapshots_recompute
from surveys.models import Question
from tests.cxportal.replica import Statements, replica_alias
from tests.integration.conftest import unavailable
from tests.integration.smtp_sink import free_port
from tests.metrics.factories import add_scored_days
from tests.surveys.factories import QuestionFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "pg_replica.sh"
TIMEOUT = 60  # a bound for a stuck replica on a loaded machine; not a speed assertion
API = "/api/v1/metrics/"
JANUARY = {"kpi": "nps", "from": "2026-01-01", "to": "2026-01-31"}
SNAPSHOTS = "metrics_kpisnapshot"


def one(alias: str, sql: str, params=()):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


@pytest.fixture
def replica(postgresql_url, tmp_path):
    """The replica's port, started for this test and always removed."""
    primary = connection.settings_dict
    if primary.get("HOST") not in ("127.0.0.1", "localhost") or not shutil.which("runuser"):
        unavailable("needs the PostgreSQL server on 127.0.0.1 and root (or the postgres user) to clone it")
    port = free_port()
    directory = tempfile.mkdtemp(prefix="cx-replica-")  # under /tmp: tmp_path is not readable by postgres
    env = {"PRIMARY_HOST": primary["HOST"], "PRIMARY_PORT": str(primary.get("PORT") or 5432)}
    env["PRIMARY_USER"] = primary.get("USER") or "postgres"

    def script(action: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["bash", str(SCRIPT), action, str(port), directory],
            env={"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", **env},
            capture_output=True,
            text=True,
            timeout=120,
        )

    try:
        started = script("start")
        assert started.returncode == 0, f"the replica did not start:\n{started.stdout}\n{started.stderr}"
        with replica_alias(HOST="127.0.0.1", PORT=str(port)) as alias:
            yield alias
    finally:
        stopped = script("stop")
        assert stopped.returncode == 0, stopped.stderr
        assert not Path(directory).exists()


def caught_up() -> None:
    """Wait until the replica replayed everything the primary committed so far."""
    target = one("default", "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + TIMEOUT
    while not one(REPLICA, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]):
        if time.monotonic() > deadline:
            pytest.fail(f"the replica did not replay up to {target} in {TIMEOUT} s")
        time.sleep(0.05)


def test_dashboards_and_the_api_read_from_a_streaming_replica_and_writes_stay_on_the_primary(
    replica, client, api_client, manager
):
    assert one(REPLICA, "SELECT pg_is_in_recovery()") is True
    assert one("default", "SELECT pg_is_in_recovery()") is False
    question = QuestionFactory(kind=Question.Kind.NPS)
    add_scored_days(question, [(s, date(2026, 1, 5 + i)) for i, s in enumerate([10, 9, 9, 7, 0, 10, 10, 3, 9, 8])])
    snapshots_recompute()
    caught_up()
    client.force_login(manager)

    # Every dashboard page and the API answer from the replica's snapshots; the session stays on the primary.
    for url in (reverse("metrics:overview"), reverse("metrics:trends"), reverse("metrics:dashboard")):
        with Statements() as statements:
            assert client.get(url).status_code == 200, url
        assert statements.reads_of(REPLICA, SNAPSHOTS) >= 1, url
        assert statements.reads_of("default", SNAPSHOTS) == 0, url
        assert statements.writes(REPLICA) == [], url
    assert api_client.get(API, JANUARY).json()["total"]["n"] == 10

    # The replica stops replaying; the primary gets five more answers and recomputes.
    one(REPLICA, "SELECT pg_wal_replay_pause()::text")
    try:
        add_scored_days(question, [(10, date(2026, 1, 20 + i)) for i in range(5)])
        snapshots_recompute()
        assert api_client.get(API, JANUARY).json()["total"]["n"] == 10, "the API read the (paused) replica"

        # A person who writes reads from the primary right after: their own change, and today's numbers.
        target = {"kpi": "nps", "scope_type": "company", "scope_key": "", "comparison": "gte", "value": "30"}
        with Statements() as statements:
            assert client.post(reverse("metrics:target_create"), target).status_code == 302
        assert statements.writes("default") and statements.writes(REPLICA) == []
        assert STICKY_COOKIE in client.cookies
        with Statements() as statements:
            page = client.get(reverse("metrics:dashboard"), {"kpi": "nps", "date_from": "2026-01-01"})
        assert page.status_code == 200
        assert statements.sql(REPLICA) == [] and statements.reads_of("default", SNAPSHOTS) >= 1
        assert page.context["total"].n == 15
    finally:
        one(REPLICA, "SELECT pg_wal_replay_resume()::text")
    caught_up()
    assert api_client.get(API, JANUARY).json()["total"]["n"] == 15, "replayed: the replica has caught up"
