"""Recomputing KPI snapshots from answers, invitations, touchpoint events, customers and revenue.

``snapshots_recompute`` is the engine: under one lock it reads the change markers, computes every cell
(KPI × scope × bucket) and makes the stored snapshots equal them. The cells come from the fine-grain
groups of ``recompute_groups`` (summed in Python by ``roll_up`` on SQLite, or inside PostgreSQL by
``recompute_sql``), the period KPIs (churn, retention, CLV) from ``metrics.customer_kpis``; the write is
the snapshot diff (``snapshot_diff``). A run over unchanged data writes nothing, and a run after the
formulas changed (``metrics.kpis.formula_signature``) computes every value again.
``snapshots_recompute_if_changed`` is the minutely check (incremental on PostgreSQL). What follows a run —
target alerts and their follow-up actions — is ``metrics.services.targets.targets_after_recompute``, called
by the Celery tasks and the ``recompute_metrics`` command alike.
bench/recompute.py measures a full run over 1,000,000 answers against one hand-written SQL aggregate.
"""

import logging
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from journeys.models import Customer
from metrics.changes import inputs_version
from metrics.customer_kpis import period_cells
from metrics.kpis import formula_signature
from metrics.models import RecomputeRun, TouchpointEvent, Transaction
from metrics.services import recompute_sql, snapshot_diff
from metrics.services.recompute_groups import answer_groups, event_groups, feedback_groups, invitation_groups, roll_up
from surveys.models import Invitation, Response
from voice.models import FeedbackItem

logger = logging.getLogger(__name__)


RECOMPUTE_LOCK_ID = 74_211_001
RECOMPUTE_WORK_MEM = "256MB"
# Longer than any transaction that writes a response is expected to stay open.
LATE_COMMIT_WINDOW = timedelta(minutes=5)


def _lock_recompute() -> None:
    """Serialise recomputations: reads and writes of one run happen under one lock.

    PostgreSQL takes a transaction-level advisory lock; SQLite's IMMEDIATE transactions already hold
    the database write lock from the start of the transaction.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RECOMPUTE_LOCK_ID])
            # For this transaction only (measured with bench/recompute.py): compiling the aggregates (JIT)
            # costs more than it saves on queries that read each row once; and the planner overestimates
            # the groups of the answer aggregate tenfold, so with the default work_mem it sorts a million
            # rows on disk instead of hashing them (4.7 s against 3.5 s; the memory actually used is that
            # of the real groups, a few MB).
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(f"SET LOCAL work_mem = '{RECOMPUTE_WORK_MEM}'")


# The inputs besides responses whose change triggers a recomputation, with the time that marks a change.
# Customers are marked by ``updated_at``: an acquisition, churn or persona change moves their KPIs.
MARKED_SOURCES = {
    "events": (TouchpointEvent, "created_at"),
    "transactions": (Transaction, "created_at"),
    "customers": (Customer, "updated_at"),
    "invitations": (Invitation, "sent_at"),
    # Voice's items count once analysed (their sentiment is what the text KPIs read); a new analysis moves it.
    "feedback": (FeedbackItem, "analysed_at"),
}


def _markers() -> dict:
    """Per source: the newest marker time and how many rows fall in the window just before it; and the
    version of the changes that leave no time (deletions, moved touchpoints: metrics.changes)."""
    markers = {"inputs": inputs_version()}
    for name, (model, field) in MARKED_SOURCES.items():
        latest = model.objects.aggregate(m=Max(field))["m"]
        window_start = latest - LATE_COMMIT_WINDOW if latest else None
        count = model.objects.filter(**{f"{field}__gte": window_start}).count() if latest else 0
        markers[name] = {
            "max": latest.isoformat() if latest else None,
            "window_start": window_start.isoformat() if window_start else None,
            "count": count,
        }
    return markers


def _markers_changed(stored: dict) -> bool:
    """Whether any source got rows (or, for customers, changes) since the markers were taken, or rows were
    deleted or moved meanwhile."""
    if stored.get("inputs", 0) != inputs_version():
        return True
    for name, (model, field) in MARKED_SOURCES.items():
        marker = stored.get(name)
        if marker is None or marker["window_start"] is None:
            if model.objects.filter(**{f"{field}__isnull": False}).exists():
                return True
            continue
        window_start = datetime.fromisoformat(marker["window_start"])
        now = model.objects.aggregate(latest=Max(field), count=Count("pk", filter=Q(**{f"{field}__gte": window_start})))
        if now["count"] != marker["count"] or now["latest"] != datetime.fromisoformat(marker["max"]):
            return True
    return False


@transaction.atomic
def snapshots_recompute(*, kind: str = RecomputeRun.Kind.FULL) -> RecomputeRun:
    """Recompute every KPI snapshot (all KPIs of the registry) for every scope and bucket."""
    _lock_recompute()
    started = timezone.now()
    # Read the change markers before the answers: a response committing in between is then counted
    # in the next check, and recomputed once more, rather than missed.
    watermark = Response.objects.aggregate(m=Max("created_at"))["m"]
    window_start = watermark - LATE_COMMIT_WINDOW if watermark else None
    window_count = Response.objects.filter(created_at__gte=window_start).count() if watermark else 0
    markers = _markers()
    formulas = formula_signature()
    if recompute_sql.sql_fast_path():
        last = RecomputeRun.objects.order_by("-started_at").first()
        days = recompute_sql.incremental_days(last, markers, formulas) if kind == RecomputeRun.Kind.CHANGED else None
        count = recompute_sql.cells_table_sql(recompute_sql.beside(lambda: recompute_sql.side_sources(days)), days)
        snapshot_diff.snapshots_write_sql(cells=count, all_values=last is None or last.formulas != formulas, days=days)
    else:
        cells = roll_up(answer_groups() + invitation_groups() + event_groups() + feedback_groups())
        cells.update(period_cells())
        snapshot_diff.snapshots_write(cells)
        count = len(cells)
    run = RecomputeRun.objects.create(
        kind=kind,
        started_at=started,
        finished_at=timezone.now(),
        data_watermark=watermark,
        window_start=window_start,
        window_count=window_count,
        markers=markers,
        formulas=formulas,
        snapshots_written=count,
    )
    logger.info("Recomputed %d KPI snapshots (%s run)", count, kind)
    return run


def snapshots_recompute_if_changed() -> RecomputeRun | None:
    """Recompute when data arrived since the last run; None when nothing changed.

    "Arrived" is judged by the responses created since shortly before the last run's newest one, so a
    response whose transaction committed after that run started is seen too; likewise for touchpoint
    events, transactions, sent invitations and changed customers (MARKED_SOURCES), whose window also
    notices a newer marker time. Deletions, moved touchpoints and edited surveys bump a counter
    (metrics.changes) that is compared too.
    """
    last = RecomputeRun.objects.order_by("-started_at").first()
    if last is not None:
        if last.window_start is None:
            changed = Response.objects.exists()
        else:
            changed = Response.objects.filter(created_at__gte=last.window_start).count() != last.window_count
        changed = changed or _markers_changed(last.markers)
        if not changed:
            return None
    return snapshots_recompute(kind=RecomputeRun.Kind.CHANGED)
