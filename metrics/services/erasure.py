"""What metrics holds about a customer, registered in the personal-data inventory (``cxportal.erasure``)."""

from cxportal import erasure
from cxportal.erasure import ErasureSubject
from metrics.models import TouchpointEvent, Transaction


def customer_inputs_erase(subject: ErasureSubject) -> dict[str, int]:
    """Transactions are the customer's purchases: deleted. Touchpoint events keep counting visits and
    conversions, without the person."""
    transactions, _ = Transaction.objects.filter(customer_id=subject.customer_id).delete()
    events = TouchpointEvent.objects.filter(customer_id=subject.customer_id).update(customer=None)
    return {"transactions": transactions, "events_unlinked": events}


def register() -> None:
    erasure.holder_register(
        kind="transactions",
        models=("metrics.Transaction", "metrics.TouchpointEvent"),
        description="Revenue transactions (deleted) and touchpoint events (unlinked from the customer).",
        erase=customer_inputs_erase,
        order=80,
    )
    erasure.not_personal("metrics.RecomputeRun", "bookkeeping of KPI recomputations: markers and formula versions")
    erasure.not_personal(
        "metrics.Notification", "KPI target messages to staff: aggregate values of a scope, never a customer's data"
    )
    for model in ("KpiSnapshot", "KpiTarget", "TargetCrossing", "InputChange"):
        erasure.not_personal(f"metrics.{model}", "aggregates and settings, computed over many customers")
