"""CSV import of touchpoint events and revenue transactions: upload → preview → confirm or cancel.

The parsed upload is kept server-side (``VAR_DIR/imports/<token>.json``) under a random token bound to
the uploading user, like the customers import. Rows are checked by ``metrics.services.ingestion.rows_validate``
and stored by ``rows_ingest(partial=True)``: the same rules as the bulk API. The screens are in
``metrics.views.imports``.
"""

import csv
import io
import json
import re
import secrets
import time as time_module
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from cxportal.errors import ApplicationError
from journeys.services.customers import IMPORT_MAX_BYTES, IMPORT_TTL_SECONDS
from metrics.services.ingestion import EVENTS, FIELDS, MAX_ROWS, TRANSACTIONS, IngestResult, rows_ingest, rows_validate

REQUIRED_COLUMNS = {EVENTS: ("external_id", "touchpoint", "kind", "occurred_at"), TRANSACTIONS: FIELDS[TRANSACTIONS]}
KIND_LABELS = {EVENTS: "touchpoint events", TRANSACTIONS: "transactions"}
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")
_EXTRA_CELLS = ["The row has more cells than the header has columns."]
_PREFIX = "metrics-"  # keeps these files apart from the customers import's in the same directory


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


def _imports_dir():
    directory = settings.VAR_DIR / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _path(token: str):
    return _imports_dir() / f"{_PREFIX}{token}.json"


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError("The file is not UTF-8 (or Windows-1252) text.")


def metrics_csv_parse(kind: str, raw: bytes) -> list[dict]:
    """Read an events or transactions CSV into rows ``{"line", "data": {column: text}, "extra_cells"}``.

    Accepts a BOM and ``,`` or ``;``; refuses (ValidationError) a file that is too big, not text, lacks a
    header or a required column, has unknown or repeated columns, or more than MAX_ROWS rows.
    """
    if len(raw) > IMPORT_MAX_BYTES:
        raise ValidationError(f"The file is larger than {IMPORT_MAX_BYTES // 1024 // 1024} MB.")
    text = _decode(raw)
    if "\x00" in text:
        raise ValidationError("This is not a CSV file.")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in (next(reader, None) or [])]
    except csv.Error as exc:
        raise ValidationError(f"The file cannot be read as CSV: {exc}.") from exc
    if not any(header):
        raise ValidationError("The file is empty; the first line must name the columns.")
    unknown = [h or "(empty)" for h in header if h not in FIELDS[kind]]
    if unknown:
        raise ValidationError(
            f"Unknown column(s): {', '.join(unknown)}. The columns of {KIND_LABELS[kind]} are "
            f"{', '.join(FIELDS[kind])}."
        )
    if len(set(header)) != len(header):
        raise ValidationError("A column appears more than once.")
    missing = [c for c in REQUIRED_COLUMNS[kind] if c not in header]
    if missing:
        raise ValidationError(f"The file needs the column(s) {', '.join(missing)}.")
    rows = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise ValidationError(f"The file has more than {MAX_ROWS:,} rows; split it.")
            data = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
            rows.append({"line": reader.line_num, "data": data, "extra_cells": len(cells) > len(header)})
    except csv.Error as exc:
        raise ValidationError(f"Line {reader.line_num} cannot be read as CSV: {exc}.") from exc
    return rows


def metrics_import_stage(*, kind: str, upload, by) -> str:
    """Parse an uploaded CSV and keep it for the preview; returns the import's random token."""
    if getattr(upload, "size", 0) and upload.size > IMPORT_MAX_BYTES:
        raise ValidationError(f"The file is larger than {IMPORT_MAX_BYTES // 1024 // 1024} MB.")
    rows = metrics_csv_parse(kind, upload.read(IMPORT_MAX_BYTES + 1))
    directory = _imports_dir()
    cutoff = time_module.time() - IMPORT_TTL_SECONDS
    for old in directory.glob(f"{_PREFIX}*.json"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except FileNotFoundError:
            pass
    token = secrets.token_urlsafe(32)
    payload = {
        "user_id": by.pk,
        "kind": kind,
        "created": time_module.time(),
        "filename": str(getattr(upload, "name", "") or "upload.csv")[:200],
        "rows": rows,
    }
    _path(token).write_text(json.dumps(payload), encoding="utf-8")
    return token


def _load(token: str, by) -> dict:
    refused = ApplicationError("This import does not exist or has expired; upload the file again.")
    if not isinstance(token, str) or not _TOKEN_RE.match(token):
        raise refused
    try:
        payload = json.loads(_path(token).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError) as exc:
        raise refused from exc
    if payload.get("user_id") != by.pk or payload.get("kind") not in FIELDS:
        raise refused
    if time_module.time() - payload.get("created", 0) > IMPORT_TTL_SECONDS:
        _path(token).unlink(missing_ok=True)
        raise refused
    return payload


def metrics_import_preview(*, token: str, by) -> MetricsImportPreview:
    """Validate a staged import against the stored data, without writing."""
    payload = _load(token, by)
    kind, rows = payload["kind"], payload["rows"]
    plans = rows_validate(kind, [row["data"] for row in rows])
    counts = {"new": 0, "unchanged": 0, "invalid": 0}
    shown = []
    for row, plan in zip(rows, plans, strict=True):
        errors = dict(plan.errors)
        if row.get("extra_cells"):
            errors["non_field_errors"] = _EXTRA_CELLS
        status = "invalid" if errors else ("unchanged" if plan.unchanged else "new")
        counts[status] += 1
        cells = [row["data"].get(name, "") for name in FIELDS[kind]]
        shown.append({"line": row["line"], "cells": cells, "status": status, "errors": errors})
    return MetricsImportPreview(token, kind, payload["filename"], shown, counts)


@transaction.atomic
def metrics_import_confirm(*, token: str, by) -> tuple[str, IngestResult, int]:
    """Store the valid rows of a staged import (validated again); returns (kind, result, skipped rows)."""
    payload = _load(token, by)
    kind, rows = payload["kind"], payload["rows"]
    usable = [row["data"] for row in rows if not row.get("extra_cells")]
    result = rows_ingest(kind=kind, rows=usable, partial=True)
    skipped = len(result.errors) + len(rows) - len(usable)
    path_ = _path(token)
    transaction.on_commit(lambda: path_.unlink(missing_ok=True))
    return kind, result, skipped


def metrics_import_cancel(*, token: str, by) -> None:
    _load(token, by)
    _path(token).unlink(missing_ok=True)
