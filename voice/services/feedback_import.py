"""CSV import of feedback from other channels (ticket and review exports): upload → preview → confirm or cancel.

Staged by the one staged import (``cxportal.staged_import``); rows are checked by
``voice.services.items.feedback_rows_validate`` and stored by ``feedback_upsert(partial=True)`` — the rules of
``POST /api/v1/feedback/bulk/``. The analysis of the stored items runs in the worker afterwards.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cxportal.staged_import import ImportStaging, csv_open, csv_rows, preview_rows, usable_indexes
from voice.services.items import MAX_ROWS, ROW_FIELDS, UpsertResult, feedback_rows_validate, feedback_upsert
from voice.services.queueing import analysis_request

REQUIRED_COLUMNS = ("external_id", "text")
STAGING = ImportStaging(prefix="voice-")


@dataclass
class FeedbackImportPreview:
    token: str
    filename: str
    rows: list[dict]
    counts: dict[str, int]
    columns: tuple[str, ...] = ROW_FIELDS

    @property
    def can_confirm(self) -> bool:
        return self.counts["new"] + self.counts["update"] > 0


def _row(data: dict) -> dict:
    """A CSV row as the bulk API takes it: empty cells are left out (defaults apply)."""
    return {name: value for name, value in data.items() if value != ""}


def feedback_csv_parse(raw: bytes) -> list[dict]:
    header, reader = csv_open(raw)
    header = [h.strip().lower() for h in header]
    unknown = [h or "(empty)" for h in header if h not in ROW_FIELDS]
    if unknown:
        raise ValidationError(
            _("Unknown column(s): %(unknown)s. The columns are %(columns)s.")
            % {"unknown": ", ".join(unknown), "columns": ", ".join(ROW_FIELDS)}
        )
    if len(set(header)) != len(header):
        raise ValidationError(_("A column appears more than once."))
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ValidationError(_("The file needs the column(s) %(columns)s.") % {"columns": ", ".join(missing)})
    return csv_rows(
        reader,
        width=len(header),
        max_rows=MAX_ROWS,
        data_of=lambda cells: {name: cell.strip() for name, cell in zip(header, cells, strict=False)},
    )


def feedback_import_stage(*, upload, by) -> str:
    return STAGING.stage(upload=upload, by=by, parse=lambda raw: {"kind": "feedback", "rows": feedback_csv_parse(raw)})


def _load(token: str, by) -> dict:
    return STAGING.load(token=token, by=by, valid=lambda payload: payload.get("kind") == "feedback")


def feedback_import_preview(*, token: str, by) -> FeedbackImportPreview:
    payload = _load(token, by)
    rows = payload["rows"]
    shown, counts = preview_rows(
        rows,
        feedback_rows_validate([_row(row["data"]) for row in rows]),
        columns=ROW_FIELDS,
        statuses=("new", "update", "invalid"),
        status_of=lambda plan: plan.action,
    )
    return FeedbackImportPreview(token, payload["filename"], shown, counts)


@transaction.atomic
def feedback_import_confirm(*, token: str, by) -> tuple[UpsertResult, int]:
    """Store the valid rows (validated again); returns the result and the number of skipped rows."""
    payload = _load(token, by)
    rows = payload["rows"]
    usable = [_row(rows[i]["data"]) for i in usable_indexes(rows)]
    result = feedback_upsert(rows=usable, partial=True)
    skipped = len(result.errors) + len(rows) - len(usable)
    STAGING.discard_on_commit(token=token)
    if result.ids:
        analysis_request()
    return result, skipped


def feedback_import_cancel(*, token: str, by) -> None:
    _load(token, by)
    STAGING.discard(token=token)
