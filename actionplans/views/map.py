"""Actions on the journey map, touchpoint ownership per department, and the review of revised maps."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from actionplans import follow_up_queue, ownership, revisions
from actionplans.models import Department
from actionplans.views._common import report_errors, safe_next
from cxportal import roles
from cxportal.errors import ApplicationError
from journeys.models import JourneyMap, Touchpoint


def _touchpoint_from_post(request) -> Touchpoint | None:
    raw = request.POST.get("touchpoint", "")
    return Touchpoint.objects.select_related("stage").filter(pk=int(raw)).first() if raw.isdigit() else None


@roles.role_required
def map_actions(request, map_id: int):
    """Owners and open actions of the map's touchpoints and pain points: out-of-band swaps for the map page
    (htmx), or a page of its own without JavaScript."""
    journey_map = get_object_or_404(JourneyMap, pk=map_id)
    is_manager = roles.is_cx_manager(request.user)
    context = {
        "map": journey_map,
        **ownership.map_actions(journey_map=journey_map, user=request.user),
        "is_manager": is_manager,
        "today": timezone.localdate(),
        # CX managers see where the closed loop reaches no department (follow-ups on, no receiver).
        "unrouted": follow_up_queue.map_unrouted(journey_map=journey_map) if is_manager else None,
    }
    if context["unrouted"]:
        for row in context["touchpoints"]:
            row["waiting"] = context["unrouted"]["waiting"].get(row["touchpoint"].pk, 0)
            row["no_receiver"] = row["touchpoint"].pk in context["unrouted"]["without_receiver"]
    if request.headers.get("HX-Request"):
        return render(request, "actionplans/fragments/map_actions.html", context)
    return render(request, "actionplans/map_actions.html", context)


@roles.manager_required
def department_touchpoints(request, department_id: int):
    department = get_object_or_404(Department, pk=department_id)
    return render(
        request,
        "actionplans/department_touchpoints.html",
        {
            "department": department,
            "groups": ownership.department_touchpoints(department=department),
            "choices": ownership.touchpoint_owner_choices(),
        },
    )


@roles.manager_required
@require_POST
def department_touchpoint_add(request, department_id: int):
    department = get_object_or_404(Department, pk=department_id)
    touchpoint = _touchpoint_from_post(request)
    if touchpoint is None:
        messages.error(request, "Choose a touchpoint.")
    else:
        ownership.touchpoint_owner_set(touchpoint=touchpoint, department=department, by=request.user)
        messages.success(request, f"{department.name} now owns “{touchpoint.name}”.")
    return redirect("actionplans:department_touchpoints", department_id=department.pk)


@roles.manager_required
@require_POST
def department_touchpoint_remove(request, department_id: int):
    department = get_object_or_404(Department, pk=department_id)
    owned = get_object_or_404(
        ownership.touchpoint_ownerships_visible_to(user=request.user),
        department=department,
        touchpoint_id=request.POST.get("touchpoint") or 0,
    )
    ownership.touchpoint_ownership_delete(ownership=owned, by=request.user)
    messages.success(request, f"{department.name} no longer owns “{owned.touchpoint.name}”.")
    return redirect("actionplans:department_touchpoints", department_id=department.pk)


@roles.role_required
def review_list(request):
    """Open actions whose touchpoint or pain point was removed from its map (fragment or page)."""
    context = {"items": revisions.review_items(user=request.user), "is_manager": roles.is_cx_manager(request.user)}
    if request.headers.get("HX-Request"):
        return render(request, "actionplans/fragments/review_list.html", context)
    return render(request, "actionplans/review_list.html", context)


def _reviewed_action(request, action_id: int):
    # Only actions that need review and that the user may see; others are a 404.
    return get_object_or_404(revisions.actions_needing_review(user=request.user), pk=action_id)


@roles.role_required
@require_POST
def review_mark_obsolete(request, action_id: int):
    action = _reviewed_action(request, action_id)
    try:
        revisions.action_review_mark_obsolete(action=action, by=request.user)
        messages.success(request, f"Action “{action.title}” marked obsolete.")
    except (ValidationError, PermissionDenied, ApplicationError) as exc:
        report_errors(request, exc)
    return redirect(safe_next(request, reverse("actionplans:review_list")))


@roles.manager_required
@require_POST
def review_relink(request, action_id: int):
    action = _reviewed_action(request, action_id)
    touchpoint = _touchpoint_from_post(request)
    try:
        if touchpoint is None:
            raise ValidationError("Choose a touchpoint.")
        revisions.action_review_relink(action=action, touchpoint=touchpoint, by=request.user)
        messages.success(request, f"Action “{action.title}” now addresses “{touchpoint.name}”.")
    except (ValidationError, PermissionDenied, ApplicationError) as exc:
        report_errors(request, exc)
    return redirect(safe_next(request, reverse("actionplans:review_list")))


urlpatterns = [
    path("maps/<int:map_id>/fragment/", map_actions, name="map_actions"),
    path("departments/<int:department_id>/touchpoints/", department_touchpoints, name="department_touchpoints"),
    path(
        "departments/<int:department_id>/touchpoints/add/",
        department_touchpoint_add,
        name="department_touchpoint_add",
    ),
    path(
        "departments/<int:department_id>/touchpoints/remove/",
        department_touchpoint_remove,
        name="department_touchpoint_remove",
    ),
    path("review/", review_list, name="review_list"),
    path("review/<int:action_id>/obsolete/", review_mark_obsolete, name="review_mark_obsolete"),
    path("review/<int:action_id>/relink/", review_relink, name="review_relink"),
]
