"""Recomputing KPI snapshots from answers, invitations, touchpoint events, customers and revenue.

For the additive KPIs one database aggregate per source groups the data at the finest grain the scopes
need (KPI × survey × touchpoint × persona × local day): answers (NPS, CSAT, CES), invitations (response
rate, by the day they were first sent) and touchpoint events (conversion rate). Every scope and bucket is
then a sum of those groups, because the statistics a snapshot keeps are additive. The period KPIs (churn,
retention, CLV) come from ``metrics.customer_kpis``. The snapshots are upserted, and snapshots whose data
has gone (e.g. after an erasure) are removed, so a run is idempotent and two overlapping runs agree.
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, DateField, F, Max, Q, Sum
from django.db.models.functions import Trunc
from django.utils import timezone

from journeys.models import Customer, Touchpoint
from metrics.customer_kpis import local_day, period_cells
from metrics.kpis import ANSWER_KPIS, REGISTRY, Stats, compute, period_start
from metrics.models import Bucket, Kpi, KpiSnapshot, RecomputeRun, ScopeType, TouchpointEvent, Transaction
from surveys.models import Answer, Invitation, Response

logger = logging.getLogger(__name__)
BATCH = 2000


def _answer_groups() -> list[dict]:
    kinds = list(ANSWER_KPIS)
    top = (
        Q(question__kind="nps", value__gte=9)
        | Q(question__kind="csat", value__gte=4)
        | Q(question__kind="ces", value__gte=5)
    )
    rows = (
        Answer.objects.filter(question__kind__in=kinds, value__isnull=False)
        .values(
            kind=F("question__kind"),
            survey=F("response__survey_id"),
            touchpoint=F("response__touchpoint_id"),
            persona=F("response__customer__persona_id"),
            day=Trunc("response__submitted_at", "day", output_field=DateField(), tzinfo=ZoneInfo(settings.TIME_ZONE)),
        )
        .annotate(
            n=Count("id"),
            total=Sum("value"),
            total_sq=Sum(F("value") * F("value")),
            count_a=Count("id", filter=top),
            count_b=Count("id", filter=Q(question__kind="nps", value__in=[7, 8])),
            count_c=Count("id", filter=Q(question__kind="nps", value__lte=6)),
        )
        .order_by()
    )
    return [{**row, "kpi": ANSWER_KPIS[row["kind"]]} for row in rows]


def _invitation_groups() -> list[dict]:
    """Response rate: invitations sent and those answered, by the local day each was first sent."""
    rows = (
        Invitation.objects.filter(sent_at__isnull=False)
        .values(
            survey=F("campaign__survey_id"),
            touchpoint=F("campaign__survey__touchpoint_id"),
            persona=F("customer__persona_id"),
            day=local_day("sent_at"),
        )
        .annotate(n=Count("id"), count_a=Count("response"))
        .order_by()
    )
    return [{**row, "kpi": Kpi.RESPONSE_RATE} for row in rows]


def _event_groups() -> list[dict]:
    """Conversion rate: visits and conversions per touchpoint, persona (of the event's customer) and day."""
    rows = (
        TouchpointEvent.objects.values("touchpoint_id", persona=F("customer__persona_id"), day=local_day("occurred_at"))
        .annotate(
            n=Count("id", filter=Q(kind=TouchpointEvent.Kind.VISIT)),
            count_a=Count("id", filter=Q(kind=TouchpointEvent.Kind.CONVERSION)),
        )
        .order_by()
    )
    return [{**row, "touchpoint": row["touchpoint_id"], "kpi": Kpi.CONVERSION_RATE, "survey": None} for row in rows]


def _roll_up(groups: list[dict]) -> dict[tuple, Stats]:
    touchpoints = {
        tp["id"]: tp for tp in Touchpoint.objects.values("id", "channel", "stage_id", map_id=F("stage__journey_map_id"))
    }
    cells: dict[tuple, Stats] = defaultdict(Stats)
    for g in groups:
        stats = Stats(
            g["n"],
            float(g.get("total") or 0),
            float(g.get("total_sq") or 0),
            g.get("count_a", 0),
            g.get("count_b", 0),
            g.get("count_c", 0),
        )
        kpi = g["kpi"]
        scopes = [(ScopeType.COMPANY, "")]
        if g["survey"] is not None:
            scopes.append((ScopeType.SURVEY, str(g["survey"])))
        if g["persona"] is not None:
            scopes.append((ScopeType.PERSONA, str(g["persona"])))
        tp = touchpoints.get(g["touchpoint"])
        if tp is not None:
            scopes += [
                (ScopeType.TOUCHPOINT, str(tp["id"])),
                (ScopeType.STAGE, str(tp["stage_id"])),
                (ScopeType.MAP, str(tp["map_id"])),
                (ScopeType.CHANNEL, tp["channel"]),
            ]
        for bucket in Bucket.values:
            start = period_start(g["day"], bucket)
            for scope_type, scope_key in scopes:
                key = (kpi, scope_type, scope_key, bucket, start)
                cells[key] = cells[key] + stats
    return cells


RECOMPUTE_LOCK_ID = 74_211_001
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


# The inputs besides responses whose change triggers a recomputation, with the time that marks a change.
# Customers are marked by ``updated_at``: an acquisition, churn or persona change moves their KPIs.
MARKED_SOURCES = {
    "events": (TouchpointEvent, "created_at"),
    "transactions": (Transaction, "created_at"),
    "customers": (Customer, "updated_at"),
    "invitations": (Invitation, "sent_at"),
}


def _markers() -> dict:
    """Per source: the newest marker time and how many rows fall in the window just before it."""
    markers = {}
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
    """Whether any source got rows (or, for customers, changes) since the markers were taken."""
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
    cells = _roll_up(_answer_groups() + _invitation_groups() + _event_groups())
    cells.update(period_cells())
    computed_at = timezone.now()
    rows = []
    for (kpi, scope_type, scope_key, bucket, start), stats in sorted(cells.items()):
        result = compute(kpi, stats)
        rows.append(
            KpiSnapshot(
                kpi=kpi,
                scope_type=scope_type,
                scope_key=scope_key,
                bucket=bucket,
                period_start=start,
                n=stats.n,
                total=stats.total,
                total_sq=stats.total_sq,
                count_a=stats.count_a,
                count_b=stats.count_b,
                count_c=stats.count_c,
                value=result.value,
                margin_of_error=result.margin_of_error,
                computed_at=computed_at,
            )
        )
    for i in range(0, len(rows), BATCH):
        KpiSnapshot.objects.bulk_create(
            rows[i : i + BATCH],
            update_conflicts=True,
            unique_fields=["kpi", "scope_type", "scope_key", "bucket", "period_start"],
            update_fields=[
                "n",
                "total",
                "total_sq",
                "count_a",
                "count_b",
                "count_c",
                "value",
                "margin_of_error",
                "computed_at",
            ],
        )
    # Cells that no longer have data (answers erased, survey moved) are stale.
    KpiSnapshot.objects.filter(kpi__in=list(REGISTRY), computed_at__lt=computed_at).delete()
    run = RecomputeRun.objects.create(
        kind=kind,
        started_at=started,
        finished_at=timezone.now(),
        data_watermark=watermark,
        window_start=window_start,
        window_count=window_count,
        markers=markers,
        snapshots_written=len(rows),
    )
    logger.info("Recomputed %d KPI snapshots (%s run)", len(rows), kind)
    return run


def snapshots_recompute_if_changed() -> RecomputeRun | None:
    """Recompute when data arrived since the last run; None when nothing changed.

    "Arrived" is judged by the responses created since shortly before the last run's newest one, so a
    response whose transaction committed after that run started is seen too; likewise for touchpoint
    events, transactions, sent invitations and changed customers (MARKED_SOURCES), whose window also
    notices a newer marker time. Deletions and moved surveys are picked up by the nightly full run.
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
