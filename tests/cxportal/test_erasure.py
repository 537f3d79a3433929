"""Erasure reaches every copy of a customer's data: the inventory, webhook payloads, stored idempotent
answers, transactions and events, the e-mail log — and the audit entry lists what was touched."""

import json
from decimal import Decimal
from unittest import mock

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from cxportal import erasure
from cxportal.models import IdempotencyRecord
from cxportal.webhooks.delivery import AttemptResult
from cxportal.webhooks.models import WebhookDelivery
from cxportal.webhooks.services import webhook_delivery_attempt, webhook_subscription_create
from journeys.models import Customer
from metrics.models import TouchpointEvent, Transaction
from surveys.models import Answer, PrivacyRequest, Response
from surveys.services import distribution, privacy, response_submit
from tests.journeys.factories import CustomerFactory, TouchpointFactory
from tests.webhooks.conftest import PUBLIC_URL

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"cxportal", "webhooks", "journeys", "surveys", "voice", "metrics", "actionplans"}
PERSONAL_TARGETS = {"journeys.Customer", "surveys.Response", "surveys.Answer", "surveys.Invitation"}


def _may_hold_personal_data(model) -> list[str]:
    """Why a model could hold a customer's data: its links to a person's records and its free-form fields."""
    reasons = []
    for field in model._meta.get_fields():
        if not field.concrete:
            continue
        if field.is_relation and field.related_model is not None:
            if field.related_model._meta.label in PERSONAL_TARGETS:
                reasons.append(f"{field.name} → {field.related_model._meta.label}")
        elif isinstance(field, models.TextField | models.JSONField | models.EmailField | models.GenericIPAddressField):
            reasons.append(f"{field.name} ({type(field).__name__})")
    return reasons


class TestInventory:
    def test_every_model_that_may_hold_personal_data_is_covered_by_erasure_or_declared_not_personal(self):
        covered = erasure.covered_models()
        missing = {
            model._meta.label: reasons
            for model in apps.get_models()
            if model._meta.app_label in PROJECT_APPS
            and (reasons := _may_hold_personal_data(model))
            and model._meta.label not in covered
        }
        assert not missing, (
            "These models may hold a customer's data but the personal-data inventory (cxportal.erasure) does not "
            f"know them; register a holder that erases them or declare them not personal, with the reason: {missing}"
        )

    def test_every_entry_names_a_real_model(self):
        for label in erasure.covered_models():
            assert apps.get_model(label) is not None

    def test_the_inventory_names_every_kind_of_copy_the_issue_lists(self):
        kinds = {holder.kind for holder in erasure.inventory()}
        assert {
            "responses",
            "invitations",
            "webhook_deliveries",
            "idempotency_records",
            "emails_logged",
            "transactions",
            "follow_up_actions",
            "customer",
        } <= kinds
        assert all(holder.description for holder in erasure.inventory())

    def test_a_new_holder_runs_with_the_subject_and_its_counts_reach_the_audit_entry(self, manager, no_broker):
        customer = CustomerFactory(external_id="CUST-9")
        seen = []

        def erase(subject):
            seen.append(subject)
            return {"feedback_items": 2}

        with mock.patch.dict(erasure._HOLDERS):
            erasure.holder_register(kind="feedback_items", description="Feedback items.", erase=erase)
            entry = privacy.customer_erase(customer=customer, mode="delete", by=manager)

        assert [(s.customer_id, s.external_id, s.mode) for s in seen] == [(customer.pk, "CUST-9", "delete")]
        assert entry.counts["feedback_items"] == 2


@pytest.fixture
def customer():
    return CustomerFactory(external_id="CUST-42", name="Erika Muster", email="erika@example.com")


def _answers(survey, score, text):
    q = {x.kind: x for x in survey.questions.all()}
    return [{"question": q["nps"].pk, "value": score}, {"question": q["long_text"].pk, "text": text}]


@pytest.fixture
def hooked(survey, customer):
    """A receiver subscribed to responses; the customer answered (a detractor) and so did someone else."""
    subscription = webhook_subscription_create(
        name="CRM", url=PUBLIC_URL, events=["response.created", "response.detractor"]
    )
    mine = response_submit(survey=survey, answers=_answers(survey, 3, "Erika was kept waiting"), customer=customer)
    other = response_submit(survey=survey, answers=_answers(survey, 10, "All fine"), customer=CustomerFactory())
    return {"subscription": subscription, "mine": mine, "other": other}


class TestWebhookDeliveries:
    def test_after_erasure_the_api_no_longer_serves_the_customers_payload(
        self, api_client, manager, hooked, no_broker, customer
    ):
        assert "Erika was kept waiting" in json.dumps(api_client.get("/api/v1/webhook-deliveries/").json())

        entry = privacy.customer_erase(customer=customer, mode="anonymise", by=manager)

        body = json.dumps(api_client.get("/api/v1/webhook-deliveries/").json())
        for personal in ("Erika was kept waiting", "CUST-42"):
            assert personal not in body
        assert "All fine" in body  # someone else's deliveries are untouched
        erased = WebhookDelivery.objects.filter(erased_at__isnull=False)
        assert erased.count() == 2  # response.created and response.detractor
        assert {d.payload["data"] for d in erased} == {None}
        assert {d.payload["type"] for d in erased} == {"response.created", "response.detractor"}
        assert entry.counts["webhook_deliveries"] == 2

    def test_the_webhook_page_shows_no_payload_of_erased_data(self, client, manager, hooked, no_broker, customer):
        privacy.customer_erase(customer=customer, mode="delete", by=manager)
        client.force_login(manager)

        page = client.get(reverse("webhooks:subscription_detail", args=[hooked["subscription"].pk]))

        text = page.content.decode()
        assert "Erika was kept waiting" not in text and "CUST-42" not in text
        assert "Payload erased on the customer" in text
        assert "All fine" in text

    def test_redeliver_is_refused_in_the_api_and_the_ui(self, api_client, client, manager, hooked, no_broker, customer):
        privacy.customer_erase(customer=customer, mode="anonymise", by=manager)
        delivery = WebhookDelivery.objects.filter(erased_at__isnull=False).first()

        answer = api_client.post(f"/api/v1/webhook-deliveries/{delivery.pk}/redeliver/")
        assert answer.status_code == 409
        assert "erased" in answer.json()["detail"]

        client.force_login(manager)
        page = client.post(reverse("webhooks:delivery_redeliver", args=[delivery.pk]), follow=True)
        assert "cannot be sent again" in page.content.decode()
        delivery.refresh_from_db()
        assert delivery.payload["data"] is None and delivery.attempts == 0

    def test_a_pending_delivery_of_erased_data_is_never_sent(self, manager, hooked, no_broker, customer):
        pending = list(WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING))
        assert pending  # nothing was attempted yet (the on-commit attempt does not run in this test)

        privacy.customer_erase(customer=customer, mode="anonymise", by=manager)

        with mock.patch(
            "cxportal.webhooks.services.attempt_send", return_value=AttemptResult(ok=True, status_code=204)
        ) as send:
            for delivery in pending:
                webhook_delivery_attempt(delivery_id=delivery.pk)
        sent = [call.kwargs["payload"]["data"]["comment"] for call in send.call_args_list]
        assert sent == ["All fine"]  # only someone else's response.created
        mine = WebhookDelivery.objects.filter(erased_at__isnull=False)
        assert set(mine.values_list("status", flat=True)) == {WebhookDelivery.Status.FAILED}
        assert "erased" in mine.first().last_error


class TestIdempotencyRecords:
    def _post(self, api_client, survey, customer, key="resp-1", text="Call me, Erika"):
        body = {"survey": survey.pk, "customer": customer.pk, "answers": _answers(survey, 2, text)}
        return api_client.post("/api/v1/responses/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)

    def test_the_stored_answer_is_not_replayed_after_erasure(self, api_client, manager, survey, customer, no_broker):
        first = self._post(api_client, survey, customer)
        assert first.status_code == 201
        assert self._post(api_client, survey, customer)["Idempotent-Replayed"] == "true"
        someone = CustomerFactory(external_id="OTHER-1")
        assert self._post(api_client, survey, someone, key="resp-2", text="Fine").status_code == 201

        entry = privacy.customer_erase(customer=customer, mode="anonymise", by=manager)

        assert entry.counts["idempotency_records"] == 1
        assert "Call me, Erika" not in json.dumps(list(IdempotencyRecord.objects.values("response_body")))
        again = self._post(api_client, survey, customer)
        assert again.get("Idempotent-Replayed") is None
        assert again.status_code == 400  # the customer is gone: nothing of theirs comes back
        assert "Call me, Erika" not in again.content.decode()
        # Someone else's key still replays.
        assert self._post(api_client, survey, someone, key="resp-2", text="Fine")["Idempotent-Replayed"] == "true"

    def test_a_stored_bulk_answer_naming_the_external_id_is_dropped(self, api_client, manager, customer, no_broker):
        rows = [{"external_id": "CUST-42", "email": "not-an-address"}]
        refused = api_client.post("/api/v1/customers/bulk/", rows, format="json", HTTP_IDEMPOTENCY_KEY="bulk-1")
        assert "CUST-42" in refused.content.decode()
        assert IdempotencyRecord.objects.count() == 1

        privacy.customer_erase(customer=customer, mode="delete", by=manager)

        assert not IdempotencyRecord.objects.exists()


class TestOtherCopies:
    def test_transactions_are_deleted_and_events_unlinked(self, manager, customer, no_broker):
        touchpoint = TouchpointFactory()
        now = timezone.now()
        Transaction.objects.create(external_id="t1", customer=customer, amount=Decimal("10.00"), occurred_at=now)
        event = TouchpointEvent.objects.create(
            external_id="e1", touchpoint=touchpoint, kind="visit", customer=customer, occurred_at=now
        )

        entry = privacy.customer_erase(customer=customer, mode="anonymise", by=manager)

        assert not Transaction.objects.exists()
        event.refresh_from_db()
        assert event.customer_id is None
        assert (entry.counts["transactions"], entry.counts["events_unlinked"]) == (1, 1)

    def test_the_development_e_mail_log_loses_the_customers_messages(
        self, settings, tmp_path, survey, manager, django_capture_on_commit_callbacks
    ):
        settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
        settings.EMAIL_FILE_PATH = str(tmp_path)
        erika = CustomerFactory(email="erika@example.com", name="Erika Muster")
        other = CustomerFactory(email="max@example.com")
        with django_capture_on_commit_callbacks(execute=True):
            distribution.invitation_send_now(survey=survey, customer=erika)
            distribution.invitation_send_now(survey=survey, customer=other)
        logged = "".join(p.read_text() for p in tmp_path.glob("*.log"))
        assert "erika@example.com" in logged and "max@example.com" in logged

        with mock.patch.object(privacy, "task_queue"):
            entry = privacy.customer_erase(customer=erika, mode="delete", by=manager)

        logged = "".join(p.read_text() for p in tmp_path.glob("*.log"))
        assert "erika@example.com" not in logged
        assert "max@example.com" in logged
        assert entry.counts["emails_logged"] == 1

    def test_the_follow_up_action_is_counted_and_shows_no_comment(self, manager, customer, survey, no_broker):
        from actionplans.models import Action
        from tests.actionplans.factories import ActionFactory

        response = response_submit(survey=survey, answers=_answers(survey, 1, "Erika is angry"), customer=customer)
        action = ActionFactory()
        Action.objects.filter(pk=action.pk).update(source_response=response)

        entry = privacy.customer_erase(customer=customer, mode="anonymise", by=manager)

        assert entry.counts["follow_up_actions"] == 1
        assert not Answer.objects.filter(response__follow_up_actions=action).exclude(text="").exists()
        assert Response.objects.get(pk=response.pk).customer_id is None

    def test_the_audit_entry_lists_the_counts_per_kind_and_no_personal_data(self, manager, hooked, customer, no_broker):
        privacy.customer_erase(customer=customer, mode="delete", by=manager)

        entry = PrivacyRequest.objects.get()
        assert set(entry.counts) >= {holder.kind for holder in erasure.inventory()}
        assert entry.counts["customer"] == 1
        assert "Erika" not in json.dumps(entry.counts)
        assert not Customer.objects.filter(external_id="CUST-42").exists()
