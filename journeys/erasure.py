"""What journeys holds about a customer (the customer record), registered in ``cxportal.erasure``."""

from cxportal import erasure
from cxportal.erasure import ErasureSubject
from journeys.models import Customer


def customer_erase(subject: ErasureSubject) -> dict[str, int]:
    """The customer record goes last, once every other holder has handled what refers to it."""
    deleted, _ = Customer.objects.filter(pk=subject.customer_id).delete()
    return {"customer": 1 if deleted else 0}


def register() -> None:
    erasure.holder_register(
        kind="customer",
        models=("journeys.Customer",),
        description="The customer record (name, e-mail, attributes): deleted, not blanked.",
        erase=customer_erase,
        order=99,
    )
    staff_written = "written by staff about the journey, not about one customer"
    for model in ("Persona", "JourneyMap", "Stage", "Touchpoint", "Lane", "LaneCell", "PainPoint", "Opportunity"):
        erasure.not_personal(f"journeys.{model}", staff_written)
    erasure.not_personal(
        "journeys.MapChange", "the history of map edits: who on the staff changed which map element, and how"
    )
