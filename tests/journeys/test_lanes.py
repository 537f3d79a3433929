"""Lanes and their cells: services (with history), the stage/lane/touchpoint reorder rules, and the UI for them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from journeys import services
from journeys.models import Lane, LaneCell, MapChange, Stage, Touchpoint
from tests.journeys.factories import JourneyMapFactory, StageFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey_map():
    return services.journey_map_create(name="Machine purchase", stage_names=["Need", "Search", "Offer"])


def _stage_names(journey_map):
    return list(journey_map.stages.order_by("position").values_list("name", flat=True))


def _lane_names(journey_map):
    return list(journey_map.lanes.order_by("position").values_list("name", flat=True))


# ---------------------------------------------------------------- stages


def test_stage_reorder_puts_the_stages_in_the_given_order_and_records_it(journey_map, manager):
    need, search, offer = journey_map.stages.order_by("position")

    services.stage_reorder(journey_map=journey_map, stage_ids=[offer.pk, need.pk, search.pk], by=manager)

    assert _stage_names(journey_map) == ["Offer", "Need", "Search"]
    change = journey_map.changes.first()
    assert (change.action, change.user, change.changes["stages"][1]) == (
        MapChange.Action.REORDERED,
        manager,
        [offer.pk, need.pk, search.pk],
    )


def test_stage_reorder_with_a_stage_of_another_map_is_refused_and_changes_nothing(journey_map):
    need, search, offer = journey_map.stages.order_by("position")
    foreign = StageFactory()
    history = journey_map.changes.count()

    with pytest.raises(ValidationError) as exc:
        services.stage_reorder(journey_map=journey_map, stage_ids=[offer.pk, need.pk, foreign.pk], by=None)

    assert "stages" in exc.value.message_dict
    assert _stage_names(journey_map) == ["Need", "Search", "Offer"]
    assert journey_map.changes.count() == history


@pytest.mark.parametrize("ids", ["missing", "duplicate", "garbage"])
def test_stage_reorder_needs_exactly_the_maps_stages(journey_map, ids):
    need, search, offer = journey_map.stages.order_by("position")
    given = {
        "missing": [offer.pk, need.pk],
        "duplicate": [offer.pk, need.pk, need.pk, search.pk],
        "garbage": ["x", need.pk, search.pk],
    }[ids]

    with pytest.raises(ValidationError):
        services.stage_reorder(journey_map=journey_map, stage_ids=given, by=None)

    assert _stage_names(journey_map) == ["Need", "Search", "Offer"]


def test_stage_move_right_and_at_the_edge(journey_map):
    need = journey_map.stages.get(name="Need")
    services.stage_move(stage=need, offset=1, by=None)
    assert _stage_names(journey_map) == ["Search", "Need", "Offer"]
    offer = journey_map.stages.get(name="Offer")
    services.stage_move(stage=offer, offset=1, by=None)
    assert _stage_names(journey_map) == ["Search", "Need", "Offer"]


def test_stage_update_renames_and_records_the_change(journey_map, manager):
    stage = journey_map.stages.get(name="Need")

    services.stage_update(stage=stage, data={"name": "Need recognition", "description": "Line too slow"}, by=manager)

    stage.refresh_from_db()
    assert (stage.name, stage.description) == ("Need recognition", "Line too slow")
    assert journey_map.changes.first().changes["name"] == ["Need", "Need recognition"]


def test_stage_delete_deletes_its_touchpoints_and_closes_the_gap(journey_map, manager):
    search = journey_map.stages.get(name="Search")
    services.touchpoint_create(stage=search, name="Website", channel="website")

    services.stage_delete(stage=search, by=manager)

    assert _stage_names(journey_map) == ["Need", "Offer"]
    assert list(journey_map.stages.values_list("position", flat=True)) == [0, 1]
    assert Touchpoint.objects.count() == 0
    assert journey_map.changes.first().action == MapChange.Action.DELETED


# ---------------------------------------------------------------- touchpoints


def test_touchpoint_move_within_the_stage_and_to_another_stage(journey_map, manager):
    need, search, _offer = journey_map.stages.order_by("position")
    first = services.touchpoint_create(stage=need, name="Article", channel="press")
    second = services.touchpoint_create(stage=need, name="Hint", channel="support")
    pain = services.pain_point_create(journey_map=journey_map, title="Slow", touchpoint=second)

    services.touchpoint_move(touchpoint=second, offset=-1, by=manager)
    assert list(need.touchpoints.order_by("position").values_list("name", flat=True)) == ["Hint", "Article"]

    services.touchpoint_move(touchpoint=first, stage=search, by=manager)
    first.refresh_from_db()
    assert first.stage == search
    assert list(need.touchpoints.values_list("position", flat=True)) == [0]
    pain.refresh_from_db()
    assert pain.stage == need  # placed on the other touchpoint, stays
    assert journey_map.changes.filter(action=MapChange.Action.REORDERED).count() == 2


def test_touchpoint_cannot_move_to_a_stage_of_another_map(journey_map):
    touchpoint = services.touchpoint_create(stage=journey_map.stages.first(), name="Form", channel="website")

    with pytest.raises(ValidationError):
        services.touchpoint_move(touchpoint=touchpoint, stage=StageFactory(), by=None)

    touchpoint.refresh_from_db()
    assert touchpoint.stage.journey_map == journey_map


def test_touchpoint_update_changes_all_fields_and_records_them(journey_map, manager):
    touchpoint = services.touchpoint_create(stage=journey_map.stages.first(), name="Form", channel="website")

    services.touchpoint_update(
        touchpoint=touchpoint,
        data={
            "name": "Hotline",
            "channel": "phone",
            "emotion_score": -2,
            "emotion_note": "On hold",
            "is_digital": False,
        },
        by=manager,
    )

    touchpoint.refresh_from_db()
    assert (touchpoint.name, touchpoint.channel, touchpoint.emotion_score, touchpoint.is_digital) == (
        "Hotline",
        "phone",
        -2,
        False,
    )
    assert set(journey_map.changes.first().changes) == {
        "name",
        "channel",
        "emotion_score",
        "emotion_note",
        "is_digital",
    }


def test_touchpoint_update_with_emotion_7_is_refused(journey_map):
    touchpoint = services.touchpoint_create(stage=journey_map.stages.first(), name="Form", channel="website")

    with pytest.raises(ValidationError):
        services.touchpoint_update(touchpoint=touchpoint, data={"emotion_score": 7}, by=None)

    touchpoint.refresh_from_db()
    assert touchpoint.emotion_score is None


def test_touchpoint_delete_records_history(journey_map, manager):
    touchpoint = services.touchpoint_create(stage=journey_map.stages.first(), name="Form", channel="website")
    services.touchpoint_delete(touchpoint=touchpoint, by=manager)
    assert Touchpoint.objects.count() == 0
    assert journey_map.changes.first().summary.startswith("Deleted the touchpoint")


# ---------------------------------------------------------------- lanes and cells


def test_new_map_has_default_lanes_and_a_blueprint_also_backstage_lanes():
    plain = services.journey_map_create(name="Plain")
    blueprint = services.journey_map_create(name="Blueprint", kind="service_blueprint")
    assert "Backstage" not in _lane_names(plain)
    assert {"Frontstage", "Backstage", "Support processes / systems"} <= set(_lane_names(blueprint))


def test_lane_create_rename_hide_and_delete_record_history(journey_map, manager):
    lane = services.lane_create(journey_map=journey_map, kind="custom", name="Channels used", by=manager)
    assert _lane_names(journey_map)[-1] == "Channels used"

    services.lane_update(lane=lane, data={"name": "Channels"}, by=manager)
    services.lane_update(lane=lane, data={"hidden": True}, by=manager)
    lane.refresh_from_db()
    assert (lane.name, lane.hidden) == ("Channels", True)

    services.lane_delete(lane=lane, by=manager)
    assert "Channels" not in _lane_names(journey_map)
    summaries = list(journey_map.changes.order_by("id").values_list("summary", flat=True))[-4:]
    assert summaries == [
        "Added the lane “Channels used”",
        "Changed the lane “Channels”",
        "Hid the lane “Channels”",
        "Deleted the lane “Channels”",
    ]


def test_lane_without_a_name_is_named_after_its_kind(journey_map):
    lane = services.lane_create(journey_map=journey_map, kind="backstage", name="", by=None)
    assert lane.name == "Backstage"


def test_lane_create_with_an_unknown_kind_is_refused(journey_map):
    with pytest.raises(ValidationError):
        services.lane_create(journey_map=journey_map, kind="swimming", by=None)


def test_lane_reorder_refuses_a_lane_of_another_map(journey_map):
    other = services.journey_map_create(name="Other")
    ids = list(journey_map.lanes.order_by("position").values_list("pk", flat=True))
    before = _lane_names(journey_map)

    with pytest.raises(ValidationError):
        services.lane_reorder(journey_map=journey_map, lane_ids=[*ids[1:], other.lanes.first().pk], by=None)

    assert _lane_names(journey_map) == before


def test_lane_move_down(journey_map):
    first = journey_map.lanes.order_by("position").first()
    services.lane_move(lane=first, offset=1, by=None)
    assert _lane_names(journey_map)[1] == first.name


def test_cell_set_creates_updates_and_clears_a_cell_with_history(journey_map, manager):
    lane = services.lane_create(journey_map=journey_map, kind="backstage", by=manager)
    stage = journey_map.stages.first()

    services.cell_set(lane=lane, stage=stage, text="Quote in ERP", by=manager)
    services.cell_set(lane=lane, stage=stage, text="Quote in ERP and CRM", by=manager)
    assert LaneCell.objects.get().text == "Quote in ERP and CRM"
    assert journey_map.changes.first().changes["text"] == ["Quote in ERP", "Quote in ERP and CRM"]

    assert services.cell_set(lane=lane, stage=stage, text="  ", by=manager) is None
    assert LaneCell.objects.count() == 0


def test_cell_set_refuses_a_record_lane_and_a_stage_of_another_map(journey_map):
    touchpoints = journey_map.lanes.get(kind=Lane.Kind.TOUCHPOINTS)
    notes = journey_map.lanes.get(kind=Lane.Kind.NOTES)

    with pytest.raises(ValidationError):
        services.cell_set(lane=touchpoints, stage=journey_map.stages.first(), text="x", by=None)
    with pytest.raises(ValidationError):
        services.cell_set(lane=notes, stage=StageFactory(), text="x", by=None)
    assert LaneCell.objects.count() == 0


# ---------------------------------------------------------------- the UI for lanes and cells


def test_cell_edit_form_via_htmx_saves_and_returns_the_rendered_cell(client, manager, journey_map):
    notes = journey_map.lanes.get(kind=Lane.Kind.NOTES)
    stage = journey_map.stages.first()
    client.force_login(manager)
    url = reverse("journeys:cell_edit", args=[notes.pk, stage.pk])

    form = client.get(url, headers={"HX-Request": "true"})
    assert form.status_code == 200
    assert "<textarea" in form.content.decode()
    assert "<html" not in form.content.decode()

    saved = client.post(url, {"text": "“Line stops twice a week.”"}, headers={"HX-Request": "true"})

    assert saved.status_code == 200
    body = saved.content.decode()
    assert f'id="cell-{notes.pk}-{stage.pk}"' in body
    assert "Line stops twice a week." in body
    assert "<textarea" not in body


def test_cell_edit_without_javascript_is_a_page_that_redirects_to_the_map(client, manager, journey_map):
    notes = journey_map.lanes.get(kind=Lane.Kind.NOTES)
    stage = journey_map.stages.first()
    client.force_login(manager)
    url = reverse("journeys:cell_edit", args=[notes.pk, stage.pk])

    assert "<html" in client.get(url).content.decode()
    response = client.post(url, {"text": "A quote"})

    assert response.status_code == 302
    assert response["Location"] == reverse("journeys:map_detail", args=[journey_map.pk])
    assert LaneCell.objects.get().text == "A quote"


def test_cell_of_a_stage_of_another_map_is_a_404(client, manager, journey_map):
    notes = journey_map.lanes.get(kind=Lane.Kind.NOTES)
    client.force_login(manager)
    response = client.post(reverse("journeys:cell_edit", args=[notes.pk, StageFactory().pk]), {"text": "x"})
    assert response.status_code == 404


def test_lane_add_rename_hide_and_move_via_the_ui(client, manager, journey_map):
    client.force_login(manager)
    client.post(reverse("journeys:lane_create", args=[journey_map.pk]), {"kind": "support", "name": "IT systems"})
    lane = journey_map.lanes.get(name="IT systems")

    client.post(reverse("journeys:lane_edit", args=[lane.pk]), {"name": "Systems"})
    client.post(reverse("journeys:lane_move", args=[lane.pk]), {"offset": "-1"})
    client.post(reverse("journeys:lane_visibility", args=[lane.pk]), {"hidden": "1"})

    lane.refresh_from_db()
    assert (lane.name, lane.hidden) == ("Systems", True)
    assert _lane_names(journey_map)[-2] == "Systems"
    page = client.get(reverse("journeys:map_detail", args=[journey_map.pk])).content.decode()
    assert "1 lane hidden" in page
    assert ">Systems" not in page
    shown = client.get(reverse("journeys:map_detail", args=[journey_map.pk]) + "?show_hidden=1").content.decode()
    assert "Systems" in shown


def test_stage_reorder_via_the_ui_with_htmx_returns_the_board(client, manager, journey_map):
    need, search, offer = journey_map.stages.order_by("position")
    client.force_login(manager)

    response = client.post(
        reverse("journeys:stage_reorder", args=[journey_map.pk]),
        {"stages": f"{offer.pk},{need.pk},{search.pk}"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#map-board"
    body = response.content.decode()
    assert body.index("1. Offer") < body.index("2. Need")
    assert _stage_names(journey_map) == ["Offer", "Need", "Search"]


def test_stage_reorder_via_the_ui_with_a_stage_of_another_map_says_why_and_changes_nothing(
    client, manager, journey_map
):
    need, search, offer = journey_map.stages.order_by("position")
    foreign = StageFactory()
    client.force_login(manager)
    url = reverse("journeys:stage_reorder", args=[journey_map.pk])

    plain = client.post(url, {"stages": [offer.pk, need.pk, foreign.pk]}, follow=True)
    htmx = client.post(url, {"stages": f"{offer.pk},{need.pk},{foreign.pk}"}, headers={"HX-Request": "true"})

    assert "The stages were not reordered" in plain.content.decode()
    assert "The stages were not reordered" in htmx.content.decode()
    assert _stage_names(journey_map) == ["Need", "Search", "Offer"]


def test_stage_move_buttons_edit_and_delete_via_the_ui(client, manager, journey_map):
    need = journey_map.stages.get(name="Need")
    TouchpointFactory(stage=need)
    client.force_login(manager)

    client.post(reverse("journeys:stage_move", args=[need.pk]), {"offset": "1"})
    assert _stage_names(journey_map) == ["Search", "Need", "Offer"]

    client.post(reverse("journeys:stage_edit", args=[need.pk]), {"name": "Need recognition", "description": ""})
    assert _stage_names(journey_map) == ["Search", "Need recognition", "Offer"]

    confirm = client.get(reverse("journeys:stage_delete", args=[need.pk])).content.decode()
    assert "also deletes its 1 touchpoint" in confirm
    client.post(reverse("journeys:stage_delete", args=[need.pk]))
    assert _stage_names(journey_map) == ["Search", "Offer"]
    assert Touchpoint.objects.count() == 0


def test_touchpoint_edit_page_moves_it_to_another_stage_and_move_buttons_reorder(client, manager, journey_map):
    need, search, _offer = journey_map.stages.order_by("position")
    first = services.touchpoint_create(stage=need, name="Article", channel="press")
    second = services.touchpoint_create(stage=need, name="Hint", channel="support")
    client.force_login(manager)

    client.post(reverse("journeys:touchpoint_move", args=[second.pk]), {"offset": "-1"})
    assert list(need.touchpoints.order_by("position").values_list("name", flat=True)) == ["Hint", "Article"]

    response = client.post(
        reverse("journeys:touchpoint_edit", args=[first.pk]),
        {"stage": search.pk, "name": "Trade article", "channel": "press", "is_direct": "on", "emotion_score": "1"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.stage, first.name, first.emotion_score, first.is_direct, first.is_two_way) == (
        search,
        "Trade article",
        1,
        True,
        False,
    )


def test_touchpoint_edit_with_emotion_7_re_renders_with_an_error(client, manager, journey_map):
    touchpoint = services.touchpoint_create(stage=journey_map.stages.first(), name="Form", channel="website")
    client.force_login(manager)

    response = client.post(
        reverse("journeys:touchpoint_edit", args=[touchpoint.pk]),
        {"stage": touchpoint.stage_id, "name": "Form", "channel": "website", "emotion_score": "7"},
    )

    assert response.status_code == 200
    assert "emotion_score" in response.context["form"].errors
    touchpoint.refresh_from_db()
    assert touchpoint.emotion_score is None


def test_touchpoint_edit_form_offers_only_stages_of_the_same_map(client, manager, journey_map):
    touchpoint = services.touchpoint_create(stage=journey_map.stages.first(), name="Form", channel="website")
    foreign = StageFactory(name="Foreign stage")
    client.force_login(manager)

    response = client.post(
        reverse("journeys:touchpoint_edit", args=[touchpoint.pk]),
        {"stage": foreign.pk, "name": "Form", "channel": "website"},
    )

    assert response.status_code == 200
    assert "stage" in response.context["form"].errors
    assert Stage.objects.get(pk=touchpoint.stage_id).journey_map == journey_map


def test_map_without_lanes_still_shows_the_standard_rows(client, manager):
    journey_map = JourneyMapFactory()
    TouchpointFactory(stage=StageFactory(journey_map=journey_map), name="Landing page")
    client.force_login(manager)

    page = client.get(reverse("journeys:map_detail", args=[journey_map.pk])).content.decode()

    assert "Landing page" in page
    assert "Pain points" in page
