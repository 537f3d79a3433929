"""The customers CSV import: upload → preview → confirm or cancel, on the one staged import of
``cxportal.staged_import``. Rows are checked by ``customer_rows_validate`` and stored by
``customers_upsert(partial=True)``: the same rules as the bulk API.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cxportal.errors import ApplicationError
from cxportal.staged_import import (
    EXTRA_CELLS,
    ImportStaging,
    csv_open,
    csv_rows,
    preview_rows,
    usable_indexes,
)
from journeys.services.customers import (
    MAX_ROWS,
    ROW_FIELDS,
    UpsertResult,
    customer_rows_validate,
    customers_upsert,
)
from journeys.services.personas import ATTRIBUTE_KEY_HELP, ATTRIBUTE_KEY_RE

# The CSV columns: every row field except attributes, which come from ``attr:<key>`` columns.
CSV_COLUMNS = tuple(f for f in ROW_FIELDS if f != "attributes")
ATTRIBUTE_COLUMN_PREFIX = "attr:"
STAGING = ImportStaging(prefix="")


@dataclass
class ImportPreview:
    token: str
    filename: str
    file_errors: list[str]
    rows: list[dict]  # {"line", "data", "cells" (in CSV_COLUMNS order), "action", "errors"}
    counts: dict[str, int]

    @property
    def can_confirm(self) -> bool:
        return not self.file_errors and self.counts["new"] + self.counts["update"] > 0


def _columns(header: list[str]) -> tuple[list, list[str]]:
    """What each header cell holds (``("field", name)``, ``("attr", key)`` or None) and the file errors."""
    file_errors, unknown, columns = [], [], []
    seen = set()
    for title in header:
        title = title.strip()
        lowered = title.lower()
        if lowered.startswith(ATTRIBUTE_COLUMN_PREFIX):
            key = title[len(ATTRIBUTE_COLUMN_PREFIX) :].strip()
            if not ATTRIBUTE_KEY_RE.match(key):
                file_errors.append(
                    _("Column “%(column)s”: “%(key)s” is not an attribute name (%(rule)s).")
                    % {"column": title, "key": key, "rule": ATTRIBUTE_KEY_HELP}
                )
            column = ("attr", key)
        elif lowered in CSV_COLUMNS:
            column = ("field", lowered)
        else:
            unknown.append(title or _("(empty)"))
            column = None
        if column is not None and column in seen:
            file_errors.append(_("The column “%(column)s” appears more than once.") % {"column": title})
        seen.add(column)
        columns.append(column)
    if ("field", "external_id") not in seen:
        raise ValidationError(_("The file needs an external_id column."))
    if unknown:
        file_errors.insert(
            0,
            _(
                "Unknown column(s): %(unknown)s. Known columns: %(known)s, and attr:<name> for customer attributes. "
                "Rename or remove them, then upload again."
            )
            % {"unknown": ", ".join(unknown), "known": ", ".join(CSV_COLUMNS)},
        )
    return columns, file_errors


def customer_csv_parse(raw: bytes) -> tuple[list[str], list[dict]]:
    """Read a customers CSV into (file errors, rows); a row is ``{"line": n, "data": {field: text}}``.

    Accepts a BOM and ``,`` or ``;`` as delimiter. Refuses (ValidationError) what cannot be previewed at
    all: too big, not text, no header, no external_id column, too many rows. Unknown columns are a file
    error, listed once.
    """
    header, reader = csv_open(raw)
    columns, file_errors = _columns(header)

    def data_of(cells: list[str]) -> dict:
        data, attributes = {}, {}
        for column, cell in zip(columns, cells, strict=False):
            if column is None:
                continue
            kind, name = column
            if kind == "attr":
                if cell.strip():
                    attributes[name] = cell.strip()
            else:
                data[name] = cell
        if attributes:
            data["attributes"] = attributes
        return data

    rows = csv_rows(reader, width=len(columns), max_rows=MAX_ROWS, data_of=data_of)
    return file_errors, rows


def _parse(raw: bytes) -> dict:
    file_errors, rows = customer_csv_parse(raw)
    return {"file_errors": file_errors, "rows": rows}


def customer_import_stage(*, upload, by) -> str:
    """Parse an uploaded CSV and keep it server-side for preview; returns the import's random token."""
    return STAGING.stage(upload=upload, by=by, parse=_parse)


def customer_import_preview(*, token: str, by) -> ImportPreview:
    """Validate a staged import against the current customers, without writing."""
    payload = STAGING.load(token=token, by=by)
    rows = payload["rows"]
    plans = customer_rows_validate([row["data"] for row in rows], persona_by="name")
    shown, counts = preview_rows(
        rows,
        plans,
        columns=CSV_COLUMNS,
        statuses=("new", "update", "invalid"),
        status_of=lambda plan: plan.action,
        status_key="action",
    )
    return ImportPreview(
        token=token, filename=payload["filename"], file_errors=payload["file_errors"], rows=shown, counts=counts
    )


@transaction.atomic
def customer_import_confirm(*, token: str, by) -> UpsertResult:
    """Upsert the valid rows of a staged import in one transaction; invalid rows are skipped and reported.

    Rows are validated again, so a customer added since the preview is updated rather than duplicated.
    """
    payload = STAGING.load(token=token, by=by)
    if payload["file_errors"]:
        raise ApplicationError(_("The file has errors (see above); fix them and upload it again."))
    rows = payload["rows"]
    usable = usable_indexes(rows)
    result = customers_upsert(rows=[rows[i]["data"] for i in usable], partial=True, persona_by="name")
    for error in result.errors:
        error["index"] = usable[error["index"]]
        error["line"] = rows[error["index"]]["line"]
    skipped = [
        {
            "index": i,
            "line": row["line"],
            "external_id": row["data"].get("external_id"),
            "errors": {"non_field_errors": [str(EXTRA_CELLS)]},
        }
        for i, row in enumerate(rows)
        if row.get("extra_cells")
    ]
    STAGING.discard_on_commit(token=token)
    return UpsertResult(created=result.created, updated=result.updated, errors=result.errors + skipped)


def customer_import_cancel(*, token: str, by) -> None:
    """Forget a staged import; nothing was imported."""
    STAGING.load(token=token, by=by)
    STAGING.discard(token=token)
