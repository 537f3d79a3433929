"""The personal-data inventory: every place a customer's data can live, and how erasure reaches it.

Each app registers, in its ``AppConfig.ready()``, the holders of customer data it owns
(``holder_register``) and the models that hold none, with the reason (``not_personal``). A data-subject
erasure (``surveys.services.privacy.customer_erase``) gathers an ``ErasureSubject`` — the customer and the ids of
everything that names them — *before* anything changes, then runs every holder in ``order`` inside its
transaction (``erase_everywhere``) and writes the counts into the privacy audit entry.

``tests/cxportal/test_erasure_inventory.py`` walks every model of the project: a model that refers to a
customer, response, answer or invitation, or has a free-text or JSON field, must be named by a holder or
declared not personal here — so a new model holding personal data cannot slip past erasure.

Where a customer's data lives (the registrations, by app):

- surveys: responses and answers (anonymised: unlinked, free texts blanked; or deleted), invitations, the
  one-person campaigns of transactional invitations.
- voice (feedback items and what is derived from them): registers itself when the app exists — call
  ``holder_register(kind="feedback_items", …)`` from ``voice.apps``.
- metrics: the customer's transactions (deleted) and touchpoint events (unlinked).
- actionplans: follow-up actions opened for the customer's responses (they copy no text: the comment is read
  live from the response, so blanking the response blanks the action's view too; the link is counted).
- webhooks: delivery payloads naming the customer or their responses (replaced by a tombstone; never sent
  or redelivered again).
- cxportal: stored ``Idempotency-Key`` answers naming the customer or their responses (dropped); the
  development e-mail log (``var/mail``) messages to the customer's address (dropped).
- journeys: the customer record itself (deleted last).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ErasureSubject:
    """Who is erased, and every identifier of theirs that copies elsewhere may carry, gathered up front."""

    customer_id: int
    external_id: str
    email: str = ""
    mode: str = "anonymise"  # "anonymise" or "delete" (how responses are treated)
    response_ids: frozenset[int] = field(default_factory=frozenset)
    response_external_ids: frozenset[str] = field(default_factory=frozenset)
    invitation_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Holder:
    """One kind of place customer data lives; ``erase`` scrubs or deletes the subject's copies there and
    returns counts per kind (what the audit entry lists)."""

    kind: str
    models: tuple[str, ...]
    description: str
    erase: Callable[[ErasureSubject], dict[str, int]]
    order: int = 50


_HOLDERS: dict[str, Holder] = {}
_NOT_PERSONAL: dict[str, str] = {}


def holder_register(
    *,
    kind: str,
    models: tuple[str, ...] = (),
    description: str,
    erase: Callable[[ErasureSubject], dict[str, int]],
    order: int = 50,
) -> None:
    """Add a holder of customer data (``models`` as ``app_label.ModelName``); a second call replaces it."""
    _HOLDERS[kind] = Holder(kind=kind, models=tuple(models), description=description, erase=erase, order=order)


def not_personal(label: str, reason: str) -> None:
    """Declare that a model holds no customer data, and why (the inventory test reads the reason)."""
    if not reason.strip():
        raise ValueError(f"Say why {label} holds no personal data.")
    _NOT_PERSONAL[label] = reason


def inventory() -> list[Holder]:
    """The holders in the order erasure runs them."""
    return sorted(_HOLDERS.values(), key=lambda holder: (holder.order, holder.kind))


def covered_models() -> dict[str, str]:
    """Every model the inventory accounts for: ``label → holder kind`` or ``label → "not personal: …"``."""
    covered = {label: f"not personal: {reason}" for label, reason in _NOT_PERSONAL.items()}
    for holder in inventory():
        for label in holder.models:
            covered[label] = holder.kind
    return covered


def erase_everywhere(subject: ErasureSubject) -> dict[str, int]:
    """Run every holder for the subject (in the caller's transaction); the counts of all of them."""
    counts: dict[str, int] = {}
    for holder in inventory():
        for kind, number in holder.erase(subject).items():
            counts[kind] = counts.get(kind, 0) + number
    return counts
