"""What surveys holds about a customer, registered in the personal-data inventory (``cxportal.erasure``)."""

from cxportal import erasure
from cxportal.erasure import ErasureSubject
from surveys.models import Answer, Campaign, Invitation, PrivacyRequest, Question, Response


def responses_erase(subject: ErasureSubject) -> dict[str, int]:
    """``anonymise``: unlink responses from the person and blank free texts; ``delete``: remove them."""
    responses = Response.objects.filter(pk__in=subject.response_ids)
    answers = Answer.objects.filter(response__in=responses)
    counts = {"responses": responses.count(), "answers": answers.count(), "texts_blanked": 0}
    if subject.mode == PrivacyRequest.Action.ANONYMISE:
        counts["texts_blanked"] = answers.filter(question__kind__in=Question.TEXT).exclude(text="").update(text="")
        responses.update(customer=None, invitation=None, external_id=None)
    else:
        answers.delete()
        responses.delete()
    return counts


def invitations_erase(subject: ErasureSubject) -> dict[str, int]:
    """The customer's invitations go, with the one-person campaigns whose names carry the customer's name."""
    invitations = Invitation.objects.filter(customer_id=subject.customer_id)
    transactional = list(
        Campaign.objects.filter(
            kind=Campaign.Kind.TRANSACTIONAL, invitations__customer_id=subject.customer_id
        ).values_list("pk", flat=True)
    )
    counts = {"invitations": invitations.count(), "campaigns": len(transactional)}
    Response.objects.filter(invitation__customer_id=subject.customer_id).update(invitation=None)
    invitations.delete()
    Campaign.objects.filter(pk__in=transactional).delete()
    return counts


def register() -> None:
    erasure.holder_register(
        kind="responses",
        models=("surveys.Response", "surveys.Answer"),
        description="Survey responses and answers: anonymised (unlinked from the person, free texts blanked, "
        "scores kept) or deleted.",
        erase=responses_erase,
        order=30,
    )
    erasure.holder_register(
        kind="invitations",
        models=("surveys.Invitation", "surveys.Campaign"),
        description="Survey invitations (deleted), with the one-person campaigns of transactional invitations.",
        erase=invitations_erase,
        order=40,
    )
    erasure.not_personal("surveys.Survey", "survey texts are written by staff")
    erasure.not_personal("surveys.Question", "question texts and choices are written by staff")
    erasure.not_personal(
        "surveys.PrivacyRequest",
        "the audit entry of a data-subject request keeps only the external id (the proof that it was carried "
        "out, Art. 5(2) GDPR), who acted and counts",
    )
