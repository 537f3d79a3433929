"""The journey-map workbench in a browser: the plotly emotion curve, reordering stages and moving touchpoint
cards by keyboard and by drag and drop, reading the demo map (all stages on a 1440 px screen, sticky headers,
zoom, the side panel), and no serious accessibility violations."""

import re

from playwright.sync_api import expect

from demo.data.machine_map import MACHINE_MAP
from demo.loader import demo_load
from journeys.models import JourneyMap, Stage, Touchpoint
from metrics.services import snapshots_recompute
from tests.journeys.rich_map import rich_map


def stage_order(journey_map) -> list[str]:
    return list(journey_map.stages.order_by("position").values_list("name", flat=True))


def htmx_idle(page) -> None:
    """Wait until htmx has swapped, settled and wired the new board. A person presses a key again only once it
    has; Playwright can press before htmx has wired the new buttons, which then submit the page without
    JavaScript (a full reload that moves the card all the same but cannot keep the focus)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


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
    htmx_idle(page)
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
    # by a link inside it (its name, which opens the side panel), the card moves all the same (links are
    # draggable on their own).
    scroll_to_the_touchpoints()
    grip = page.get_by_role("link", name="Details of touchpoint Quote call")
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
    htmx_idle(page)
    page.keyboard.press("Enter")
    # … until it reaches the last stage, where → is disabled and the card itself keeps the focus.
    expect(page.locator(f'td[data-drop-stage="{purchase.pk}"] #tp-{fair.pk}')).to_be_attached()
    expect(page.locator(f"#tp-{fair.pk}-next")).to_be_disabled()
    expect(page.locator(f"#tp-{fair.pk}")).to_be_focused()
    expect(page.locator(f"#tp-{fair.pk}")).to_have_accessible_name("Touchpoint Trade fair, 2 of 2 in Purchase")
    htmx_idle(page)
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


def _inside(box: dict, area: dict) -> bool:
    return (
        box["x"] >= area["x"] - 1
        and box["y"] >= area["y"] - 1
        and box["x"] + box["width"] <= area["x"] + area["width"] + 1
        and box["y"] + box["height"] <= area["y"] + area["height"] + 1
    )


def test_demo_map_reads_with_all_nine_stages_on_a_1440_screen(live_server, log_in, page, shots, axe_check):
    demo_load()
    snapshots_recompute()
    journey_map = JourneyMap.objects.get(name=MACHINE_MAP)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.emulate_media(reduced_motion="reduce")
    log_in(page, "cx.manager", "demo-cx-2026")
    page.goto(f"{live_server.url}/journeys/{journey_map.pk}/")
    expect(page.get_by_role("button", name=re.compile("^Move touchpoint")).first).to_be_attached()  # editing

    # The manager switches to reading: no edit controls, the board fitted to the screen.
    page.get_by_role("link", name="View", exact=True).click()
    expect(page.get_by_role("link", name="View", exact=True)).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("button", name=re.compile("^Move (touchpoint|stage|lane)"))).to_have_count(0)
    expect(page.locator("#map-board form")).to_have_count(0)
    expect(page.get_by_role("button", name="Fit to screen")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".felt-measured-chart .scatterlayer .trace")).to_have_count(2)  # felt and measured
    expect(
        page.locator("#tp-kpis-" + str(journey_map.stages.get(name="Offer").touchpoints.first().pk))
    ).to_contain_text("NPS")
    viewport = {"x": 0, "y": 0, "width": 1440, "height": 900}
    headers = page.locator("th.stage")
    expect(headers).to_have_count(9)
    page.evaluate("window.scrollTo(0, 0)")
    boxes = [headers.nth(i).bounding_box() for i in range(9)]
    assert all(_inside(box, viewport) for box in boxes), boxes
    axe_check(page)
    page.screenshot(path=str(shots.folder / "map-view-1440x900.png"), animations="disabled")  # the screen as seen
    shots(page, "map-view-fitted")

    # Stage headers stay on top while the board scrolls down …
    scroller = page.locator("#journey-map-scroller")
    top = scroller.bounding_box()["y"]
    scroller.evaluate("el => el.scrollTo(0, 600)")
    expect(headers.first).to_be_in_viewport()
    assert abs(headers.first.bounding_box()["y"] - top) < 4
    # … and zoomed in (keyboard), the lane names stay on the left while it scrolls across.
    page.get_by_role("button", name="Zoom in").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#map-zoom-level")).to_have_text("80 %")
    expect(page.get_by_role("button", name="Fit to screen")).to_have_attribute("aria-pressed", "false")
    assert not _inside(headers.nth(8).bounding_box(), scroller.bounding_box())
    lane = page.locator("tbody th.lane").first
    left = lane.bounding_box()["x"]
    scroller.evaluate("el => el.scrollTo(800, 0)")
    assert abs(lane.bounding_box()["x"] - left) < 2
    page.get_by_role("button", name="Fit to screen").click()
    boxes = [headers.nth(i).bounding_box() for i in range(9)]
    assert all(_inside(box, scroller.bounding_box()) for box in boxes), (boxes, scroller.bounding_box())

    # A card opens its details in the side panel, its KPIs included; Escape closes it and the focus goes back.
    scroller.evaluate("el => el.scrollTo(0, 0)")
    card = page.get_by_role("link", name="Details of touchpoint Tailored offer")
    card.focus()
    page.keyboard.press("Enter")
    panel = page.get_by_role("dialog", name=re.compile("Tailored offer"))
    expect(panel).to_be_visible()
    expect(panel.locator('[data-fact="channel"]')).to_have_text("Sales rep")
    expect(panel.locator(".panel-kpis")).to_contain_text("NPS")
    expect(panel.locator("form")).to_have_count(0)
    expect(page.locator("#tp-panel-title")).to_be_focused()
    axe_check(page)
    shots(page, "map-view-side-panel")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(card).to_be_focused()
