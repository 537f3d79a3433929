"""The one staged CSV import: upload → preview with per-row errors → confirm or cancel.

Customers (``journeys.services.customer_import``), touchpoint events and transactions (``metrics.imports``)
use it; each import keeps only what is its own — which columns a file has, how a row is validated and
stored. What is shared lives here:

- reading the upload: at most ``IMPORT_MAX_BYTES``, UTF-8 (with or without BOM) or Windows-1252, ``,`` or
  ``;`` as delimiter, blank lines skipped, at most ``max_rows`` rows, a row with more cells than the header
  marked (``extra_cells``) so it is shown invalid and never stored;
- staging: the parsed rows are kept server-side (``VAR_DIR/imports/<prefix><token>.json``) under a random
  token bound to the uploading person, for ``IMPORT_TTL_SECONDS``; an unknown, foreign or expired token is
  refused with one message, and older files are swept on the next upload;
- the preview: each row's cells, its status and its errors, and the count per status.
"""

import csv
import io
import json
import re
import secrets
import time as time_module
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxportal.errors import ApplicationError

IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_TTL_SECONDS = 60 * 60
EXTRA_CELLS = gettext_lazy("The row has more cells than the header has columns.")
IMPORT_GONE = gettext_lazy("This import does not exist or has expired; upload the file again.")
INVALID = "invalid"
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")


# --- reading the file -----------------------------------------------------------------------------


def _too_large() -> ValidationError:
    return ValidationError(_("The file is larger than %(size)d MB.") % {"size": IMPORT_MAX_BYTES // 1024 // 1024})


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is not UTF-8 (or Windows-1252) text."))


def csv_open(raw: bytes) -> tuple[list[str], "csv._reader"]:
    """The header (as written) and a reader positioned at the first data row; refuses what is no CSV."""
    if len(raw) > IMPORT_MAX_BYTES:
        raise _too_large()
    text = _decode(raw)
    if "\x00" in text:
        raise ValidationError(_("This is not a CSV file."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None) or []
    except csv.Error as exc:
        raise ValidationError(_("The file cannot be read as CSV: %(error)s.") % {"error": exc}) from exc
    if not any(title.strip() for title in header):
        raise ValidationError(_("The file is empty; the first line must name the columns."))
    return header, reader


def csv_rows(reader, *, width: int, max_rows: int, data_of: Callable[[list[str]], dict]) -> list[dict]:
    """Rows ``{"line", "data": data_of(cells), "extra_cells"}`` of the non-blank lines after the header."""
    rows = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= max_rows:
                raise ValidationError(
                    _("The file has more than %(count)s rows; split it.")
                    % {"count": number_format(max_rows, force_grouping=True)}
                )
            rows.append({"line": reader.line_num, "data": data_of(cells), "extra_cells": len(cells) > width})
    except csv.Error as exc:
        raise ValidationError(
            _("Line %(line)s cannot be read as CSV: %(error)s.") % {"line": reader.line_num, "error": exc}
        ) from exc
    return rows


def usable_indexes(rows: Sequence[dict]) -> list[int]:
    """The positions of the rows that may be stored (not those with extra cells)."""
    return [i for i, row in enumerate(rows) if not row.get("extra_cells")]


# --- staging --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportStaging:
    """Where one kind of import keeps its staged uploads; ``prefix`` keeps the kinds' files apart."""

    prefix: str = ""

    @staticmethod
    def directory() -> Path:
        path = settings.VAR_DIR / "imports"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _path(self, token: str) -> Path:
        return self.directory() / f"{self.prefix}{token}.json"

    @classmethod
    def _sweep_expired(cls) -> None:
        cutoff = time_module.time() - IMPORT_TTL_SECONDS
        for path in cls.directory().glob("*.json"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except FileNotFoundError:
                pass

    def stage(self, *, upload, by, parse: Callable[[bytes], dict]) -> str:
        """Parse an uploaded file (``parse(raw) -> payload``) and keep it; returns the import's random token."""
        size = getattr(upload, "size", None)
        if size is not None and size > IMPORT_MAX_BYTES:
            raise _too_large()
        payload = parse(upload.read(IMPORT_MAX_BYTES + 1))
        self._sweep_expired()
        token = secrets.token_urlsafe(32)
        payload = {
            **payload,
            "user_id": by.pk,
            "created": time_module.time(),
            "filename": str(getattr(upload, "name", "") or "upload.csv")[:200],
        }
        self._path(token).write_text(json.dumps(payload), encoding="utf-8")
        return token

    def load(self, *, token: str, by, valid: Callable[[dict], bool] = lambda payload: True) -> dict:
        """The staged payload; ApplicationError when the token is unknown, someone else's or expired."""
        refused = ApplicationError(str(IMPORT_GONE))
        if not isinstance(token, str) or not _TOKEN_RE.match(token):
            raise refused
        path = self._path(token)
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError) as exc:
            raise refused from exc
        if payload.get("user_id") != by.pk or not valid(payload):
            raise refused
        if time_module.time() - payload.get("created", 0) > IMPORT_TTL_SECONDS:
            path.unlink(missing_ok=True)
            raise refused
        return payload

    def discard(self, *, token: str) -> None:
        self._path(token).unlink(missing_ok=True)

    def discard_on_commit(self, *, token: str) -> None:
        """Forget the staged file once the surrounding transaction (the confirm's writes) commits."""
        path = self._path(token)
        transaction.on_commit(lambda: path.unlink(missing_ok=True))


# --- the preview ----------------------------------------------------------------------------------


def row_errors(row: dict, errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """A staged row's errors: its validation errors, and the extra-cells error where it has one."""
    errors = dict(errors)
    if row.get("extra_cells"):
        errors["non_field_errors"] = [str(EXTRA_CELLS)]
    return errors


def preview_rows(
    rows: Sequence[dict],
    plans: Iterable,
    *,
    columns: Sequence[str],
    statuses: Sequence[str],
    status_of: Callable[[object], str],
    status_key: str = "status",
) -> tuple[list[dict], dict[str, int]]:
    """The preview of staged rows and the count per status (``statuses``, ``"invalid"`` among them).

    ``plans`` are the validated rows (with ``errors``) in the same order; a row with errors is ``invalid``,
    any other gets ``status_of(plan)``. Each shown row: ``line``, ``data``, ``cells`` (in ``columns`` order),
    the status under ``status_key``, ``errors``.
    """
    counts = dict.fromkeys(statuses, 0)
    shown = []
    for row, plan in zip(rows, plans, strict=True):
        errors = row_errors(row, plan.errors)
        status = INVALID if errors else status_of(plan)
        counts[status] += 1
        shown.append(
            {
                "line": row["line"],
                "data": row["data"],
                "cells": [row["data"].get(name, "") for name in columns],
                status_key: status,
                "errors": errors,
            }
        )
    return shown, counts
