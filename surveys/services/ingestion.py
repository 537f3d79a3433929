"""Bulk import of survey responses (``POST /api/v1/responses/bulk/``), idempotent by ``external_id``.

Every row is stored by ``response_submit``, the service behind a single API response and the respondent
page, so the answer rules (kinds, ranges, choices, required questions, display logic) are the same. A
row whose external id is stored already for the same survey is "unchanged" — a retried import stores
nothing twice; stored for another survey it is an error. All or nothing unless ``partial``.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cxportal.errors import ApplicationError
from surveys.models import Response
from surveys.services.responses import response_submit

MAX_ROWS = 1_000
LOOKUP_CHUNK = 900  # below SQLite's 999 parameters per statement


@dataclass
class ResponseRow:
    """One row of an import: ``data`` are ``response_submit`` arguments whose shape was checked, or None."""

    index: int
    external_id: str | None
    data: dict | None
    errors: dict[str, list] = field(default_factory=dict)

    def error_report(self) -> dict:
        return {"index": self.index, "external_id": self.external_id, "errors": self.errors}


@dataclass
class ResponseImportResult:
    created: int
    unchanged: int
    errors: list[dict]

    def as_dict(self) -> dict:
        return {"created": self.created, "unchanged": self.unchanged, "errors": self.errors}


def _stored_surveys(external_ids: list[str]) -> dict[str, int]:
    stored = {}
    for start in range(0, len(external_ids), LOOKUP_CHUNK):
        chunk = external_ids[start : start + LOOKUP_CHUNK]
        stored.update(Response.objects.filter(external_id__in=chunk).values_list("external_id", "survey_id"))
    return stored


def _error_dict(exc: ValidationError | ApplicationError) -> dict[str, list]:
    if isinstance(exc, ApplicationError):
        return {"non_field_errors": [exc.message]}
    if hasattr(exc, "error_dict"):
        errors = dict(exc.message_dict)
        if "__all__" in errors:
            errors["non_field_errors"] = errors.pop("__all__")
        return errors
    return {"non_field_errors": list(exc.messages)}


@transaction.atomic
def responses_import(*, rows: list[ResponseRow], partial: bool = False) -> ResponseImportResult:
    """Store the rows' responses by external id: all or nothing, or with ``partial`` the valid ones.

    With errors and not ``partial`` nothing is stored and an ApplicationError carries
    ``{"created": 0, "unchanged": 0, "errors": [...]}``.
    """
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            _("At most %(max)s responses at a time; this has %(count)s.")
            % {"max": f"{MAX_ROWS:,}", "count": f"{len(rows):,}"}
        )
    stored = _stored_surveys(sorted({row.external_id for row in rows if row.external_id and row.data}))
    created = unchanged = 0
    seen: set[str] = set()
    for row in rows:
        if row.errors or row.data is None:
            continue
        external_id = row.external_id
        survey = row.data["survey"]
        if external_id in seen:
            row.errors = {"external_id": [_("This external id is in the body more than once.")]}
            continue
        seen.add(external_id)
        if external_id in stored:
            if stored[external_id] == survey.pk:
                unchanged += 1
            else:
                row.errors = {"external_id": [_("A response with this external id is stored for another survey.")]}
            continue
        try:
            response_submit(source=Response.Source.IMPORT, **row.data)
        except (ValidationError, ApplicationError) as exc:
            row.errors = _error_dict(exc)
            continue
        created += 1
    errors = [row.error_report() for row in rows if row.errors]
    if errors and not partial:
        raise ApplicationError(
            f"{len(errors)} of {len(rows)} responses have errors; nothing was stored.",
            extra={"created": 0, "unchanged": 0, "errors": errors},
        )
    return ResponseImportResult(created=created, unchanged=unchanged, errors=errors)
