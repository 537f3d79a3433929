"""Action boards that tell the truth: status colours from one map with a legend and words, the impact/effort
2×2 as a chart with a list beside it, progress as bars with their number."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans import charts
from actionplans.models import Action
from actionplans.statuses import OVERDUE_STYLE, STATUS_STYLES
from tests import chart_html
from tests.actionplans.factories import ActionFactory, ActionPlanFactory


def _figures(content: str) -> list[dict]:
    return chart_html.figures(content)


def test_every_status_has_one_colour_icon_and_the_agreed_meaning():
    assert set(STATUS_STYLES) == set(Action.Status.values)
    assert STATUS_STYLES["blocked"].context == "danger" and OVERDUE_STYLE.context == "warning"
    assert STATUS_STYLES["in_progress"].context == "primary" and STATUS_STYLES["done"].context == "success"
    assert STATUS_STYLES["cancelled"].context == STATUS_STYLES["obsolete"].context == "secondary"
    assert len({s.icon for s in STATUS_STYLES.values()}) == len(STATUS_STYLES)


@pytest.fixture
def board(db, sales):
    today = timezone.localdate()
    return {
        "blocked": ActionFactory(title="Fix checkout", department=sales, status="blocked", impact=5, effort=2),
        "working": ActionFactory(
            title="New hotline", department=sales, status="in_progress", progress=70, impact=4, effort=5
        ),
        "late": ActionFactory(
            title="Old FAQ",
            department=sales,
            status="open",
            impact=2,
            effort=1,
            start_date=today - timedelta(days=20),
            due_date=today - timedelta(days=3),
        ),
        "twin": ActionFactory(title="Second FAQ", department=sales, status="open", impact=2, effort=1),
    }


def test_timeline_colours_blocked_as_danger_and_in_progress_as_primary_with_a_legend(client, manager, board):
    client.force_login(manager)

    content = client.get(reverse("actionplans:action_timeline")).content.decode()

    (gantt,) = _figures(content)
    bars = {trace["name"]: trace for trace in gantt["data"] if trace["type"] == "bar"}
    assert bars["■ Blocked"]["marker"]["color"] == STATUS_STYLES["blocked"].colour == "#dc3545"
    assert bars["▶ In progress"]["marker"]["color"] == STATUS_STYLES["in_progress"].colour == "#0d6efd"
    assert bars["■ Blocked"]["text"] == ["Blocked"]  # the status in words on the bar, not only its colour
    assert "Open · overdue" in bars["○ Open"]["text"]
    legend = re.search(r'<p class="small mb-1 status-legend".*?</p>', content, re.S)[0]
    for status in ("open", "in_progress", "blocked", "done", "cancelled", "obsolete", "overdue"):
        assert f'data-status="{status}"' in legend
    assert 'class="badge text-bg-danger" data-status="blocked"' in legend
    assert 'class="badge text-bg-primary" data-status="in_progress"' in legend


def test_matrix_is_a_two_by_two_chart_with_quadrant_names_and_a_list(client, manager, board):
    client.force_login(manager)

    content = client.get(reverse("actionplans:action_matrix")).content.decode()

    (matrix,) = _figures(content)
    notes = " ".join(a["text"] for a in matrix["layout"]["annotations"])
    for name in ("Quick win", "Big lever", "Fill-in", "Thankless task"):
        assert name in notes
    points = {
        title.split(" (#")[0]: (x, y)
        for trace in matrix["data"]
        for title, x, y in zip((c[0] for c in trace["customdata"]), trace["x"], trace["y"], strict=True)
    }
    assert points["Fix checkout"] == (2, 5)  # effort right, impact up: a quick win, top left
    assert points["New hotline"] == (5, 4)
    assert points["Old FAQ"] != points["Second FAQ"]  # same rating, spread so neither hides the other
    assert all(abs(x - 1) < 0.4 and abs(y - 2) < 0.4 for x, y in (points["Old FAQ"], points["Second FAQ"]))
    assert [s["x0"] for s in matrix["layout"]["shapes"]].count(3.5) == 2  # quadrants meet at 3.5 (4–5 = high)
    fallback = re.search(r'id="matrix-list">.*', content, re.S)[0]
    assert "Fix checkout" in fallback and "New hotline" in fallback


def test_matrix_chart_escapes_titles():
    action = Action(pk=1, title="<b>x</b>", impact=5, effort=1, status="open", due_date=date(2026, 1, 1))
    action.department = ActionFactory.build().department
    fig = charts.matrix_figure([action])
    assert "&lt;b&gt;x&lt;/b&gt;" in fig.data[0].customdata[0][0]


def test_progress_is_a_bar_with_its_number(client, manager, board, sales):
    plan = ActionPlanFactory()
    ActionFactory(plan=plan, department=sales, status="done", progress=100)
    ActionFactory(plan=plan, department=sales, status="open", progress=0)
    board["working"].plan = plan
    board["working"].save()
    client.force_login(manager)

    listing = client.get(reverse("actionplans:action_list")).content.decode()
    row = re.search(r"<tr><td><a [^>]*>New hotline</a>.*?</tr>", listing, re.S)[0]
    assert 'role="progressbar"' in row and 'aria-valuenow="70"' in row and 'style="width: 70%"' in row
    assert "70 %" in row and "bg-primary" in row

    plans = client.get(reverse("actionplans:plan_list")).content.decode()
    plan_row = re.search(rf"<tr><td><a [^>]*>{plan.name}</a>.*?</tr>", plans, re.S)[0]
    assert 'aria-valuenow="33"' in plan_row and "1 of 3 actions closed" in plan_row

    detail = client.get(reverse("actionplans:plan_detail", args=[plan.pk])).content.decode()
    assert 'aria-valuenow="70"' in detail and 'data-status="in_progress"' in detail
