"""Boards fit the screen: on a 1440 px desktop every kanban column is inside the window, none cut off."""

from playwright.sync_api import expect

from actionplans.models import Action
from tests.actionplans.factories import ActionFactory


def test_every_kanban_column_is_inside_a_1440_px_window(live_server, log_in, manager, sales, new_context, shots):
    for status in Action.Status.values:
        ActionFactory(department=sales, status=status, title=f"A long action title in the {status} column, to wrap")
    page = new_context(viewport={"width": 1440, "height": 900}).new_page()
    log_in(page, "manager", "pw-manager")

    page.goto(f"{live_server.url}/actions/kanban/")
    columns = page.locator("section[aria-labelledby^='col-']")
    expect(columns).to_have_count(len(Action.Status.values))
    width = page.evaluate("document.documentElement.clientWidth")
    for index in range(columns.count()):
        box = columns.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (index, box, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shots(page, "kanban-1440")
