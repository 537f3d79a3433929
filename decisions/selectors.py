"""Reads of decisions that several places share (pages, the API, reports)."""

from django.db.models import QuerySet

from decisions.models import ChurnRisk
from decisions.reasons import reason_label


def risks_ranked() -> QuerySet[ChurnRisk]:
    """The latest model's scores, riskiest customer first (a retraining replaces them all), customers and the
    model (which the reasons are worked out with) joined."""
    return ChurnRisk.objects.select_related("customer", "model").order_by("-probability", "customer_id")


def top_risks(limit: int) -> list[ChurnRisk]:
    """The ``limit`` riskiest customers, each with ``reason_labels`` in the active language."""
    risks = list(risks_ranked()[:limit])
    for risk in risks:
        risk.reason_labels = [reason_label(r) for r in risk.reasons]
    return risks
