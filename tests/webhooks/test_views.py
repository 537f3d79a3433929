"""The webhooks settings pages: CX managers create, edit, test and watch their webhooks."""

import pytest
from django.urls import reverse

from cxportal.webhooks.models import WebhookDelivery, WebhookSubscription
from cxportal.webhooks.services import webhook_emit
from tests.webhooks.conftest import PUBLIC_URL

pytestmark = pytest.mark.django_db

FORM = {"name": "CRM", "url": PUBLIC_URL, "events": ["response.created", "action.overdue"], "is_active": "on"}


def test_manager_creates_a_webhook_and_sees_its_secret(manager_client, manager):
    answer = manager_client.post(reverse("webhooks:subscription_create"), FORM)

    subscription = WebhookSubscription.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("webhooks:subscription_detail", args=[subscription.pk])
    assert (subscription.events, subscription.is_active, subscription.created_by) == (
        ["response.created", "action.overdue"],
        True,
        manager,
    )
    page = manager_client.get(answer["Location"]).content.decode()
    assert subscription.secret in page and "Regenerate secret" in page and "Send test event" in page
    assert "X-CX-Signature" in page  # how to verify it


def test_private_url_re_renders_the_form_with_the_reason(manager_client):
    answer = manager_client.post(reverse("webhooks:subscription_create"), {**FORM, "url": "http://192.168.1.5/hook"})

    assert answer.status_code == 200
    assert "non-public address" in answer.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_no_event_chosen_re_renders_with_a_message(manager_client):
    answer = manager_client.post(reverse("webhooks:subscription_create"), {**FORM, "events": []})
    assert "Choose at least one event." in answer.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_edit_regenerate_ping_and_delete(manager_client, subscribe):
    subscription = subscribe(PUBLIC_URL)
    old_secret = subscription.secret

    manager_client.post(
        reverse("webhooks:subscription_edit", args=[subscription.pk]), {**FORM, "name": "CRM 2", "is_active": ""}
    )
    manager_client.post(reverse("webhooks:secret_rotate", args=[subscription.pk]))
    subscription.refresh_from_db()
    assert (subscription.name, subscription.is_active) == ("CRM 2", False)
    assert subscription.secret != old_secret

    refused = manager_client.post(reverse("webhooks:subscription_ping", args=[subscription.pk]), follow=True)
    assert "inactive" in refused.content.decode()
    manager_client.post(reverse("webhooks:subscription_edit", args=[subscription.pk]), FORM)
    manager_client.post(reverse("webhooks:subscription_ping", args=[subscription.pk]))
    assert subscription.deliveries.get().event_type == "ping"

    confirm = manager_client.get(reverse("webhooks:subscription_delete", args=[subscription.pk]))
    assert "delivery log is deleted" in confirm.content.decode()
    manager_client.post(reverse("webhooks:subscription_delete", args=[subscription.pk]))
    assert not WebhookSubscription.objects.exists()


def test_delivery_log_shows_status_error_and_redeliver(manager_client, subscribe):
    subscription = subscribe(PUBLIC_URL)
    (failed,) = webhook_emit(event_type="response.created", data={"comment": "<script>alert(1)</script>"})
    WebhookDelivery.objects.filter(pk=failed.pk).update(
        status="failed", attempts=8, last_status_code=500, last_error="HTTP 500 Internal Server Error"
    )

    page = manager_client.get(reverse("webhooks:subscription_detail", args=[subscription.pk])).content.decode()
    assert "failed" in page and "HTTP 500 Internal Server Error" in page and "Redeliver" in page
    assert "<script>alert(1)</script>" not in page  # respondent text in payloads is escaped

    manager_client.post(reverse("webhooks:delivery_redeliver", args=[failed.pk]))
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("pending", 0)
    url = reverse("webhooks:subscription_detail", args=[subscription.pk])
    only_failed = manager_client.get(url, {"status": "failed"})
    assert "No deliveries in the last 30 days." in only_failed.content.decode()


def test_delivery_log_is_paginated_in_a_fixed_number_of_queries(
    manager_client, subscribe, django_assert_max_num_queries
):
    subscription = subscribe(PUBLIC_URL)
    for _ in range(3):
        webhook_emit(event_type="response.created", data={})
    url = reverse("webhooks:subscription_detail", args=[subscription.pk])
    with django_assert_max_num_queries(20) as few:
        manager_client.get(url)
    for _ in range(40):
        webhook_emit(event_type="response.created", data={})
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = manager_client.get(url).content.decode()
    assert "Page 1 of 2" in page
    with django_assert_max_num_queries(len(few.captured_queries)):
        manager_client.get(reverse("webhooks:subscription_list"))


def test_department_members_and_anonymous_users_are_kept_out(client, sales_member, subscribe):
    subscription = subscribe(PUBLIC_URL)
    assert client.get(reverse("webhooks:subscription_list")).status_code == 302  # to the login page
    client.force_login(sales_member)
    for url in (
        reverse("webhooks:subscription_list"),
        reverse("webhooks:subscription_detail", args=[subscription.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("webhooks:secret_rotate", args=[subscription.pk])).status_code == 403
