"""What actionplans holds about a customer, registered in the personal-data inventory (``cxportal.erasure``).

A follow-up action opened by the closed loop copies nothing of the customer: its page reads the comment
and the customer live from the linked response, so anonymising the response blanks them there too, and
deleting it unlinks the action. The holder counts those actions for the audit entry.
"""

from actionplans.models import Action, ChurnFollowUp, UnroutedFollowUp
from cxportal import erasure
from cxportal.erasure import ErasureSubject


def follow_ups_count(subject: ErasureSubject) -> dict[str, int]:
    return {"follow_up_actions": Action.objects.filter(source_response_id__in=subject.response_ids).count()}


def unrouted_count(subject: ErasureSubject) -> dict[str, int]:
    entries = UnroutedFollowUp.objects.filter(response_id__in=subject.response_ids)
    return {"unrouted_follow_ups": entries.count()}


def churn_follow_ups_unlink(subject: ErasureSubject) -> dict[str, int]:
    """The actions stay (they name no customer); the link to the erased customer goes."""
    deleted, _ = ChurnFollowUp.objects.filter(customer_id=subject.customer_id).delete()
    return {"churn_follow_ups": deleted}


def register() -> None:
    erasure.holder_register(
        kind="churn_follow_ups",
        models=("actionplans.ChurnFollowUp",),
        description="Links from churn-risk follow-up actions to the customer (deleted; the actions name nobody).",
        erase=churn_follow_ups_unlink,
        order=20,
    )
    erasure.holder_register(
        kind="follow_up_actions",
        models=("actionplans.Action",),
        description="Follow-up actions of the customer's responses: they quote no text (the comment is read live "
        "from the response), so they lose the comment and the customer with the response; counted.",
        erase=follow_ups_count,
        order=20,
    )
    erasure.holder_register(
        kind="unrouted_follow_ups",
        models=("actionplans.UnroutedFollowUp",),
        description="Detractors waiting for a department (Needs a department): a score and a link to the "
        "response, no text; deleted with a deleted response, kept with an anonymised one; counted.",
        erase=unrouted_count,
        order=20,
    )
    erasure.not_personal(
        "actionplans.Comment", "staff's notes on an action; the closed loop never copies a customer's text into one"
    )
    erasure.not_personal("actionplans.ActionEvent", "the history of an action's changes by staff (ids, not texts)")
    for model in (
        "Department",
        "ActionPlan",
        "Milestone",
        "ReminderDigest",
        "TouchpointOwnership",
        "FollowUpRule",
        "ChurnRiskRule",
    ):
        erasure.not_personal(f"actionplans.{model}", "organisation and planning data of the staff")
