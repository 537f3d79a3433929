"""The map page as a workbench: layout by lanes, map settings, who may edit, escaping and query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from journeys import services
from journeys.models import JourneyMap, Lane, MapChange, Stage
from tests.helpers import get_queries
from tests.journeys.factories import PersonaFactory
from tests.journeys.rich_map import full_map

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def _map(name="Machine purchase", kind="current_state", stages=("Need", "Offer")):
    return services.journey_map_create(name=name, kind=kind, stage_names=list(stages))


# ---------------------------------------------------------------- layout


def test_map_page_shows_stages_across_and_lanes_down_in_lane_order(client, manager):
    journey_map = _map()
    need = journey_map.stages.get(name="Need")
    services.touchpoint_create(
        stage=need,
        name="Trade article",
        channel="press",
        customer_action="Reads about OEE",
        thoughts="Is our line too slow?",
        emotion_score=-2,
        emotion_note="Worried",
        is_moment_of_truth=True,
        is_direct=False,
        is_two_way=False,
        is_digital=False,
    )
    client.force_login(manager)

    page = client.get(reverse("journeys:map_detail", args=[journey_map.pk])).content.decode()

    assert page.index("1. Need") < page.index("2. Offer")
    order = [
        page.index(f'lane-row lane-{kind}"') for kind in ("touchpoints", "customer_actions", "thoughts", "emotions")
    ]
    assert order == sorted(order)
    for text in ("Trade article", "Press", "Reads about OEE", "Is our line too slow?", "Worried", "MoT"):
        assert text in page
    assert "indirect" in page and "one-way" in page and "physical" in page
    assert "-2" in page  # the number, not only a colour
    assert "data-cx-chart" in page  # the curve, drawn by static/cxportal/charts.js


def test_service_blueprint_draws_the_line_of_visibility_above_the_backstage(client, manager):
    journey_map = _map(kind="service_blueprint")
    client.force_login(manager)

    page = client.get(reverse("journeys:map_detail", args=[journey_map.pk])).content.decode()

    assert (
        page.index('lane-row lane-frontstage"')
        < page.index("Line of visibility")
        < page.index('lane-row lane-backstage"')
    )


def test_current_state_map_has_no_line_of_visibility(client, manager):
    client.force_login(manager)
    page = client.get(reverse("journeys:map_detail", args=[_map().pk])).content.decode()
    assert "Line of visibility" not in page


def test_review_due_badge_shows_when_the_cadence_has_passed_and_mark_reviewed_clears_it(client, manager):
    journey_map = _map()
    JourneyMap.objects.filter(pk=journey_map.pk).update(
        review_cadence_days=30, created_at=timezone.now() - timedelta(days=40)
    )
    client.force_login(manager)
    url = reverse("journeys:map_detail", args=[journey_map.pk])
    assert "review due" in client.get(url).content.decode()

    response = client.post(reverse("journeys:map_mark_reviewed", args=[journey_map.pk]))

    assert response.status_code == 302
    journey_map.refresh_from_db()
    assert journey_map.reviewed_at is not None
    assert "review due" not in client.get(url).content.decode()
    assert journey_map.changes.first().summary == "Marked the map as reviewed"


def test_map_edit_form_changes_status_personas_and_cadence_with_history(client, manager):
    journey_map = _map()
    persona = PersonaFactory(name="Head of production")
    client.force_login(manager)

    response = client.post(
        reverse("journeys:map_edit", args=[journey_map.pk]),
        {
            "name": "Machine purchase (B2B)",
            "kind": "current_state",
            "status": "in_review",
            "personas": [persona.pk],
            "goal": "Fewer lost deals",
            "scope": "",
            "review_cadence_days": "90",
        },
    )

    assert response.status_code == 302
    journey_map.refresh_from_db()
    assert (journey_map.name, journey_map.status, journey_map.review_cadence_days) == (
        "Machine purchase (B2B)",
        "in_review",
        90,
    )
    assert list(journey_map.personas.all()) == [persona]
    change = journey_map.changes.filter(action=MapChange.Action.UPDATED).first()
    assert {"name", "status", "personas", "goal", "review_cadence_days"} <= set(change.changes)


def test_map_edit_form_with_an_unknown_status_re_renders_with_an_error(client, manager):
    journey_map = _map()
    client.force_login(manager)
    response = client.post(
        reverse("journeys:map_edit", args=[journey_map.pk]), {"name": "X", "kind": "current_state", "status": "done"}
    )
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    journey_map.refresh_from_db()
    assert journey_map.name == "Machine purchase"


def test_manager_sees_edit_controls(client, manager):
    client.force_login(manager)
    page = client.get(reverse("journeys:map_detail", args=[_map().pk])).content.decode()
    assert "Move stage Need right" in page
    assert "Edit map" in page
    assert 'draggable="true"' in page


# ---------------------------------------------------------------- permissions


@pytest.fixture
def populated_map():
    journey_map = _map(kind="service_blueprint")
    stage = journey_map.stages.get(name="Need")
    touchpoint = services.touchpoint_create(stage=stage, name="Form", channel="website")
    pain = services.pain_point_create(journey_map=journey_map, title="Slow", stage=stage)
    opportunity = services.opportunity_create(journey_map=journey_map, title="Faster", stage=stage)
    lane = journey_map.lanes.get(kind=Lane.Kind.BACKSTAGE)
    services.cell_set(lane=lane, stage=stage, text="ERP")
    return journey_map, stage, touchpoint, pain, opportunity, lane


def _write_urls(journey_map, stage, touchpoint, pain, opportunity, lane):
    return [
        reverse("journeys:map_edit", args=[journey_map.pk]),
        reverse("journeys:map_mark_reviewed", args=[journey_map.pk]),
        reverse("journeys:stage_create", args=[journey_map.pk]),
        reverse("journeys:stage_reorder", args=[journey_map.pk]),
        reverse("journeys:stage_edit", args=[stage.pk]),
        reverse("journeys:stage_move", args=[stage.pk]),
        reverse("journeys:stage_delete", args=[stage.pk]),
        reverse("journeys:lane_create", args=[journey_map.pk]),
        reverse("journeys:lane_edit", args=[lane.pk]),
        reverse("journeys:lane_visibility", args=[lane.pk]),
        reverse("journeys:lane_move", args=[lane.pk]),
        reverse("journeys:lane_delete", args=[lane.pk]),
        reverse("journeys:cell_edit", args=[lane.pk, stage.pk]),
        reverse("journeys:touchpoint_create", args=[stage.pk]),
        reverse("journeys:touchpoint_edit", args=[touchpoint.pk]),
        reverse("journeys:touchpoint_move", args=[touchpoint.pk]),
        reverse("journeys:touchpoint_delete", args=[touchpoint.pk]),
        reverse("journeys:pain_point_create", args=[journey_map.pk]),
        reverse("journeys:pain_point_edit", args=[pain.pk]),
        reverse("journeys:pain_point_delete", args=[pain.pk]),
        reverse("journeys:opportunity_create", args=[journey_map.pk]),
        reverse("journeys:opportunity_edit", args=[opportunity.pk]),
        reverse("journeys:opportunity_delete", args=[opportunity.pk]),
    ]


def test_department_member_gets_403_on_every_write_url_and_nothing_changes(client, sales_member, populated_map):
    journey_map = populated_map[0]
    history = journey_map.changes.count()
    client.force_login(sales_member)

    for url in _write_urls(*populated_map):
        for method in (client.get, client.post):
            response = method(url, {"name": "Hacked", "title": "Hacked", "text": "Hacked", "offset": "1"})
            assert response.status_code in (403, 405), (method, url, response.status_code)
            assert response.status_code == 403 or method == client.get, url

    assert journey_map.changes.count() == history
    assert Stage.objects.filter(journey_map=journey_map).count() == 2
    assert not Stage.objects.filter(name="Hacked").exists()


def test_department_member_sees_the_map_read_only(client, sales_member, populated_map):
    journey_map = populated_map[0]
    client.force_login(sales_member)

    page = client.get(reverse("journeys:map_detail", args=[journey_map.pk])).content.decode()

    assert "Form" in page and "Slow" in page and "ERP" in page
    for control in (
        "<form",
        'draggable="true"',
        "hx-post",
        "Edit map",
        "+ touchpoint",
        "/edit/",
        "/delete/",
        "Move stage",
    ):
        assert control not in page.split('<main id="main"')[1], control


def test_department_member_can_fetch_the_board_and_a_cell(client, sales_member, populated_map):
    journey_map, stage, *_rest, lane = populated_map
    client.force_login(sales_member)
    board = client.get(reverse("journeys:map_board", args=[journey_map.pk]), headers={"HX-Request": "true"})
    cell = client.get(reverse("journeys:cell_detail", args=[lane.pk, stage.pk]), headers={"HX-Request": "true"})
    assert board.status_code == cell.status_code == 200
    assert "hx-get" not in cell.content.decode()


# ---------------------------------------------------------------- escaping


def test_html_in_every_text_field_is_escaped_on_the_map_page(client, manager):
    journey_map = services.journey_map_create(
        name=f"Map {SCRIPT}", kind="service_blueprint", goal=f"Goal {SCRIPT}", scope=f"Scope {SCRIPT}"
    )
    stage = services.stage_create(journey_map=journey_map, name=f"Stage {SCRIPT}", description=f"Desc {SCRIPT}")
    touchpoint = services.touchpoint_create(
        stage=stage,
        name=f"TP {SCRIPT}",
        channel="website",
        description=f"D {SCRIPT}",
        customer_action=f"Action {SCRIPT}",
        thoughts=f"Thought {SCRIPT}",
        emotion_score=-1,
        emotion_note=f"Note {SCRIPT}",
    )
    lane = services.lane_create(journey_map=journey_map, kind="custom", name=f"Lane {SCRIPT}")
    services.cell_set(lane=lane, stage=stage, text=f"Cell {SCRIPT}")
    backstage = journey_map.lanes.get(kind=Lane.Kind.BACKSTAGE)
    services.lane_update(lane=backstage, data={"name": f"Back {SCRIPT}"})
    services.pain_point_create(
        journey_map=journey_map,
        title=f"Pain {SCRIPT}",
        touchpoint=touchpoint,
        description=f"PD {SCRIPT}",
        evidence=f"PE {SCRIPT}",
        source=f"PS {SCRIPT}",
    )
    services.opportunity_create(
        journey_map=journey_map,
        title=f"Opp {SCRIPT}",
        description=f"OD {SCRIPT}",
        evidence=f"OE {SCRIPT}",
        source=f"OS {SCRIPT}",
    )
    client.force_login(manager)

    for url in (
        reverse("journeys:map_detail", args=[journey_map.pk]),
        reverse("journeys:map_findings", args=[journey_map.pk]),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert ESCAPED in page

    page = client.get(reverse("journeys:map_detail", args=[journey_map.pk])).content.decode()
    for label in ("Map", "Goal", "Scope", "Stage", "Desc", "TP", "Action", "Thought", "Note", "Lane", "Cell", "Back"):
        assert f"{label} {ESCAPED}" in page, label
    for label in ("Pain", "PD", "PE", "PS", "Opp", "OD", "OE", "OS"):
        assert f"{label} {ESCAPED}" in page, label


def test_html_in_the_emotion_curve_labels_is_escaped_for_plotly(client, manager):
    journey_map = _map()
    services.touchpoint_create(
        stage=journey_map.stages.first(),
        name="<b>bold</b>",
        channel="website",
        emotion_score=2,
        emotion_note="<i>x</i>",
    )
    client.force_login(manager)
    page = client.get(reverse("journeys:map_detail", args=[journey_map.pk])).content.decode()
    chart = page[page.index("data-cx-chart") :]
    assert "<b>bold</b>" not in chart
    assert "\\u003cb\\u003ebold" not in chart
    assert "&lt;b&gt;bold&lt;/b&gt;" in chart


# ---------------------------------------------------------------- query counts


def _count_page_queries(client, journey_map) -> int:
    url = reverse("journeys:map_detail", args=[journey_map.pk])
    return get_queries(client, url, warm_up=True)  # warm up the session and caches


def test_map_page_queries_do_not_grow_with_the_map(client, manager):
    small, big = full_map(2, 2), full_map(20, 10)
    client.force_login(manager)

    assert _count_page_queries(client, big) == _count_page_queries(client, small)


def test_member_map_page_queries_do_not_grow_with_the_map(client, sales_member):
    small, big = full_map(2, 2), full_map(20, 10)
    client.force_login(sales_member)

    assert _count_page_queries(client, big) == _count_page_queries(client, small)
