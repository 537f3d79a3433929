"""The journey-map workbench in a browser: the plotly emotion curve, reordering stages by keyboard and by
drag and drop, and no serious accessibility violations."""

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
