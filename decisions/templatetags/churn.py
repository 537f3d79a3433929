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


@register.inclusion_tag("decisions/partials/risk_panel.html")
def churn_risk_panel(limit: int = 5):
    """The dashboard panel: the customers most at risk under the latest model, or why there are none."""
    from decisions.models import ChurnRisk
    from decisions.services.churn import latest_model

    model = latest_model()
    risks = list(ChurnRisk.objects.select_related("customer").order_by("-probability", "customer_id")[:limit])
    for risk in risks:
        risk.reason_labels = [reason_label(r) for r in risk.reasons]
    return {"model": model, "risks": risks}
