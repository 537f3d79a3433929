"""``{% action_effect action as effect %}``: the effect panel's data for the action page (one selector call)."""

from django import template
from django.conf import settings

from actionplans import closed_loop, effect
from cxportal import roles

register = template.Library()


@register.simple_tag(takes_context=True)
def action_effect(context, action) -> dict:
    request = context.get("request")
    days = effect.window_of(request.GET.get("effect_days") if request else None)
    can_pulse = bool(request and roles.is_cx_manager(request.user)) and action.status == action.Status.DONE
    scheduled = action.pulse_campaign if can_pulse and action.pulse_campaign_id else None
    if scheduled is not None and scheduled.status == scheduled.Status.CANCELLED:
        scheduled = None  # a cancelled pulse survey can be replaced
    return {
        "effect": effect.action_effect(action=action, days=days),
        "days": days,
        "windows": effect.WINDOWS,
        "pulse_campaign": scheduled,
        "pulse_survey": closed_loop.pulse_survey_for(action) if can_pulse and scheduled is None else None,
        "pulse_in_days": closed_loop.PULSE_IN_DAYS,
        "min_n": settings.CX_MIN_SAMPLE_SIZE,
    }
