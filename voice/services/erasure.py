"""What voice holds about a customer, registered in the personal-data inventory (``cxportal.erasure``)."""

from django.db.models import Q

from cxportal import erasure
from cxportal.erasure import ErasureSubject
from voice.models import FeedbackItem


def feedback_items_erase(subject: ErasureSubject) -> dict[str, int]:
    """The customer's feedback items (their own and those copied from their responses) are deleted, and with
    them everything derived: sentiment, topic links. Topics are counted again at the next rebuild."""
    items = FeedbackItem.objects.filter(
        Q(customer_id=subject.customer_id) | Q(response_id__in=sorted(subject.response_ids))
    )
    ids = list(items.values_list("pk", flat=True))
    FeedbackItem.topics.through.objects.filter(feedbackitem_id__in=ids).delete()
    FeedbackItem.objects.filter(pk__in=ids).delete()
    return {"feedback_items": len(ids)}


def register() -> None:
    erasure.holder_register(
        kind="feedback_items",
        models=("voice.FeedbackItem",),
        description="Feedback items (survey comments, tickets, reviews, …) with their sentiment and topic links: "
        "deleted.",
        erase=feedback_items_erase,
        order=25,  # before the responses are anonymised: the items are found by their response ids
    )
    erasure.not_personal(
        "voice.Topic", "topic labels and terms are drawn from many texts; steering is written by staff"
    )
    erasure.not_personal("voice.AnalysisRun", "counts and a status message of a worker run")
