"""Idempotency: ``Idempotency-Key`` replays the first answer, and bulk ingestion stores each row once."""

import datetime

import pytest
from django.utils import timezone

from cxportal.api.idempotency import IDEMPOTENCY_IN_FLIGHT_TIMEOUT, IDEMPOTENCY_TTL
from cxportal.models import IdempotencyRecord
from journeys.models import Customer, Persona
from metrics.models import TouchpointEvent, Transaction
from tests.journeys.factories import CustomerFactory, TouchpointFactory

pytestmark = pytest.mark.django_db

PERSONAS = "/api/v1/personas/"


def _post(client, path, body, key=None, **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(path, body, format="json", **headers, **extra)


class TestIdempotencyKey:
    def test_replay_returns_the_first_answer_and_creates_nothing(self, api_client):
        first = _post(api_client, PERSONAS, {"name": "Plant manager"}, key="k-1")
        again = _post(api_client, PERSONAS, {"name": "Plant manager"}, key="k-1")

        assert first.status_code == 201
        assert again.status_code == 201
        assert again.json() == first.json()
        assert again["Idempotent-Replayed"] == "true"
        assert "Idempotent-Replayed" not in first
        assert Persona.objects.count() == 1

    def test_a_body_over_the_limit_is_413_and_is_neither_read_whole_nor_stored(self, api_client, settings):
        settings.API_MAX_BODY_BYTES = 1000
        body = {"name": "Big", "description": "x" * 2000}

        refused = _post(api_client, PERSONAS, body, key="big")

        assert refused.status_code == 413
        assert "larger than 1,000 bytes" in refused.json()["detail"]
        assert not Persona.objects.exists()
        assert not IdempotencyRecord.objects.exists()
        assert _post(api_client, PERSONAS, {"name": "Small"}, key="small").status_code == 201

    def test_a_body_without_a_declared_length_is_cut_off_at_the_limit(self, settings, rf):
        from io import BytesIO

        from cxportal.api.idempotency import BodyTooLarge, _request_hash

        settings.API_MAX_BODY_BYTES = 10
        request = rf.post(PERSONAS, data=b"", content_type="application/json")
        request.META.pop("CONTENT_LENGTH", None)
        stream = BytesIO(b"y" * 1000)
        request._stream = stream
        request.read = stream.read
        with pytest.raises(BodyTooLarge):
            _request_hash(request)
        assert stream.tell() == 11  # no more than the limit and one byte were read

    def test_without_a_key_each_post_runs(self, api_client):
        assert _post(api_client, PERSONAS, {"name": "A"}).status_code == 201
        assert _post(api_client, PERSONAS, {"name": "B"}).status_code == 201
        assert Persona.objects.count() == 2
        assert not IdempotencyRecord.objects.exists()

    def test_a_refused_request_is_replayed_too(self, api_client):
        first = _post(api_client, PERSONAS, {"name": ""}, key="k-bad")
        Persona.objects.create(name="Someone")  # the world changed, the answer to the key did not
        again = _post(api_client, PERSONAS, {"name": ""}, key="k-bad")

        assert first.status_code == again.status_code == 400
        assert again.json() == first.json()
        assert again["Idempotent-Replayed"] == "true"

    def test_same_key_with_another_body_is_422_and_changes_nothing(self, api_client):
        _post(api_client, PERSONAS, {"name": "Plant manager"}, key="k-2")

        response = _post(api_client, PERSONAS, {"name": "Buyer"}, key="k-2")

        assert response.status_code == 422
        assert "another request" in response.json()["detail"]
        assert list(Persona.objects.values_list("name", flat=True)) == ["Plant manager"]

    def test_same_key_on_another_path_is_422(self, api_client):
        _post(api_client, PERSONAS, {"name": "Plant manager"}, key="k-3")

        response = _post(api_client, "/api/v1/departments/", {"name": "Plant manager"}, key="k-3")

        assert response.status_code == 422

    def test_a_duplicate_while_the_first_runs_is_409(self, api_client):
        first = _post(api_client, PERSONAS, {"name": "Plant manager"}, key="k-4")
        # The first request is still in flight: its record has no answer yet.
        IdempotencyRecord.objects.filter(key="k-4").update(status_code=None, response_body=None)

        response = _post(api_client, PERSONAS, {"name": "Plant manager"}, key="k-4")

        assert first.status_code == 201
        assert response.status_code == 409
        assert Persona.objects.count() == 1

    def test_keys_are_scoped_to_the_credential(self, api_client, api_client_for):
        other = api_client_for(["*"])

        assert _post(api_client, PERSONAS, {"name": "A"}, key="shared").status_code == 201
        response = _post(other, PERSONAS, {"name": "A"}, key="shared")

        assert response.status_code == 400  # not a replay: the other key really ran it (name taken)
        assert "Idempotent-Replayed" not in response

    def test_people_signed_in_have_their_own_keys(self, client, manager):
        client.force_login(manager)

        first = client.post(PERSONAS, {"name": "A"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k")
        again = client.post(PERSONAS, {"name": "A"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k")

        assert first.status_code == 201
        assert again["Idempotent-Replayed"] == "true"
        assert IdempotencyRecord.objects.get().credential == f"user:{manager.pk}"

    def test_server_errors_are_not_kept_so_the_request_can_be_retried(self, api_client, monkeypatch):
        from journeys import services

        def broken(**kwargs):
            raise RuntimeError("database went away")

        monkeypatch.setattr("journeys.api.people.PersonaViewSet.create_service", staticmethod(broken))
        api_client.raise_request_exception = False
        assert _post(api_client, PERSONAS, {"name": "A"}, key="k-5").status_code == 500
        assert not IdempotencyRecord.objects.exists()

        monkeypatch.setattr("journeys.api.people.PersonaViewSet.create_service", staticmethod(services.persona_create))
        response = _post(api_client, PERSONAS, {"name": "A"}, key="k-5")

        assert response.status_code == 201
        assert "Idempotent-Replayed" not in response

    def test_authentication_failures_are_not_kept(self, api_client_for):
        reader = api_client_for(["journeys:read"])

        assert _post(reader, PERSONAS, {"name": "A"}, key="k-6").status_code == 403
        assert not IdempotencyRecord.objects.exists()

    @pytest.mark.parametrize("key", ["", " ", "x" * 256, "schlüssel"])
    def test_a_malformed_key_is_400(self, api_client, key):
        response = _post(api_client, PERSONAS, {"name": "A"}, key=key)

        assert response.status_code == 400
        assert "Idempotency-Key" in response.json()["detail"]
        assert not Persona.objects.exists()

    def test_a_key_of_255_characters_is_fine(self, api_client):
        assert _post(api_client, PERSONAS, {"name": "A"}, key="k" * 255).status_code == 201

    def test_an_expired_key_runs_again(self, api_client):
        _post(api_client, PERSONAS, {"name": "A"}, key="k-7")
        IdempotencyRecord.objects.update(created_at=timezone.now() - IDEMPOTENCY_TTL - datetime.timedelta(seconds=1))

        response = _post(api_client, PERSONAS, {"name": "B"}, key="k-7")

        assert response.status_code == 201
        assert Persona.objects.count() == 2

    def test_an_abandoned_in_flight_key_can_be_used_again(self, api_client):
        IdempotencyRecord.objects.create(
            credential="x",
            key="old",
            method="POST",
            path=PERSONAS,
            request_hash="0" * 64,
            created_at=timezone.now() - IDEMPOTENCY_IN_FLIGHT_TIMEOUT - datetime.timedelta(seconds=1),
        )

        _post(api_client, PERSONAS, {"name": "A"}, key="k-8")

        assert not IdempotencyRecord.objects.filter(key="old").exists()  # purged on the way

    def test_get_requests_ignore_the_header(self, api_client):
        response = api_client.get(PERSONAS, HTTP_IDEMPOTENCY_KEY="x" * 300)

        assert response.status_code == 200
        assert not IdempotencyRecord.objects.exists()

    def test_bulk_import_replay_stores_nothing_new(self, api_client):
        rows = [{"external_id": "C-1", "name": "Anna"}, {"external_id": "C-2", "name": "Ben"}]
        first = _post(api_client, "/api/v1/customers/bulk/", rows, key="import-1")
        again = _post(api_client, "/api/v1/customers/bulk/", rows, key="import-1")

        assert first.json() == again.json() == {"created": 2, "updated": 0, "errors": []}
        assert Customer.objects.count() == 2


class TestBulkIngestionIsIdempotentByExternalId:
    """The same import sent twice (no Idempotency-Key) stores each row once."""

    def test_customers(self, api_client):
        rows = [
            {"external_id": "C-1", "email": "anna@example.com", "name": "Anna", "language": "de"},
            {"external_id": "C-2", "email": "ben@example.com", "name": "Ben"},
        ]

        first = _post(api_client, "/api/v1/customers/bulk/", rows)
        again = _post(api_client, "/api/v1/customers/bulk/", rows)

        assert first.json() == {"created": 2, "updated": 0, "errors": []}
        assert again.status_code == 200
        assert again.json()["created"] == 0
        assert Customer.objects.count() == 2

    def test_events(self, api_client):
        touchpoint = TouchpointFactory()
        CustomerFactory(external_id="C-1")
        at = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
        rows = [
            {"external_id": "E-1", "touchpoint": touchpoint.pk, "kind": "visit", "customer": "C-1", "occurred_at": at},
            {"external_id": "E-2", "touchpoint": touchpoint.pk, "kind": "conversion", "occurred_at": at},
        ]

        first = _post(api_client, "/api/v1/events/", rows)
        again = _post(api_client, "/api/v1/events/", rows)

        assert first.json() == {"created": 2, "unchanged": 0, "errors": []}
        assert again.json() == {"created": 0, "unchanged": 2, "errors": []}
        assert TouchpointEvent.objects.count() == 2

    def test_transactions(self, api_client):
        CustomerFactory(external_id="C-1")
        at = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
        rows = [{"external_id": "T-1", "customer": "C-1", "amount": "120.00", "occurred_at": at}]

        first = _post(api_client, "/api/v1/transactions/", rows)
        again = _post(api_client, "/api/v1/transactions/", rows)

        assert first.json() == {"created": 1, "unchanged": 0, "errors": []}
        assert again.json() == {"created": 0, "unchanged": 1, "errors": []}
        assert Transaction.objects.count() == 1
