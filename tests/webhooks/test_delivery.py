"""Sending webhooks to a real receiver on 127.0.0.1: signature, retries with backoff, and the SSRF guard."""

import hashlib
import hmac
import json
import socket
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cxportal.webhooks import delivery as delivery_module
from cxportal.webhooks import tasks
from cxportal.webhooks.models import WebhookDelivery, WebhookSubscription
from cxportal.webhooks.services import (
    retry_delay,
    webhook_emit,
    webhook_ping,
    webhook_secret_rotate,
    webhook_subscription_create,
)
from tests.webhooks.conftest import PUBLIC_URL

pytestmark = pytest.mark.django_db


def verify(secret: str, headers, body: bytes) -> bool:
    """The recipe the README gives integrators, word for word."""
    timestamp = headers["X-CX-Timestamp"]
    if abs(time.time() - int(timestamp)) > 300:  # refuse old (replayed) requests
        return False
    expected = "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-CX-Signature"])


def emit_and_commit(capture, event_type="response.created", data=None, **kwargs):
    with capture(execute=True):
        rows = webhook_emit(event_type=event_type, data=data or {"response": 1, "score": 3}, **kwargs)
    return rows


def make_due(delivery_id: int) -> None:
    """Let the time of the next attempt come (rather than waiting for it)."""
    WebhookDelivery.objects.filter(pk=delivery_id).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


class TestSignature:
    def test_receiver_verifies_the_signature_with_the_documented_recipe(
        self, receiver, allow_private, subscribe, django_capture_on_commit_callbacks
    ):
        subscription = subscribe(receiver.url)

        (row,) = emit_and_commit(django_capture_on_commit_callbacks, data={"response": 7, "comment": "Grüße"})

        (request,) = receiver.requests
        assert verify(subscription.secret, request.headers, request.body)
        assert not verify("whsec_someone-else", request.headers, request.body)
        assert request.path == "/hooks/cx?source=test"
        assert request.headers["Content-Type"] == "application/json"
        assert request.headers["User-Agent"] == "CX-portal-webhooks/1"
        assert request.headers["X-CX-Event"] == "response.created"
        assert request.headers["X-CX-Delivery"] == str(row.event_id)
        body = json.loads(request.body)
        assert body["id"] == str(row.event_id) and body["type"] == "response.created"
        assert body["data"] == {"response": 7, "comment": "Grüße"}
        assert body["created_at"].endswith("+00:00")
        row.refresh_from_db()
        assert (row.status, row.attempts, row.last_status_code, row.last_error) == ("succeeded", 1, 204, "")
        assert row.delivered_at is not None and row.next_attempt_at is None

    def test_a_tampered_body_or_old_secret_does_not_verify(
        self, receiver, allow_private, subscribe, django_capture_on_commit_callbacks
    ):
        subscription = subscribe(receiver.url)
        old_secret = subscription.secret
        webhook_secret_rotate(subscription=subscription)
        with django_capture_on_commit_callbacks(execute=True):
            webhook_ping(subscription=subscription)

        (request,) = receiver.requests
        subscription.refresh_from_db()
        assert subscription.secret != old_secret and len(subscription.secret) >= 43
        assert verify(subscription.secret, request.headers, request.body)
        assert not verify(old_secret, request.headers, request.body)
        assert not verify(subscription.secret, request.headers, request.body.replace(b"Test", b"Fest"))
        assert request.headers["X-CX-Event"] == "ping"


class TestRetries:
    def test_failing_receiver_is_retried_with_growing_backoff_then_marked_failed(
        self, receiver, allow_private, subscribe, settings, django_capture_on_commit_callbacks
    ):
        settings.WEBHOOKS_MAX_ATTEMPTS = 4
        settings.WEBHOOKS_RETRY_BASE_SECONDS = 60
        receiver.default_status = 500
        subscribe(receiver.url)

        (row,) = emit_and_commit(django_capture_on_commit_callbacks)
        waits = []
        for _ in range(3):
            row.refresh_from_db()
            assert row.status == "pending"
            waits.append(row.next_attempt_at - row.last_attempt_at)
            make_due(row.pk)
            assert tasks.deliver_due() == 1  # beat finds it due and a worker attempts it

        row.refresh_from_db()
        assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
        assert (row.status, row.attempts, row.last_status_code) == ("failed", 4, 500)
        assert row.last_error == "HTTP 500 Internal Server Error: receiver says no"
        assert row.next_attempt_at is None
        assert len(receiver.requests) == 4
        assert {r.headers["X-CX-Delivery"] for r in receiver.requests} == {str(row.event_id)}

        assert tasks.deliver_due() == 0  # a failed delivery is not sent again by itself
        assert len(receiver.requests) == 4

    def test_a_receiver_that_recovers_gets_the_delivery_on_the_retry(
        self, receiver, allow_private, subscribe, django_capture_on_commit_callbacks
    ):
        receiver.statuses = [503]
        subscribe(receiver.url)

        (row,) = emit_and_commit(django_capture_on_commit_callbacks)
        row.refresh_from_db()
        assert (row.status, row.last_status_code) == ("pending", 503)
        assert tasks.deliver_due() == 0  # not due yet: nothing is sent early
        make_due(row.pk)
        tasks.deliver_due()

        row.refresh_from_db()
        assert (row.status, row.attempts, row.last_error) == ("succeeded", 2, "")
        assert len(receiver.requests) == 2

    def test_backoff_doubles_up_to_the_cap(self, settings):
        settings.WEBHOOKS_RETRY_BASE_SECONDS = 60
        settings.WEBHOOKS_RETRY_MAX_SECONDS = 3600
        assert [retry_delay(n).total_seconds() for n in range(1, 9)] == [60, 120, 240, 480, 960, 1920, 3600, 3600]

    def test_connection_refused_is_retried_with_the_reason(
        self, allow_private, subscribe, django_capture_on_commit_callbacks
    ):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            closed_port = sock.getsockname()[1]
        subscribe(f"http://127.0.0.1:{closed_port}/hook")

        (row,) = emit_and_commit(django_capture_on_commit_callbacks)

        row.refresh_from_db()
        assert row.status == "pending" and row.attempts == 1 and row.last_status_code is None
        assert row.last_error.startswith("Connection failed:")

    def test_a_slow_receiver_times_out_and_is_retried(
        self, allow_private, subscribe, settings, django_capture_on_commit_callbacks
    ):
        settings.WEBHOOKS_TIMEOUT_SECONDS = 0.2
        # A listening socket that never answers: the kernel accepts the connection, then nothing comes.
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen(1)
            subscribe(f"http://127.0.0.1:{silent.getsockname()[1]}/hook")
            (row,) = emit_and_commit(django_capture_on_commit_callbacks)

        row.refresh_from_db()
        assert row.status == "pending"
        assert row.last_error == "No answer within 0.2 s."

    def test_redirects_are_not_followed(self, receiver, allow_private, subscribe, django_capture_on_commit_callbacks):
        receiver.statuses = [302]
        receiver.extra_headers = {"Location": "http://169.254.169.254/latest/meta-data/"}
        subscribe(receiver.url)

        (row,) = emit_and_commit(django_capture_on_commit_callbacks)

        row.refresh_from_db()
        assert len(receiver.requests) == 1
        assert (row.status, row.last_status_code) == ("pending", 302)
        assert "redirects are not followed" in row.last_error


class TestPrivateTargets:
    @pytest.mark.parametrize(
        "url",
        [
            "http://127.0.0.1/hook",
            "http://localhost:8000/hook",
            "http://10.1.2.3/hook",
            "http://172.16.5.4/hook",
            "http://192.168.0.10/hook",
            "http://169.254.169.254/latest/meta-data/",
            "http://100.64.0.1/hook",
            "http://0.0.0.0/hook",
            "http://224.0.0.1/hook",
            "http://[::1]/hook",
            "http://[fe80::1]/hook",
            "http://[fc00::1]/hook",
            "http://[::ffff:127.0.0.1]/hook",
            "http://[::ffff:10.0.0.1]/hook",
            "http://2130706433/hook",  # 127.0.0.1 written as one number
        ],
    )
    def test_private_loopback_and_link_local_targets_are_refused_on_creation(self, url):
        with pytest.raises(ValidationError) as exc:
            webhook_subscription_create(name="Internal", url=url, events=["response.created"])

        (message,) = exc.value.message_dict["url"]
        assert "non-public address" in message and "public addresses" in message
        assert not WebhookSubscription.objects.exists()

    @pytest.mark.parametrize(
        ("url", "reason"),
        [
            ("ftp://93.184.215.14/hook", "must start with http:// or https://"),
            ("file:///etc/passwd", "must start with http:// or https://"),
            ("javascript:alert(1)", "must start with http:// or https://"),
            ("93.184.215.14/hook", "must start with http:// or https://"),
            ("http:///hook", "must name a host"),
            ("http://user:pw@93.184.215.14/hook", "no user name or password"),
            ("http://93.184.215.14:99999/hook", "not valid"),
            ("http://no-such-host.invalid/hook", "cannot be resolved"),
        ],
    )
    def test_malformed_targets_are_refused_with_the_reason(self, url, reason):
        with pytest.raises(ValidationError) as exc:
            webhook_subscription_create(name="Bad", url=url, events=["response.created"])

        assert reason in exc.value.message_dict["url"][0]
        assert not WebhookSubscription.objects.exists()

    def test_a_public_address_is_accepted(self):
        subscription = webhook_subscription_create(name="CRM", url=PUBLIC_URL, events=["action.created"])
        assert subscription.url == PUBLIC_URL

    def test_the_operator_setting_allows_private_targets(self, allow_private):
        subscription = webhook_subscription_create(name="LAN", url="http://10.1.2.3/hook", events=["action.done"])
        assert subscription.pk

    def test_a_target_that_became_private_is_refused_at_delivery(
        self, receiver, allow_private, subscribe, settings, django_capture_on_commit_callbacks
    ):
        subscribe(receiver.url)  # allowed while the operator setting was on
        settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False

        (row,) = emit_and_commit(django_capture_on_commit_callbacks)

        row.refresh_from_db()
        assert receiver.requests == []
        assert row.status == "pending" and row.attempts == 1
        assert row.last_error.startswith("Refused target: The host 127.0.0.1 resolves to a private, loopback")

    def test_dns_answer_changed_to_loopback_after_the_check_is_refused_at_delivery(
        self, receiver, monkeypatch, django_capture_on_commit_callbacks
    ):
        port = int(receiver.url.split(":")[2].split("/")[0])
        answers = {"hooks.example.test": "93.184.215.14"}

        def fake_getaddrinfo(host, port_, *args, **kwargs):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers.get(host, host), port_))]

        monkeypatch.setattr(delivery_module.socket, "getaddrinfo", fake_getaddrinfo)
        webhook_subscription_create(
            name="Rebinding", url=f"http://hooks.example.test:{port}/hook", events=["response.created"]
        )
        answers["hooks.example.test"] = "127.0.0.1"  # the attacker's DNS now points at us

        (row,) = emit_and_commit(django_capture_on_commit_callbacks)

        row.refresh_from_db()
        assert receiver.requests == []
        assert "127.0.0.1" in row.last_error and row.last_error.startswith("Refused target")

    def test_the_connection_goes_to_the_vetted_address_with_the_host_name_kept(
        self, receiver, allow_private, monkeypatch, django_capture_on_commit_callbacks
    ):
        port = int(receiver.url.split(":")[2].split("/")[0])
        lookups = []

        def fake_getaddrinfo(host, port_, *args, **kwargs):
            lookups.append(host)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port_))]

        monkeypatch.setattr(delivery_module.socket, "getaddrinfo", fake_getaddrinfo)
        webhook_subscription_create(name="Named", url=f"http://hooks.example.test:{port}/hook", events=["action.done"])
        lookups.clear()

        emit_and_commit(django_capture_on_commit_callbacks, event_type="action.done")

        (request,) = receiver.requests
        assert request.headers["Host"] == f"hooks.example.test:{port}"
        # The name was resolved once (the check); the connection went to the vetted address itself.
        assert lookups.count("hooks.example.test") == 1
