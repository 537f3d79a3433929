"""The OpenAPI contract is generated without warnings, and names every endpoint integrators rely on."""

import pytest
import yaml
from django.core.management import call_command

RESOURCES = [
    "personas",
    "customers",
    "journey-maps",
    "stages",
    "touchpoints",
    "surveys",
    "questions",
    "campaigns",
    "invitations",
    "responses",
    "metrics",
    "events",
    "transactions",
    "departments",
    "action-plans",
    "actions",
    "milestones",
    "touchpoint-owners",
    "reports",
]


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker):
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_schema_has_every_resource_under_api_v1(schema):
    paths = set(schema["paths"])
    for resource in RESOURCES:
        assert f"/api/v1/{resource}/" in paths, resource


def test_schema_declares_api_key_auth(schema):
    scheme = schema["components"]["securitySchemes"]["ApiKeyAuth"]
    assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "Authorization"}


def test_metrics_endpoint_documents_its_query_and_answer(schema):
    operation = schema["paths"]["/api/v1/metrics/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"kpi", "from", "to", "bucket", "touchpoint", "map", "stage", "persona", "channel", "survey"} <= names
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"kpi", "scope", "from", "to", "total", "results"} <= set(
        schema["components"]["schemas"][body]["properties"]
    )


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def _json_schema(schema, operation, code="200"):
    content = operation["responses"].get(code, {}).get("content", {})
    body = content.get("application/json", {}).get("schema", {})
    if "$ref" in body:
        return schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
    return body


class TestConventions:
    """Rules every endpoint follows, checked over the whole schema so new endpoints are held to them too."""

    def test_every_api_path_is_under_api_v1(self, schema):
        assert all(path.startswith("/api/v1/") for path in schema["paths"])

    def test_every_operation_requires_an_api_key_or_a_session(self, schema):
        for path, method, operation in _operations(schema):
            schemes = {name for requirement in operation.get("security", []) for name in requirement}
            assert "ApiKeyAuth" in schemes, f"{method} {path}"
            assert {} not in operation["security"], f"{method} {path} allows anonymous access"

    def test_every_list_is_paginated_with_count_next_previous_results(self, schema):
        lists = 0  # /metrics/ answers "results" too, but it is one KPI series, not a list of objects
        for path, method, operation in _operations(schema):
            body = _json_schema(schema, operation)
            if method != "get" or not body:
                continue
            assert body.get("type") != "array", f"GET {path} answers a bare list"
            if "count" in body.get("properties", {}):
                lists += 1
                properties = body["properties"]
                assert set(body["required"]) == {"count", "results"}, path
                assert properties["count"]["type"] == "integer", path
                assert properties["next"]["nullable"] and properties["previous"]["nullable"], path
                assert properties["results"]["type"] == "array", path
                names = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
                assert {"page", "page_size"} <= names, path
        assert lists >= 20

    def test_every_top_level_list_takes_ordering_and_filters(self, schema):
        for path, method, operation in _operations(schema):
            body = _json_schema(schema, operation)
            if method != "get" or "{" in path or "count" not in body.get("properties", {}):
                continue
            names = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
            assert "ordering" in names, path
            assert names - {"page", "page_size", "ordering"}, f"{path} has no filters"

    def test_every_operation_documents_its_errors(self, schema):
        for path, method, operation in _operations(schema):
            responses = operation["responses"]
            assert {"400", "401", "403", "429"} <= set(responses), f"{method} {path}"
            if "{" in path:
                assert "404" in responses, f"{method} {path}"
            for code in ("401", "403", "404"):
                if code in responses:
                    error = _json_schema(schema, operation, code)
                    assert "detail" in error["properties"], f"{method} {path} {code}"

    def test_every_post_takes_an_idempotency_key(self, schema):
        for path, method, operation in _operations(schema):
            if method != "post":
                continue
            header = [p for p in operation["parameters"] if p["in"] == "header" and p["name"] == "Idempotency-Key"]
            assert header and header[0]["schema"]["maxLength"] == 255, path
            assert {"409", "422"} <= set(operation["responses"]), path

    def test_times_are_date_times_not_free_text(self, schema):
        for name, component in schema["components"]["schemas"].items():
            for field, spec in component.get("properties", {}).items():
                if field.endswith("_at") and spec.get("type") == "string":
                    assert spec.get("format") == "date-time", f"{name}.{field}"
