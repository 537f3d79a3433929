"""Data-subject requests: export one customer's data, erase it (anonymise or delete), always audited."""

import json
from unittest import mock

import pytest
from django.urls import reverse

from cxportal.errors import ApplicationError
from journeys.models import Customer
from surveys.models import Answer, Campaign, Invitation, PrivacyRequest, Response
from surveys.services import distribution, privacy, response_submit
from tests.journeys.factories import CustomerFactory, PersonaFactory

pytestmark = pytest.mark.django_db
ERASE = "/api/v1/privacy/erase/"
EXPORT = "/api/v1/privacy/export/"


@pytest.fixture
def customer():
    return CustomerFactory(
        external_id="CUST-42", name="Erika Muster", email="erika@example.com", persona=PersonaFactory()
    )


@pytest.fixture
def history(survey, customer):
    """The customer got a campaign invitation and a transactional one and answered both; someone else answered too."""
    distribution.campaign_schedule(survey=survey, name="Pulse")
    distribution.campaigns_dispatch_due()
    invitation = Invitation.objects.get(customer=customer)
    q = {x.kind: x for x in survey.questions.all()}
    by_invitation = response_submit(
        survey=survey,
        answers=[{"question": q["nps"].pk, "value": 3}, {"question": q["long_text"].pk, "text": "My name is Erika"}],
        invitation=invitation,
    )
    direct = response_submit(
        survey=survey,
        answers=[{"question": q["nps"].pk, "value": 9}],
        customer=customer,
        external_id="ticket-77",
    )
    other = response_submit(
        survey=survey,
        answers=[{"question": q["nps"].pk, "value": 10}, {"question": q["long_text"].pk, "text": "Not Erika"}],
        customer=CustomerFactory(),
    )
    return {"invitation": invitation, "mine": [by_invitation, direct], "other": other}


class TestErase:
    def test_anonymise_keeps_scores_but_removes_the_person(self, survey, customer, history, manager, no_broker):
        entry = privacy.customer_erase(customer=customer, mode="anonymise", by=manager)

        mine = Response.objects.filter(pk__in=[r.pk for r in history["mine"]])
        assert mine.count() == 2
        assert not mine.filter(customer__isnull=False).exists()
        assert not mine.filter(invitation__isnull=False).exists()
        assert not mine.filter(external_id__isnull=False).exists()
        # KPI inputs are still there: the scores with the survey's touchpoint.
        scores = sorted(Answer.objects.filter(response__in=mine, value__isnull=False).values_list("value", flat=True))
        assert scores == [3, 9]
        assert set(mine.values_list("touchpoint_id", flat=True)) == {survey.touchpoint_id}
        assert not Answer.objects.filter(response__in=mine).exclude(text="").exists()
        # Someone else's answers are untouched.
        assert Answer.objects.filter(response=history["other"], text="Not Erika").exists()
        assert not Customer.objects.filter(pk=customer.pk).exists()
        assert not Invitation.objects.filter(pk=history["invitation"].pk).exists()
        # Every kind of the personal-data inventory is listed, zeros included: what was checked.
        assert entry.counts == {
            "responses": 2,
            "answers": 3,
            "texts_blanked": 1,
            "invitations": 1,
            "campaigns": 0,
            "customer": 1,
            "churn_follow_ups": 0,
            "churn_risks": 0,
            "feedback_items": 0,
            "emails_logged": 0,
            "events_unlinked": 0,
            "follow_up_actions": 0,
            "idempotency_records": 0,
            "transactions": 0,
            "unrouted_follow_ups": 0,
            "webhook_deliveries": 0,
        }

    def test_delete_removes_responses_answers_invitations_and_customer(self, customer, history, manager, no_broker):
        entry = privacy.customer_erase(customer=customer, mode="delete", by=manager)

        assert not Response.objects.filter(pk__in=[r.pk for r in history["mine"]]).exists()
        assert not Answer.objects.filter(response_id__in=[r.pk for r in history["mine"]]).exists()
        assert Response.objects.filter(pk=history["other"].pk).exists()
        assert not Invitation.objects.filter(customer_id=customer.pk).exists()
        assert not Customer.objects.filter(pk=customer.pk).exists()
        assert entry.action == PrivacyRequest.Action.DELETE
        assert entry.counts["responses"] == 2

    def test_transactional_campaign_naming_the_customer_goes_too(self, survey, manager, no_broker):
        person = CustomerFactory(name="Max Mustermann")
        distribution.invitation_send_now(survey=survey, customer=person)
        assert Campaign.objects.filter(name__contains="Max Mustermann").exists()

        entry = privacy.customer_erase(customer=person, mode="delete", by=manager)

        assert not Campaign.objects.filter(name__contains="Max Mustermann").exists()
        assert entry.counts["campaigns"] == 1

    def test_audit_entry_holds_the_external_id_and_counts_but_no_personal_data(
        self, customer, history, manager, no_broker
    ):
        privacy.customer_erase(customer=customer, mode="anonymise", by=manager)

        entry = PrivacyRequest.objects.get()
        assert (entry.customer_external_id, entry.performed_by, entry.performed_by_label) == (
            "CUST-42",
            manager,
            "manager",
        )
        stored = json.dumps(list(PrivacyRequest.objects.values()), default=str)
        for personal in ("Erika", "erika@example.com", "My name is", "ticket-77"):
            assert personal not in stored

    def test_kpi_recompute_is_requested_after_commit_and_a_broker_outage_does_not_fail(
        self, customer, manager, django_capture_on_commit_callbacks
    ):
        with mock.patch.object(privacy, "task_queue", side_effect=OSError("broker down")) as send_task:
            with django_capture_on_commit_callbacks(execute=True):
                privacy.customer_erase(customer=customer, mode="delete", by=manager)

        send_task.assert_called_once_with("metrics.recompute_all", retry=False)
        assert PrivacyRequest.objects.count() == 1

    def test_unknown_mode_is_refused_and_changes_nothing(self, customer, history, manager):
        with pytest.raises(ApplicationError):
            privacy.customer_erase(customer=customer, mode="shred", by=manager)

        assert Customer.objects.filter(pk=customer.pk).exists()
        assert not PrivacyRequest.objects.exists()


class TestExport:
    def test_export_has_customer_responses_with_answers_and_invitations_but_no_tokens(self, customer, history, manager):
        data = privacy.customer_export(customer=customer, by=manager)

        assert data["customer"]["external_id"] == "CUST-42"
        assert data["customer"]["email"] == "erika@example.com"
        assert len(data["responses"]) == 2
        texts = [a["text"] for r in data["responses"] for a in r["answers"]]
        assert "My name is Erika" in texts
        assert "Not Erika" not in texts
        assert [i["status"] for i in data["invitations"]] == ["responded"]
        assert history["invitation"].token not in json.dumps(data)
        assert PrivacyRequest.objects.get().action == PrivacyRequest.Action.EXPORT


class TestPages:
    def test_lookup_by_email_leads_to_the_customer_page(self, client, manager, customer):
        client.force_login(manager)

        response = client.get(reverse("surveys:privacy_lookup"), {"customer": "ERIKA@example.com"})

        assert response.status_code == 302
        assert response["Location"] == reverse("surveys:privacy_customer", args=[customer.pk])

    def test_unknown_customer_says_so(self, client, manager):
        client.force_login(manager)
        response = client.get(reverse("surveys:privacy_lookup"), {"customer": "nobody"})
        assert "No customer has this external id" in response.content.decode()

    def test_erase_needs_the_external_id_typed_as_confirmation(self, client, manager, customer, history, no_broker):
        client.force_login(manager)
        url = reverse("surveys:privacy_customer", args=[customer.pk])

        refused = client.post(url, {"mode": "delete", "confirm": "CUST-41"})
        assert refused.status_code == 400
        assert Customer.objects.filter(pk=customer.pk).exists()

        done = client.post(url, {"mode": "delete", "confirm": "CUST-42"})
        assert done.status_code == 302
        assert not Customer.objects.filter(pk=customer.pk).exists()
        assert PrivacyRequest.objects.get().performed_by == manager

    def test_export_downloads_json(self, client, manager, customer, history):
        client.force_login(manager)

        download = client.post(reverse("surveys:privacy_export", args=[customer.pk]))

        assert download.status_code == 200
        assert "attachment" in download["Content-Disposition"]
        assert json.loads(download.content)["customer"]["external_id"] == "CUST-42"

    def test_customer_page_escapes_the_name(self, client, manager):
        person = CustomerFactory(name="<b>bold</b>")
        client.force_login(manager)
        html = client.get(reverse("surveys:privacy_customer", args=[person.pk])).content.decode()
        assert "<b>bold</b>" not in html

    def test_department_members_get_403_everywhere(self, client, sales_member, customer):
        client.force_login(sales_member)

        assert client.get(reverse("surveys:privacy_lookup"), {"customer": "CUST-42"}).status_code == 403
        assert client.get(reverse("surveys:privacy_customer", args=[customer.pk])).status_code == 403
        url = reverse("surveys:privacy_customer", args=[customer.pk])
        assert client.post(url, {"mode": "delete", "confirm": "CUST-42"}).status_code == 403
        assert client.post(reverse("surveys:privacy_export", args=[customer.pk])).status_code == 403
        assert client.get(EXPORT, {"customer": customer.pk}).status_code == 403
        assert client.post(ERASE, {"customer": customer.pk, "mode": "delete"}, "application/json").status_code == 403
        assert Customer.objects.filter(pk=customer.pk).exists()
        assert not PrivacyRequest.objects.exists()


class TestApi:
    def test_erase_needs_surveys_write(self, api_client_for, customer, no_broker):
        read_only = api_client_for(["surveys:read"])
        assert read_only.post(ERASE, {"customer": customer.pk, "mode": "delete"}, format="json").status_code == 403
        assert Customer.objects.filter(pk=customer.pk).exists()

        response = api_client_for(["surveys:write"]).post(
            ERASE, {"customer": customer.pk, "mode": "anonymise"}, format="json"
        )

        assert response.status_code == 200
        body = response.json()
        assert (body["action"], body["customer_external_id"]) == ("anonymise", "CUST-42")
        assert body["performed_by_label"] == "api-key:test key"
        assert not Customer.objects.filter(pk=customer.pk).exists()

    def test_erase_with_bad_input_is_400_and_changes_nothing(self, api_client, customer):
        response = api_client.post(ERASE, {"customer": customer.pk, "mode": "shred"}, format="json")
        missing = api_client.post(ERASE, {"customer": 999999, "mode": "delete"}, format="json")

        assert response.status_code == 400
        assert "mode" in response.json()
        assert missing.status_code == 400
        assert "customer" in missing.json()
        assert Customer.objects.filter(pk=customer.pk).exists()

    def test_export_needs_surveys_read(self, api_client_for, customer, history):
        assert api_client_for(["journeys:read"]).get(EXPORT, {"customer": customer.pk}).status_code == 403

        response = api_client_for(["surveys:read"]).get(EXPORT, {"customer": customer.pk})

        assert response.status_code == 200
        assert response.json()["customer"]["external_id"] == "CUST-42"
        assert history["invitation"].token not in response.content.decode()
