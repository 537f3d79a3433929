"""The API answers bad input in the language the caller asks for (``Accept-Language``), with the same field
names and status codes; without the header it answers in English (the default)."""

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

URL = "/api/v1/metrics/"
BAD = {"kpi": "nps", "from": "2026-06-01", "to": "2026-05-01"}


def test_a_400_of_the_metrics_api_answers_german_with_accept_language_de(api_client):
    response = api_client.get(URL, BAD, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    body = response.json()
    assert "from" in str(body)  # the field stays an identifier
    assert "`from` darf nicht nach `to` liegen." in str(body)
    assert "must not be after" not in str(body)


def test_the_same_400_answers_english_without_a_language(api_client):
    response = api_client.get(URL, BAD)
    assert response.status_code == 400
    assert "`from` must not be after `to`." in str(response.json())


def test_a_missing_required_field_is_german_too(api_client):
    response = api_client.get(URL, {"from": "2026-01-01"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert "Dieses Feld ist erforderlich." in str(response.json())


def test_german_does_not_leak_into_the_next_test_part_one():
    translation.activate("de")
    assert translation.get_language() == "de"


def test_german_does_not_leak_into_the_next_test_part_two():
    # tests/conftest.py resets the language after every test: English is the default again.
    assert translation.get_language() == "en"
