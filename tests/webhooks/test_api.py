"""The webhooks API: CRUD, the secret shown on create and rotate only, deliveries, ping, redeliver, access."""

import pytest
from rest_framework.test import APIClient

from cxportal.webhooks.models import WebhookDelivery, WebhookSubscription
from cxportal.webhooks.services import webhook_emit
from tests.webhooks.conftest import PUBLIC_URL

pytestmark = pytest.mark.django_db

BODY = {"name": "CRM", "url": PUBLIC_URL, "events": ["response.created", "action.done"]}


def test_create_returns_the_secret_once_and_reads_never_show_it(api_client):
    created = api_client.post("/api/v1/webhooks/", BODY, format="json")

    assert created.status_code == 201, created.content
    body = created.json()
    subscription = WebhookSubscription.objects.get()
    assert body["secret"] == subscription.secret and body["secret"].startswith("whsec_")
    assert (body["name"], body["url"], body["events"], body["is_active"]) == (
        "CRM",
        PUBLIC_URL,
        ["response.created", "action.done"],
        True,
    )
    assert "secret" not in api_client.get(f"/api/v1/webhooks/{subscription.pk}/").json()
    listed = api_client.get("/api/v1/webhooks/").json()
    assert listed["count"] == 1 and "secret" not in listed["results"][0]


@pytest.mark.parametrize(
    ("body", "field", "text"),
    [
        ({**BODY, "url": "http://169.254.169.254/latest/meta-data/"}, "url", "non-public address"),
        ({**BODY, "url": "http://localhost:8000/"}, "url", "non-public address"),
        ({**BODY, "url": "gopher://93.184.215.14/"}, "url", "http:// or https://"),
        ({**BODY, "events": ["response.deleted"]}, "events", "not a valid choice"),
        ({**BODY, "events": []}, "events", "empty"),
    ],
)
def test_bad_input_answers_400_with_the_field_error_and_creates_nothing(api_client, body, field, text):
    answer = api_client.post("/api/v1/webhooks/", body, format="json")

    assert answer.status_code == 400
    assert text in str(answer.json()[field])
    assert not WebhookSubscription.objects.exists()


def test_update_and_delete(api_client, subscribe):
    subscription = subscribe(PUBLIC_URL)

    changed = api_client.patch(
        f"/api/v1/webhooks/{subscription.pk}/", {"events": ["action.overdue"], "is_active": False}, format="json"
    )
    assert changed.status_code == 200
    assert (changed.json()["events"], changed.json()["is_active"]) == (["action.overdue"], False)
    refused = api_client.patch(f"/api/v1/webhooks/{subscription.pk}/", {"url": "http://10.0.0.1/"}, format="json")
    assert refused.status_code == 400 and "non-public" in refused.json()["url"][0]
    subscription.refresh_from_db()
    assert subscription.url == PUBLIC_URL

    assert api_client.delete(f"/api/v1/webhooks/{subscription.pk}/").status_code == 204
    assert not WebhookSubscription.objects.exists()


def test_rotate_secret_returns_the_new_secret(api_client, subscribe):
    subscription = subscribe(PUBLIC_URL)
    old = subscription.secret

    answer = api_client.post(f"/api/v1/webhooks/{subscription.pk}/rotate-secret/")

    subscription.refresh_from_db()
    assert answer.status_code == 200
    assert answer.json()["secret"] == subscription.secret != old


def test_ping_and_the_delivery_log_and_redeliver(api_client, subscribe, settings):
    subscription = subscribe(PUBLIC_URL, events=["action.done"])
    other = subscribe(PUBLIC_URL, events=["action.done"])
    webhook_emit(event_type="action.done", data={"action": 1})

    ping = api_client.post(f"/api/v1/webhooks/{subscription.pk}/ping/")
    assert ping.status_code == 202 and ping.json()["event_type"] == "ping"

    log = api_client.get(f"/api/v1/webhooks/{subscription.pk}/deliveries/").json()
    assert log["count"] == 2
    assert [d["event_type"] for d in log["results"]] == ["ping", "action.done"]
    assert all(d["subscription"] == subscription.pk for d in log["results"])
    everything = api_client.get("/api/v1/webhook-deliveries/", {"subscription": other.pk}).json()
    assert [d["event_type"] for d in everything["results"]] == ["action.done"]

    failed = WebhookDelivery.objects.get(subscription=other)
    WebhookDelivery.objects.filter(pk=failed.pk).update(status="failed", attempts=8, last_error="HTTP 500")
    redelivered = api_client.post(f"/api/v1/webhook-deliveries/{failed.pk}/redeliver/")
    assert redelivered.status_code == 202
    assert (redelivered.json()["status"], redelivered.json()["attempts"], redelivered.json()["last_error"]) == (
        "pending",
        0,
        "",
    )


def test_ping_of_an_inactive_subscription_is_400(api_client, subscribe):
    subscription = subscribe(PUBLIC_URL, is_active=False)
    answer = api_client.post(f"/api/v1/webhooks/{subscription.pk}/ping/")
    assert answer.status_code == 400 and "inactive" in answer.json()["detail"]
    assert not WebhookDelivery.objects.exists()


def test_keys_need_the_webhooks_scope(api_client_for, subscribe):
    subscribe(PUBLIC_URL)
    assert api_client_for(["actions:write"]).get("/api/v1/webhooks/").status_code == 403
    reader = api_client_for(["webhooks:read"])
    assert reader.get("/api/v1/webhooks/").status_code == 200
    assert reader.post("/api/v1/webhooks/", BODY, format="json").status_code == 403
    assert api_client_for(["webhooks:write"]).post("/api/v1/webhooks/", BODY, format="json").status_code == 201


def test_only_cx_managers_use_it_with_a_session(manager, sales_member, subscribe):
    subscription = subscribe(PUBLIC_URL)
    client = APIClient()
    client.force_authenticate(sales_member)
    assert client.get("/api/v1/webhooks/").status_code == 403
    assert client.get(f"/api/v1/webhooks/{subscription.pk}/deliveries/").status_code == 403
    client.force_authenticate(manager)
    assert client.get("/api/v1/webhooks/").status_code == 200
