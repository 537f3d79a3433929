"""The journey-map workbench in a browser: the plotly emotion curve, reordering stages and moving touchpoint
cards by keyboard and by drag and drop, and no serious accessibility violations."""

from playwright.sync_api import expect

from journeys.models import Stage, Touchpoint
from tests.journeys.rich_map import rich_map


def stage_order(journey_map) -> list[str]:
    return list(journey_map.stages.order_by("position").values_list("name", flat=True))


def test_workbench_draws_the_curve_and_reorders_stages(live_server, log_in, manager, page, shots, axe_check):
    journey_map = rich_map()
    purchase = Stage.objects.create(journey_map=journey_map, name="Purchase", position=2)
    Touchpoint.objects.create(stage=purchase, name="Order portal", channel="website", emotion_score=2)
    log_in(page, "manager", "pw-manager")
    page.goto(f"{live_server.url}/journeys/{journey_map.pk}/")

    # The emotion curve is drawn by the locally served plotly.js: one line, a point per stage.
    curve = page.locator(".emotion-chart .js-plotly-plot")
    expect(curve.locator(".scatterlayer .trace")).to_have_count(1)
    expect(curve.locator(".scatterlayer .trace path.js-line")).to_have_count(1)
    expect(curve.locator(".scatterlayer .point")).to_have_count(3)
    headers = page.locator("th.stage .stage-name")
    expect(headers).to_have_text(["1. Need recognition", "2. Überlegung & Angebot", "3. Purchase"])
    expect(page.locator("#felt-measured-title")).to_be_visible()  # the KPI fragment, loaded by htmx
    axe_check(page)
    shots(page, "workbench")

    # Keyboard: the → button moves the stage, and the focus stays on it for the next press.
    page.get_by_role("button", name="Move stage Need recognition right").focus()
    page.keyboard.press("Enter")
    expect(headers).to_have_text(["1. Überlegung & Angebot", "2. Need recognition", "3. Purchase"])
    expect(page.get_by_role("button", name="Move stage Need recognition right")).to_be_focused()
    page.keyboard.press("Enter")
    expect(headers).to_have_text(["1. Überlegung & Angebot", "2. Purchase", "3. Need recognition"])
    assert stage_order(journey_map) == ["Überlegung & Angebot", "Purchase", "Need recognition"]
    # The re-rendered board draws its curve again.
    expect(curve.locator(".scatterlayer .point")).to_have_count(3)
    shots(page, "moved-with-the-keyboard")

    # Drag and drop: "Need recognition" dropped on the left half of the first stage becomes the first stage.
    first = page.locator("th.stage").first
    page.locator("th.stage", has_text="Need recognition").drag_to(first, target_position={"x": 5, "y": 5})
    expect(headers).to_have_text(["1. Need recognition", "2. Überlegung & Angebot", "3. Purchase"])
    assert stage_order(journey_map) == ["Need recognition", "Überlegung & Angebot", "Purchase"]
    shots(page, "dragged")


def touchpoint_layout(journey_map) -> dict[str, list[str]]:
    return {
        stage.name: list(stage.touchpoints.order_by("position").values_list("name", flat=True))
        for stage in journey_map.stages.order_by("position")
    }


def test_touchpoint_cards_move_by_drag_and_drop_and_by_keyboard(live_server, log_in, manager, page, shots, axe_check):
    journey_map = rich_map()
    purchase = Stage.objects.create(journey_map=journey_map, name="Purchase", position=2)
    Touchpoint.objects.create(stage=purchase, name="Order portal", channel="website", emotion_score=2)
    need, offer = journey_map.stages.order_by("position")[:2]
    fair, portal, call = (Touchpoint.objects.get(name=n) for n in ("Trade fair", "Review portal", "Quote call"))
    # Bootstrap scrolls smoothly; a drag that starts while the page still glides misses its target.
    page.emulate_media(reduced_motion="reduce")
    log_in(page, "manager", "pw-manager")

    def board_loaded() -> None:
        # The KPI and action fragments (loaded by htmx) change the cards' heights: drag only once they are in.
        expect(page.locator("#felt-measured-title")).to_be_visible()
        expect(page.locator(".felt-measured-chart .scatterlayer .trace").first).to_be_attached()  # drawn by plotly
        expect(page.locator("#map-actions-summary")).to_be_attached()

    page.goto(f"{live_server.url}/journeys/{journey_map.pk}/")
    board_loaded()
    axe_check(page)

    def scroll_to_the_touchpoints() -> None:
        # Playwright's drag does not start when reaching the target scrolls the page: show the lane first.
        page.locator("tr.lane-touchpoints").evaluate("row => row.scrollIntoView({block: 'start', behavior: 'instant'})")

    def names(stage) -> list[str]:
        return page.locator(f'td[data-drop-stage="{stage.pk}"] .touchpoint-card').evaluate_all(
            "cards => cards.map(card => card.querySelector('.fw-semibold').firstChild.textContent.trim())"
        )

    # Mouse: "Review portal" dropped on the upper half of "Quote call" lands before it, in the other stage.
    scroll_to_the_touchpoints()
    page.locator(f"#tp-{portal.pk}").drag_to(page.locator(f"#tp-{call.pk}"), target_position={"x": 40, "y": 4})
    expect(page.locator(f'td[data-drop-stage="{offer.pk}"] #tp-{portal.pk}')).to_be_attached()
    assert names(offer) == ["Review portal", "Quote call"]
    expect(page.locator(f"#tp-{portal.pk}")).to_be_focused()
    shots(page, "card-dragged")
    page.reload()
    board_loaded()
    assert names(need) == ["Trade fair"]
    assert names(offer) == ["Review portal", "Quote call"]
    assert touchpoint_layout(journey_map) == {
        "Need recognition": ["Trade fair"],
        "Überlegung & Angebot": ["Review portal", "Quote call"],
        "Purchase": ["Order portal"],
    }

    # Mouse, within a stage: "Quote call" dropped on the upper half of "Review portal" becomes first. Grabbed
    # by a link inside it, the card moves all the same (links are draggable on their own).
    scroll_to_the_touchpoints()
    grip = page.get_by_role("link", name="Edit or move touchpoint Quote call")
    grip.drag_to(page.locator(f"#tp-{portal.pk}"), target_position={"x": 40, "y": 4})
    expect(page.locator(f'td[data-drop-stage="{offer.pk}"] .touchpoint-card').first).to_have_id(f"tp-{call.pk}")
    assert touchpoint_layout(journey_map)["Überlegung & Angebot"] == ["Quote call", "Review portal"]

    # Keyboard: → moves "Trade fair" to the end of the next stage and the focus stays on the button …
    page.get_by_role("button", name="Move touchpoint Trade fair to the next stage, Überlegung & Angebot").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f'td[data-drop-stage="{offer.pk}"] #tp-{fair.pk}')).to_be_attached()
    expect(page.locator(f"#tp-{fair.pk}-next")).to_be_focused()
    expect(page.locator(f"#tp-{fair.pk}-next")).to_have_accessible_name(
        "Move touchpoint Trade fair to the next stage, Purchase"
    )
    page.keyboard.press("Enter")
    # … until it reaches the last stage, where → is disabled and the card itself keeps the focus.
    expect(page.locator(f'td[data-drop-stage="{purchase.pk}"] #tp-{fair.pk}')).to_be_attached()
    expect(page.locator(f"#tp-{fair.pk}-next")).to_be_disabled()
    expect(page.locator(f"#tp-{fair.pk}")).to_be_focused()
    expect(page.locator(f"#tp-{fair.pk}")).to_have_accessible_name("Touchpoint Trade fair, 2 of 2 in Purchase")
    page.get_by_role("button", name="Move touchpoint Trade fair up").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f'td[data-drop-stage="{purchase.pk}"] .touchpoint-card').first).to_have_id(f"tp-{fair.pk}")
    expect(page.locator(f"#tp-{fair.pk}")).to_be_focused()
    assert touchpoint_layout(journey_map) == {
        "Need recognition": [],
        "Überlegung & Angebot": ["Quote call", "Review portal"],
        "Purchase": ["Trade fair", "Order portal"],
    }
    axe_check(page)
    shots(page, "cards-moved-with-the-keyboard")

    # A refused move (a place outside the stage) shows its reason in the board and changes nothing.
    page.evaluate(
        """url => htmx.ajax("POST", url, {target: "#map-board", swap: "outerHTML", values: {position: 9}})""",
        f"/journeys/touchpoints/{fair.pk}/move/",
    )
    expect(page.locator("#map-board .alert-danger")).to_contain_text("The touchpoint was not moved")
    assert touchpoint_layout(journey_map)["Purchase"] == ["Trade fair", "Order portal"]
