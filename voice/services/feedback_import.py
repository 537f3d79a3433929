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
from cxportal.tasks import task_queue
from voice.models import AnalysisRun
from voice.services.items import MAX_ROWS, ROW_FIELDS, feedback_rows_validate, feedback_upsert
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


IMPORT_CHUNK = 500


def feedback_import_queue(*, token: str, by) -> AnalysisRun:
    """Confirm a staged import: the worker stores it (queue ``voice``) with progress on an ``AnalysisRun``."""
    payload = _load(token, by)
    rows = payload["rows"]
    with transaction.atomic():
        run = AnalysisRun.objects.create(kind=AnalysisRun.Kind.IMPORT, total=len(rows))
        transaction.on_commit(
            lambda: task_queue("voice.import_feedback", kwargs={"run_id": run.pk, "token": token, "user_id": by.pk})
        )
    return run


def feedback_import_run(*, run: AnalysisRun, token: str, by) -> tuple[int, int, int]:
    """Store the staged rows' valid ones (validated again) in chunks, each in its own transaction, saying how
    far it got; returns (created, updated, skipped). Rows are upserted by external id, so a run that stops
    part-way and runs again (a worker crash: the task is acknowledged late) stores each row once."""
    payload = _load(token, by)
    rows = payload["rows"]
    usable = set(usable_indexes(rows))
    created = updated = skipped = 0
    for start in range(0, len(rows), IMPORT_CHUNK):
        chunk = [_row(rows[i]["data"]) for i in range(start, min(start + IMPORT_CHUNK, len(rows))) if i in usable]
        skipped += min(IMPORT_CHUNK, len(rows) - start) - len(chunk)
        if chunk:
            with transaction.atomic():
                result = feedback_upsert(rows=chunk, partial=True)
            created, updated, skipped = created + result.created, updated + result.updated, skipped + len(result.errors)
        AnalysisRun.objects.filter(pk=run.pk).update(
            status=AnalysisRun.Status.RUNNING, done=min(start + IMPORT_CHUNK, len(rows))
        )
    STAGING.discard(token=token)
    if created or updated:
        analysis_request()
    return created, updated, skipped


def feedback_import_cancel(*, token: str, by) -> None:
    _load(token, by)
    STAGING.discard(token=token)
