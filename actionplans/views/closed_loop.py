"""Closed loop and effect UI: the follow-up rules per touchpoint, and the pulse survey of a done action."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from actionplans import closed_loop, follow_up_queue, selectors
from actionplans.models import Department, FollowUpRule, UnroutedFollowUp
from actionplans.views._common import call_service, report_errors
from cxportal import roles
from cxportal.errors import ApplicationError
from journeys.models import Touchpoint


class FollowUpRuleForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="Open a follow-up action for each detractor")
    department = forms.ModelChoiceField(
        Department.objects.all(),
        required=False,
        empty_label="The department that owns the touchpoint",
        help_text="Who follows up. Empty: the touchpoint's owning department.",
    )
    due_in_days = forms.IntegerField(min_value=1, max_value=365, label="Due in (days)")
    threshold = forms.IntegerField(
        min_value=0, max_value=FollowUpRule.DEFAULT_THRESHOLD, label="NPS at or below", help_text="Detractors: 0–6."
    )


class PulseSurveyForm(forms.Form):
    in_days = forms.IntegerField(min_value=1, max_value=365, initial=closed_loop.PULSE_IN_DAYS)


@roles.manager_required
def follow_up_rules(request):
    return render(
        request,
        "actionplans/follow_up_rules.html",
        {"touchpoints": closed_loop.follow_up_rule_list(), "title": "Closed loop: follow-up rules"},
    )


@roles.manager_required
def follow_up_rule_edit(request, touchpoint_id: int):
    touchpoint = get_object_or_404(Touchpoint.objects.select_related("stage__journey_map"), pk=touchpoint_id)
    rule, on = closed_loop.effective_rule(touchpoint)
    rule = rule or FollowUpRule(touchpoint=touchpoint, enabled=False)
    initial = {
        "enabled": on,
        "department": rule.department_id,
        "due_in_days": rule.due_in_days,
        "threshold": rule.threshold,
    }
    form = FollowUpRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if call_service(
            request, form, closed_loop.follow_up_rule_set, touchpoint=touchpoint, by=request.user, **form.cleaned_data
        ):
            messages.success(request, f"Follow-up rule for “{touchpoint.name}” saved.")
            return redirect("actionplans:follow_up_rules")
    return render(
        request,
        "actionplans/simple_form.html",
        {"form": form, "heading": f"Follow-up rule: {touchpoint.stage.journey_map.name} › {touchpoint.name}"},
    )


class RouteForm(forms.Form):
    department = forms.ModelChoiceField(Department.objects.all(), label=pgettext_lazy("closed loop", "Department"))
    route_future = forms.BooleanField(
        required=False, label=gettext_lazy("Also send this touchpoint's next detractors to this department")
    )


@roles.manager_required
def follow_up_queue_page(request):
    """ "Needs a department": each detractor no department received, and the touchpoints that send them."""
    return render(
        request,
        "actionplans/follow_up_queue.html",
        {
            "entries": follow_up_queue.unrouted_open(),
            "touchpoints": follow_up_queue.touchpoints_without_receiver_list(),
            "departments": Department.objects.order_by("name"),
        },
    )


def _open_entry(entry_id: int) -> UnroutedFollowUp:
    return get_object_or_404(follow_up_queue.unrouted_open(), pk=entry_id)


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


@roles.manager_required
@require_POST
def action_pulse_survey(request, action_id: int):
    action = get_object_or_404(selectors.actions_visible_to(user=request.user), pk=action_id)
    form = PulseSurveyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the number of days (1–365).")
    else:
        try:
            campaign = closed_loop.pulse_survey_schedule(action=action, by=request.user, **form.cleaned_data)
        except closed_loop.PulseSurveyAlreadyScheduled as exc:
            url = reverse("surveys:campaign_detail", kwargs={"campaign_id": exc.campaign.pk})
            messages.info(
                request,
                format_html(
                    'A pulse survey is already scheduled for this action: <a href="{}">{}</a> on {}. '
                    "Nothing new was scheduled.",
                    url,
                    exc.campaign.name,
                    f"{timezone.localdate(exc.campaign.send_at):%Y-%m-%d}",
                ),
            )
        except (ValidationError, PermissionDenied, ApplicationError) as exc:
            report_errors(request, exc)
        else:
            messages.success(request, f"Pulse survey scheduled for {timezone.localdate(campaign.send_at):%Y-%m-%d}.")
    return redirect(reverse("actionplans:action_detail", args=[action.pk]) + "#effect")


urlpatterns = [
    path("follow-up-rules/", follow_up_rules, name="follow_up_rules"),
    path("follow-up-rules/<int:touchpoint_id>/", follow_up_rule_edit, name="follow_up_rule_edit"),
    path("needs-a-department/", follow_up_queue_page, name="follow_up_queue"),
    path("needs-a-department/<int:entry_id>/route/", follow_up_queue_route, name="follow_up_queue_route"),
    path("needs-a-department/<int:entry_id>/dismiss/", follow_up_queue_dismiss, name="follow_up_queue_dismiss"),
    path("<int:action_id>/pulse-survey/", action_pulse_survey, name="action_pulse_survey"),
]
