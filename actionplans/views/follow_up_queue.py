"""The "Needs a department" queue: each detractor no department received, routed or dismissed by CX managers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actionplans.forms import RouteForm
from actionplans.models import Department, UnroutedFollowUp
from actionplans.selectors import follow_up_queue as queue_selectors
from actionplans.services import follow_up_queue
from actionplans.views._common import report_errors
from cxportal import roles
from cxportal.errors import ApplicationError


@roles.manager_required
def follow_up_queue_page(request):
    """ "Needs a department": each detractor no department received, and the touchpoints that send them."""
    return render(
        request,
        "actionplans/follow_up_queue.html",
        {
            "entries": queue_selectors.unrouted_open(),
            "touchpoints": queue_selectors.touchpoints_without_receiver_list(),
            "departments": Department.objects.order_by("name"),
        },
    )


def _open_entry(entry_id: int) -> UnroutedFollowUp:
    return get_object_or_404(queue_selectors.unrouted_open(), pk=entry_id)


@roles.manager_required
@require_POST
def follow_up_queue_route(request, entry_id: int):
    entry = _open_entry(entry_id)
    form = RouteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the department that follows up."))
        return redirect("actionplans:follow_up_queue")
    try:
        action = follow_up_queue.unrouted_route(entry=entry, by=request.user, **form.cleaned_data)
    except (ValidationError, PermissionDenied, ApplicationError) as exc:
        report_errors(request, exc)
        return redirect("actionplans:follow_up_queue")
    messages.success(
        request,
        format_html(
            _('Follow-up action <a href="{}">{}</a> opened for {}.'),
            reverse("actionplans:action_detail", args=[action.pk]),
            action.title,
            action.department.name,
        ),
    )
    return redirect("actionplans:follow_up_queue")


@roles.manager_required
@require_POST
def follow_up_queue_dismiss(request, entry_id: int):
    try:
        follow_up_queue.unrouted_dismiss(entry=_open_entry(entry_id), by=request.user)
    except (ValidationError, PermissionDenied, ApplicationError) as exc:
        report_errors(request, exc)
    else:
        messages.success(request, _("Follow-up dismissed."))
    return redirect("actionplans:follow_up_queue")
