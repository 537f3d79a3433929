"""The personas and customers API, with the bulk customer upsert and who may use it."""

from io import BytesIO

import pytest
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from cxportal.datetimes import DATE_TIME_TOO_EARLY, DATE_TIME_TOO_LATE
from journeys import services
from journeys.models import Customer, Persona
from tests.journeys.factories import CustomerFactory, PersonaFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

BULK = "/api/v1/customers/bulk/"


def rows(n: int, start: int = 0) -> list[dict]:
    return [
        {
            "external_id": f"C-{i:05d}",
            "email": f"c{i}@example.com",
            "name": f"Customer {i}",
            "language": "de" if i % 2 else "en",
            "acquired_at": "2024-01-15",
            "churned_at": None,
            "attributes": {"segment": "manufacturing" if i % 3 else "retail", "index": i},
        }
        for i in range(start, start + n)
    ]


# --- personas ------------------------------------------------------------------------------------


def test_persona_is_created_with_every_field(api_client):
    response = api_client.post(
        "/api/v1/personas/",
        {
            "name": "IT lead",
            "role": "Head of IT",
            "age_range": "35–50",
            "location": "Stuttgart",
            "preferred_channels": ["email", "chat"],
            "attributes": {"Team": "6"},
            "segment_rule": {"segment": "mid_market"},
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["preferred_channels"] == ["email", "chat"]
    assert body["segment_rule"] == {"segment": "mid_market"}
    assert body["photo"] is None
    assert Persona.objects.get().location == "Stuttgart"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("preferred_channels", ["fax"]),
        ("attributes", {"Team": {"nested": 1}}),
        ("segment_rule", {"segment": ["a"]}),
        ("segment_rule", "segment"),
    ],
)
def test_persona_with_bad_structured_fields_is_a_400_on_the_field(api_client, field, value):
    response = api_client.post("/api/v1/personas/", {"name": "P", field: value}, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Persona.objects.exists()


def test_persona_duplicate_name_is_a_400(api_client):
    PersonaFactory(name="IT lead")

    response = api_client.post("/api/v1/personas/", {"name": "it lead"}, format="json")

    assert response.status_code == 400
    assert "name" in response.json()


def test_persona_update_goes_through_the_service_rules(api_client):
    persona = PersonaFactory(preferred_channels=["email"])

    bad = api_client.patch(f"/api/v1/personas/{persona.pk}/", {"preferred_channels": ["pigeon"]}, format="json")
    good = api_client.patch(f"/api/v1/personas/{persona.pk}/", {"preferred_channels": ["phone"]}, format="json")

    assert bad.status_code == 400
    assert good.status_code == 200
    persona.refresh_from_db()
    assert persona.preferred_channels == ["phone"]


def test_persona_photo_is_a_url_to_the_photo_view(api_client):
    persona = PersonaFactory()
    out = BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="PNG")
    out.seek(0)
    out.name, out.size = "p.png", len(out.getvalue())
    services.persona_photo_set(persona=persona, upload=out)

    body = api_client.get(f"/api/v1/personas/{persona.pk}/").json()

    assert body["photo"] == "http://testserver" + reverse("journeys:persona_photo", args=[persona.pk])


def test_persona_photo_cannot_be_written(api_client):
    persona = PersonaFactory()

    api_client.patch(f"/api/v1/personas/{persona.pk}/", {"photo": "personas/evil.png"}, format="json")

    persona.refresh_from_db()
    assert not persona.photo


def test_persona_delete_goes_through_the_service(api_client):
    persona = PersonaFactory()
    customer = CustomerFactory(persona=persona)

    assert api_client.delete(f"/api/v1/personas/{persona.pk}/").status_code == 204
    customer.refresh_from_db()
    assert customer.persona is None


def test_member_reads_personas_but_cannot_write(sales_member):
    client = APIClient()
    client.force_authenticate(sales_member)
    persona = PersonaFactory()

    assert client.get("/api/v1/personas/").status_code == 200
    assert client.post("/api/v1/personas/", {"name": "X"}, format="json").status_code == 403
    assert client.patch(f"/api/v1/personas/{persona.pk}/", {"name": "X"}, format="json").status_code == 403


# --- customers -----------------------------------------------------------------------------------


def test_member_cannot_list_customers(sales_member):
    client = APIClient()
    client.force_authenticate(sales_member)
    CustomerFactory()

    assert client.get("/api/v1/customers/").status_code == 403
    assert client.post(BULK, rows(1), format="json").status_code == 403
    assert Customer.objects.count() == 1


def test_api_key_needs_the_journeys_scope_for_customers(api_client_for):
    reader = api_client_for(["journeys:read"])
    other = api_client_for(["surveys:read", "surveys:write"])

    assert reader.get("/api/v1/customers/").status_code == 200
    assert reader.post(BULK, rows(1), format="json").status_code == 403
    assert other.get("/api/v1/customers/").status_code == 403


def test_customer_create_validates_with_the_row_rules(api_client):
    response = api_client.post(
        "/api/v1/customers/",
        {"external_id": "C-1", "acquired_at": "2024-05-01T00:00:00Z", "churned_at": "2024-04-01T00:00:00Z"},
        format="json",
    )

    assert response.status_code == 400
    assert "churned_at" in response.json()


def test_customer_list_is_paginated_in_a_fixed_number_of_queries(api_client, django_assert_max_num_queries):
    persona = PersonaFactory()
    CustomerFactory.create_batch(30, persona=persona)

    with django_assert_max_num_queries(5):
        body = api_client.get("/api/v1/customers/?page_size=20").json()

    assert body["count"] == 30 and len(body["results"]) == 20


def test_customer_external_id_cannot_be_changed(api_client):
    customer = CustomerFactory(external_id="C-1")

    response = api_client.patch(f"/api/v1/customers/{customer.pk}/", {"external_id": "C-2"}, format="json")

    assert response.status_code == 400
    customer.refresh_from_db()
    assert customer.external_id == "C-1"


# --- bulk ----------------------------------------------------------------------------------------


def test_bulk_creates_then_the_same_body_updates_without_duplicates(api_client):
    body = rows(50)

    first = api_client.post(BULK, body, format="json")
    second = api_client.post(BULK, body, format="json")

    assert first.status_code == second.status_code == 200
    assert first.json() == {"created": 50, "updated": 0, "errors": []}
    assert second.json() == {"created": 0, "updated": 50, "errors": []}
    assert Customer.objects.count() == 50
    customer = Customer.objects.get(external_id="C-00001")
    assert (customer.language, customer.attributes) == ("de", {"segment": "manufacturing", "index": 1})


def test_bulk_is_all_or_nothing_with_per_row_errors(api_client):
    CustomerFactory(external_id="C-00000", name="Unchanged")
    body = rows(4)
    body[1]["email"] = "not-an-email"
    body[3]["language"] = "fr"
    body[3]["acquired_at"] = "2999-01-01"

    response = api_client.post(BULK, body, format="json")

    assert response.status_code == 400
    answer = response.json()
    assert (answer["created"], answer["updated"]) == (0, 0)
    assert [(e["index"], e["external_id"], sorted(e["errors"])) for e in answer["errors"]] == [
        (1, "C-00001", ["email"]),
        (3, "C-00003", ["acquired_at", "language"]),
    ]
    assert list(Customer.objects.values_list("name", flat=True)) == ["Unchanged"]


def test_bulk_partial_stores_the_valid_rows_and_returns_the_errors(api_client):
    body = rows(3)
    body[2]["persona"] = 999999

    response = api_client.post(BULK + "?partial=true", body, format="json")

    assert response.status_code == 200
    assert response.json()["created"] == 2
    assert response.json()["errors"] == [
        {"index": 2, "external_id": "C-00002", "errors": {"persona": ["Unknown persona “999999”."]}}
    ]
    assert Customer.objects.count() == 2


def test_bulk_sets_the_persona_by_id(api_client):
    persona = PersonaFactory()
    body = rows(1)
    body[0]["persona"] = persona.pk

    assert api_client.post(BULK, body, format="json").status_code == 200
    assert Customer.objects.get().persona == persona


def test_bulk_duplicate_external_ids_are_errors(api_client):
    body = rows(2)
    body[1]["external_id"] = body[0]["external_id"]

    response = api_client.post(BULK, body, format="json")

    assert response.status_code == 400
    assert [e["index"] for e in response.json()["errors"]] == [0, 1]


@pytest.mark.parametrize("body", [{"external_id": "C-1"}, "C-1", None, 5])
def test_bulk_body_that_is_not_a_list_is_a_400(api_client, body):
    response = api_client.post(BULK, body, format="json")

    assert response.status_code == 400
    assert not Customer.objects.exists()


def test_bulk_row_that_is_not_an_object_is_a_row_error(api_client):
    response = api_client.post(BULK, [*rows(1), "C-2"], format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["index"] == 1


def test_bulk_of_10001_rows_is_a_400(api_client):
    response = api_client.post(BULK, [{"external_id": f"C-{i}"} for i in range(10_001)], format="json")

    assert response.status_code == 400
    assert "10,000" in response.json()["detail"]
    assert not Customer.objects.exists()


def test_bulk_of_10000_rows_is_accepted(api_client):
    response = api_client.post(BULK, [{"external_id": f"C-{i}"} for i in range(10_000)], format="json")

    assert response.status_code == 200
    assert response.json()["created"] == 10_000


def test_bulk_of_2000_rows_uses_a_bounded_number_of_queries(api_client, django_assert_max_num_queries):
    PersonaFactory()
    api_client.post(BULK, rows(1000), format="json")  # half of them exist already

    body = [{**row, "name": row["name"] + " (renamed)"} for row in rows(2000)]

    # Batches of a few hundred rows (SQLite limits the parameters per statement), never a query per row.
    with django_assert_max_num_queries(60):
        response = api_client.post(BULK, body, format="json")

    assert response.json() == {"created": 1000, "updated": 1000, "errors": []}
    assert Customer.objects.count() == 2000
    assert Customer.objects.filter(name__endswith="(renamed)").count() == 2000


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1899-12-31T12:00:00Z", DATE_TIME_TOO_EARLY),
        ("0086-10-07T04:52:55Z", DATE_TIME_TOO_EARLY),
        ("1850-06-01", DATE_TIME_TOO_EARLY),
        ("0001-01-01T00:00:00+05:00", DATE_TIME_TOO_EARLY),
        ("9999-12-31T23:59:59-05:00", DATE_TIME_TOO_LATE),
        ("10000-01-01T00:00:00Z", "Enter a date (YYYY-MM-DD) or an ISO 8601 date-time."),
    ],
)
@pytest.mark.parametrize("field", ["acquired_at", "churned_at"])
def test_bulk_out_of_range_date_time_is_a_row_error_and_stores_nothing(api_client, field, value, message):
    body = rows(2)
    body[1][field] = value

    refused = api_client.post(BULK, body, format="json")
    partial = api_client.post(
        BULK + "?partial=true", rows(2, start=5) + [{**body[1], "external_id": "C-9"}], format="json"
    )

    assert refused.status_code == 400, refused.content
    assert refused.json()["errors"] == [{"index": 1, "external_id": "C-00001", "errors": {field: [message]}}]
    assert partial.json()["errors"] == [{"index": 2, "external_id": "C-9", "errors": {field: [message]}}]
    assert sorted(Customer.objects.values_list("external_id", flat=True)) == ["C-00005", "C-00006"]
