"""Distribution proof: a real Celery worker on Redis sends a 500-customer campaign to a local SMTP sink.

The worker is a separate process (solo pool) on the PostgreSQL test database and Redis db 15, with
``EMAIL_URL`` pointing at an aiosmtpd sink in this process. The test process queues the send tasks
itself — the same task name and arguments ``distribution._queue_chunk`` sends — over an explicit
connection to db 15 and a queue of this test's own: the project's Celery app is eager in tests, and any
app's configured broker gives way to the ``CELERY_BROKER_URL`` environment variable.

Time: the worker claims with its own clock, so "CLAIM_TIMEOUT later" is simulated by ageing the claim
and queue timestamps in the database, not by passing a future ``now`` to the dispatcher alone (the
worker would still see a fresh claim and skip it).

The worker SIGKILLed in the middle of a 2,000-invitation campaign is in tests/reliability/test_worker_killed.py.
"""

import subprocess
import time
import uuid
from datetime import timedelta

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from journeys.models import Customer
from surveys.models import Campaign, Invitation
from surveys.services import distribution, response_submit
from tests.integration.smtp_sink import SmtpSink
from tests.integration.test_celery_worker import worker_command, worker_env

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

AUDIENCE = 500
TIMEOUT = 300  # a bound for a stuck run, generous for a loaded CI machine; not a speed assertion


def make_customers(count: int = AUDIENCE) -> dict[str, list[Customer]]:
    reachable = Customer.objects.bulk_create(
        Customer(external_id=f"P-{i:04d}", email=f"p{i:04d}@example.com", name=f"Person {i}") for i in range(count)
    )
    unsubscribed = Customer.objects.bulk_create(
        [
            *(
                Customer(external_id=f"U-{i}", email=f"u{i}@example.com", unsubscribed_at=timezone.now())
                for i in range(5)
            ),
            *(Customer(external_id=f"D-{i}", email=f"d{i}@example.com", do_not_contact=True) for i in range(3)),
        ]
    )
    return {"reachable": reachable, "unsubscribed": unsubscribed}


class Distribution:
    """A worker process, the SMTP sink, and a sender that queues through Redis to that worker only."""

    def __init__(self, *, postgresql_url: str, redis_url: str, tmp_path, sink: SmtpSink):
        self.postgresql_url, self.redis_url, self.tmp_path, self.sink = postgresql_url, redis_url, tmp_path, sink
        self.queue = f"cxportal-test-{uuid.uuid4().hex}"
        self.sender = Celery("cxportal-test-sender", set_as_current=False)
        self.workers: list[subprocess.Popen] = []
        self.logs = []

    def start_worker(self) -> subprocess.Popen:
        env = worker_env(database_url=self.postgresql_url, broker_url=self.redis_url, var_dir=self.tmp_path / "var")
        env.update(EMAIL_URL=self.sink.url, DEBUG="false")
        log_path = self.tmp_path / f"worker-{len(self.workers)}.log"
        self.logs.append(log_path)
        with log_path.open("wb") as log:
            worker = subprocess.Popen(
                worker_command(self.queue, f"{self.queue}-{len(self.workers)}@%h"),
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.workers.append(worker)
        return worker

    def queue_chunk(self, ids: list[int]) -> None:
        with self.sender.connection_for_write(self.redis_url) as broker:
            self.sender.send_task("surveys.send_invitations", args=[ids], queue=self.queue, connection=broker)

    def drained(self) -> bool:
        """Nothing left in the queue, and the live workers finished every task they received."""
        client = redis.Redis.from_url(self.redis_url)
        try:
            if client.llen(self.queue):
                return False
        finally:
            client.close()
        for worker, log_path in zip(self.workers, self.logs, strict=True):
            if worker.poll() is None:
                text = log_path.read_text(errors="replace") if log_path.exists() else ""
                if text.count("] received") != text.count("] succeeded") + text.count("] retry"):
                    return False
        return True

    def dispatch(self, monkeypatch) -> dict:
        monkeypatch.setattr(distribution, "_queue_chunk", self.queue_chunk)
        return distribution.campaigns_dispatch_due()

    def log_text(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')}" for p in self.logs if p.exists())

    def wait_until(self, condition, what: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not condition():
            alive = [w for w in self.workers if w.poll() is None]
            if not alive:
                pytest.fail(f"no worker alive while waiting for {what}:\n{self.log_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}:\n{self.log_text()}")
            time.sleep(0.02)

    def close(self) -> None:
        self.sender.close()
        for worker in self.workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=10)
        client = redis.Redis.from_url(self.redis_url)
        client.delete(self.queue, f"_kombu.binding.{self.queue}", f"_kombu.binding_permanent.{self.queue}")
        client.close()


@pytest.fixture
def no_kick(monkeypatch):
    """campaign_schedule's immediate dispatch would run eagerly in this process; the test dispatches itself."""
    monkeypatch.setattr(distribution, "_kick_dispatch", lambda: None)


def outstanding() -> int:
    return Invitation.objects.filter(status__in=[Invitation.Status.PENDING, Invitation.Status.SENDING]).count()


def test_campaign_to_500_customers_sends_each_once_and_reminds_only_those_who_have_not_answered(
    postgresql_url, redis_url, tmp_path, survey, no_kick, monkeypatch
):
    people = make_customers()
    campaign = distribution.campaign_schedule(survey=survey, name="500", reminder_after_days=2, max_reminders=1)
    with SmtpSink() as sink:
        run = Distribution(postgresql_url=postgresql_url, redis_url=redis_url, tmp_path=tmp_path, sink=sink)
        try:
            run.start_worker()
            assert run.dispatch(monkeypatch)["queued"] == AUDIENCE
            run.wait_until(lambda: outstanding() == 0 and run.drained(), "every invitation to be sent")
            received = sink.handler.snapshot()

            # Reminders: 200 answered, one unsubscribed since; two days later only the other 299 hear again.
            sent = list(Invitation.objects.filter(status="sent").select_related("customer").order_by("id"))
            nps = survey.questions.get(kind="nps")
            for invitation in sent[:200]:
                response_submit(survey=survey, answers=[{"question": nps.pk, "value": 9}], invitation=invitation)
            distribution.customer_unsubscribe(invitation=sent[200])
            Invitation.objects.update(
                sent_at=F("sent_at") - timedelta(days=3), last_sent_at=F("last_sent_at") - timedelta(days=3)
            )
            sink.handler.clear()
            assert run.dispatch(monkeypatch)["reminders"] == AUDIENCE - 201
            run.wait_until(lambda: outstanding() == 0 and run.drained(), "the reminders to be sent")
            reminded = sink.handler.snapshot()
        finally:
            run.close()

    assert sum(len(m.recipients) for m in received) == AUDIENCE
    assert sorted(r for m in received for r in m.recipients) == sorted(c.email for c in people["reachable"])
    tokens = [m.token for m in received]
    assert len(set(tokens)) == AUDIENCE
    assert set(tokens) == set(Invitation.objects.exclude(status="suppressed").values_list("token", flat=True))
    unsubscribed = {c.email for c in people["unsubscribed"]}
    assert not unsubscribed & {r for m in received for r in m.recipients}
    assert Invitation.objects.filter(status="suppressed").count() == len(people["unsubscribed"])

    expected = {i.customer.email for i in sent[201:]}
    assert sorted(r for m in reminded for r in m.recipients) == sorted(expected)
    assert all(m.subject.startswith("Reminder") for m in reminded)
    assert not unsubscribed & {r for m in reminded for r in m.recipients}
    assert campaign.invitations.filter(status="responded").count() == 200
    run.dispatch(monkeypatch)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT
