"""Action plans: list, detail (its actions by quadrant and status), create and edit (CX managers)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans import selectors, services
from actionplans.forms import ActionPlanForm
from actionplans.models import ActionPlan
from actionplans.views._common import call_service
from cxportal import roles


@roles.manager_required
def plan_list(request):
    plans = selectors.action_plans_visible_to(user=request.user)
    return render(request, "actionplans/plan_list.html", {"plans": plans})


@roles.manager_required
def plan_detail(request, plan_id: int):
    plan = get_object_or_404(selectors.action_plans_visible_to(user=request.user), pk=plan_id)
    actions = selectors.actions_visible_to(user=request.user).filter(plan=plan)
    return render(
        request,
        "actionplans/plan_detail.html",
        {"plan": plan, "actions": actions, "today": timezone.localdate()},
    )


@roles.manager_required
def plan_create(request):
    form = ActionPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = call_service(request, form, services.action_plan_create, by=request.user, **form.cleaned_data)
        if plan is not None:
            messages.success(request, _("Action plan created."))
            return redirect("actionplans:plan_detail", plan_id=plan.pk)
    return render(request, "actionplans/simple_form.html", {"form": form, "heading": _("New action plan")})


@roles.manager_required
def plan_edit(request, plan_id: int):
    plan = get_object_or_404(ActionPlan, pk=plan_id)
    form = ActionPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if call_service(request, form, services.action_plan_update, plan=plan, data=data, by=request.user):
            messages.success(request, _("Action plan saved."))
            return redirect("actionplans:plan_detail", plan_id=plan.pk)
    return render(
        request, "actionplans/simple_form.html", {"form": form, "heading": _("Edit %(name)s") % {"name": plan.name}}
    )
