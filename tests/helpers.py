"""Helpers every app's tests use: how many queries a page takes, API clients with a key or a session."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient


def get_queries(client, url: str, params=None, *, warm_up: bool = False) -> int:
    """The number of queries one successful GET of ``url`` takes.

    ``warm_up`` sends one GET first, so one-off writes (a session, an API key's first ``last_used_at``) stay out
    of the count.
    """
    if warm_up:
        client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def key_client(raw_key: str, **defaults) -> APIClient:
    """An API client sending ``Authorization: Api-Key <raw_key>``; ``defaults`` as for APIClient (REMOTE_ADDR)."""
    client = APIClient(**defaults)
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
    return client


def session_client(user) -> APIClient:
    """An API client signed in as ``user`` through the session, as the web pages' own API calls are."""
    client = APIClient()
    client.force_login(user)
    return client


def assert_signed_in_staff_only(client, url: str, *, nobody, member) -> None:
    """Anonymous visitors are sent to the login, a user without a role gets 403, a department member reads it."""
    assert client.get(url).status_code == 302
    client.force_login(nobody)
    assert client.get(url).status_code == 403
    client.force_login(member)
    assert client.get(url).status_code == 200
