"""``{% churn_risk customer %}``: the customer's churn risk, its three strongest reasons and the model's quality."""

from django import template
from django.core.exceptions import ObjectDoesNotExist

from decisions.reasons import reason_label

register = template.Library()


@register.inclusion_tag("decisions/partials/customer_risk.html")
def churn_risk(customer):
    try:
        risk = customer.churn_score
    except ObjectDoesNotExist:
        risk = None
    return {
        "risk": risk,
        "model": risk.model if risk else None,
        "reasons": [reason_label(r) for r in risk.reasons] if risk else [],
    }
