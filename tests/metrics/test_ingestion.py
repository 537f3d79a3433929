"""POST/GET /api/v1/events/ and /api/v1/transactions/: idempotency, per-row errors, partial, limits, queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from cxportal.datetimes import DATE_TIME_TOO_EARLY, DATE_TIME_TOO_LATE
from metrics.models import TouchpointEvent, Transaction
from tests.journeys.factories import CustomerFactory, TouchpointFactory

EVENTS, TRANSACTIONS = "/api/v1/events/", "/api/v1/transactions/"


@pytest.fixture
def touchpoint(db):
    return TouchpointFactory(name="Checkout")


@pytest.fixture
def customer(db):
    return CustomerFactory(external_id="C-1")


def event(i=1, **extra):
    return {
        "external_id": f"e{i}",
        "touchpoint": extra.pop("touchpoint"),
        "kind": "visit",
        "customer": "C-1",
        "occurred_at": "2026-03-01T10:00:00",
        **extra,
    }


def txn(i=1, **extra):
    return {"external_id": f"t{i}", "customer": "C-1", "amount": "120.00", "occurred_at": "2026-03-01", **extra}


class TestEvents:
    def test_stores_new_events_and_counts_repeats_as_unchanged(self, api_client, touchpoint, customer):
        rows = [
            event(1, touchpoint=touchpoint.pk),
            event(2, touchpoint=touchpoint.pk, kind="conversion", customer=None),
        ]

        first = api_client.post(EVENTS, rows, format="json")
        second = api_client.post(EVENTS, rows, format="json")

        assert first.status_code == 200, first.content
        assert first.json() == {"created": 2, "unchanged": 0, "errors": []}
        assert second.json() == {"created": 0, "unchanged": 2, "errors": []}
        stored = TouchpointEvent.objects.get(external_id="e1")
        assert (stored.customer, stored.kind, stored.touchpoint) == (customer, "visit", touchpoint)
        assert timezone.localtime(stored.occurred_at).hour == 10  # naive = Berlin time

    def test_a_repeat_with_other_values_is_an_error(self, api_client, touchpoint, customer):
        api_client.post(EVENTS, [event(1, touchpoint=touchpoint.pk)], format="json")

        response = api_client.post(EVENTS, [event(1, touchpoint=touchpoint.pk, kind="conversion")], format="json")

        assert response.status_code == 400
        assert response.json()["errors"][0]["errors"] == {
            "external_id": ["Already stored with different values; stored rows are not changed."]
        }
        assert TouchpointEvent.objects.get().kind == "visit"

    def test_per_row_errors_and_nothing_stored(self, api_client, touchpoint, customer):
        future = (timezone.now() + timedelta(days=1)).isoformat()
        rows = [
            event(1, touchpoint=touchpoint.pk),
            event(2, touchpoint=999999),
            event(3, touchpoint=touchpoint.pk, customer="nobody"),
            event(4, touchpoint=touchpoint.pk, occurred_at=future),
            event(5, touchpoint=touchpoint.pk, kind="click", colour="red"),
        ]

        response = api_client.post(EVENTS, rows, format="json")

        assert response.status_code == 400
        body = response.json()
        assert body["created"] == 0
        errors = {e["index"]: e for e in body["errors"]}
        assert set(errors) == {1, 2, 3, 4}
        assert errors[1] == {"index": 1, "external_id": "e2", "errors": {"touchpoint": ["Unknown touchpoint 999999."]}}
        assert errors[2]["errors"] == {"customer": ["Unknown customer “nobody”."]}
        assert "is in the future" in errors[3]["errors"]["occurred_at"][0]
        assert set(errors[4]["errors"]) == {"kind", "colour"}
        assert not TouchpointEvent.objects.exists()

    def test_partial_stores_the_valid_rows(self, api_client, touchpoint, customer):
        rows = [event(1, touchpoint=touchpoint.pk), event(2, touchpoint=999999)]

        response = api_client.post(EVENTS + "?partial=true", rows, format="json")

        assert response.status_code == 200
        assert response.json()["created"] == 1
        assert [e["index"] for e in response.json()["errors"]] == [1]
        assert TouchpointEvent.objects.get().external_id == "e1"

    def test_duplicate_external_ids_in_one_upload(self, api_client, touchpoint, customer):
        response = api_client.post(EVENTS, [event(1, touchpoint=touchpoint.pk)] * 2, format="json")

        assert response.status_code == 400
        assert len(response.json()["errors"]) == 2

    def test_more_than_ten_thousand_rows_is_refused(self, api_client, touchpoint):
        rows = [event(i, touchpoint=touchpoint.pk, customer=None) for i in range(10_001)]

        response = api_client.post(EVENTS, rows, format="json")

        assert response.status_code == 400
        assert "At most 10,000" in response.json()["detail"]
        assert not TouchpointEvent.objects.exists()

    def test_a_body_that_is_not_a_list_is_refused(self, api_client):
        assert api_client.post(EVENTS, {"external_id": "x"}, format="json").status_code == 400

    def test_five_thousand_rows_take_a_bounded_number_of_queries(
        self, api_client, touchpoint, customer, django_assert_max_num_queries
    ):
        rows = [event(i, touchpoint=touchpoint.pk, customer="C-1" if i % 2 else None) for i in range(5_000)]

        # A few per LOOKUP_CHUNK (900) external ids and per BATCH_SIZE (500) inserts, none per row.
        with django_assert_max_num_queries(50):
            response = api_client.post(EVENTS, rows, format="json")

        assert response.json()["created"] == 5_000
        assert TouchpointEvent.objects.count() == 5_000

    def test_list_with_filters(self, api_client, touchpoint, customer, django_assert_max_num_queries):
        other = TouchpointFactory()
        api_client.post(
            EVENTS,
            [event(1, touchpoint=touchpoint.pk), event(2, touchpoint=other.pk), event(3, touchpoint=other.pk)],
            format="json",
        )

        with django_assert_max_num_queries(6):
            response = api_client.get(EVENTS, {"touchpoint": other.pk, "customer": "C-1"})

        assert response.status_code == 200
        assert response.json()["count"] == 2
        assert response.json()["results"][0]["customer"] == "C-1"


class TestTransactions:
    def test_stores_and_is_idempotent(self, api_client, customer):
        first = api_client.post(TRANSACTIONS, [txn(1), txn(2, amount=99.5)], format="json")
        second = api_client.post(TRANSACTIONS, [txn(1)], format="json")

        assert first.json() == {"created": 2, "unchanged": 0, "errors": []}
        assert second.json() == {"created": 0, "unchanged": 1, "errors": []}
        assert Transaction.objects.get(external_id="t2").amount == Decimal("99.50")

    @pytest.mark.parametrize(
        ("amount", "message"),
        [
            ("12.345", "At most 2 decimal places."),
            ("twelve", "“twelve” is not a number."),
            ("NaN", "“NaN” is not a number."),
            (None, "This field is required."),
        ],
    )
    def test_bad_amounts_are_refused(self, api_client, customer, amount, message):
        response = api_client.post(TRANSACTIONS, [txn(1, amount=amount)], format="json")

        assert response.status_code == 400
        assert response.json()["errors"][0]["errors"] == {"amount": [message]}

    def test_customer_is_required_and_must_exist(self, api_client, customer):
        response = api_client.post(TRANSACTIONS, [txn(1, customer=None), txn(2, customer="C-9")], format="json")

        errors = response.json()["errors"]
        assert errors[0]["errors"] == {"customer": ["This field is required."]}
        assert errors[1]["errors"] == {"customer": ["Unknown customer “C-9”."]}

    def test_list_filters_by_customer_and_time(self, api_client, customer):
        CustomerFactory(external_id="C-2")
        api_client.post(
            TRANSACTIONS,
            [txn(1), txn(2, occurred_at="2026-01-01"), txn(3, customer="C-2")],
            format="json",
        )

        response = api_client.get(TRANSACTIONS, {"customer": "C-1", "occurred_after": "2026-02-01T00:00:00+01:00"})

        assert [r["external_id"] for r in response.json()["results"]] == ["t1"]
        assert response.json()["results"][0]["amount"] == "120.00"


class TestPermissions:
    def test_metrics_write_scope_is_needed_to_post(self, api_client_for, customer):
        reader = api_client_for(["metrics:read"])

        assert reader.post(TRANSACTIONS, [txn(1)], format="json").status_code == 403
        assert reader.get(TRANSACTIONS).status_code == 200
        assert api_client_for(["metrics:write"]).post(TRANSACTIONS, [txn(1)], format="json").status_code == 200

    def test_other_scopes_are_refused(self, db, api_client_for):
        assert api_client_for(["journeys:read"]).get(EVENTS).status_code == 403

    def test_department_members_get_403(self, sales_member, customer):
        client = APIClient()
        client.force_authenticate(sales_member)

        assert client.get(EVENTS).status_code == 403
        assert client.post(TRANSACTIONS, [txn(1)], format="json").status_code == 403

    def test_cx_managers_may(self, manager, customer):
        client = APIClient()
        client.force_authenticate(manager)

        assert client.post(TRANSACTIONS, [txn(1)], format="json").status_code == 200


# Out-of-range date-times get the API's one date-time rule (cxportal.datetimes.date_time_validate), per row.
OUT_OF_RANGE = [
    ("1899-12-31T12:00:00Z", DATE_TIME_TOO_EARLY),
    ("0086-10-07T04:52:55Z", DATE_TIME_TOO_EARLY),
    ("1850-06-01", DATE_TIME_TOO_EARLY),
    ("0001-01-01T00:00:00+05:00", DATE_TIME_TOO_EARLY),  # before year 1 in UTC
    ("9999-12-31T23:59:59-05:00", DATE_TIME_TOO_LATE),  # after year 9999 in UTC
    ("10000-01-01T00:00:00Z", "Enter an ISO 8601 date-time (or a date YYYY-MM-DD)."),
]


@pytest.mark.parametrize(("value", "message"), OUT_OF_RANGE)
@pytest.mark.parametrize("kind", ["events", "transactions"])
class TestOutOfRangeDateTimes:
    def _rows(self, kind, touchpoint, value):
        if kind == "events":
            return (
                EVENTS,
                TouchpointEvent,
                [event(1, touchpoint=touchpoint.pk), event(2, touchpoint=touchpoint.pk, occurred_at=value)],
            )
        return TRANSACTIONS, Transaction, [txn(1), txn(2, occurred_at=value)]

    def test_is_a_row_error_and_stores_nothing(self, api_client, touchpoint, customer, kind, value, message):
        url, model, rows = self._rows(kind, touchpoint, value)

        response = api_client.post(url, rows, format="json")

        assert response.status_code == 400, response.content
        external_id = rows[1]["external_id"]
        assert response.json()["errors"] == [
            {"index": 1, "external_id": external_id, "errors": {"occurred_at": [message]}}
        ]
        assert not model.objects.exists()

    def test_partial_skips_only_that_row(self, api_client, touchpoint, customer, kind, value, message):
        url, model, rows = self._rows(kind, touchpoint, value)

        response = api_client.post(url + "?partial=true", rows, format="json")

        assert response.status_code == 200, response.content
        assert response.json()["created"] == 1
        assert response.json()["errors"][0]["errors"] == {"occurred_at": [message]}
        assert list(model.objects.values_list("external_id", flat=True)) == [rows[0]["external_id"]]


def test_the_first_date_time_of_1900_is_taken(api_client, touchpoint, customer):
    response = api_client.post(
        EVENTS, [event(1, touchpoint=touchpoint.pk, occurred_at="1900-01-01T00:00:00")], format="json"
    )

    assert response.status_code == 200, response.content
    assert timezone.localtime(TouchpointEvent.objects.get().occurred_at).year == 1900
