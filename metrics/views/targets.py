"""KPI targets (list, create, edit, delete) and the notifications they raise."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxportal import roles
from cxportal.errors import form_add_errors
from metrics.forms import KpiTargetForm
from metrics.models import KpiTarget
from metrics.selectors import targets as target_reads
from metrics.services import targets as target_writes


@roles.role_required
def target_list(request):
    return render(
        request,
        "metrics/targets.html",
        {"targets": target_reads.target_list(), "min_n": settings.CX_MIN_SAMPLE_SIZE},
    )


def _target_form_page(request, form, target=None):
    return render(request, "metrics/target_form.html", {"form": form, "target": target})


@roles.manager_required
def target_create(request):
    form = KpiTargetForm(request.POST or None, initial={"notify": True})
    if request.method == "POST" and form.is_valid():
        try:
            target = target_writes.target_create(**form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Target “%(target)s” saved.") % {"target": target})
            return redirect("metrics:target_list")
    return _target_form_page(request, form)


@roles.manager_required
def target_edit(request, target_id: int):
    target = get_object_or_404(KpiTarget, pk=target_id)
    fields = ["kpi", "scope_type", "scope_key", "comparison", "value", "notify", "open_action"]
    form = KpiTargetForm(request.POST or None, initial={f: getattr(target, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            target_writes.target_update(target=target, data=form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Target saved."))
            return redirect("metrics:target_list")
    return _target_form_page(request, form, target)


@roles.manager_required
@require_POST
def target_delete(request, target_id: int):
    target_writes.target_delete(target=get_object_or_404(KpiTarget, pk=target_id))
    messages.success(request, _("Target deleted."))
    return redirect("metrics:target_list")


# ---------------------------------------------------------------- notifications


@roles.role_required
def notification_list(request):
    return render(
        request, "metrics/notifications.html", {"notifications": target_reads.notification_list(user=request.user)}
    )


@roles.role_required
@require_POST
def notifications_read(request):
    ids = [int(i) for i in request.POST.getlist("notification") if i.isdigit()]
    target_writes.notifications_mark_read(user=request.user, notification_ids=ids or None)
    return redirect("metrics:notification_list")
