"""``GET /api/v1/``: a friendly index of the resources, for every key and without one."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_star_key_gets_the_index_of_every_resource(api_client):
    answer = api_client.get("/api/v1/")

    assert answer.status_code == 200
    body = answer.json()
    assert "lacks the scope" not in answer.content.decode()
    for resource in ("personas", "customers", "journey-maps", "surveys", "responses", "metrics", "actions", "webhooks"):
        assert body["resources"][resource]["url"].endswith(f"/api/v1/{resource}/")
        assert body["resources"][resource]["readable"] is True
    assert body["api_key"]["scopes"] == ["*"]
    assert body["documentation"].endswith("/api/docs/")


def test_a_narrow_key_learns_what_it_may_read(api_client_for):
    body = api_client_for(["journeys:read"]).get("/api/v1/").json()

    assert body["resources"]["personas"]["readable"] is True
    assert body["resources"]["responses"]["readable"] is False
    assert body["resources"]["webhooks"]["readable"] is False


def test_without_a_key_the_index_says_how_to_authenticate(client):
    answer = client.get("/api/v1/")

    assert answer.status_code == 200
    body = answer.json()
    assert "Api-Key" in body["authentication"]
    assert "No API key was sent" in body["detail"]
    assert "readable" not in body["resources"]["personas"]


def test_a_department_member_signed_in_sees_what_the_role_allows(client, sales_member):
    client.force_login(sales_member)
    body = client.get("/api/v1/").json()

    assert body["resources"]["actions"]["readable"] is True
    assert body["resources"]["webhooks"]["readable"] is False


def test_resources_still_need_their_scope(api_client_for):
    assert api_client_for(["journeys:read"]).get("/api/v1/responses/").status_code == 403
