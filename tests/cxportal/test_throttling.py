"""API throttling: each API key, each signed-in person and each anonymous address has its own budget; beyond
it the API answers 429 with ``Retry-After`` and a ``detail``, and the schema documents that answer."""

import time
import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from cxportal.apikeys import api_key_create

pytestmark = pytest.mark.django_db

MAPS = "/api/v1/journey-maps/"


@pytest.fixture(autouse=True)
def own_cache():
    """A cache of this test's own, so counters of other tests (or processes) never interfere."""
    location = f"throttle-test-{uuid.uuid4()}"
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": location}}
    ):
        yield


def _key_client(scopes=("*",)) -> APIClient:
    _key, raw = api_key_create(name="throttled", scopes=list(scopes))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


def _assert_throttled(response):
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Request was throttled.")


@override_settings(API_KEY_RATE="2/min")
def test_a_key_over_its_rate_gets_429_with_retry_after():
    client = _key_client()

    answers = [client.get(MAPS) for _ in range(3)]

    assert [a.status_code for a in answers[:2]] == [200, 200]
    _assert_throttled(answers[2])


@override_settings(API_KEY_RATE="2/min")
def test_writes_count_too_and_a_throttled_write_changes_nothing():
    from journeys.models import JourneyMap

    client = _key_client()
    client.get(MAPS)
    client.get(MAPS)

    response = client.post(MAPS, {"name": "Too late", "kind": "current_state"}, format="json")

    _assert_throttled(response)
    assert not JourneyMap.objects.filter(name="Too late").exists()


@override_settings(API_KEY_RATE="2/min")
def test_each_key_has_its_own_budget():
    busy, quiet = _key_client(), _key_client()
    for _ in range(3):
        busy.get(MAPS)

    assert busy.get(MAPS).status_code == 429
    assert quiet.get(MAPS).status_code == 200


@override_settings(API_KEY_RATE="2/min")
def test_the_budget_comes_back_after_the_window(monkeypatch):
    client = _key_client()
    for _ in range(3):
        client.get(MAPS)
    assert client.get(MAPS).status_code == 429

    later = time.time() + 61
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: later)

    assert client.get(MAPS).status_code == 200


@override_settings(API_USER_RATE="2/min", API_KEY_RATE="1000/min")
def test_a_signed_in_person_has_a_rate_of_their_own(manager, django_user_model):
    person = APIClient()
    person.force_login(manager)
    key = _key_client()

    answers = [person.get(MAPS) for _ in range(3)]

    assert [a.status_code for a in answers[:2]] == [200, 200]
    _assert_throttled(answers[2])
    assert key.get(MAPS).status_code == 200  # keys are counted on their own


@override_settings(API_ANON_RATE="2/min")
def test_anonymous_requests_to_the_public_api_docs_are_throttled_per_address():
    client = APIClient(REMOTE_ADDR="203.0.113.7")
    other = APIClient(REMOTE_ADDR="203.0.113.8")

    answers = [client.get("/api/docs/") for _ in range(3)]

    assert [a.status_code for a in answers[:2]] == [200, 200]
    assert answers[2].status_code == 429
    assert int(answers[2]["Retry-After"]) >= 1
    assert other.get("/api/docs/").status_code == 200


@override_settings(API_ANON_RATE="2/min")
def test_a_client_cannot_escape_the_anonymous_rate_with_a_forged_forwarded_for_header():
    client = APIClient(REMOTE_ADDR="203.0.113.9")

    statuses = [client.get("/api/docs/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(3)]

    assert statuses == [200, 200, 429]


@override_settings(API_KEY_RATE="")
def test_an_empty_rate_turns_the_throttle_off():
    client = _key_client()

    assert {client.get(MAPS).status_code for _ in range(5)} == {200}


@override_settings(API_KEY_RATE="lots")
def test_a_malformed_rate_is_a_clear_configuration_error():
    client = _key_client()

    with pytest.raises(ImproperlyConfigured, match="API_KEY_RATE='lots'"):
        client.get(MAPS)


def test_the_schema_documents_429_with_retry_after_on_every_operation():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()

    operations = [op for path in schema["paths"].values() for method, op in path.items() if method != "parameters"]
    assert operations
    for operation in operations:
        assert "Retry-After" in operation["responses"]["429"]["headers"]
    assert schema["components"]["schemas"]["Throttled"]["required"] == ["detail"]
