"""Touchpoint ownership per department: which touchpoints a department owns (CX managers assign them)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actionplans.models import Department
from actionplans.selectors import ownership as ownership_selectors
from actionplans.services import ownership
from actionplans.views._common import touchpoint_from_post
from cxportal import roles


@roles.manager_required
def department_touchpoints(request, department_id: int):
    department = get_object_or_404(Department, pk=department_id)
    return render(
        request,
        "actionplans/department_touchpoints.html",
        {
            "department": department,
            "groups": ownership_selectors.department_touchpoints(department=department),
            "choices": ownership_selectors.touchpoint_owner_choices(),
        },
    )


@roles.manager_required
@require_POST
def department_touchpoint_add(request, department_id: int):
    department = get_object_or_404(Department, pk=department_id)
    touchpoint = touchpoint_from_post(request)
    if touchpoint is None:
        messages.error(request, _("Choose a touchpoint."))
    else:
        ownership.touchpoint_owner_set(touchpoint=touchpoint, department=department, by=request.user)
        messages.success(
            request,
            _("%(department)s now owns “%(touchpoint)s”.")
            % {"department": department.name, "touchpoint": touchpoint.name},
        )
    return redirect("actionplans:department_touchpoints", department_id=department.pk)


@roles.manager_required
@require_POST
def department_touchpoint_remove(request, department_id: int):
    department = get_object_or_404(Department, pk=department_id)
    owned = get_object_or_404(
        ownership_selectors.touchpoint_ownerships_visible_to(user=request.user),
        department=department,
        touchpoint_id=request.POST.get("touchpoint") or 0,
    )
    ownership.touchpoint_ownership_delete(ownership=owned, by=request.user)
    messages.success(
        request,
        _("%(department)s no longer owns “%(touchpoint)s”.")
        % {"department": department.name, "touchpoint": owned.touchpoint.name},
    )
    return redirect("actionplans:department_touchpoints", department_id=department.pk)
