"""Views over many actions at once: the kanban by status, the impact/effort matrix and the timeline."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actionplans import charts, selectors, services
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
        messages.success(
            request,
            _("“%(title)s” moved to %(status)s.")
            % {"title": action.title, "status": Action.Status(request.POST["status"]).label},
        )
    return redirect(safe_next(request, reverse("actionplans:action_kanban")))


@roles.role_required
def action_matrix(request):
    _filterset, actions = filtered_actions(request, selectors.actions_visible_to(user=request.user))
    actions = list(actions)
    quadrants = {value: [] for value in Action.Quadrant.values}
    for action in actions:
        quadrants[action.quadrant].append(action)
    advice = charts.quadrant_labels()
    cells = [(q, advice[q][2], quadrants[q]) for q in Action.Quadrant]
    return render(
        request,
        "actionplans/matrix.html",
        {
            "cells": [(c.value, c.label, h, a) for c, h, a in cells],
            "total": len(actions),
            "figure": charts.figure_html(charts.matrix_figure(actions)) if actions else "",
        },
    )


@roles.role_required
def action_timeline(request):
    _filterset, actions = filtered_actions(request, selectors.actions_visible_to(user=request.user))
    actions = list(actions.order_by("start_date", "due_date", "id")[:300])
    milestones = list(Milestone.objects.filter(action__in=[a.pk for a in actions]).order_by("due_date"))
    return render(
        request,
        "actionplans/timeline.html",
        {
            "figure": charts.figure_html(charts.timeline_figure(actions, milestones, today=timezone.localdate())),
            "actions": actions,
            "milestones": milestones,
            "today": timezone.localdate(),
        },
    )
