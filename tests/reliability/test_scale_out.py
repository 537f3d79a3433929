"""Scale-out, run for real (issue 17): two gunicorn servers and three Celery workers on different queues
(`mail`; `metrics`; `default`, `webhooks` and `voice`), on the real PostgreSQL and Redis. A 5,000-invitation
campaign goes out through the `mail` worker while 500 respondents submit concurrently through both web
servers and a recompute runs; the `mail` worker is SIGKILLed mid-way and a new one started.

Afterwards: every invitation was sent once (duplicates within the documented bound of
``distribution.MARK_SENT_EVERY`` per crash), every accepted response is stored once, every detractor got
exactly one follow-up action (queued by the web servers to the `default` queue), and the KPI snapshots equal
a fresh full recompute.

Every task reaches its worker through the product's routes (``CELERY_TASK_ROUTES``): the test sends only
beat's jobs, by name, without naming a queue. Time is simulated as in tests/reliability/test_worker_killed.py
(the dead worker's claim is aged instead of waiting CLAIM_TIMEOUT). About a minute on a quiet machine.
"""

import re
import socket
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta

import pytest
import redis
import requests
from celery import Celery as CeleryApp
from django.conf import settings
from django.db.models import F

from actionplans.models import Action, FollowUpRule
from metrics.models import KpiSnapshot, RecomputeRun
from metrics.services import snapshots_recompute
from surveys.models import Answer, Campaign, Invitation, Response
from surveys.services import distribution
from tests.actionplans.factories import DepartmentFactory
from tests.integration.smtp_sink import SmtpSink, free_port
from tests.integration.test_distribution_worker import make_customers, outstanding
from tests.metrics.factories import snapshot_rows
from tests.reliability.processes import TIMEOUT, Celery, forget_queue

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

AUDIENCE = 5000
SUBMITS = 500
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Plain HTTP on 127.0.0.1 with production settings otherwise; no per-address limit for 500 local clients.
WEB_ENV = {
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
    "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    "SURVEY_SUBMIT_LIMIT": "1000000",
    "CX_SEND_RATE_PER_MINUTE": str(AUDIENCE),  # one dispatch queues the whole campaign
}


class Cluster(Celery):
    """The test's Celery workers and beat-like sender, plus gunicorn servers, all stopped by ``close``."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sender = CeleryApp("cxportal-scale-sender", set_as_current=False)
        # The product's routes and queues: the sender names tasks only, as beat does.
        self.sender.conf.task_routes = settings.CELERY_TASK_ROUTES
        self.sender.conf.task_queues = settings.CELERY_TASK_QUEUES
        self.sender.conf.task_default_queue = settings.CELERY_TASK_DEFAULT_QUEUE

    def send(self, task: str) -> None:
        with self.sender.connection_for_write(self.env["CELERY_BROKER_URL"]) as broker:
            self.sender.send_task(task, connection=broker)

    def web(self) -> str:
        port = free_port()
        log_path = self.tmp_path / f"web-{len(self.processes)}.log"
        self.logs.append(log_path)
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "cxportal.wsgi", "--bind", f"127.0.0.1:{port}"]
                + ["--workers", "2", "--timeout", "120", "--log-level", "warning"],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        process.log_path = log_path
        self.processes.append(process)
        self.wait_for(lambda: _listening(port), "gunicorn to listen")
        return f"http://127.0.0.1:{port}"

    def queued(self) -> int:
        client = redis.Redis.from_url(self.env["CELERY_BROKER_URL"])
        try:
            return sum(client.llen(q) for q in settings.CX_CELERY_QUEUES)
        finally:
            client.close()

    def close(self) -> None:
        self.sender.close()
        super().close()


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def submit(server: str, token: str, question_id: int, score: int) -> int:
    """A respondent: open the link from the e-mail, post the answer with the form's CSRF token."""
    with requests.Session() as session:
        page = session.get(f"{server}/s/i/{token}/", timeout=TIMEOUT)
        page.raise_for_status()
        csrf = CSRF_INPUT.search(page.text).group(1)
        answer = {"csrfmiddlewaretoken": csrf, f"q{question_id}": str(score)}
        headers = {"Referer": f"{server}/s/i/{token}/"}
        return session.post(page.url, data=answer, headers=headers, allow_redirects=False, timeout=TIMEOUT).status_code


def test_two_web_servers_and_three_workers_send_store_and_compute_everything_once_through_a_worker_crash(
    postgresql_url, redis_url, tmp_path, survey, no_kick
):
    people = make_customers(AUDIENCE)
    survey.touchpoint.is_moment_of_truth = True
    survey.touchpoint.save(update_fields=["is_moment_of_truth"])
    FollowUpRule.objects.create(touchpoint=survey.touchpoint, department=DepartmentFactory(name="Service"))
    nps = survey.questions.get(kind="nps")
    distribution.campaign_schedule(survey=survey, name="Quarterly")
    forget_queue(redis_url)

    statuses: list[tuple[int, int]] = []  # (score, HTTP status)
    errors: list[BaseException] = []
    with SmtpSink(delay=0.002) as sink:
        cluster = Cluster(tmp_path=tmp_path, database_url=postgresql_url, broker_url=redis_url, **WEB_ENV)
        cluster.env["EMAIL_URL"] = sink.url
        try:
            servers = [cluster.web(), cluster.web()]
            mail = cluster.worker(name="mail", queues="mail")
            metrics = cluster.worker(name="metrics", queues="metrics")
            rest = cluster.worker(name="rest", queues="default,webhooks,voice")

            cluster.send("surveys.dispatch_due_campaigns")
            cluster.wait_for(lambda: sink.handler.recipient_count() >= 1000, "the first 1,000 e-mails")

            # 500 respondents answer their e-mails at once, half through each server, while sending goes on.
            tokens = [m.token for m in sink.handler.snapshot()[:SUBMITS]]
            assert len(set(tokens)) == SUBMITS
            barrier = threading.Barrier(SUBMITS)

            def respondent(i: int) -> None:
                try:
                    barrier.wait(timeout=TIMEOUT)
                    score = i % 11
                    statuses.append((score, submit(servers[i % 2], tokens[i], nps.pk, score)))
                except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                    errors.append(exc)

            threads = [threading.Thread(target=respondent, args=(i,)) for i in range(SUBMITS)]
            for thread in threads:
                thread.start()
            cluster.send("metrics.recompute_all")

            # The mail worker dies mid-way (SIGKILL: no warm shutdown, no acknowledgement).
            cluster.wait_for(lambda: sink.handler.recipient_count() >= AUDIENCE // 2, "half of the e-mails")
            mail.kill()
            mail.wait(timeout=10)
            at_kill = Counter(Invitation.objects.values_list("status", flat=True))
            in_flight = at_kill["sending"]
            assert in_flight <= distribution.CHUNK_SIZE, "a solo worker claims one chunk at a time"

            for thread in threads:
                thread.join(timeout=TIMEOUT)
            assert errors == [], errors[:3]

            # CLAIM_TIMEOUT later (simulated): the dead worker's chunk is stale; the next dispatch re-queues it.
            aged = distribution.CLAIM_TIMEOUT + timedelta(minutes=1)
            Invitation.objects.filter(status="sending").update(claimed_at=F("claimed_at") - aged)
            Invitation.objects.exclude(queued_at=None).update(queued_at=F("queued_at") - aged)
            cluster.worker(name="mail", queues="mail")
            cluster.send("surveys.dispatch_due_campaigns")
            cluster.wait_for(lambda: outstanding() == 0, "every invitation to be sent after the restart")
            cluster.send("surveys.dispatch_due_campaigns")  # the run after the last send closes the campaign
            cluster.wait_for(
                lambda: Campaign.objects.get().status == Campaign.Status.SENT, "the campaign to be marked sent"
            )

            detractors = sum(1 for score, status in statuses if status == 302 and score <= 6)
            cluster.wait_for(lambda: Action.objects.count() >= detractors, "a follow-up for every detractor")

            # A last recompute after everything is stored, then nothing left in any queue.
            runs = RecomputeRun.objects.filter(finished_at__isnull=False).count()
            cluster.send("metrics.recompute_all")
            cluster.wait_for(
                lambda: RecomputeRun.objects.filter(finished_at__isnull=False).count() > runs, "the last recompute"
            )
            cluster.wait_for(lambda: cluster.queued() == 0, "every queue to be empty")
            received = sink.handler.snapshot()
        finally:
            cluster.close()
            forget_queue(redis_url)

    # Each worker ran the tasks of its queues only.
    logs = {name: p.log_path.read_text(errors="replace") for name, p in (("mail", mail), ("metrics", metrics))}
    logs["rest"] = rest.log_path.read_text(errors="replace")
    ran = {name: set(re.findall(r"Task ([a-z_]+\.[a-z_]+)\[[^]]+\] succeeded", text)) for name, text in logs.items()}
    assert ran["mail"] == {"surveys.dispatch_due_campaigns", "surveys.send_invitations"}
    assert ran["metrics"] == {"metrics.recompute_all"}
    assert ran["rest"] == {"actionplans.detractor_follow_up"}

    # Every invitation sent once, within the duplicate bound of one crash.
    per_recipient = Counter(r for m in received for r in m.recipients)
    assert set(per_recipient) == {c.email for c in people["reachable"]}, "none lost, nobody extra"
    duplicates = sum(n - 1 for n in per_recipient.values())
    assert duplicates <= min(in_flight, distribution.MARK_SENT_EVERY), f"{duplicates} duplicates for one crash"
    assert Invitation.objects.filter(status__in=["sent", "responded"]).count() == AUDIENCE

    # Every response stored once: each respondent got the thank-you redirect, one response per invitation.
    assert Counter(status for _score, status in statuses) == {302: SUBMITS}
    assert Response.objects.count() == SUBMITS
    assert Response.objects.values("invitation").distinct().count() == SUBMITS
    assert Answer.objects.filter(question=nps).count() == SUBMITS
    assert Counter(Answer.objects.values_list("value", flat=True)) == Counter(s for s, _status in statuses)
    assert Invitation.objects.filter(status="responded").count() == SUBMITS

    # Exactly one follow-up per detractor response (the web servers queued them to the default queue).
    assert Action.objects.count() == detractors
    assert Action.objects.values("source_response").distinct().count() == detractors

    # The KPIs the metrics worker stored are those of a fresh full recompute.
    stored = snapshot_rows()
    assert any(row[0] == "nps" and row[5] == SUBMITS for row in stored), "the company NPS counts every answer"
    KpiSnapshot.objects.all().delete()
    snapshots_recompute()
    assert snapshot_rows() == stored
