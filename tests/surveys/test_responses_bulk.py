"""``POST /api/v1/responses/bulk/``: responses imported by external id, checked like single responses."""

import datetime

import pytest
from django.utils import timezone

from cxportal.datetimes import DATE_TIME_TOO_EARLY, DATE_TIME_TOO_LATE
from surveys.models import Answer, Response
from surveys.services import survey_create_nps
from surveys.services.ingestion import MAX_ROWS
from tests.journeys.factories import CustomerFactory, TouchpointFactory

pytestmark = pytest.mark.django_db

BULK = "/api/v1/responses/bulk/"


def _row(survey, nps, external_id, score=9, **extra):
    submitted = (timezone.now() - datetime.timedelta(days=3)).isoformat()
    return {
        "external_id": external_id,
        "survey": survey.pk,
        "submitted_at": submitted,
        "answers": [{"question": nps.pk, "value": score}],
        **extra,
    }


def test_import_stores_every_row_with_its_answers(api_client, survey, nps):
    customer = CustomerFactory()
    rows = [_row(survey, nps, "R-1", 10, customer=customer.pk), _row(survey, nps, "R-2", 3)]

    response = api_client.post(BULK, rows, format="json")

    assert response.status_code == 200
    assert response.json() == {"created": 2, "unchanged": 0, "errors": []}
    stored = {r.external_id: r for r in Response.objects.all()}
    assert set(stored) == {"R-1", "R-2"}
    assert stored["R-1"].customer == customer
    assert stored["R-1"].source == Response.Source.IMPORT
    assert stored["R-1"].touchpoint_id == survey.touchpoint_id
    assert sorted(Answer.objects.values_list("value", flat=True)) == [3, 10]


def test_the_same_import_sent_twice_stores_each_response_once(api_client, survey, nps):
    rows = [_row(survey, nps, "R-1"), _row(survey, nps, "R-2")]

    api_client.post(BULK, rows, format="json")
    again = api_client.post(BULK, rows, format="json")

    assert again.status_code == 200
    assert again.json() == {"created": 0, "unchanged": 2, "errors": []}
    assert Response.objects.count() == 2
    assert Answer.objects.count() == 2


def test_a_bad_row_stores_nothing_and_reports_every_bad_row(api_client, survey, nps):
    rows = [
        _row(survey, nps, "R-1"),
        _row(survey, nps, "R-2", score=11),
        {"survey": survey.pk, "answers": [{"question": nps.pk, "value": 5}]},
    ]

    response = api_client.post(BULK, rows, format="json")

    assert response.status_code == 400
    body = response.json()
    assert "nothing was stored" in body["detail"]
    assert [(e["index"], e["external_id"]) for e in body["errors"]] == [(1, "R-2"), (2, None)]
    assert "external_id" in body["errors"][1]["errors"]
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_partial_keeps_the_valid_rows(api_client, survey, nps):
    rows = [_row(survey, nps, "R-1"), _row(survey, nps, "R-2", score=11)]

    response = api_client.post(BULK + "?partial=true", rows, format="json")

    assert response.status_code == 200
    assert response.json()["created"] == 1
    assert [e["index"] for e in response.json()["errors"]] == [1]
    assert list(Response.objects.values_list("external_id", flat=True)) == ["R-1"]


def test_the_service_rules_hold_for_imports(api_client, survey, nps):
    future = (timezone.now() + datetime.timedelta(days=1)).isoformat()

    response = api_client.post(BULK, [_row(survey, nps, "R-1", submitted_at=future)], format="json")

    assert response.status_code == 400
    assert "submitted_at" in response.json()["errors"][0]["errors"]


def test_an_external_id_twice_in_one_body_is_an_error(api_client, survey, nps):
    response = api_client.post(BULK, [_row(survey, nps, "R-1"), _row(survey, nps, "R-1")], format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["index"] == 1
    assert not Response.objects.exists()


def test_an_external_id_stored_for_another_survey_is_an_error(api_client, survey, nps):
    api_client.post(BULK, [_row(survey, nps, "R-1")], format="json")
    other = survey_create_nps(title="Other", touchpoint=TouchpointFactory(), language="en")

    response = api_client.post(BULK, [_row(other, other.questions.get(kind="nps"), "R-1")], format="json")

    assert response.status_code == 400
    assert "another survey" in response.json()["errors"][0]["errors"]["external_id"][0]


@pytest.mark.parametrize("body", [{"external_id": "R-1"}, "responses"])
def test_a_body_that_is_not_a_list_is_400(api_client, body):
    response = api_client.post(BULK, body, format="json")

    assert response.status_code == 400
    assert "list" in response.json()["detail"]


def test_more_rows_than_allowed_is_400(api_client, survey, nps):
    response = api_client.post(BULK, [_row(survey, nps, f"R-{i}") for i in range(MAX_ROWS + 1)], format="json")

    assert response.status_code == 400
    assert not Response.objects.exists()


def test_import_needs_the_surveys_write_scope(api_client_for, survey, nps):
    reader = api_client_for(["surveys:read"])

    assert reader.post(BULK, [_row(survey, nps, "R-1")], format="json").status_code == 403


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1899-12-31T12:00:00Z", DATE_TIME_TOO_EARLY),
        ("0086-10-07T04:52:55Z", DATE_TIME_TOO_EARLY),
        ("0001-01-01T00:00:00+05:00", DATE_TIME_TOO_EARLY),
        ("9999-12-31T23:59:59-05:00", DATE_TIME_TOO_LATE),
    ],
)
def test_an_out_of_range_submitted_at_is_a_row_error_and_stores_nothing(api_client, survey, nps, value, message):
    rows = [_row(survey, nps, "R-1"), _row(survey, nps, "R-2", submitted_at=value)]

    refused = api_client.post(BULK, rows, format="json")
    partial = api_client.post(BULK + "?partial=true", rows, format="json")

    assert refused.status_code == 400, refused.content
    assert refused.json()["errors"] == [{"index": 1, "external_id": "R-2", "errors": {"submitted_at": [message]}}]
    assert partial.json()["errors"] == refused.json()["errors"]
    assert list(Response.objects.values_list("external_id", flat=True)) == ["R-1"]


def test_a_submitted_at_past_year_9999_is_a_row_error(api_client, survey, nps):
    response = api_client.post(BULK, [_row(survey, nps, "R-1", submitted_at="10000-01-01T00:00:00Z")], format="json")

    assert response.status_code == 400, response.content
    assert list(response.json()["errors"][0]["errors"]) == ["submitted_at"]
    assert not Response.objects.exists()
