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
    return {
        "effect": effect.action_effect(action=action, days=days),
        "days": days,
        "windows": effect.WINDOWS,
        "pulse_survey": closed_loop.pulse_survey_for(action) if can_pulse else None,
        "pulse_in_days": closed_loop.PULSE_IN_DAYS,
        "min_n": settings.CX_MIN_SAMPLE_SIZE,
    }
