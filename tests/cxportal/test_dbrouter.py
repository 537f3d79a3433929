"""The read replica router: dashboard and metrics API reads go to the replica, writes and read-your-writes
paths to the primary. Both aliases point at the same test database here; tests/integration/
test_read_replica.py runs the same pages against a real PostgreSQL streaming replica."""

from datetime import date

import pytest
from django.db import connections, transaction
from django.urls import reverse

from cxportal.dbrouter import REPLICA, STICKY_COOKIE, ReplicaRouter, replica_reads
from metrics.models import KpiSnapshot, KpiTarget
from metrics.services import snapshots_recompute
from surveys.models import Question
from tests.cxportal.replica import Statements, replica_alias
from tests.metrics.factories import add_scored_days
from tests.surveys.factories import QuestionFactory

pytestmark = pytest.mark.django_db(transaction=True)  # the second connection sees only committed rows

SNAPSHOTS = "metrics_kpisnapshot"
DASHBOARDS = [
    reverse("metrics:overview"),
    reverse("metrics:dashboard") + "?kpi=nps&bucket=month&date_from=2026-01-01&date_to=2026-03-31",
    reverse("metrics:trends"),
]


@pytest.fixture
def measured():
    question = QuestionFactory(kind=Question.Kind.NPS)
    add_scored_days(question, [(s, date(2026, 1, 5 + i)) for i, s in enumerate([10, 9, 9, 7, 0, 10, 10, 3, 9, 8])])
    snapshots_recompute()
    assert KpiSnapshot.objects.exists()


@pytest.fixture
def replica():
    with replica_alias() as alias:
        yield alias


@pytest.mark.parametrize("url", DASHBOARDS)
def test_dashboard_reads_snapshots_from_the_replica_and_signs_in_on_the_primary(
    client, manager, measured, replica, url
):
    client.force_login(manager)
    with Statements() as statements:
        assert client.get(url).status_code == 200
    assert statements.reads_of(REPLICA, SNAPSHOTS) >= 1
    assert statements.reads_of("default", SNAPSHOTS) == 0
    assert statements.reads_of("default", "django_session") >= 1, "the session is read on the primary"
    assert statements.writes(REPLICA) == []


def test_metrics_api_reads_from_the_replica(api_client, measured, replica):
    with Statements() as statements:
        response = api_client.get("/api/v1/metrics/", {"kpi": "nps", "from": "2026-01-01", "to": "2026-01-31"})
    assert response.status_code == 200
    assert response.json()["total"]["n"] == 10
    assert statements.reads_of(REPLICA, SNAPSHOTS) >= 1
    assert statements.reads_of("default", SNAPSHOTS) == 0
    assert statements.writes(REPLICA) == []


def test_pages_that_are_not_marked_stay_on_the_primary(client, manager, measured, replica):
    client.force_login(manager)
    with Statements() as statements:
        assert client.get(reverse("metrics:target_list")).status_code == 200
    assert statements.sql(REPLICA) == []


def test_after_a_write_the_same_client_reads_its_writes_from_the_primary(client, manager, measured, replica):
    client.force_login(manager)
    form = {"kpi": "nps", "scope_type": "company", "scope_key": "", "comparison": "gte", "value": "30"}
    with Statements() as statements:
        assert client.post(reverse("metrics:target_create"), form).status_code == 302
    assert statements.writes(REPLICA) == []
    assert KpiTarget.objects.exists()
    assert STICKY_COOKIE in client.cookies
    with Statements() as statements:
        assert client.get(DASHBOARDS[0]).status_code == 200
    assert statements.sql(REPLICA) == []
    assert statements.reads_of("default", SNAPSHOTS) >= 1

    # Once the cookie is gone (it lives DATABASE_REPLICA_STICKY_SECONDS), the replica serves again.
    del client.cookies[STICKY_COOKIE]
    with Statements() as statements:
        client.get(DASHBOARDS[0])
    assert statements.reads_of(REPLICA, SNAPSHOTS) >= 1


def test_inside_the_block_a_write_or_a_transaction_sends_reads_back_to_the_primary(measured, replica):
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(KpiSnapshot) == REPLICA
        with transaction.atomic():
            assert router.db_for_read(KpiSnapshot) == "default"
        assert router.db_for_write(KpiTarget) == "default"
        assert router.db_for_read(KpiSnapshot) == "default", "reads after a write see it"
    with replica_reads():
        assert router.db_for_read(KpiSnapshot) == REPLICA, "a new block starts on the replica again"
    assert router.db_for_read(KpiSnapshot) == "default", "outside a block: the primary"


def test_without_a_replica_everything_is_the_primary():
    assert REPLICA not in connections.settings
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(KpiSnapshot) == "default"


def test_migrations_run_only_on_the_primary():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "metrics") is True
    assert router.allow_migrate(REPLICA, "metrics") is False
