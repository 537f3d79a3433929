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
leak. Every other copy of the customer's data is reached through the personal-data inventory
(``cxportal.erasure``): webhook payloads become tombstones, stored ``Idempotency-Key`` answers are
dropped, transactions deleted, touchpoint events unlinked. A ``PrivacyRequest`` audit entry keeps the
customer's external id (the key the company's systems know the person by, to prove the request was
carried out), who did it, when, and the counts per kind of the inventory — no other personal data.

KPI snapshots: surveys must not import metrics. After the commit, ``metrics.recompute_all`` is requested by
task name; if the broker is down, the next minutely check sees the deletion (metrics.changes) and the
nightly full recompute removes the stale cells anyway.
"""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from cxportal.actor import acting_person
from cxportal.erasure import ErasureSubject, erase_everywhere
from cxportal.errors import ApplicationError
from cxportal.tasks import task_queue
from journeys.models import Customer
from surveys import selectors
from surveys.models import Invitation, PrivacyRequest

logger = logging.getLogger(__name__)

ERASE_MODES = (PrivacyRequest.Action.ANONYMISE, PrivacyRequest.Action.DELETE)


def _label(by) -> str:
    """Who acted, for the audit entry: a user's name, or the API key's (``api-key:<name>``)."""
    return str(getattr(by, "username", "") or by or "system")[:150]


@transaction.atomic
def customer_export(*, customer: Customer, by) -> dict:
    """Everything surveys hold about the customer (no link tokens), and an audit entry that it was handed out."""
    data = selectors.customer_data(customer=customer)
    PrivacyRequest.objects.create(
        action=PrivacyRequest.Action.EXPORT,
        customer_external_id=customer.external_id,
        performed_by=acting_person(by),
        performed_by_label=_label(by),
        counts={"responses": len(data["responses"]), "invitations": len(data["invitations"])},
    )
    return data


@transaction.atomic
def customer_erase(*, customer: Customer, mode: str, by) -> PrivacyRequest:
    """Erase the customer everywhere the personal-data inventory (``cxportal.erasure``) knows of.

    Responses are anonymised or deleted (``mode``); every other copy — webhook payloads, stored
    ``Idempotency-Key`` answers, transactions, e-mail logs, the customer record — is scrubbed or deleted by
    its holder. The audit entry lists the counts per kind, zeros included (what was checked).
    """
    if mode not in ERASE_MODES:
        raise ApplicationError(
            _("Unknown erasure mode %(mode)r; use one of: %(modes)s.") % {"mode": mode, "modes": ", ".join(ERASE_MODES)}
        )
    # The row lock makes a concurrent submit for this customer wait (its foreign-key check) and then fail,
    # rather than leave a response linked to a customer who no longer exists.
    customer = Customer.objects.select_for_update().filter(pk=customer.pk).first()
    if customer is None:
        raise ApplicationError(_("This customer does not exist (any more)."))
    # Only the responses' own rows are locked (FOR UPDATE cannot reach into the outer join to invitations).
    responses = list(
        selectors.customer_responses(customer=customer).select_for_update(of=("self",)).values_list("pk", "external_id")
    )
    subject = ErasureSubject(
        customer_id=customer.pk,
        external_id=customer.external_id,
        email=customer.email or "",
        mode=mode,
        response_ids=frozenset(pk for pk, _ in responses),
        response_external_ids=frozenset(external_id for _, external_id in responses if external_id),
        invitation_ids=frozenset(Invitation.objects.filter(customer=customer).values_list("pk", flat=True)),
    )
    counts = erase_everywhere(subject)
    entry = PrivacyRequest.objects.create(
        action=mode,
        customer_external_id=subject.external_id,
        performed_by=acting_person(by),
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
