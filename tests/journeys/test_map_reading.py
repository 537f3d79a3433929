"""Reading the map: view mode without edit controls (members always, managers by choice, remembered), fit and
zoom, sticky headers, the touchpoint side panel, and unique element ids when a lane kind appears twice."""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from journeys import services
from journeys.models import Lane

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
# What an editor sees on the map and a reader must not: forms, drag handles, move/edit/delete/hide controls.
EDIT_CONTROLS = (
    "<form",
    'draggable="true"',
    "hx-post",
    "Edit map",
    "+ touchpoint",
    "+ lane",
    "/edit/",
    "/delete/",
    "/move/",
    "/visibility/",
    "Move stage",
    "Move touchpoint",
    "Move lane",
    "Rename lane",
    ">hide<",
    "✎",
    "×",
)


@pytest.fixture
def journey_map():
    journey_map = services.journey_map_create(
        name="Machine purchase", kind="service_blueprint", stage_names=["Need", "Offer", "Purchase"]
    )
    need = journey_map.stages.get(name="Need")
    fair = services.touchpoint_create(
        stage=need,
        name="Trade fair stand",
        channel="event",
        is_moment_of_truth=True,
        is_digital=False,
        emotion_score=2,
        emotion_note="Sees the machine run",
    )
    services.touchpoint_create(stage=need, name="Website", channel="website")
    services.pain_point_create(
        journey_map=journey_map, title="No price range", stage=need, touchpoint=fair, severity=4, evidence="How much?"
    )
    services.opportunity_create(journey_map=journey_map, title="Live demo booking", stage=need, touchpoint=fair)
    services.cell_set(lane=journey_map.lanes.get(kind=Lane.Kind.BACKSTAGE), stage=need, text="CRM lead")
    return journey_map


def _main(page: str) -> str:
    return page.split('<main id="main"')[1]


def _map_page(client, journey_map, query: str = "") -> str:
    return client.get(reverse("journeys:map_detail", args=[journey_map.pk]) + query).content.decode()


def _assert_reads_only(page: str) -> None:
    main = _main(page)
    assert "Trade fair stand" in main and "No price range" in main and "CRM lead" in main
    for control in EDIT_CONTROLS:
        assert control not in main, control


def test_department_member_reads_the_map_without_edit_controls_or_a_mode_toggle(client, sales_member, journey_map):
    client.force_login(sales_member)

    page = _map_page(client, journey_map)

    _assert_reads_only(page)
    assert 'id="map-mode"' not in page
    # Asking for edit mode changes nothing for a member.
    _assert_reads_only(_map_page(client, journey_map, "?mode=edit"))


def test_manager_toggles_view_mode_which_is_remembered_until_switched_back(client, manager, journey_map):
    client.force_login(manager)
    assert "Move touchpoint Trade fair stand up" in _map_page(client, journey_map)  # managers start editing

    page = _map_page(client, journey_map, "?mode=view")

    _assert_reads_only(page)
    assert re.search(r'<a class="btn btn-primary" href="\?mode=view" id="map-mode-view" aria-current="page">', page)
    assert 'href="?mode=edit" id="map-mode-edit"' in page
    # Remembered: the plain link, and the board htmx re-renders, stay in view mode.
    _assert_reads_only(_map_page(client, journey_map))
    board = client.get(reverse("journeys:map_board", args=[journey_map.pk]), **HX).content.decode()
    for control in EDIT_CONTROLS:
        assert control not in board, control

    page = _map_page(client, journey_map, "?mode=edit")

    assert "Move touchpoint Trade fair stand up" in page and "Edit map" in page and 'draggable="true"' in page
    assert 'id="map-mode-edit" aria-current="page"' in page
    assert "Move stage Need right" in _map_page(client, journey_map)


def test_map_page_offers_fit_and_zoom_and_keeps_headers_and_lane_names_in_view(client, sales_member, journey_map):
    client.force_login(sales_member)

    page = _map_page(client, journey_map)

    zoom = re.search(
        r'<div class="btn-group btn-group-sm" role="group" aria-label="Zoom" id="map-zoom"(.*?)</div>', page, re.S
    )
    assert zoom, "no zoom controls"
    for control in ('id="map-zoom-fit"', 'aria-label="Zoom out"', 'aria-label="Zoom in"'):
        assert control in zoom.group(1)
    assert "journeys/mapview.js" in page and "journeys/workbench.js" not in page
    # The board scrolls in its own keyboard-reachable box; its header row and lane column are sticky.
    assert 'class="journey-map my-2" id="journey-map-scroller" tabindex="0" role="region"' in page
    css = (Path(settings.BASE_DIR) / "static" / "journeys" / "workbench.css").read_text()
    assert ".journey-map thead th { position: sticky; top: 0;" in css
    assert ".journey-map th.lane { position: sticky; left: 0;" in css
    assert "font-size: calc(var(--map-zoom, 1) * 1rem)" in css


def test_a_card_opens_its_details_in_the_side_panel(client, sales_member, journey_map):
    fair = journey_map.stages.get(name="Need").touchpoints.get(name="Trade fair stand")
    client.force_login(sales_member)
    url = reverse("journeys:touchpoint_detail", args=[fair.pk])

    page = _map_page(client, journey_map)
    assert f'href="{url}" hx-get="{url}" hx-target="#map-panel-body"' in page
    assert 'id="map-panel"' in page and 'id="map-panel-body"' in page

    panel = client.get(url, **HX).content.decode()

    assert "<html" not in panel
    facts = dict(re.findall(r'<dd class="col-7" data-fact="(\w+)">(.*?)</dd>', panel))
    assert facts["channel"] == "Trade fair / event"
    assert facts["kind"] == "direct · two-way · physical"
    assert facts["mot"].startswith("yes")
    assert facts["emotion"] == "+2 · Sees the machine run"
    assert "No price range" in panel and "4/5" in panel and "How much?" in panel
    assert "Live demo booking" in panel
    # The KPIs and the owner come from the card (filled by metrics and actionplans), with links as fallback.
    assert f'data-mirror="tp-kpis-{fair.pk}"' in panel and f'data-mirror="tp-actions-{fair.pk}"' in panel
    assert "<form" not in panel  # a reader gets no edit form
    full = client.get(url).content.decode()  # without htmx: a page of its own
    assert "<html" in full and "No price range" in full


def test_manager_in_edit_mode_gets_the_edit_form_in_the_panel_and_saves_from_it(client, manager, journey_map):
    fair = journey_map.stages.get(name="Need").touchpoints.get(name="Trade fair stand")
    client.force_login(manager)
    url = reverse("journeys:touchpoint_detail", args=[fair.pk])
    edit_url = reverse("journeys:touchpoint_edit", args=[fair.pk])

    panel = client.get(url, **HX).content.decode()

    assert f'hx-post="{edit_url}"' in panel and 'name="name" value="Trade fair stand"' in panel
    assert f'hx-get="{reverse("journeys:touchpoint_delete", args=[fair.pk])}"' in panel
    data = {"stage": fair.stage_id, "name": "Trade fair stand (interpack)", "channel": "event", "is_digital": ""}
    response = client.post(edit_url, data, **HX)
    assert response.status_code == 200 and response["HX-Retarget"] == "#map-board"
    fair.refresh_from_db()
    assert fair.name == "Trade fair stand (interpack)"

    _map_page(client, journey_map, "?mode=view")
    assert "<form" not in client.get(url, **HX).content.decode()  # reading managers read


def test_unknown_touchpoint_panel_is_a_404(client, sales_member):
    client.force_login(sales_member)
    assert client.get(reverse("journeys:touchpoint_detail", args=[999999]), **HX).status_code == 404


@pytest.mark.parametrize("user", ["manager", "sales_member"])
def test_element_ids_stay_unique_with_two_touchpoint_and_two_pain_point_lanes(client, request, user, journey_map):
    services.lane_create(journey_map=journey_map, kind="touchpoints", name="Touchpoints again")
    services.lane_create(journey_map=journey_map, kind="pain_points", name="Pain points again")
    client.force_login(request.getfixturevalue(user))

    page = _map_page(client, journey_map)

    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [i for i, count in ids.items() if count > 1] == []
    assert page.count(">Trade fair stand</a>") == 2  # both lanes show it; only the first carries the ids
