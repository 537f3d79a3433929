"""Semantic status colours from one definition (actionplans/statuses.py) on the Gantt, the milestone lists, the
action list and the department page — always with an icon and a word beside the colour."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans import charts
from actionplans.models import Action, Milestone
from actionplans.statuses import MILESTONE_STYLES, OVERDUE_STYLE, STATUS_STYLES
from tests import chart_html
from tests.actionplans.factories import ActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(sales):
    today = timezone.localdate()
    late = ActionFactory(
        title="Old FAQ",
        department=sales,
        status="open",
        start_date=today - timedelta(days=30),
        due_date=today - timedelta(days=2),
    )
    blocked = ActionFactory(title="Fix checkout", department=sales, status="blocked")
    done = ActionFactory(title="New hotline", department=sales, status="done", progress=100)
    working = ActionFactory(title="Chat staffing", department=sales, status="in_progress", progress=50)
    Milestone.objects.create(action=late, title="Draft ready", due_date=today - timedelta(days=5))
    Milestone.objects.create(action=working, title="Pilot", due_date=today + timedelta(days=5))
    Milestone.objects.create(
        action=done, title="Go live", due_date=today - timedelta(days=9), done_at=timezone.now() - timedelta(days=9)
    )
    return {"late": late, "blocked": blocked, "done": done, "working": working}


def test_the_gantt_colours_each_status_from_the_one_definition_and_every_bar_says_its_status(work):
    today = timezone.localdate()
    actions = list(Action.objects.select_related("department"))
    milestones = list(Milestone.objects.all())

    figure = charts.timeline_figure(actions, milestones, today=today).to_plotly_json()

    bars = [t for t in figure["data"] if t["type"] == "bar"]
    labels = dict(Action.Status.choices)
    for bar in bars:
        status = next(s for s, label in labels.items() if bar["name"].endswith(str(label)))
        style = STATUS_STYLES[status]
        assert bar["marker"]["color"] == style.colour
        assert bar["name"] == f"{style.icon} {labels[status]}", "the legend entry: icon and word, not only colour"
        assert all(text.startswith(str(labels[status])) for text in bar["text"]), "each bar carries its status"
    by_name = {bar["name"]: bar for bar in bars}
    assert by_name["■ Blocked"]["marker"]["color"] == "#dc3545"  # danger
    assert by_name["✓ Done"]["marker"]["color"] == "#198754"  # success
    assert by_name["○ Open"]["text"] == ["Open · overdue"]
    assert by_name["○ Open"]["marker"]["line"]["color"] == [OVERDUE_STYLE.colour]  # warning outline
    assert figure["layout"]["legend"]["title"]["text"] == "Status"

    diamonds = {t["name"]: t for t in figure["data"] if t["type"] == "scatter"}
    assert diamonds["◆ Milestone: overdue"]["marker"]["color"] == MILESTONE_STYLES["overdue"].colour
    assert diamonds["◆ Milestone: done"]["marker"]["color"] == MILESTONE_STYLES["done"].colour
    assert diamonds["◆ Milestone: overdue"]["text"] == ["Draft ready (! overdue)"]
    assert diamonds["◆ Milestone: open"]["text"] == ["Pilot (◇ open)"]


def test_the_timeline_page_has_both_legends_and_coloured_milestone_badges(client, manager, work):
    client.force_login(manager)

    content = client.get(reverse("actionplans:action_timeline")).content.decode()

    (gantt,) = chart_html.figures(content)
    assert any(t["name"] == "◆ Milestone: overdue" for t in gantt["data"])
    legend = re.search(r'<p class="small mb-1 milestone-legend".*?</p>', content, re.S)[0]
    for state in ("done", "overdue", "open"):
        assert f'data-state="{state}"' in legend
    assert (
        'class="badge text-bg-warning milestone-badge" data-state="overdue"><span aria-hidden="true">!</span> overdue'
        in content
    )


def test_the_milestone_list_of_an_action_marks_overdue_in_warning_and_done_in_success(client, manager, work):
    client.force_login(manager)

    late = client.get(reverse("actionplans:action_detail", args=[work["late"].pk])).content.decode()
    done = client.get(reverse("actionplans:action_detail", args=[work["done"].pk])).content.decode()

    assert 'text-bg-warning milestone-badge" data-state="overdue"><span aria-hidden="true">!</span> overdue' in late
    assert 'text-bg-success milestone-badge" data-state="done"><span aria-hidden="true">✓</span> done' in done


def test_the_action_list_has_the_status_legend_beside_its_badges(client, manager, work):
    client.force_login(manager)

    content = client.get(reverse("actionplans:action_list")).content.decode()

    assert 'class="small mb-1 status-legend"' in content
    assert 'class="badge text-bg-danger status-badge" data-status="blocked"' in content


def test_the_department_page_counts_actions_per_status_in_their_colours_with_words(client, manager, work, sales):
    client.force_login(manager)

    content = client.get(reverse("actionplans:department_list")).content.decode()

    row = re.search(r"<tr><td>Sales</td>.*?</tr>", content, re.S)[0]
    assert (
        '<span class="badge text-bg-danger me-1" data-status="blocked"><span aria-hidden="true">■</span> Blocked: 1'
        in row
    )
    assert 'text-bg-success me-1" data-status="done"><span aria-hidden="true">✓</span> Done: 1' in row
    assert 'text-bg-warning" data-status="overdue"><span aria-hidden="true">!</span> overdue: 1' in row
    assert 'class="small mb-1 status-legend"' in content


def test_the_department_page_counts_in_one_query_however_many_departments(
    client, manager, work, django_assert_max_num_queries
):
    from actionplans.models import Department

    for i in range(5):
        ActionFactory(department=Department.objects.create(name=f"Team {i}"), status="open")
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("actionplans:department_list")).status_code == 200
