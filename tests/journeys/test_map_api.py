"""The workbench API: the whole map in one detail call, stage/lane reorder, lanes, cells, pain points, opportunities."""

import pytest
from rest_framework.test import APIClient

from journeys import services
from journeys.models import Lane, LaneCell, MapChange, Opportunity, PainPoint
from tests.helpers import get_queries
from tests.journeys.factories import PersonaFactory, StageFactory, TouchpointFactory
from tests.journeys.rich_map import full_map

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey_map():
    journey_map = services.journey_map_create(
        name="Machine purchase", kind="service_blueprint", stage_names=["Need", "Search", "Offer"]
    )
    journey_map.personas.add(PersonaFactory(name="Head of production"))
    return journey_map


def _stage_ids(journey_map):
    return list(journey_map.stages.order_by("position").values_list("pk", flat=True))


@pytest.fixture
def member_client(sales_member):
    client = APIClient()
    client.force_authenticate(sales_member)
    return client


@pytest.fixture
def manager_api_client(manager):
    client = APIClient()
    client.force_authenticate(manager)
    return client


def test_map_detail_returns_the_whole_map(api_client, journey_map):
    need = journey_map.stages.get(name="Need")
    touchpoint = services.touchpoint_create(
        stage=need, name="Article", channel="press", emotion_score=-1, emotion_note="Worried"
    )
    services.cell_set(lane=journey_map.lanes.get(kind=Lane.Kind.BACKSTAGE), stage=need, text="CRM lead")
    services.pain_point_create(journey_map=journey_map, title="Slow", severity=4, touchpoint=touchpoint)
    services.opportunity_create(journey_map=journey_map, title="Spec sheet", impact=5, effort=1)

    body = api_client.get(f"/api/v1/journey-maps/{journey_map.pk}/").json()

    assert [s["name"] for s in body["stages"]] == ["Need", "Search", "Offer"]
    assert body["stages"][0]["touchpoints"][0]["emotion_note"] == "Worried"
    backstage = next(lane for lane in body["lanes"] if lane["kind"] == "backstage")
    assert backstage["cells"] == [
        {"id": LaneCell.objects.get().pk, "lane": backstage["id"], "stage": need.pk, "text": "CRM lead"}
    ]
    assert (
        body["pain_points"][0] | {"severity": 4, "stage": need.pk, "touchpoint": touchpoint.pk}
        == body["pain_points"][0]
    )
    assert body["opportunities"][0]["impact"] == 5
    assert body["persona_details"] == [
        {"id": journey_map.personas.get().pk, "name": "Head of production", "role": "Head of production"}
    ]


def _detail_queries(client, journey_map) -> int:
    return get_queries(client, f"/api/v1/journey-maps/{journey_map.pk}/")


def test_map_detail_queries_do_not_grow_with_the_map(manager_api_client):
    small, big = full_map(2, 2), full_map(20, 10)
    _detail_queries(manager_api_client, small)
    assert _detail_queries(manager_api_client, big) == _detail_queries(manager_api_client, small)
    assert len(manager_api_client.get(f"/api/v1/journey-maps/{big.pk}/").json()["stages"]) == 20


def test_reorder_stages_puts_them_in_order_and_records_history(api_client, journey_map):
    need, search, offer = _stage_ids(journey_map)

    response = api_client.post(
        f"/api/v1/journey-maps/{journey_map.pk}/reorder-stages/", {"stages": [offer, need, search]}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {"stages": [offer, need, search]}
    assert _stage_ids(journey_map) == [offer, need, search]
    change = journey_map.changes.first()
    assert (change.action, change.user) == (MapChange.Action.REORDERED, None)


def test_reorder_stages_with_a_stage_of_another_map_is_a_400_and_changes_nothing(api_client, journey_map):
    need, search, _offer = _stage_ids(journey_map)
    foreign = StageFactory()

    response = api_client.post(
        f"/api/v1/journey-maps/{journey_map.pk}/reorder-stages/", {"stages": [search, need, foreign.pk]}, format="json"
    )

    assert response.status_code == 400
    assert "stages" in response.json()
    assert _stage_ids(journey_map) == [need, search, _offer]


def test_reorder_stages_without_a_list_is_a_400(api_client, journey_map):
    response = api_client.post(f"/api/v1/journey-maps/{journey_map.pk}/reorder-stages/", {"stages": "x"}, format="json")
    assert response.status_code == 400
    assert "stages" in response.json()


def test_reorder_lanes(api_client, journey_map):
    ids = list(journey_map.lanes.order_by("position").values_list("pk", flat=True))
    response = api_client.post(
        f"/api/v1/journey-maps/{journey_map.pk}/reorder-lanes/", {"lanes": ids[::-1]}, format="json"
    )
    assert response.status_code == 200
    assert list(journey_map.lanes.order_by("position").values_list("pk", flat=True)) == ids[::-1]


def test_pain_point_crud_with_history(manager_api_client, manager, journey_map):
    need = journey_map.stages.get(name="Need")

    created = manager_api_client.post(
        "/api/v1/pain-points/",
        {"journey_map": journey_map.pk, "stage": need.pk, "title": "Slow", "severity": 4},
        format="json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    patched = manager_api_client.patch(f"/api/v1/pain-points/{pk}/", {"severity": 5}, format="json")
    assert patched.status_code == 200
    assert patched.json()["severity"] == 5
    assert manager_api_client.delete(f"/api/v1/pain-points/{pk}/").status_code == 204

    assert PainPoint.objects.count() == 0
    assert list(journey_map.changes.filter(object_type="painpoint").values_list("user", flat=True)) == [manager.pk] * 3


@pytest.mark.parametrize("severity", [0, 6])
def test_pain_point_severity_outside_1_to_5_is_a_400(api_client, journey_map, severity):
    response = api_client.post(
        "/api/v1/pain-points/", {"journey_map": journey_map.pk, "title": "Bad", "severity": severity}, format="json"
    )
    assert response.status_code == 400
    assert "severity" in response.json()
    assert PainPoint.objects.count() == 0


def test_pain_point_with_a_touchpoint_of_another_map_is_a_400(api_client, journey_map):
    response = api_client.post(
        "/api/v1/pain-points/",
        {"journey_map": journey_map.pk, "title": "Elsewhere", "touchpoint": TouchpointFactory().pk},
        format="json",
    )
    assert response.status_code == 400
    assert "touchpoint" in response.json()
    assert PainPoint.objects.count() == 0


def test_pain_point_cannot_move_to_another_map(api_client, journey_map):
    pain = services.pain_point_create(journey_map=journey_map, title="Slow")
    other = services.journey_map_create(name="Other")
    response = api_client.patch(f"/api/v1/pain-points/{pain.pk}/", {"journey_map": other.pk}, format="json")
    assert response.status_code == 400
    assert "journey_map" in response.json()


def test_pain_points_filter_by_map_and_stage_and_order_by_severity(api_client, journey_map):
    need = journey_map.stages.get(name="Need")
    services.pain_point_create(journey_map=journey_map, title="Minor", severity=1, stage=need)
    services.pain_point_create(journey_map=journey_map, title="Critical", severity=5, stage=need)
    services.pain_point_create(journey_map=journey_map, title="Whole map", severity=3)
    services.pain_point_create(journey_map=services.journey_map_create(name="Other"), title="Other map", severity=5)

    by_map = api_client.get(f"/api/v1/pain-points/?journey_map={journey_map.pk}&ordering=-severity").json()
    by_stage = api_client.get(f"/api/v1/pain-points/?stage={need.pk}&ordering=severity").json()

    assert [p["title"] for p in by_map["results"]] == ["Critical", "Whole map", "Minor"]
    assert [p["title"] for p in by_stage["results"]] == ["Minor", "Critical"]


def test_opportunities_crud_filter_and_order(api_client, journey_map):
    for title, impact, effort in (("Hard", 5, 5), ("Easy", 5, 1), ("Small", 2, 1)):
        response = api_client.post(
            "/api/v1/opportunities/",
            {"journey_map": journey_map.pk, "title": title, "impact": impact, "effort": effort},
            format="json",
        )
        assert response.status_code == 201

    body = api_client.get(f"/api/v1/opportunities/?journey_map={journey_map.pk}&ordering=-impact,effort").json()
    assert [o["title"] for o in body["results"]] == ["Easy", "Hard", "Small"]
    bad = api_client.post(
        "/api/v1/opportunities/", {"journey_map": journey_map.pk, "title": "X", "effort": 0}, format="json"
    )
    assert bad.status_code == 400
    assert "effort" in bad.json()
    assert Opportunity.objects.count() == 3


def test_lanes_and_cells_over_the_api(api_client, journey_map):
    need = journey_map.stages.get(name="Need")
    lane = api_client.post(
        "/api/v1/lanes/", {"journey_map": journey_map.pk, "kind": "custom", "name": "Channels"}, format="json"
    )
    assert lane.status_code == 201
    lane_id = lane.json()["id"]
    assert (
        api_client.patch(
            f"/api/v1/lanes/{lane_id}/", {"name": "Channel mix", "hidden": True}, format="json"
        ).status_code
        == 200
    )
    assert Lane.objects.get(pk=lane_id).hidden is True

    cell = api_client.post(
        "/api/v1/lane-cells/", {"lane": lane_id, "stage": need.pk, "text": "Web, phone"}, format="json"
    )
    assert cell.status_code == 201
    cell_id = cell.json()["id"]
    assert (
        api_client.patch(f"/api/v1/lane-cells/{cell_id}/", {"text": "Web only"}, format="json").json()["text"]
        == "Web only"
    )
    assert api_client.get(f"/api/v1/lane-cells/?lane__journey_map={journey_map.pk}").json()["count"] == 1
    assert api_client.delete(f"/api/v1/lane-cells/{cell_id}/").status_code == 204
    assert LaneCell.objects.count() == 0
    assert api_client.delete(f"/api/v1/lanes/{lane_id}/").status_code == 204
    assert journey_map.changes.filter(object_type__in=["lane", "lanecell"]).count() == 6


def test_lane_kind_cannot_change(api_client, journey_map):
    lane = journey_map.lanes.get(kind=Lane.Kind.NOTES)
    response = api_client.patch(f"/api/v1/lanes/{lane.pk}/", {"kind": "touchpoints"}, format="json")
    assert response.status_code == 400
    assert "kind" in response.json()


def test_cell_in_a_record_lane_or_a_stage_of_another_map_is_a_400(api_client, journey_map):
    touchpoints = journey_map.lanes.get(kind=Lane.Kind.TOUCHPOINTS)
    notes = journey_map.lanes.get(kind=Lane.Kind.NOTES)
    record = api_client.post(
        "/api/v1/lane-cells/",
        {"lane": touchpoints.pk, "stage": journey_map.stages.first().pk, "text": "x"},
        format="json",
    )
    foreign = api_client.post(
        "/api/v1/lane-cells/", {"lane": notes.pk, "stage": StageFactory().pk, "text": "x"}, format="json"
    )
    assert (record.status_code, foreign.status_code) == (400, 400)
    assert "lane" in record.json()
    assert "stage" in foreign.json()
    assert LaneCell.objects.count() == 0


def test_touchpoint_update_over_the_api_records_history_and_moves_within_the_map_only(api_client, journey_map):
    need, search, _offer = journey_map.stages.order_by("position")
    touchpoint = services.touchpoint_create(stage=need, name="Form", channel="website")

    moved = api_client.patch(
        f"/api/v1/touchpoints/{touchpoint.pk}/", {"stage": search.pk, "is_digital": False}, format="json"
    )
    refused = api_client.patch(f"/api/v1/touchpoints/{touchpoint.pk}/", {"stage": StageFactory().pk}, format="json")

    assert moved.status_code == 200
    assert (moved.json()["stage"], moved.json()["is_digital"]) == (search.pk, False)
    assert refused.status_code == 400
    touchpoint.refresh_from_db()
    assert touchpoint.stage == search
    assert journey_map.changes.filter(object_type="touchpoint", action=MapChange.Action.REORDERED).exists()


def test_stage_delete_over_the_api_records_history(api_client, journey_map):
    stage = journey_map.stages.get(name="Search")
    assert api_client.delete(f"/api/v1/stages/{stage.pk}/").status_code == 204
    assert journey_map.changes.first().summary.startswith("Deleted the stage “Search”")


def test_department_member_may_read_but_not_write(member_client, journey_map):
    need = journey_map.stages.get(name="Need")
    pain = services.pain_point_create(journey_map=journey_map, title="Slow")
    lane = journey_map.lanes.get(kind=Lane.Kind.NOTES)
    cell = services.cell_set(lane=lane, stage=need, text="Quote")

    assert member_client.get(f"/api/v1/journey-maps/{journey_map.pk}/").status_code == 200
    assert member_client.get("/api/v1/pain-points/").status_code == 200
    writes = [
        ("post", f"/api/v1/journey-maps/{journey_map.pk}/reorder-stages/", {"stages": _stage_ids(journey_map)[::-1]}),
        ("post", f"/api/v1/journey-maps/{journey_map.pk}/reorder-lanes/", {"lanes": []}),
        ("patch", f"/api/v1/journey-maps/{journey_map.pk}/", {"name": "Mine"}),
        ("post", "/api/v1/pain-points/", {"journey_map": journey_map.pk, "title": "X"}),
        ("patch", f"/api/v1/pain-points/{pain.pk}/", {"severity": 5}),
        ("delete", f"/api/v1/pain-points/{pain.pk}/", None),
        ("post", "/api/v1/opportunities/", {"journey_map": journey_map.pk, "title": "X"}),
        ("post", "/api/v1/lanes/", {"journey_map": journey_map.pk, "kind": "custom"}),
        ("patch", f"/api/v1/lanes/{lane.pk}/", {"hidden": True}),
        ("delete", f"/api/v1/lanes/{lane.pk}/", None),
        ("post", "/api/v1/lane-cells/", {"lane": lane.pk, "stage": need.pk, "text": "x"}),
        ("patch", f"/api/v1/lane-cells/{cell.pk}/", {"text": "y"}),
        ("delete", f"/api/v1/lane-cells/{cell.pk}/", None),
        ("patch", f"/api/v1/stages/{need.pk}/", {"name": "Mine"}),
        ("delete", f"/api/v1/stages/{need.pk}/", None),
    ]
    history = journey_map.changes.count()
    for method, url, body in writes:
        response = getattr(member_client, method)(url, body, format="json")
        assert response.status_code == 403, (method, url)
    assert journey_map.changes.count() == history


def test_api_key_without_write_scope_cannot_reorder(api_client_for, journey_map):
    client = api_client_for(["journeys:read"])
    response = client.post(
        f"/api/v1/journey-maps/{journey_map.pk}/reorder-stages/",
        {"stages": _stage_ids(journey_map)[::-1]},
        format="json",
    )
    assert response.status_code == 403
