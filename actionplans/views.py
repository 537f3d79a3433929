"""Action plans UI: the list (all for CX managers, their department's for members), create, update."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from actionplans import selectors, services
from actionplans.forms import ActionCreateForm, ActionStatusForm
from actionplans.models import Action
from cxportal import roles
from cxportal.errors import form_add_errors


@roles.role_required
def action_list(request):
    actions = selectors.actions_visible_to(user=request.user)
    status = request.GET.get("status")
    if status in Action.Status.values:
        actions = actions.filter(status=status)
    elif status != "all":
        actions = actions.exclude(status__in=Action.CLOSED)
    return render(
        request,
        "actionplans/action_list.html",
        {
            "actions": actions,
            "status": status or "",
            "statuses": Action.Status.choices,
            "today": timezone.localdate(),
            "title": "Actions",
        },
    )


@roles.role_required
def my_department(request):
    departments = list(selectors.departments_of(user=request.user))
    actions = selectors.actions_visible_to(user=request.user).filter(department__in=departments)
    return render(
        request,
        "actionplans/action_list.html",
        {
            "actions": actions,
            "departments": departments,
            "today": timezone.localdate(),
            "title": "My department",
            "statuses": Action.Status.choices,
            "status": "all",
        },
    )


@roles.manager_required
def action_create(request):
    form = ActionCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, f"Action “{action.title}” assigned to {action.department}.")
            return redirect("actionplans:action_detail", action_id=action.pk)
    return render(request, "actionplans/action_form.html", {"form": form})


@roles.role_required
def action_detail(request, action_id: int):
    # Another department's action is a 404: it is not said to exist.
    action = get_object_or_404(selectors.actions_visible_to(user=request.user), pk=action_id)
    form = ActionStatusForm(request.POST or None, instance=Action(status=action.status, progress=action.progress))
    if request.method == "POST" and form.is_valid():
        try:
            # Only what the user changed: "done" with the progress left as it was means 100 %.
            changed = {field: form.cleaned_data[field] for field in form.changed_data}
            services.action_update(action=action, data=changed, by=request.user)
        except ValidationError as exc:
            form_add_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Action updated.")
            return redirect("actionplans:action_detail", action_id=action.pk)
    return render(
        request, "actionplans/action_detail.html", {"action": action, "form": form, "today": timezone.localdate()}
    )
