"""CSV import of touchpoint events and revenue transactions: upload → preview → confirm or cancel.

The upload is staged by the one staged import (``cxportal.staged_import``), like the customers import. Rows
are checked by ``metrics.services.ingestion.rows_validate`` and stored by ``rows_ingest(partial=True)``: the
same rules as the bulk API. The screens are in ``metrics.views.imports``.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cxportal.staged_import import ImportStaging, csv_open, csv_rows, preview_rows, usable_indexes
from metrics.services.ingestion import EVENTS, FIELDS, MAX_ROWS, TRANSACTIONS, IngestResult, rows_ingest, rows_validate

REQUIRED_COLUMNS = {EVENTS: ("external_id", "touchpoint", "kind", "occurred_at"), TRANSACTIONS: FIELDS[TRANSACTIONS]}
KIND_LABELS = {EVENTS: _("touchpoint events"), TRANSACTIONS: _("transactions")}
STAGING = ImportStaging(prefix="metrics-")  # keeps these files apart from the customers import's


@dataclass
class MetricsImportPreview:
    token: str
    kind: str
    filename: str
    rows: list[dict]  # {"line", "cells" (in column order), "status": new|unchanged|invalid, "errors"}
    counts: dict[str, int]

    @property
    def columns(self) -> tuple[str, ...]:
        return FIELDS[self.kind]

    @property
    def can_confirm(self) -> bool:
        return self.counts["new"] > 0


def metrics_csv_parse(kind: str, raw: bytes) -> list[dict]:
    """Read an events or transactions CSV into rows ``{"line", "data": {column: text}, "extra_cells"}``.

    Accepts a BOM and ``,`` or ``;``; refuses (ValidationError) a file that is too big, not text, lacks a
    header or a required column, has unknown or repeated columns, or more than MAX_ROWS rows.
    """
    header, reader = csv_open(raw)
    header = [h.strip().lower() for h in header]
    unknown = [h or "(empty)" for h in header if h not in FIELDS[kind]]
    if unknown:
        raise ValidationError(
            _("Unknown column(s): %(unknown)s. The columns of %(kind)s are %(columns)s.")
            % {"unknown": ", ".join(unknown), "kind": KIND_LABELS[kind], "columns": ", ".join(FIELDS[kind])}
        )
    if len(set(header)) != len(header):
        raise ValidationError(_("A column appears more than once."))
    missing = [c for c in REQUIRED_COLUMNS[kind] if c not in header]
    if missing:
        raise ValidationError(_("The file needs the column(s) %(columns)s.") % {"columns": ", ".join(missing)})
    return csv_rows(
        reader,
        width=len(header),
        max_rows=MAX_ROWS,
        data_of=lambda cells: {name: cell.strip() for name, cell in zip(header, cells, strict=False)},
    )


def metrics_import_stage(*, kind: str, upload, by) -> str:
    """Parse an uploaded CSV and keep it for the preview; returns the import's random token."""
    return STAGING.stage(upload=upload, by=by, parse=lambda raw: {"kind": kind, "rows": metrics_csv_parse(kind, raw)})


def _load(token: str, by) -> dict:
    return STAGING.load(token=token, by=by, valid=lambda payload: payload.get("kind") in FIELDS)


def metrics_import_preview(*, token: str, by) -> MetricsImportPreview:
    """Validate a staged import against the stored data, without writing."""
    payload = _load(token, by)
    kind, rows = payload["kind"], payload["rows"]
    shown, counts = preview_rows(
        rows,
        rows_validate(kind, [row["data"] for row in rows]),
        columns=FIELDS[kind],
        statuses=("new", "unchanged", "invalid"),
        status_of=lambda plan: "unchanged" if plan.unchanged else "new",
    )
    return MetricsImportPreview(token, kind, payload["filename"], shown, counts)


@transaction.atomic
def metrics_import_confirm(*, token: str, by) -> tuple[str, IngestResult, int]:
    """Store the valid rows of a staged import (validated again); returns (kind, result, skipped rows)."""
    payload = _load(token, by)
    kind, rows = payload["kind"], payload["rows"]
    usable = [rows[i]["data"] for i in usable_indexes(rows)]
    result = rows_ingest(kind=kind, rows=usable, partial=True)
    skipped = len(result.errors) + len(rows) - len(usable)
    STAGING.discard_on_commit(token=token)
    return kind, result, skipped


def metrics_import_cancel(*, token: str, by) -> None:
    _load(token, by)
    STAGING.discard(token=token)
