"""Views over many actions at once: the kanban by status, the impact/effort matrix and the timeline."""

from datetime import timedelta

import plotly.graph_objects as go
import plotly.io as pio
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_POST

from actionplans import selectors, services
from actionplans.models import Action, Milestone
from actionplans.views._common import filtered_actions, report_errors, safe_next
from cxportal import roles
from cxportal.errors import ApplicationError


@roles.role_required
def action_kanban(request):
    _filterset, actions = filtered_actions(request, selectors.actions_visible_to(user=request.user))
    if not request.GET.get("status"):
        # The board shows the closed columns too, but only what closed in the last 30 days.
        recent = timezone.now() - timedelta(days=30)
        closed = selectors.actions_visible_to(user=request.user).filter(
            status__in=Action.CLOSED, updated_at__gte=recent
        )
        actions = actions | closed
    columns = {value: [] for value in Action.Status.values}
    for action in actions.order_by("due_date", "id"):
        columns[action.status].append(action)
    return render(
        request,
        "actionplans/kanban.html",
        {
            "columns": [(value, label, columns[value]) for value, label in Action.Status.choices],
            "statuses": Action.Status.choices,
            "today": timezone.localdate(),
        },
    )


@roles.role_required
@require_POST
def action_move(request, action_id: int):
    """Move a card to another status column (a select and a button per card: works without JavaScript)."""
    action = get_object_or_404(selectors.actions_visible_to(user=request.user), pk=action_id)
    try:
        services.action_update(action=action, data={"status": request.POST.get("status", "")}, by=request.user)
    except (ValidationError, PermissionDenied, ApplicationError) as exc:
        report_errors(request, exc)
    else:
        messages.success(request, f"“{action.title}” moved to {Action.Status(request.POST['status']).label}.")
    return redirect(safe_next(request, reverse("actionplans:action_kanban")))


@roles.role_required
def action_matrix(request):
    _filterset, actions = filtered_actions(request, selectors.actions_visible_to(user=request.user))
    quadrants = {value: [] for value in Action.Quadrant.values}
    for action in actions:
        quadrants[action.quadrant].append(action)
    q = Action.Quadrant
    cells = [
        (q.QUICK_WIN, "High impact, low effort: do these first.", quadrants[q.QUICK_WIN]),
        (q.BIG_LEVER, "High impact, high effort: plan them, with milestones.", quadrants[q.BIG_LEVER]),
        (q.FILL_IN, "Low impact, low effort: when there is time.", quadrants[q.FILL_IN]),
        (q.THANKLESS, "Low impact, high effort: question them.", quadrants[q.THANKLESS]),
    ]
    return render(request, "actionplans/matrix.html", {"cells": [(c.value, c.label, h, a) for c, h, a in cells]})


def _timeline_figure(actions: list[Action], milestones: list[Milestone]) -> str:
    """A Gantt chart: one bar per action from start (or creation) to due date, diamonds for milestones.

    Titles are HTML-escaped: plotly renders a subset of HTML in labels and hover text.
    """
    if not actions:
        return ""
    labels = {a.pk: f"{escape(a.title)} (#{a.pk})" for a in actions}
    fig = go.Figure()
    for status, label in Action.Status.choices:
        rows = [a for a in actions if a.status == status]
        if not rows:
            continue
        starts = [a.start_date or min(a.due_date, timezone.localtime(a.created_at).date()) for a in rows]
        fig.add_trace(
            go.Bar(
                name=label,
                orientation="h",
                y=[labels[a.pk] for a in rows],
                base=[s.isoformat() for s in starts],
                x=[((a.due_date - s).days + 1) * 86_400_000 for a, s in zip(rows, starts, strict=True)],
                customdata=[[escape(a.department.name), a.due_date.isoformat(), a.progress] for a in rows],
                hovertemplate="%{y}<br>%{customdata[0]}<br>due %{customdata[1]} · %{customdata[2]} %<extra></extra>",
            )
        )
    if milestones:
        fig.add_trace(
            go.Scatter(
                name="Milestone",
                mode="markers",
                marker={"symbol": "diamond", "size": 11, "color": "black"},
                x=[m.due_date.isoformat() for m in milestones],
                y=[labels[m.action_id] for m in milestones],
                text=[f"{escape(m.title)} ({'done' if m.is_done else 'open'})" for m in milestones],
                hovertemplate="%{text}<br>%{x}<extra></extra>",
            )
        )
    today = timezone.localdate().isoformat()
    fig.add_vline(x=today, line_dash="dot", line_color="red")
    fig.update_layout(
        barmode="overlay",
        xaxis={"type": "date", "title": "Date"},
        yaxis={"autorange": "reversed", "automargin": True},
        height=max(260, 40 * len(actions) + 120),
        margin={"l": 10, "r": 10, "t": 30, "b": 40},
        legend={"orientation": "h"},
    )
    return pio.to_html(fig, full_html=False, include_plotlyjs=False, config={"displaylogo": False, "responsive": True})


@roles.role_required
def action_timeline(request):
    _filterset, actions = filtered_actions(request, selectors.actions_visible_to(user=request.user))
    actions = list(actions.order_by("start_date", "due_date", "id")[:300])
    milestones = list(Milestone.objects.filter(action__in=[a.pk for a in actions]).order_by("due_date"))
    return render(
        request,
        "actionplans/timeline.html",
        {"figure": _timeline_figure(actions, milestones), "actions": actions, "milestones": milestones},
    )
