"""The customer's contact person (whom invitations greet) is read and written like the other customer fields."""

import pytest

from journeys.models import Customer

pytestmark = pytest.mark.django_db


def test_bulk_ingestion_sets_and_keeps_the_contact_name(api_client):
    row = {"external_id": "C-1", "email": "a@example.com", "name": "Möbelwerke Süd GmbH", "contact_name": "Anna Berger"}
    assert api_client.post("/api/v1/customers/bulk/", [row], format="json").status_code == 200
    # A later row without the field keeps it.
    later = api_client.post("/api/v1/customers/bulk/", [{"external_id": "C-1", "language": "de"}], format="json")
    assert later.status_code == 200
    customer = Customer.objects.get(external_id="C-1")
    assert (customer.name, customer.contact_name, customer.language) == ("Möbelwerke Süd GmbH", "Anna Berger", "de")
    listed = api_client.get("/api/v1/customers/?external_id=C-1").json()["results"][0]
    assert listed["contact_name"] == "Anna Berger"


def test_a_too_long_contact_name_is_a_row_error(api_client):
    row = {"external_id": "C-2", "contact_name": "x" * 201}
    response = api_client.post("/api/v1/customers/bulk/", [row], format="json")
    assert response.status_code == 400
    assert Customer.objects.count() == 0
