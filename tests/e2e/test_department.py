"""A department member in a browser: only their department's actions exist for them; they mark one done."""

from playwright.sync_api import expect

from actionplans.models import Action
from tests.actionplans.factories import ActionFactory


def test_department_member_sees_only_their_actions_and_marks_one_done(
    live_server, log_in, sales, service, sales_member, phone, shots, axe_check
):
    ours = ActionFactory(department=sales, owner=sales_member, title="Call back every detractor within a day")
    theirs = ActionFactory(department=service, title="Shorten the hold time")
    page = phone
    log_in(page, "sam", "pw-sam")

    page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("link", name="My department").click()
    expect(page.get_by_role("heading", name="My department")).to_contain_text("Sales")
    expect(page.get_by_role("link", name=ours.title)).to_be_visible()
    expect(page.get_by_text(theirs.title)).to_have_count(0)
    axe_check(page)
    shots(page, "my-department")

    page.goto(f"{live_server.url}/actions/")
    expect(page.get_by_role("link", name=ours.title)).to_be_visible()
    expect(page.get_by_text(theirs.title)).to_have_count(0)

    # Another department's action does not exist for them.
    response = page.goto(f"{live_server.url}/actions/{theirs.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    shots(page, "other-department-not-found")

    page.goto(f"{live_server.url}/actions/my-department/")
    page.get_by_role("link", name=ours.title).click()
    page.get_by_label("Status").select_option(label="Done")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#action-status")).to_contain_text("Done")
    expect(page.locator("#action-status")).to_contain_text("100 %")
    axe_check(page)
    shots(page, "marked-done")

    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.status, ours.progress) == (Action.Status.DONE, 100)
    assert theirs.status == Action.Status.OPEN
