"""Everything under /api/ answers JSON with the right status, bad query strings are 400s, and a client that asks
for HTML or sends forms gets a clear refusal before anything is written (found by schemathesis and a generated
client)."""

import pytest
from django.test import override_settings

from actionplans.models import ActionPlan
from metrics.models import Transaction
from tests.journeys.factories import CustomerFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v1/no-such-thing/", 404),
        ("get", "/api/v1/journey-maps/not-a-number/", 404),
        ("get", "/api/v1/journey-maps/999999/", 404),
        ("delete", "/api/v1/metrics/", 405),
        ("put", "/api/v1/customers/bulk/", 405),
    ],
)
@pytest.mark.parametrize("debug", [False, True])
def test_errors_under_api_are_json_even_with_debug_pages(api_client, method, path, status, debug):
    with override_settings(DEBUG=debug):
        response = getattr(api_client, method)(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_pages_outside_the_api_keep_their_html_404(manager_client):
    response = manager_client.get("/journeys/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_path_without_its_trailing_slash_is_served_not_redirected(api_client):
    assert api_client.get("/api/v1/action-plans").status_code == 200
    created = api_client.post("/api/v1/action-plans", {"name": "Winter"}, format="json")
    assert created.status_code == 201
    assert ActionPlan.objects.filter(name="Winter").count() == 1


def test_asking_for_html_is_refused_before_the_write_and_a_retry_with_the_same_key_creates_one(api_client):
    headers = {"HTTP_IDEMPOTENCY_KEY": "plan-1"}
    refused = api_client.post(
        "/api/v1/action-plans/", {"name": "Spring"}, format="json", HTTP_ACCEPT="text/html", **headers
    )
    assert refused.status_code == 406
    assert refused["Content-Type"] == "application/json"
    assert not ActionPlan.objects.filter(name="Spring").exists()
    assert api_client.get("/api/v1/action-plans/?format=api").status_code == 404
    for _ in range(2):
        assert api_client.post("/api/v1/action-plans/", {"name": "Spring"}, format="json", **headers).status_code == 201
    assert ActionPlan.objects.filter(name="Spring").count() == 1


def test_form_and_multipart_bodies_are_refused_with_415(api_client):
    form = api_client.post("/api/v1/action-plans/", {"name": "Summer"}, format="multipart")
    assert form.status_code == 415
    assert not ActionPlan.objects.filter(name="Summer").exists()


def test_unknown_filters_and_ordering_fields_are_400s_that_name_what_is_accepted(api_client):
    unknown = api_client.get("/api/v1/actions/?statuss=open")
    assert unknown.status_code == 400
    assert "status__in" in unknown.json()["statuss"][0]
    ordering = api_client.get("/api/v1/actions/?ordering=-nonsense")
    assert ordering.status_code == 400
    assert "due_date" in ordering.json()["ordering"][0]
    assert api_client.get("/api/v1/actions/?ordering=-due_date,priority").status_code == 200


def test_a_list_filter_may_be_repeated_and_means_all_its_values(api_client, manager):
    from tests.actionplans.factories import ActionFactory

    ActionFactory(title="Open one", status="open")
    ActionFactory(title="Blocked one", status="blocked")
    ActionFactory(title="Done one", status="done")
    repeated = api_client.get("/api/v1/actions/?status__in=open&status__in=blocked").json()
    listed = api_client.get("/api/v1/actions/?status__in=open,blocked").json()
    assert sorted(a["title"] for a in repeated["results"]) == ["Blocked one", "Open one"]
    assert repeated["results"] == listed["results"]
    twice = api_client.get("/api/v1/actions/?status=open&status=done")
    assert twice.status_code == 400
    assert "status" in twice.json()


@pytest.mark.parametrize("query", ["page_size=null", "page_size=0", "page_size=-3", "page=abc", "page=0"])
def test_invalid_paging_is_a_400(api_client, query):
    response = api_client.get(f"/api/v1/customers/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_successful_answers_carry_the_rate_limit(api_client, settings):
    settings.API_KEY_RATE = "100/min"
    first = api_client.get("/api/v1/customers/")
    second = api_client.get("/api/v1/customers/")
    assert first["RateLimit-Limit"] == "100"
    assert int(second["RateLimit-Remaining"]) == int(first["RateLimit-Remaining"]) - 1
    assert 0 <= int(first["RateLimit-Reset"]) <= 60


def test_an_unknown_touchpoint_in_metrics_is_a_400_like_the_list_filters(api_client):
    response = api_client.get("/api/v1/metrics/?kpi=nps&touchpoint=999999")
    assert response.status_code == 400
    assert "999999" in response.json()["touchpoint"][0]
    assert api_client.get("/api/v1/metrics/?kpi=nps&touchpoint=1&bogus=1").status_code == 400


def test_transactions_name_the_customer_by_customer_external_id(api_client):
    CustomerFactory(external_id="C-7")
    row = {"external_id": "T-7", "customer_external_id": "C-7", "amount": "99.50", "occurred_at": "2026-11-02T10:00:00"}
    assert api_client.post("/api/v1/transactions/", [row], format="json").json()["created"] == 1
    assert Transaction.objects.get(external_id="T-7").customer.external_id == "C-7"
    listed = api_client.get("/api/v1/transactions/?customer_external_id=C-7").json()["results"]
    assert listed[0]["customer_external_id"] == "C-7"
    unknown = {**row, "external_id": "T-8", "customer_external_id": "C-404"}
    errors = api_client.post("/api/v1/transactions/", [unknown], format="json").json()["errors"]
    assert list(errors[0]["errors"]) == ["customer_external_id"]
    both = {**row, "external_id": "T-9", "customer": "C-7"}
    assert api_client.post("/api/v1/transactions/", [both], format="json").status_code == 400


def test_events_still_accept_the_older_customer_name(api_client):
    CustomerFactory(external_id="C-8")
    touchpoint = TouchpointFactory()
    row = {
        "external_id": "E-8",
        "touchpoint": touchpoint.pk,
        "kind": "visit",
        "customer": "C-8",
        "occurred_at": "2026-11-02T10:00:00",
    }
    assert api_client.post("/api/v1/events/", [row], format="json").json()["created"] == 1


def test_the_schema_offers_json_bodies_only_and_names_a_generator_can_use(client):
    schema = client.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    assert "SurveyResponse" in components
    assert not {"Response", "ImportError", "ActionCreate"} & set(components)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody")
            if body:
                assert set(body["content"]) == {"application/json"}, (method, path)
            if method == "post" and path.startswith("/api/v1/"):
                key = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")
                assert key["schema"]["pattern"]
    actions = schema["paths"]["/api/v1/actions/"]["get"]["parameters"]
    ordering = next(p for p in actions if p["name"] == "ordering")
    assert "-due_date" in ordering["schema"]["items"]["enum"]
    map_filter = next(p for p in actions if p["name"] == "map")
    assert map_filter["schema"]["type"] == "integer"
    ok = schema["paths"]["/api/v1/actions/"]["get"]["responses"]["200"]
    assert "RateLimit-Remaining" in ok["headers"]
