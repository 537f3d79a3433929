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
from cxportal.throttling import FailureLimit
from tests.helpers import key_client

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
    return key_client(raw)


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


# --- Failed API-key authentications -------------------------------------------------------------------------


def _bad_key_client(address="203.0.113.20", header="Api-Key cxp_deadbeef0000_thisKeyWasNeverIssued") -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=header)
    return client


def _good_key_client(address="203.0.113.20", raw_key=None) -> APIClient:
    if raw_key is None:
        _key, raw_key = api_key_create(name="good", scopes=["*"])
    return key_client(raw_key, REMOTE_ADDR=address)


def _assert_auth_throttled(response, window=60):
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= window
    assert list(response.json()) == ["detail"]  # the shape of every other 429
    assert response.json()["detail"].startswith(
        "Request was throttled: too many failed API-key authentications from this address. Expected available in "
    )
    assert "WWW-Authenticate" not in response


@override_settings(API_AUTH_FAILURE_RATE="20/min")
def test_after_the_failed_authentications_of_the_rate_invalid_keys_get_429_but_a_valid_key_still_works(monkeypatch):
    # Windows are fixed (aligned to the epoch): hold the clock inside one, or a slow run crosses a boundary.
    start = (time.time() // 60) * 60 + 1
    monkeypatch.setattr(FailureLimit, "timer", lambda self: start)
    bad, good = _bad_key_client(), _good_key_client()

    answers = [bad.get(MAPS) for _ in range(21)]

    assert {a.status_code for a in answers[:20]} == {401}
    _assert_auth_throttled(answers[20])
    # Others' failures from the same address (an office, a proxy) never stop a valid key (issue 20).
    assert good.get(MAPS).status_code == 200
    _assert_auth_throttled(bad.get(MAPS))


@override_settings(API_AUTH_FAILURE_RATE="2/min")
def test_other_addresses_keep_their_own_failure_budget():
    bad = _bad_key_client("203.0.113.20")
    for _ in range(3):
        bad.get(MAPS)

    assert _good_key_client("203.0.113.21").get(MAPS).status_code == 200
    assert _bad_key_client("203.0.113.21").get(MAPS).status_code == 401


@override_settings(API_AUTH_FAILURE_RATE="2/min")
def test_ipv6_clients_are_counted_per_64_block():
    for n in range(2):
        assert _bad_key_client(f"2001:db8:0:1::{n + 1}").get(MAPS).status_code == 401

    assert _bad_key_client("2001:db8:0:1::99").get(MAPS).status_code == 429
    assert _bad_key_client("2001:db8:0:2::1").get(MAPS).status_code == 401
    assert _good_key_client("2001:db8:0:1::99").get(MAPS).status_code == 200


def _revoked_key():
    from cxportal.apikeys import api_key_revoke

    key, raw = api_key_create(name="revoked", scopes=["*"])
    api_key_revoke(api_key=key)
    return raw


def _expired_key():
    from datetime import timedelta

    from django.utils import timezone

    from cxportal.models import ApiKey

    key, raw = api_key_create(name="expired", scopes=["*"])
    ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    return raw


def _wrong_secret():
    _key, raw = api_key_create(name="real", scopes=["*"])
    return raw[:-4] + ("0000" if not raw.endswith("0000") else "1111")


@pytest.mark.parametrize(
    "make_raw_key",
    [
        lambda: "not-a-key",
        lambda: "cxp_deadbeef0000_thisKeyWasNeverIssued",
        _wrong_secret,
        _revoked_key,
        _expired_key,
    ],
    ids=["malformed", "unknown", "wrong-secret", "revoked", "expired"],
)
@override_settings(API_AUTH_FAILURE_RATE="1/min")
def test_every_kind_of_failed_key_authentication_counts(make_raw_key):
    failed = _bad_key_client(header=f"Api-Key {make_raw_key()}").get(MAPS)

    assert failed.status_code == 401
    _assert_auth_throttled(_bad_key_client().get(MAPS))
    assert _good_key_client().get(MAPS).status_code == 200


@override_settings(API_AUTH_FAILURE_RATE="2/min")
def test_successful_requests_never_count():
    good, bad = _good_key_client(), _bad_key_client()

    assert {good.get(MAPS).status_code for _ in range(10)} == {200}
    assert [bad.get(MAPS).status_code for _ in range(3)] == [401, 401, 429]


@override_settings(API_AUTH_FAILURE_RATE="1/min")
def test_requests_without_an_api_key_are_neither_counted_nor_refused(manager):
    anonymous = APIClient(REMOTE_ADDR="203.0.113.20")
    assert {anonymous.get(MAPS).status_code for _ in range(3)} == {401}
    assert _good_key_client().get(MAPS).status_code == 200

    _bad_key_client().get(MAPS)
    person = APIClient(REMOTE_ADDR="203.0.113.20")
    person.force_login(manager)
    assert person.get(MAPS).status_code == 200  # a signed-in person is not guessing keys
    assert _bad_key_client().get(MAPS).status_code == 429


@override_settings(API_AUTH_FAILURE_RATE="2/min")
def test_a_failed_post_with_an_idempotency_key_counts_once_and_a_refused_one_is_not_kept():
    from cxportal.models import IdempotencyRecord
    from journeys.models import JourneyMap

    _key, raw_key = api_key_create(name="good", scopes=["*"])
    bad, good = _bad_key_client(), _good_key_client(raw_key=raw_key)
    body = {"name": "Blocked", "kind": "current_state"}

    statuses = [bad.post(MAPS, body, format="json", HTTP_IDEMPOTENCY_KEY=f"k{n}").status_code for n in range(3)]

    assert statuses == [401, 401, 429]
    assert not JourneyMap.objects.filter(name="Blocked").exists()
    assert not IdempotencyRecord.objects.exists()  # neither the failures nor the refusal were kept
    # The valid key from the same address runs for real, once.
    assert good.post(MAPS, body, format="json", HTTP_IDEMPOTENCY_KEY="same").status_code == 201
    assert good.post(MAPS, body, format="json", HTTP_IDEMPOTENCY_KEY="same")["Idempotent-Replayed"] == "true"


@override_settings(API_AUTH_FAILURE_RATE="2/min")
def test_the_failure_budget_comes_back_when_the_window_is_over(monkeypatch):

    bad = _bad_key_client()
    for _ in range(2):
        bad.get(MAPS)
    refused = bad.get(MAPS)
    _assert_auth_throttled(refused)

    later = time.time() + int(refused["Retry-After"]) + 1
    monkeypatch.setattr(FailureLimit, "timer", lambda self: later)

    assert bad.get(MAPS).status_code == 401


@override_settings(API_AUTH_FAILURE_RATE="")
def test_an_empty_failure_rate_turns_the_limit_off():
    bad, good = _bad_key_client(), _good_key_client()

    assert {bad.get(MAPS).status_code for _ in range(30)} == {401}
    assert good.get(MAPS).status_code == 200


@override_settings(API_AUTH_FAILURE_RATE="20 per minute")
def test_a_malformed_failure_rate_is_a_clear_configuration_error():
    with pytest.raises(ImproperlyConfigured, match=r"API_AUTH_FAILURE_RATE='20 per minute': write it as <number>/"):
        _bad_key_client().get(MAPS)


@override_settings(API_KEY_RATE="2/15min")
def test_a_rate_may_give_a_window_of_several_units():
    client = _key_client()

    answers = [client.get(MAPS) for _ in range(3)]

    assert [a.status_code for a in answers[:2]] == [200, 200]
    assert answers[2].status_code == 429
    assert 60 < int(answers[2]["Retry-After"]) <= 15 * 60


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [("600/min", (600, 60)), ("10/15min", (10, 900)), ("5/2h", (5, 7200)), ("1/second", (1, 1)), ("", None)],
)
def test_rates_are_read_as_a_number_per_window(rate, parsed):
    from cxportal.throttling import rate_parse

    assert rate_parse("SOME_RATE", rate) == parsed


@pytest.mark.parametrize("rate", ["lots", "10/0min", "10/min ", "-1/min", "10/fortnight", "10/1.5h"])
def test_malformed_rates_are_refused(rate):
    from cxportal.throttling import rate_parse

    with pytest.raises(ImproperlyConfigured, match="SOME_RATE="):
        rate_parse("SOME_RATE", rate)
