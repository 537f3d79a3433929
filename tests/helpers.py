"""Helpers every app's tests use: how many queries a page or an API list takes."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


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
