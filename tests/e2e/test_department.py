"""A department member in a browser: only their department's actions exist for them; they mark one done; they
read the comments behind their touchpoints' KPIs."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from actionplans.models import Action
from actionplans.services.ownership import touchpoint_owner_set
from metrics.services import snapshots_recompute
from surveys.services import survey_create_nps
from tests.actionplans.factories import ActionFactory
from tests.journeys.factories import CustomerFactory, JourneyMapFactory, StageFactory, TouchpointFactory
from tests.surveys.factories import answer


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


def test_department_member_reads_a_detractors_comment_on_their_touchpoint(
    live_server, log_in, sales, sales_member, manager, page, shots, axe_check
):
    """From "My department" a Sales member follows the detractors link of their touchpoint's NPS to the
    response and reads the comment behind the number; another touchpoint's response does not exist for them."""
    journey_map = JourneyMapFactory(name="Spare parts")
    stage = StageFactory(journey_map=journey_map, name="Buy")
    shop = TouchpointFactory(stage=stage, name="Web shop")
    hotline = TouchpointFactory(stage=stage, name="Hotline")
    touchpoint_owner_set(touchpoint=shop, department=sales, by=manager)
    ours = survey_create_nps(title="Web shop NPS", touchpoint=shop)
    theirs = survey_create_nps(title="Hotline NPS", touchpoint=hotline)
    customer = CustomerFactory(name="Anna Berger")
    recently = timezone.now() - timedelta(days=2)
    for score in (10, 9, 9, 8):
        answer(ours, score, at=recently)
    comment = "The spare part arrived broken and nobody answered my e-mail."
    answer(ours, 3, comment, customer=customer, at=recently)
    hidden = answer(theirs, 1, "Waited forty minutes on the hotline.", at=recently)
    snapshots_recompute()

    log_in(page, "sam", "pw-sam")
    page.goto(f"{live_server.url}/actions/my-department/")
    kpis = page.locator("#department-kpis")
    expect(kpis).to_contain_text("Web shop")
    kpis.locator('td[data-kpi="nps"]').get_by_role("link", name="detractors").click()

    expect(page.get_by_role("heading", name="Responses")).to_be_visible()
    expect(page.locator("#response-count")).to_have_text("1 response")
    page.locator("#responses").get_by_role("link").first.click()
    expect(page.locator("#answers")).to_contain_text("The spare part arrived broken")
    expect(page.locator("#customer")).to_contain_text("Anna Berger")
    expect(page.locator("#follow-up-none")).to_be_visible()  # the htmx fragment loaded; no action yet
    axe_check(page)
    shots(page, "member-reads-detractor-comment")

    response = page.goto(f"{live_server.url}/surveys/responses/{hidden.pk}/")
    assert response.status == 404
