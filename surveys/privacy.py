"""Data-subject requests for one customer: export everything we hold, or erase it — always audited.

Erasure, in one transaction:

- ``anonymise``: the customer's responses stay (the KPIs keep their scores) but lose every link to the
  person — customer, invitation and external id — and their free-text answers are blanked. Scores and
  choices remain. The persona attribution of those answers goes with the customer link, so persona-scoped
  KPIs no longer count them; company, survey, touchpoint, stage, map and channel KPIs still do.
- ``delete``: the responses and their answers are deleted.

In both modes the customer's invitations are deleted (with the one-person campaigns of transactional
invitations, whose names carry the customer's name) and the customer record itself is deleted — not
blanked: nothing else refers to it once responses and invitations are handled, and a deleted row cannot
leak. A ``PrivacyRequest`` audit entry keeps the customer's external id (the key the company's systems
know the person by, to prove the request was carried out), who did it, when, and the counts — no other
personal data.

KPI snapshots: surveys must not import metrics. After the commit, ``metrics.recompute_all`` is requested by
task name; if the broker is down, the next minutely check sees the deletion (metrics.changes) and the
nightly full recompute removes the stale cells anyway.
"""

import logging

from django.db import transaction

from cxportal.errors import ApplicationError
from cxportal.tasks import task_queue
from journeys.models import Customer
from surveys import selectors
from surveys.models import Answer, Campaign, Invitation, PrivacyRequest, Question, Response

logger = logging.getLogger(__name__)

ERASE_MODES = (PrivacyRequest.Action.ANONYMISE, PrivacyRequest.Action.DELETE)


def _label(by) -> str:
    """Who acted, for the audit entry: a user's name, or the API key's (``api-key:<name>``)."""
    return str(getattr(by, "username", "") or by or "system")[:150]


def _user_or_none(by):
    return by if getattr(by, "pk", None) else None


@transaction.atomic
def customer_export(*, customer: Customer, by) -> dict:
    """Everything surveys hold about the customer (no link tokens), and an audit entry that it was handed out."""
    data = selectors.customer_data(customer=customer)
    PrivacyRequest.objects.create(
        action=PrivacyRequest.Action.EXPORT,
        customer_external_id=customer.external_id,
        performed_by=_user_or_none(by),
        performed_by_label=_label(by),
        counts={"responses": len(data["responses"]), "invitations": len(data["invitations"])},
    )
    return data


@transaction.atomic
def customer_erase(*, customer: Customer, mode: str, by) -> PrivacyRequest:
    """Erase the customer's survey data (``anonymise`` or ``delete`` their responses) and the customer record."""
    if mode not in ERASE_MODES:
        raise ApplicationError(f"Unknown erasure mode {mode!r}; use one of: {', '.join(ERASE_MODES)}.")
    # The row lock makes a concurrent submit for this customer wait (its foreign-key check) and then fail,
    # rather than leave a response linked to a customer who no longer exists.
    customer = Customer.objects.select_for_update().filter(pk=customer.pk).first()
    if customer is None:
        raise ApplicationError("This customer does not exist (any more).")
    # Only the responses' own rows are locked (FOR UPDATE cannot reach into the outer join to invitations).
    responses = Response.objects.filter(
        pk__in=list(
            selectors.customer_responses(customer=customer).select_for_update(of=("self",)).values_list("pk", flat=True)
        )
    )
    answers = Answer.objects.filter(response__in=responses)
    counts = {"responses": responses.count(), "answers": answers.count()}

    if mode == PrivacyRequest.Action.ANONYMISE:
        counts["texts_blanked"] = answers.filter(question__kind__in=Question.TEXT).exclude(text="").update(text="")
        responses.update(customer=None, invitation=None, external_id=None)
    else:
        answers.delete()
        responses.delete()

    invitations = Invitation.objects.filter(customer=customer)
    counts["invitations"] = invitations.count()
    # A transactional campaign has one invitation, and its name carries the customer's name: it goes too.
    transactional = list(
        Campaign.objects.filter(kind=Campaign.Kind.TRANSACTIONAL, invitations__customer=customer).values_list(
            "pk", flat=True
        )
    )
    counts["campaigns"] = len(transactional)
    Response.objects.filter(invitation__customer=customer).update(invitation=None)
    invitations.delete()
    Campaign.objects.filter(pk__in=transactional).delete()

    external_id = customer.external_id
    customer.delete()
    entry = PrivacyRequest.objects.create(
        action=mode,
        customer_external_id=external_id,
        performed_by=_user_or_none(by),
        performed_by_label=_label(by),
        counts=counts,
    )
    transaction.on_commit(request_kpi_recompute)
    return entry


def request_kpi_recompute() -> None:
    """Ask a worker to recompute the KPI snapshots now; the nightly full run covers a broker outage."""
    try:
        task_queue("metrics.recompute_all", retry=False)
    except Exception:  # noqa: BLE001 - a broker outage must not fail the erasure; the nightly run catches up
        logger.warning("Could not request a KPI recompute after an erasure; the nightly run will", exc_info=True)
