"""Scope × endpoint matrix: each API-key scope can do what it names and nothing else.

The endpoints are read from the URL configuration (every route under ``/api/v1/`` with each HTTP method its
view answers), so endpoints added later are checked without touching this file. The permission runs before
the view looks at ids or bodies, so a 403 means "refused by scope" and anything else means the scope let the
request through: a 400 for an empty body or a 404 for the id 999999 proves that as well as a 200 does.
"""

import re
from dataclasses import dataclass

import pytest
from django.urls import URLResolver, get_resolver
from rest_framework.test import APIClient

from cxportal.apikeys import api_key_create
from cxportal.models import ALL_SCOPES, API_AREAS, DEPARTMENT_KEY_SCOPES, READ_ONLY_AREAS, ApiKey
from tests.helpers import key_client

pytestmark = pytest.mark.django_db

MISSING_ID = "999999"
_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Endpoint:
    url: str
    method: str
    view: type

    @property
    def area(self) -> str | None:
        return getattr(self.view, "api_area", None)

    @property
    def verb(self) -> str:
        return "read" if self.method == "get" else "write"

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.url} ({self.view.__name__}, area {self.area})"


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


def _concrete_url(route: str) -> str:
    url = "/" + route.replace("^", "").replace("$", "")
    url = re.sub(r"\(\?P<\w+>[^)]*\)", MISSING_ID, url)  # router regexes: (?P<pk>[^/.]+)
    return re.sub(r"<(?:\w+:)?\w+>", MISSING_ID, url)  # path converters: <int:pk>


def _methods(callback) -> list[str]:
    actions = getattr(callback, "actions", None)  # a viewset route: {"get": "list", "post": "create"}
    if actions:
        return [m for m in _METHODS if m in actions]
    return [m for m in _METHODS if hasattr(callback.cls, m)]


def api_endpoints() -> list[Endpoint]:
    endpoints = {}
    for route, callback in _routes(get_resolver().url_patterns):
        view = getattr(callback, "cls", None)
        if not route.startswith("api/v1/") or view is None or "(?P<format>" in route:
            continue
        url = _concrete_url(route)
        for method in _methods(callback):
            endpoints.setdefault((url, method), Endpoint(url, method, view))
    return list(endpoints.values())


ENDPOINTS = [e for e in api_endpoints() if e.area is not None]


def scope_allows(scope: str, area: str, verb: str) -> bool:
    """The rule as integrators read it: ``*`` is everything; ``<area>:write`` includes ``<area>:read``."""
    if scope == "*":
        return True
    scope_area, scope_verb = scope.split(":")
    return scope_area == area and (verb == "read" or scope_verb == "write")


def _call(client: APIClient, endpoint: Endpoint):
    if endpoint.method in ("get", "delete"):
        return getattr(client, endpoint.method)(endpoint.url)
    return getattr(client, endpoint.method)(endpoint.url, {}, format="json")


def _mismatches(client: APIClient, expect_allowed) -> list[str]:
    wrong = []
    for endpoint in ENDPOINTS:
        status = _call(client, endpoint).status_code
        allowed = expect_allowed(endpoint)
        if status == 401 or (status == 403) == allowed:
            wrong.append(f"{endpoint}: {status}, expected {'not 403' if allowed else '403'}")
    return wrong


def test_the_matrix_covers_every_area_and_every_endpoint_names_its_area():
    views_without_area = {e.view.__name__ for e in api_endpoints() if e.area is None}
    # The routers' roots and the public index at /api/v1/ (cxportal.api.root) need no scope.
    assert views_without_area <= {"APIRootView", "ApiRootView"}, (
        "API views must set api_area, or keys can never reach them"
    )
    assert {e.area for e in ENDPOINTS} == set(API_AREAS) | set(READ_ONLY_AREAS)
    for area in API_AREAS:
        assert any(e.area == area and e.method == "get" and MISSING_ID not in e.url for e in ENDPOINTS), area
        assert any(e.area == area and e.method != "get" for e in ENDPOINTS) or area == "webhooks", area


@pytest.mark.parametrize("scope", ALL_SCOPES)
def test_each_scope_reaches_exactly_what_it_names(scope):
    _key, raw = api_key_create(name=f"matrix {scope}", scopes=[scope])

    wrong = _mismatches(key_client(raw), lambda e: scope_allows(scope, e.area, e.verb))

    assert not wrong, "\n".join(wrong)


def test_a_read_scope_refuses_writes_with_the_missing_scope_named():
    _key, raw = api_key_create(name="reader", scopes=["surveys:read"])

    response = key_client(raw).post("/api/v1/surveys/", {}, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "This API key lacks the scope surveys:write."}


def test_several_scopes_add_up():
    _key, raw = api_key_create(name="two areas", scopes=["journeys:read", "metrics:write"])
    scopes = ["journeys:read", "metrics:write"]

    wrong = _mismatches(key_client(raw), lambda e: any(scope_allows(s, e.area, e.verb) for s in scopes))

    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("scope", DEPARTMENT_KEY_SCOPES)
def test_a_department_key_is_held_to_what_a_member_may_do_in_the_actions_area(scope, sales):
    """Writes in the actions area pass only where department members may write (actions, milestones)."""
    _key, raw = api_key_create(name=f"sales {scope}", scopes=[scope], department=sales)

    def allowed(endpoint: Endpoint) -> bool:
        if not scope_allows(scope, endpoint.area, endpoint.verb):
            return False
        if endpoint.area == "actions" and endpoint.verb == "write":
            return getattr(endpoint.view, "member_access", None) == "write"
        return True

    wrong = _mismatches(key_client(raw), allowed)

    assert not wrong, "\n".join(wrong)


def test_a_department_key_never_gets_more_than_its_allowed_scopes_even_if_edited(sales):
    """Scopes widened outside the create service (e.g. in the admin): only the allowed ones count."""
    key, raw = api_key_create(name="sales", scopes=["actions:read"], department=sales)
    ApiKey.objects.filter(pk=key.pk).update(scopes=["*", "surveys:read", "webhooks:write", "actions:read"])
    client = key_client(raw)

    assert client.get("/api/v1/surveys/").status_code == 403
    assert client.get("/api/v1/webhooks/").status_code == 403
    assert client.get("/api/v1/actions/").status_code == 200
