"""What decisions holds about a customer, registered in the personal-data inventory (``cxportal.erasure``)."""

from cxportal import erasure
from cxportal.erasure import ErasureSubject
from decisions.models import ChurnRisk


def churn_risk_erase(subject: ErasureSubject) -> dict[str, int]:
    deleted, _ = ChurnRisk.objects.filter(customer_id=subject.customer_id).delete()
    return {"churn_risks": deleted}


def register() -> None:
    erasure.holder_register(
        kind="churn_risks",
        models=("decisions.ChurnRisk",),
        description="The customer's churn risk and its reasons (deleted).",
        erase=churn_risk_erase,
        order=70,
    )
    erasure.not_personal("decisions.ChurnModel", "model quality and coefficients, computed over many customers")
