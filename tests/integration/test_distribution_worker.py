"""Distribution proof: a real Celery worker on Redis sends a 500-customer campaign to a local SMTP sink.

The worker is a separate process (solo pool) on the PostgreSQL test database and Redis db 15, with
``EMAIL_URL`` pointing at an aiosmtpd sink in this process. The test process queues the send tasks
itself — the same task name and arguments ``distribution._queue_chunk`` sends — over an explicit
connection to db 15 and a queue of this test's own: the project's Celery app is eager in tests, and any
app's configured broker gives way to the ``CELERY_BROKER_URL`` environment variable.

Time: the worker claims with its own clock, so "CLAIM_TIMEOUT later" is simulated by ageing the claim
and queue timestamps in the database, not by passing a future ``now`` to the dispatcher alone (the
worker would still see a fresh claim and skip it).
"""

import subprocess
import time
import uuid
from collections import Counter
from datetime import timedelta

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from journeys.models import Customer
from surveys import distribution
from surveys.models import Campaign, Invitation
from surveys.services import response_submit, survey_create_nps
from tests.integration.smtp_sink import SmtpSink
from tests.integration.test_celery_worker import celery_command, worker_env
from tests.journeys.factories import TouchpointFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

AUDIENCE = 500
TIMEOUT = 120


def make_customers() -> dict[str, list[Customer]]:
    reachable = Customer.objects.bulk_create(
        Customer(external_id=f"P-{i:04d}", email=f"p{i:04d}@example.com", name=f"Person {i}") for i in range(AUDIENCE)
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
                [
                    *celery_command(),
                    "-A",
                    "cxportal",
                    "worker",
                    "--pool=solo",
                    "--concurrency=1",
                    "-Q",
                    self.queue,
                    "-n",
                    f"{self.queue}-{len(self.workers)}@%h",
                    "--without-heartbeat",
                    "--without-gossip",
                    "--without-mingle",
                    "-l",
                    "info",
                ],
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
def survey():
    return survey_create_nps(title="Distribution proof", touchpoint=TouchpointFactory(), language="en")


@pytest.fixture
def no_kick(monkeypatch):
    """campaign_schedule's immediate dispatch would run eagerly in this process; the test dispatches itself."""
    monkeypatch.setattr(distribution, "_kick_dispatch", lambda: None)


def outstanding() -> int:
    return Invitation.objects.filter(status__in=[Invitation.Status.PENDING, Invitation.Status.SENDING]).count()


def test_campaign_to_500_customers_sends_exactly_500_emails_with_distinct_tokens(
    postgresql_url, redis_url, tmp_path, survey, no_kick, monkeypatch
):
    people = make_customers()
    campaign = distribution.campaign_schedule(survey=survey, name="500")
    with SmtpSink() as sink:
        run = Distribution(postgresql_url=postgresql_url, redis_url=redis_url, tmp_path=tmp_path, sink=sink)
        try:
            run.start_worker()
            assert run.dispatch(monkeypatch)["queued"] == AUDIENCE
            run.wait_until(lambda: outstanding() == 0, "every invitation to be sent")
            time.sleep(0.5)  # anything extra would arrive now
            received = sink.handler.snapshot()
        finally:
            run.close()

    assert sum(len(m.recipients) for m in received) == AUDIENCE
    assert sorted(r for m in received for r in m.recipients) == sorted(c.email for c in people["reachable"])
    tokens = [m.token for m in received]
    assert len(set(tokens)) == AUDIENCE
    assert set(tokens) == set(Invitation.objects.filter(status="sent").values_list("token", flat=True))
    unsubscribed = {c.email for c in people["unsubscribed"]}
    assert not unsubscribed & {r for m in received for r in m.recipients}
    assert Invitation.objects.filter(status="suppressed").count() == len(people["unsubscribed"])
    run.dispatch(monkeypatch)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT


def test_killed_worker_loses_nothing_duplicates_stay_within_the_bound_and_reminders_skip_responders(
    postgresql_url, redis_url, tmp_path, survey, no_kick, monkeypatch
):
    people = make_customers()
    campaign = distribution.campaign_schedule(survey=survey, name="Crash", reminder_after_days=2, max_reminders=1)
    # The sink answers each message 10 ms after it has it: the worker is usually mid-send when killed.
    with SmtpSink(delay=0.01) as sink:
        run = Distribution(postgresql_url=postgresql_url, redis_url=redis_url, tmp_path=tmp_path, sink=sink)
        try:
            first = run.start_worker()
            run.dispatch(monkeypatch)
            run.wait_until(lambda: sink.handler.recipient_count() >= AUDIENCE // 2, "half of the e-mails")
            first.kill()  # SIGKILL: no warm shutdown, no ack, no cleanup
            first.wait(timeout=10)

            at_kill = Counter(Invitation.objects.values_list("status", flat=True))
            in_flight = at_kill["sending"]
            assert at_kill["sent"] >= 100, "at least one chunk was done before the kill"
            assert at_kill["sent"] + in_flight + at_kill["pending"] == AUDIENCE

            # CLAIM_TIMEOUT (and REQUEUE_AFTER) later: the dead worker's claim is stale, its chunk re-queued.
            aged = distribution.CLAIM_TIMEOUT + timedelta(minutes=1)
            Invitation.objects.filter(status="sending").update(claimed_at=F("claimed_at") - aged)
            Invitation.objects.exclude(queued_at=None).update(queued_at=F("queued_at") - aged)
            run.start_worker()
            run.dispatch(monkeypatch)
            run.wait_until(lambda: outstanding() == 0, "every invitation to be sent after the restart")
            time.sleep(0.5)

            received = sink.handler.snapshot()
            per_recipient = Counter(r for m in received for r in m.recipients)
            assert set(per_recipient) == {c.email for c in people["reachable"]}, "none lost, nobody extra"
            duplicates = sum(n - 1 for n in per_recipient.values())
            assert duplicates <= in_flight, f"{duplicates} duplicates, but only {in_flight} were in flight"
            assert Invitation.objects.filter(status="sent").count() == AUDIENCE

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
            run.wait_until(lambda: outstanding() == 0, "the reminders to be sent")
            time.sleep(0.5)
            reminded = sink.handler.snapshot()
        finally:
            run.close()

    expected = {i.customer.email for i in sent[201:]}
    assert sorted(r for m in reminded for r in m.recipients) == sorted(expected)
    assert all(m.subject.startswith("Reminder") for m in reminded)
    assert not {c.email for c in people["unsubscribed"]} & {r for m in received + reminded for r in m.recipients}
    campaign.refresh_from_db()
    assert campaign.invitations.filter(status="responded").count() == 200
