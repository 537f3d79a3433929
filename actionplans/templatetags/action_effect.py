"""``{% action_effect action as effect %}``: the effect panel's data for the action page (one selector call)."""

from django import template

from actionplans.selectors.effect import action_effect_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def action_effect(context, action) -> dict:
    request = context.get("request")
    return action_effect_panel(
        action=action,
        user=request.user if request else None,
        days_raw=request.GET.get("effect_days") if request else None,
    )
