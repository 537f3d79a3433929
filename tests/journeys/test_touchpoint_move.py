"""Moving touchpoint cards on the workbench: the service, the endpoint behind drag and drop and the
↑ ↓ ← → buttons, who may use it, and the order every other view reads back."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from journeys import services
from journeys.models import MapChange, Touchpoint
from tests.journeys.factories import StageFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def journey_map():
    """Need: Article, Fair, Hint · Search: Portal · Offer: (empty)."""
    journey_map = services.journey_map_create(name="Machine purchase", stage_names=["Need", "Search", "Offer"])
    need, search, _offer = journey_map.stages.order_by("position")
    for name in ("Article", "Fair", "Hint"):
        services.touchpoint_create(stage=need, name=name, channel="press")
    services.touchpoint_create(stage=search, name="Portal", channel="review_portal")
    return journey_map


def layout(journey_map) -> dict[str, list[str]]:
    """{stage name: its touchpoint names in order}, checking the positions are 0, 1, 2 … on the way."""
    result = {}
    for stage in journey_map.stages.order_by("position"):
        touchpoints = list(stage.touchpoints.order_by("position", "id"))
        assert [t.position for t in touchpoints] == list(range(len(touchpoints))), stage.name
        result[stage.name] = [t.name for t in touchpoints]
    return result


def tp(name: str) -> Touchpoint:
    return Touchpoint.objects.get(name=name)


def stage(journey_map, name: str):
    return journey_map.stages.get(name=name)


START = {"Need": ["Article", "Fair", "Hint"], "Search": ["Portal"], "Offer": []}


# ---------------------------------------------------------------- the service


class TestService:
    def test_moves_to_a_position_within_its_stage_with_history(self, journey_map, manager):
        services.touchpoint_move(touchpoint=tp("Hint"), position=0, by=manager)

        assert layout(journey_map)["Need"] == ["Hint", "Article", "Fair"]
        change = journey_map.changes.first()
        assert (change.action, change.user, change.object_id) == (MapChange.Action.REORDERED, manager, tp("Hint").pk)
        assert change.summary == "Moved the touchpoint “Hint” up in “Need” (place 1 of 3)"
        assert change.changes == {"position": [2, 0]}

    def test_moves_to_a_position_in_another_stage_and_its_findings_follow(self, journey_map, manager):
        pain = services.pain_point_create(journey_map=journey_map, title="Slow", touchpoint=tp("Fair"))

        services.touchpoint_move(touchpoint=tp("Fair"), stage=stage(journey_map, "Search"), position=0, by=manager)

        assert layout(journey_map) == {"Need": ["Article", "Hint"], "Search": ["Fair", "Portal"], "Offer": []}
        pain.refresh_from_db()
        assert pain.stage.name == "Search"
        change = journey_map.changes.first()
        assert change.summary == "Moved the touchpoint “Fair” from “Need” to “Search” (place 1 of 2)"
        assert change.changes == {"stage": ["Need", "Search"], "position": [1, 0]}

    def test_without_a_position_it_goes_to_the_end_of_the_other_stage(self, journey_map):
        services.touchpoint_move(touchpoint=tp("Portal"), stage=stage(journey_map, "Need"))
        services.touchpoint_move(touchpoint=tp("Article"), stage=stage(journey_map, "Offer"))

        assert layout(journey_map) == {"Need": ["Fair", "Hint", "Portal"], "Search": [], "Offer": ["Article"]}

    def test_offset_moves_within_the_stage(self, journey_map):
        services.touchpoint_move(touchpoint=tp("Article"), offset=2)
        assert layout(journey_map)["Need"] == ["Fair", "Hint", "Article"]

    def test_the_same_place_changes_nothing_and_records_nothing(self, journey_map):
        history = journey_map.changes.count()

        services.touchpoint_move(touchpoint=tp("Fair"), stage=stage(journey_map, "Need"), position=1)
        services.touchpoint_move(touchpoint=tp("Fair"))

        assert layout(journey_map) == START
        assert journey_map.changes.count() == history

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"position": 3},  # its stage has two other touchpoints: 0 … 2
            {"position": -1},
            {"offset": -1},  # "Article" is first
            {"offset": 3},
            {"offset": 1, "position": 0},
            {"offset": 1, "stage": "Search"},
            {"stage": "Search", "position": 2},  # one touchpoint there: 0 … 1
        ],
    )
    def test_out_of_range_input_is_refused_and_changes_nothing(self, journey_map, kwargs):
        history = journey_map.changes.count()
        if "stage" in kwargs:
            kwargs["stage"] = stage(journey_map, kwargs["stage"])

        with pytest.raises(ValidationError):
            services.touchpoint_move(touchpoint=tp("Article"), **kwargs)

        assert layout(journey_map) == START
        assert journey_map.changes.count() == history

    def test_a_stage_of_another_map_is_refused(self, journey_map):
        with pytest.raises(ValidationError) as error:
            services.touchpoint_move(touchpoint=tp("Article"), stage=StageFactory(), position=0)

        assert "same map" in str(error.value)
        assert layout(journey_map) == START

    def test_a_stale_touchpoint_object_moves_from_where_it_is_now(self, journey_map):
        stale = tp("Article")
        services.touchpoint_move(touchpoint=tp("Article"), stage=stage(journey_map, "Offer"))

        services.touchpoint_move(touchpoint=stale, stage=stage(journey_map, "Search"), position=0)

        assert layout(journey_map) == {"Need": ["Fair", "Hint"], "Search": ["Article", "Portal"], "Offer": []}


# ---------------------------------------------------------------- the endpoint


def move_url(name: str) -> str:
    return reverse("journeys:touchpoint_move", args=[tp(name).pk])


class TestEndpoint:
    def test_drop_into_another_stage_answers_with_the_board_and_names_the_moved_card(
        self, client, manager, journey_map
    ):
        client.force_login(manager)

        response = client.post(
            move_url("Hint"), {"stage": stage(journey_map, "Search").pk, "position": "0"}, headers=HTMX
        )

        assert response.status_code == 200
        assert layout(journey_map) == {"Need": ["Article", "Fair"], "Search": ["Hint", "Portal"], "Offer": []}
        page = response.content.decode()
        assert 'id="map-board"' in page and "<html" not in page
        assert page.index(">Hint<") < page.index(">Portal<")
        assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#map-board", "outerHTML")
        assert json.loads(response["HX-Trigger-After-Settle"]) == {"touchpoint-moved": {"id": tp("Hint").pk}}
        change = journey_map.changes.first()
        assert (change.action, change.user) == (MapChange.Action.REORDERED, manager)
        assert change.changes["stage"] == ["Need", "Search"]
        history = client.get(reverse("journeys:map_history", args=[journey_map.pk])).content.decode()
        assert "Moved the touchpoint “Hint” from “Need” to “Search” (place 1 of 2)" in history

    def test_drop_within_the_stage(self, client, manager, journey_map):
        client.force_login(manager)

        response = client.post(
            move_url("Article"), {"stage": stage(journey_map, "Need").pk, "position": "2"}, headers=HTMX
        )

        assert response.status_code == 200
        assert layout(journey_map)["Need"] == ["Fair", "Hint", "Article"]
        assert journey_map.changes.first().summary == "Moved the touchpoint “Article” down in “Need” (place 3 of 3)"

    def test_buttons_without_javascript_post_and_return_to_the_map(self, client, manager, journey_map):
        client.force_login(manager)
        map_url = reverse("journeys:map_detail", args=[journey_map.pk])

        down = client.post(move_url("Article"), {"offset": "1"})
        next_stage = client.post(move_url("Article"), {"stage": stage(journey_map, "Search").pk})
        previous_stage = client.post(move_url("Portal"), {"stage": stage(journey_map, "Need").pk})

        assert [r.status_code for r in (down, next_stage, previous_stage)] == [302, 302, 302]
        assert down["Location"] == map_url
        assert layout(journey_map) == {"Need": ["Fair", "Hint", "Portal"], "Search": ["Article"], "Offer": []}

    def test_the_edit_form_still_moves_a_touchpoint_to_the_end_of_another_stage(self, client, manager, journey_map):
        client.force_login(manager)

        response = client.post(
            reverse("journeys:touchpoint_edit", args=[tp("Article").pk]),
            {"stage": stage(journey_map, "Search").pk, "name": "Article", "channel": "press", "is_direct": "on"},
        )

        assert response.status_code == 302
        assert layout(journey_map)["Search"] == ["Portal", "Article"]

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"stage": "999999", "position": "0"}, "Stage 999999 is not a stage of this map."),
            ({"stage": "99999999999999999999"}, "is not a stage of this map"),
            ({"stage": "abc"}, "is not a stage of this map"),
            ({"stage": "Search", "position": "2"}, "Give a position from 0 to 1 in “Search”."),
            ({"stage": "Need", "position": "-1"}, "Give a position from 0 to 2 in “Need”."),
            ({"position": "7"}, "Give a position from 0 to 2 in “Need”."),
            ({"position": "first"}, "Give the position as a whole number."),
            ({"offset": "-1"}, "is number 1 of 3 in “Need” and cannot move 1 place(s) up"),
            ({"offset": "5"}, "cannot move 5 place(s) down"),
            ({"offset": "x"}, "Give the offset as a whole number."),
            ({"offset": "1", "stage": "Search"}, "Give either an offset within the stage or a stage and a position."),
        ],
    )
    @pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
    def test_bad_input_is_a_400_with_the_reason_and_changes_nothing(
        self, client, manager, journey_map, data, message, htmx
    ):
        data = {k: stage(journey_map, v).pk if k == "stage" and v in START else v for k, v in data.items()}
        history = journey_map.changes.count()
        client.force_login(manager)

        response = client.post(move_url("Article"), data, headers=HTMX if htmx else {})

        assert response.status_code == 400
        page = response.content.decode()
        assert "The touchpoint was not moved: " in page
        assert message.replace("“", "&ldquo;").replace("”", "&rdquo;") in page or message in page
        assert ("<html" in page) is not htmx  # plain: the map page with the error, htmx: the board
        assert "HX-Trigger" not in response  # the modal stays as it is
        assert layout(journey_map) == START
        assert journey_map.changes.count() == history

    def test_a_stage_of_another_map_is_a_400(self, client, manager, journey_map):
        other = services.journey_map_create(name="Other", stage_names=["Elsewhere"])
        client.force_login(manager)

        response = client.post(move_url("Article"), {"stage": other.stages.get().pk, "position": "0"}, headers=HTMX)

        assert response.status_code == 400
        assert "is not a stage of this map" in response.content.decode()
        assert layout(journey_map) == START
        assert not Touchpoint.objects.filter(stage__journey_map=other).exists()

    def test_department_member_gets_403_and_nothing_changes(self, client, sales_member, journey_map):
        history = journey_map.changes.count()
        client.force_login(sales_member)

        response = client.post(move_url("Article"), {"stage": stage(journey_map, "Offer").pk}, headers=HTMX)

        assert response.status_code == 403
        assert layout(journey_map) == START
        assert journey_map.changes.count() == history

    def test_anonymous_user_is_sent_to_the_login_page_and_nothing_changes(self, client, journey_map):
        response = client.post(move_url("Article"), {"stage": stage(journey_map, "Offer").pk})

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert layout(journey_map) == START

    def test_unknown_touchpoint_is_a_404_and_get_is_a_405(self, client, manager, journey_map):
        client.force_login(manager)

        missing = client.post(reverse("journeys:touchpoint_move", args=[999999]), {"offset": "1"})
        get = client.get(move_url("Article"))

        assert (missing.status_code, get.status_code) == (404, 405)
        assert layout(journey_map) == START

    def test_csrf_token_is_required(self, manager, journey_map):
        client = Client(enforce_csrf_checks=True)
        client.force_login(manager)

        response = client.post(move_url("Article"), {"offset": "1"})

        assert response.status_code == 403
        assert layout(journey_map) == START


# ---------------------------------------------------------------- the page


class TestPage:
    def test_manager_sees_draggable_cards_drop_cells_and_named_move_buttons(self, client, manager, journey_map):
        client.force_login(manager)

        page = client.get(reverse("journeys:map_detail", args=[journey_map.pk])).content.decode()

        article, hint, portal = tp("Article"), tp("Hint"), tp("Portal")
        assert page.count('class="card touchpoint-card') == 4
        assert page.count('draggable="true"') == 3 + 4  # stage headers and touchpoint cards
        assert page.count("data-drop-stage=") == 3
        assert 'aria-label="Touchpoint Article, 1 of 3 in Need"' in page
        assert 'id="tp-move-help"' in page
        for label in (
            "Move touchpoint Article up",
            "Move touchpoint Article down",
            "Move touchpoint Article to the previous stage",
            "Move touchpoint Article to the next stage, Search",
            "Move touchpoint Portal to the previous stage, Need",
            "Move touchpoint Portal to the next stage, Offer",
        ):
            assert f'aria-label="{label}"' in page, label
        # Buttons that would move past an end are disabled.
        assert f'id="tp-{article.pk}-up" aria-label="Move touchpoint Article up" title="Move up" disabled' in page
        assert f'id="tp-{hint.pk}-down" aria-label="Move touchpoint Hint down" title="Move down" disabled' in page
        assert f'id="tp-{article.pk}-previous"' in page
        assert 'title="Move to the previous stage" disabled' in page
        assert f'id="tp-{portal.pk}-next" aria-label="Move touchpoint Portal to the next stage, Offer"' in page
        assert 'src="/static/journeys/workbench.js"' in page

    def test_department_member_sees_no_handles_or_move_buttons(self, client, sales_member, journey_map):
        client.force_login(sales_member)

        page = client.get(reverse("journeys:map_detail", args=[journey_map.pk])).content.decode()
        main = page.split('<main id="main"')[1]

        assert "Article" in main and "Portal" in main
        for control in ('draggable="true"', "data-drop-stage", "data-move-url", "drag-handle", "Move touchpoint", "⠿"):
            assert control not in main, control
        assert "workbench.js" not in page


# ---------------------------------------------------------------- everything else reads the new order


def test_api_print_and_exports_show_the_order_after_a_move(client, manager, api_client, journey_map):
    client.force_login(manager)
    client.post(move_url("Hint"), {"stage": stage(journey_map, "Search").pk, "position": "1"})
    client.post(move_url("Fair"), {"offset": "-1"})
    expected = {"Need": ["Fair", "Article"], "Search": ["Portal", "Hint"], "Offer": []}
    assert layout(journey_map) == expected

    body = api_client.get(f"/api/v1/journey-maps/{journey_map.pk}/").json()
    assert {s["name"]: [t["name"] for t in s["touchpoints"]] for s in body["stages"]} == expected

    printed = client.get(reverse("journeys:map_print", args=[journey_map.pk])).content.decode()
    assert printed.index("Fair") < printed.index("Article") < printed.index("Portal") < printed.index("Hint")

    exported = json.loads(client.get(reverse("journeys:map_export_json", args=[journey_map.pk])).content)
    names = [t["name"] for s in exported["stages"] for t in s["touchpoints"]]
    assert names == ["Fair", "Article", "Portal", "Hint"]

    rows = client.get(reverse("journeys:map_export_csv", args=[journey_map.pk])).content.decode("utf-8-sig")
    assert rows.index("Fair") < rows.index("Article") < rows.index("Portal") < rows.index("Hint")
