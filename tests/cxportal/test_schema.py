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
