"""Closed loop UI: the follow-up rules per touchpoint, and the pulse survey of a done action."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actionplans import selectors
from actionplans.forms import FollowUpRuleForm, PulseSurveyForm
from actionplans.models import FollowUpRule
from actionplans.selectors import closed_loop as closed_loop_selectors
from actionplans.services import closed_loop
from actionplans.views._common import call_service, report_errors
from cxportal import roles
from cxportal.errors import ApplicationError
from journeys.models import Touchpoint


@roles.manager_required
def follow_up_rules(request):
    return render(
        request,
        "actionplans/follow_up_rules.html",
        {"touchpoints": closed_loop_selectors.follow_up_rule_list(), "title": _("Closed loop: follow-up rules")},
    )


@roles.manager_required
def follow_up_rule_edit(request, touchpoint_id: int):
    touchpoint = get_object_or_404(Touchpoint.objects.select_related("stage__journey_map"), pk=touchpoint_id)
    rule, on = closed_loop_selectors.effective_rule(touchpoint)
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
            messages.success(request, _("Follow-up rule for “%(touchpoint)s” saved.") % {"touchpoint": touchpoint.name})
            return redirect("actionplans:follow_up_rules")
    return render(
        request,
        "actionplans/simple_form.html",
        {
            "form": form,
            "heading": _("Follow-up rule: %(map)s › %(touchpoint)s")
            % {"map": touchpoint.stage.journey_map.name, "touchpoint": touchpoint.name},
        },
    )


@roles.manager_required
@require_POST
def action_pulse_survey(request, action_id: int):
    action = get_object_or_404(selectors.actions_visible_to(user=request.user), pk=action_id)
    form = PulseSurveyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the number of days (1–365)."))
    else:
        try:
            campaign = closed_loop.pulse_survey_schedule(action=action, by=request.user, **form.cleaned_data)
        except closed_loop.PulseSurveyAlreadyScheduled as exc:
            url = reverse("surveys:campaign_detail", kwargs={"campaign_id": exc.campaign.pk})
            messages.info(
                request,
                format_html(
                    _(
                        'A pulse survey is already scheduled for this action: <a href="{}">{}</a> on {}. '
                        "Nothing new was scheduled."
                    ),
                    url,
                    exc.campaign.name,
                    f"{timezone.localdate(exc.campaign.send_at):%Y-%m-%d}",
                ),
            )
        except (ValidationError, PermissionDenied, ApplicationError) as exc:
            report_errors(request, exc)
        else:
            messages.success(
                request,
                _("Pulse survey scheduled for %(date)s.")
                % {"date": f"{timezone.localdate(campaign.send_at):%Y-%m-%d}"},
            )
    return redirect(reverse("actionplans:action_detail", args=[action.pk]) + "#effect")
