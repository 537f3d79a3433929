"""Customers: the one row validation, the upsert behind import and bulk API, and the customer pages."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cxportal.errors import ApplicationError
from journeys import services
from journeys.models import Customer
from journeys.services.customers import customer_rows_validate
from tests.journeys.factories import CustomerFactory, PersonaFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def only_plan(row, **kwargs):
    return customer_rows_validate([row], **kwargs)[0]


# --- the row validation --------------------------------------------------------------------------


def test_a_complete_row_is_cleaned_to_model_values(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    persona = PersonaFactory(name="IT lead")

    plan = only_plan(
        {
            "external_id": " C-1 ",
            "email": "Anna@Example.com",
            "name": "Anna",
            "language": "DE",
            "persona": "it LEAD",
            "acquired_at": "2024-03-01",
            "churned_at": "2024-06-01T10:30:00",
            "do_not_contact": "yes",
            "attributes": {"segment": "mid_market"},
        },
        persona_by="name",
    )

    assert plan.errors == {}
    assert plan.action == "new"
    assert plan.external_id == "C-1"
    assert plan.values["language"] == "de"
    assert plan.values["persona_id"] == persona.pk
    assert plan.values["acquired_at"] == datetime(2024, 3, 1, tzinfo=BERLIN)
    assert plan.values["churned_at"] == datetime(2024, 6, 1, 10, 30, tzinfo=BERLIN)
    assert plan.values["do_not_contact"] is True


def test_dates_with_an_offset_keep_it():
    plan = only_plan({"external_id": "C-1", "acquired_at": "2024-03-01T08:00:00Z"})

    assert plan.values["acquired_at"] == datetime(2024, 3, 1, 8, tzinfo=ZoneInfo("UTC"))


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"external_id": ""}, "external_id"),
        ({"name": "no id"}, "external_id"),
        ({"external_id": "x" * 101}, "external_id"),
        ({"external_id": "C-1", "email": "not-an-email"}, "email"),
        ({"external_id": "C-1", "language": "fr"}, "language"),
        ({"external_id": "C-1", "persona": 999999}, "persona"),
        ({"external_id": "C-1", "acquired_at": "01.03.2024"}, "acquired_at"),
        ({"external_id": "C-1", "acquired_at": "2024-13-01"}, "acquired_at"),
        ({"external_id": "C-1", "acquired_at": "2999-01-01"}, "acquired_at"),
        ({"external_id": "C-1", "acquired_at": "2024-05-01", "churned_at": "2024-04-01"}, "churned_at"),
        ({"external_id": "C-1", "do_not_contact": "maybe"}, "do_not_contact"),
        ({"external_id": "C-1", "attributes": {"nested": {"no": 1}}}, "attributes"),
        ({"external_id": "C-1", "attributes": {"bad key": "x"}}, "attributes"),
        ({"external_id": "C-1", "attributes": "segment=x"}, "attributes"),
        ({"external_id": "C-1", "phone": "123"}, "phone"),
    ],
)
def test_each_bad_value_is_an_error_on_its_field(row, field):
    plan = only_plan(row)

    assert plan.action == "invalid"
    assert field in plan.errors


def test_a_row_that_is_not_an_object_is_an_error():
    assert only_plan(["C-1", "a@example.com"]).errors == {"non_field_errors": ["Each row must be an object."]}


def test_a_date_in_the_future_names_the_date():
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    plan = only_plan({"external_id": "C-1", "acquired_at": tomorrow})

    assert plan.errors["acquired_at"] == [f"{tomorrow} 00:00 is in the future."]


def test_churned_before_the_stored_acquisition_is_an_error():
    CustomerFactory(external_id="C-1", acquired_at=datetime(2024, 5, 1, tzinfo=BERLIN))

    plan = only_plan({"external_id": "C-1", "churned_at": "2024-04-01"})

    assert plan.action == "invalid"
    assert "before acquired" in plan.errors["churned_at"][0]


def test_duplicate_external_ids_in_one_upload_are_errors_on_every_copy():
    plans = customer_rows_validate([{"external_id": "C-1"}, {"external_id": "C-2"}, {"external_id": "C-1"}])

    assert [p.action for p in plans] == ["invalid", "new", "invalid"]
    assert "appears 2 times" in plans[0].errors["external_id"][0]


def test_existing_customers_are_matched_for_update():
    existing = CustomerFactory(external_id="C-1")

    plan = only_plan({"external_id": "C-1", "name": "New name"})

    assert plan.action == "update"
    assert plan.customer == existing


# --- upsert --------------------------------------------------------------------------------------


def test_upsert_creates_and_updates_keeping_fields_left_out():
    CustomerFactory(external_id="C-1", name="Old", email="old@example.com", language="de")

    result = services.customers_upsert(
        rows=[{"external_id": "C-1", "name": "New"}, {"external_id": "C-2", "email": "b@example.com"}]
    )

    assert (result.created, result.updated, result.errors) == (1, 1, [])
    updated = Customer.objects.get(external_id="C-1")
    assert (updated.name, updated.email, updated.language) == ("New", "old@example.com", "de")
    assert Customer.objects.get(external_id="C-2").language == "en"


def test_upsert_merges_attributes_and_null_removes_a_key():
    CustomerFactory(external_id="C-1", attributes={"segment": "a", "region": "south"})

    services.customers_upsert(rows=[{"external_id": "C-1", "attributes": {"segment": "b", "region": None}}])

    assert Customer.objects.get().attributes == {"segment": "b"}


def test_upsert_with_errors_stores_nothing_by_default():
    CustomerFactory(external_id="C-1", name="Old")

    with pytest.raises(ApplicationError) as exc:
        services.customers_upsert(rows=[{"external_id": "C-1", "name": "New"}, {"external_id": "C-2", "email": "bad"}])

    assert exc.value.extra["errors"] == [
        {"index": 1, "external_id": "C-2", "errors": {"email": ["Enter a valid email address."]}}
    ]
    assert Customer.objects.get().name == "Old"


def test_partial_upsert_stores_the_valid_rows_and_returns_the_errors():
    result = services.customers_upsert(
        rows=[{"external_id": "C-1"}, {"external_id": "C-2", "language": "fr"}], partial=True
    )

    assert (result.created, result.updated) == (1, 0)
    assert [e["index"] for e in result.errors] == [1]
    assert list(Customer.objects.values_list("external_id", flat=True)) == ["C-1"]


def test_upsert_refuses_a_body_that_is_not_a_list_or_too_long():
    with pytest.raises(ValidationError):
        services.customers_upsert(rows={"external_id": "C-1"})
    with pytest.raises(ValidationError):
        services.customers_upsert(rows=[{"external_id": f"C-{i}"} for i in range(10_001)])
    assert not Customer.objects.exists()


def test_customer_create_refuses_an_existing_external_id_and_bad_values():
    CustomerFactory(external_id="C-1")

    with pytest.raises(ValidationError) as exc:
        services.customer_create(external_id="C-1", email="bad")

    assert set(exc.value.message_dict) == {"external_id", "email"}


def test_customer_update_applies_the_same_rules():
    customer = CustomerFactory(acquired_at=datetime(2024, 5, 1, tzinfo=BERLIN))

    with pytest.raises(ValidationError):
        services.customer_update(customer=customer, data={"churned_at": datetime(2024, 1, 1, tzinfo=BERLIN)})
    services.customer_update(customer=customer, data={"name": "Renamed", "attributes": {"segment": "x"}})

    customer.refresh_from_db()
    assert (customer.name, customer.attributes, customer.churned_at) == ("Renamed", {"segment": "x"}, None)


# --- pages ---------------------------------------------------------------------------------------


def test_customer_list_searches_name_email_and_external_id(client, manager):
    CustomerFactory(external_id="ACME-1", name="Anna Acme", email="anna@acme.example")
    CustomerFactory(external_id="B-2", name="Bert", email="bert@beta.example")
    CustomerFactory(external_id="C-3", name="Carla", email="carla@gamma.example")
    client.force_login(manager)

    def names(q):
        page = client.get(reverse("journeys:customer_list"), {"q": q}).context["page"]
        return [c.name for c in page.object_list]

    assert names("acme") == ["Anna Acme"]
    assert names("beta.example") == ["Bert"]
    assert names("c-3") == ["Carla"]
    assert names("") == ["Anna Acme", "Bert", "Carla"]


def test_customer_list_filters_by_persona_or_none(client, manager):
    persona = PersonaFactory()
    CustomerFactory(name="With", persona=persona)
    CustomerFactory(name="Without")
    client.force_login(manager)

    def names(value):
        page = client.get(reverse("journeys:customer_list"), {"persona": value}).context["page"]
        return [c.name for c in page.object_list]

    assert names(persona.pk) == ["With"]
    assert names("none") == ["Without"]


def test_customer_list_pages_by_50_in_a_fixed_number_of_queries(client, manager, django_assert_max_num_queries):
    personas = PersonaFactory.create_batch(3)
    for i in range(120):
        CustomerFactory(persona=personas[i % 3])
    client.force_login(manager)

    with django_assert_max_num_queries(9):
        response = client.get(reverse("journeys:customer_list"), {"page": 2})

    assert len(response.context["page"].object_list) == 50
    assert "Page 2 of 3" in response.content.decode()


def test_customer_detail_shows_fields_attributes_and_responses(client, manager):
    customer = CustomerFactory(name="Anna", attributes={"segment": "<i>mid</i>"}, persona=PersonaFactory(name="IT"))
    client.force_login(manager)

    page = client.get(reverse("journeys:customer_detail", args=[customer.pk])).content.decode()

    assert "Anna" in page and customer.external_id in page and "IT" in page
    assert "&lt;i&gt;mid&lt;/i&gt;" in page
    assert 'Survey responses</dt><dd class="col-7">0' in page


def test_customer_pages_are_for_managers_only(client, sales_member):
    customer = CustomerFactory()
    client.force_login(sales_member)

    assert client.get(reverse("journeys:customer_list")).status_code == 403
    assert client.get(reverse("journeys:customer_detail", args=[customer.pk])).status_code == 403
    assert client.get(reverse("journeys:customer_import")).status_code == 403
