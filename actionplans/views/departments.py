"""Departments and their members: CX managers manage them."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans import selectors, services
from actionplans.forms import DepartmentForm
from actionplans.models import Department
from actionplans.selectors.departments import department_status_counts
from actionplans.views._common import call_service
from cxportal import roles


@roles.manager_required
def department_list(request):
    departments = list(selectors.departments_visible_to(user=request.user))
    counts = department_status_counts(departments=departments, today=timezone.localdate())
    for department in departments:
        department.action_counts = counts[department.pk]
    return render(request, "actionplans/department_list.html", {"departments": departments})


@roles.manager_required
def department_create(request):
    form = DepartmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if call_service(request, form, services.department_create, by=request.user, **form.cleaned_data):
            messages.success(request, _("Department created."))
            return redirect("actionplans:department_list")
    return render(request, "actionplans/simple_form.html", {"form": form, "heading": _("New department")})


@roles.manager_required
def department_edit(request, department_id: int):
    department = get_object_or_404(Department, pk=department_id)
    form = DepartmentForm(request.POST or None, instance=department)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if call_service(request, form, services.department_update, department=department, data=data, by=request.user):
            messages.success(request, _("Department saved."))
            return redirect("actionplans:department_list")
    return render(
        request,
        "actionplans/simple_form.html",
        {"form": form, "heading": _("Edit %(name)s") % {"name": department.name}},
    )
