"""cxportal's own holders of customer data in the personal-data inventory (``cxportal.erasure``).

- Stored ``Idempotency-Key`` answers: the answer to ``POST /api/v1/responses/`` (or ``customers/``, the
  bulk endpoints …) holds the customer's id, external id, e-mail, comment and answers, and would be replayed
  for 24 hours to the same credential. Every record naming the customer or their responses is dropped; a
  retry with that key then runs anew (and meets the erasure: the customer is gone).
- The development e-mail log (``var/mail``, the file backend behind the DEBUG outbox): messages to the
  customer's address are dropped. SMTP servers keep their own logs; the README says so.
"""

import json
from pathlib import Path

from django.conf import settings
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from cxportal import erasure
from cxportal.api import API_PREFIX
from cxportal.erasure import ErasureSubject
from cxportal.models import IdempotencyRecord
from cxportal.outbox import SEPARATOR

# The keys under which an answer body names a customer or a response by a text identifier.
_TEXT_KEYS = ("external_id", "customer_external_id", "customer", "email")


def _json_pairs(key: str, value: str) -> list[str]:
    """``"key": "value"`` as stored JSON text holds it (ASCII-escaped on SQLite, plain in PostgreSQL's jsonb)."""
    return list(dict.fromkeys(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=ascii)}" for ascii in (True, False)))


def idempotency_records_naming(subject: ErasureSubject):
    naming = Q(response_body__customer=subject.customer_id) | Q(
        path__startswith=f"{API_PREFIX}customers/", response_body__id=subject.customer_id
    )
    if subject.response_ids:
        naming |= Q(path__startswith=f"{API_PREFIX}responses/", response_body__id__in=sorted(subject.response_ids))
    values = {subject.external_id, subject.email, *subject.response_external_ids} - {""}
    for value in values:
        for key in _TEXT_KEYS:
            for pair in _json_pairs(key, value):
                naming |= Q(body_text__contains=pair)
    return IdempotencyRecord.objects.annotate(body_text=Cast("response_body", TextField())).filter(naming)


def idempotency_records_erase(subject: ErasureSubject) -> dict[str, int]:
    ids = list(idempotency_records_naming(subject).values_list("pk", flat=True))
    IdempotencyRecord.objects.filter(pk__in=ids).delete()
    return {"idempotency_records": len(ids)}


def email_log_erase(subject: ErasureSubject) -> dict[str, int]:
    """Drop the file backend's logged messages to the customer's address (development and ``make run``)."""
    if not subject.email or "filebased" not in settings.EMAIL_BACKEND:
        return {"emails_logged": 0}
    directory = Path(settings.EMAIL_FILE_PATH)
    address = subject.email.casefold()
    dropped = 0
    for path in sorted(directory.glob("*.log")) if directory.exists() else []:
        chunks = path.read_text(encoding="utf-8", errors="replace").split(SEPARATOR)
        kept = [chunk for chunk in chunks if not _addressed_to(chunk, address)]
        if len(kept) != len(chunks):
            dropped += len(chunks) - len(kept)
            path.write_text(SEPARATOR.join(kept), encoding="utf-8")
    return {"emails_logged": dropped}


def _addressed_to(chunk: str, address: str) -> bool:
    head = chunk.strip().split("\n\n", 1)[0]
    return any(
        line.casefold().startswith(("to:", "cc:", "bcc:")) and address in line.casefold() for line in head.splitlines()
    )


def register() -> None:
    erasure.holder_register(
        kind="idempotency_records",
        models=("cxportal.IdempotencyRecord",),
        description="Stored answers replayed for a repeated Idempotency-Key (24 hours) that name the customer or "
        "their responses: dropped.",
        erase=idempotency_records_erase,
        order=10,
    )
    erasure.holder_register(
        kind="emails_logged",
        description="E-mails to the customer kept by the development file backend (var/mail): dropped.",
        erase=email_log_erase,
        order=10,
    )
    erasure.not_personal("cxportal.Profile", "a staff member's language choice, no customer data")
    erasure.not_personal("cxportal.ApiKey", "an integrator's credential: name, scopes and a hash")
