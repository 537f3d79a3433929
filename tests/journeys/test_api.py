"""The journeys API: maps, stages and touchpoints over /api/v1/, with field errors and pagination."""

import pytest

from journeys.models import JourneyMap, Stage, Touchpoint
from tests.helpers import get_queries
from tests.journeys.factories import JourneyMapFactory, StageFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


def test_integrator_builds_a_map_with_a_stage_and_a_touchpoint(api_client):
    created_map = api_client.post(
        "/api/v1/journey-maps/", {"name": "Industrial machine purchase", "kind": "current_state"}, format="json"
    )
    assert created_map.status_code == 201
    map_id = created_map.json()["id"]

    first = api_client.post("/api/v1/stages/", {"journey_map": map_id, "name": "Need recognition"}, format="json")
    second = api_client.post("/api/v1/stages/", {"journey_map": map_id, "name": "Offer"}, format="json")
    assert first.status_code == second.status_code == 201
    assert (first.json()["position"], second.json()["position"]) == (0, 1)

    touchpoint = api_client.post(
        "/api/v1/touchpoints/",
        {"stage": second.json()["id"], "name": "Quote by e-mail", "channel": "email", "emotion_score": -1},
        format="json",
    )
    assert touchpoint.status_code == 201
    assert touchpoint.json()["channel"] == "email"
    assert Touchpoint.objects.get().stage.journey_map_id == map_id


def test_map_detail_nests_stages_with_their_touchpoints_in_order(api_client):
    journey_map = JourneyMapFactory(name="Onboarding")
    later = StageFactory(journey_map=journey_map, name="Use", position=1)
    earlier = StageFactory(journey_map=journey_map, name="Sign-up", position=0)
    TouchpointFactory(stage=earlier, name="Form", position=1)
    TouchpointFactory(stage=earlier, name="Landing page", position=0)
    TouchpointFactory(stage=later, name="App", channel="app")

    body = api_client.get(f"/api/v1/journey-maps/{journey_map.pk}/").json()

    assert body["name"] == "Onboarding"
    assert [s["name"] for s in body["stages"]] == ["Sign-up", "Use"]
    assert [t["name"] for t in body["stages"][0]["touchpoints"]] == ["Landing page", "Form"]
    assert body["stages"][1]["touchpoints"][0]["channel"] == "app"


def test_invalid_channel_is_a_400_with_a_field_error(api_client):
    stage = StageFactory()

    response = api_client.post(
        "/api/v1/touchpoints/", {"stage": stage.pk, "name": "Fax", "channel": "fax"}, format="json"
    )

    assert response.status_code == 400
    assert "channel" in response.json()
    assert Touchpoint.objects.count() == 0


def test_emotion_score_7_is_a_400_and_nothing_is_stored(api_client):
    stage = StageFactory()

    response = api_client.post(
        "/api/v1/touchpoints/",
        {"stage": stage.pk, "name": "Delight", "channel": "website", "emotion_score": 7},
        format="json",
    )

    assert response.status_code == 400
    assert "emotion_score" in response.json()
    assert Touchpoint.objects.count() == 0


def test_emotion_score_7_on_update_is_a_400_and_the_touchpoint_is_unchanged(api_client):
    touchpoint = TouchpointFactory(emotion_score=1)

    response = api_client.patch(f"/api/v1/touchpoints/{touchpoint.pk}/", {"emotion_score": 7}, format="json")

    assert response.status_code == 400
    assert "emotion_score" in response.json()
    touchpoint.refresh_from_db()
    assert touchpoint.emotion_score == 1


def test_map_without_a_name_is_a_400_with_a_field_error(api_client):
    response = api_client.post("/api/v1/journey-maps/", {"name": "", "kind": "current_state"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()
    assert JourneyMap.objects.count() == 0


def test_unknown_map_kind_is_a_400(api_client):
    response = api_client.post("/api/v1/journey-maps/", {"name": "X", "kind": "fantasy"}, format="json")
    assert response.status_code == 400
    assert "kind" in response.json()


def test_stage_for_a_missing_map_is_a_400(api_client):
    response = api_client.post("/api/v1/stages/", {"journey_map": 999999, "name": "Orphan"}, format="json")
    assert response.status_code == 400
    assert "journey_map" in response.json()
    assert Stage.objects.count() == 0


def test_lists_are_paginated_with_count_next_previous_results(api_client):
    JourneyMapFactory.create_batch(3)

    first = api_client.get("/api/v1/journey-maps/?page_size=2").json()
    second = api_client.get(first["next"]).json()

    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert first["next"] is not None
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert second["previous"] is not None
    names = {m["name"] for m in first["results"] + second["results"]}
    assert names == set(JourneyMap.objects.values_list("name", flat=True))


def test_touchpoints_can_be_filtered_by_map(api_client):
    mine = TouchpointFactory(name="Mine")
    TouchpointFactory(name="Other")

    body = api_client.get(f"/api/v1/touchpoints/?stage__journey_map={mine.stage.journey_map_id}").json()

    assert [t["name"] for t in body["results"]] == ["Mine"]


def test_map_list_queries_do_not_grow_with_the_number_of_maps(api_client, django_assert_max_num_queries):
    for _ in range(2):
        TouchpointFactory()
    with_two = get_queries(api_client, "/api/v1/journey-maps/", warm_up=True)

    for _ in range(18):
        TouchpointFactory()
    with django_assert_max_num_queries(with_two):
        body = api_client.get("/api/v1/journey-maps/").json()

    assert body["count"] == 20


def test_map_detail_queries_do_not_grow_with_stages_and_touchpoints(api_client):
    small = JourneyMapFactory()
    TouchpointFactory(stage=StageFactory(journey_map=small))
    big = JourneyMapFactory()
    for _ in range(10):
        stage = StageFactory(journey_map=big)
        TouchpointFactory.create_batch(3, stage=stage)

    assert get_queries(api_client, f"/api/v1/journey-maps/{big.pk}/", warm_up=True) == get_queries(
        api_client, f"/api/v1/journey-maps/{small.pk}/", warm_up=True
    )
