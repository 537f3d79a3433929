"""Reads behind the breakdown page: a KPI per scope of one type, and the stage × KPI heatmap of a map.

Snapshots only, a fixed number of queries whatever the number of scopes (see ``metrics.selectors.snapshots``).
"""

from datetime import date

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from journeys.models import Channel, Persona, Stage, Touchpoint
from metrics.kpis import REGISTRY, KpiValue, compute
from metrics.models import Bucket, KpiSnapshot, ScopeType
from metrics.selectors.dashboards import available_in
from metrics.selectors.snapshots import kpi_by_scope, row_stats, stat_sums

# The KPIs of the stage × KPI heatmap (conversion only when the registry has it).
HEATMAP_KPIS = ["nps", "csat", "ces", "conversion_rate"]

BREAKDOWN_BY = [
    (ScopeType.TOUCHPOINT, _("Touchpoint")),
    (ScopeType.STAGE, _("Stage")),
    (ScopeType.PERSONA, _("Persona")),
    (ScopeType.CHANNEL, _("Channel")),
]


def _scope_names(
    by: str, keys: list[str], *, map_id: int | None, stage_id: int | None, channel: str
) -> dict[str, dict]:
    """Name and ids of each scope key of one type, restricted to a map / stage / channel where given."""
    ids = [int(k) for k in keys if k.isdigit()]
    if by == ScopeType.TOUCHPOINT:
        touchpoints = Touchpoint.objects.select_related("stage__journey_map").filter(pk__in=ids)
        if map_id:
            touchpoints = touchpoints.filter(stage__journey_map_id=map_id)
        if stage_id:
            touchpoints = touchpoints.filter(stage_id=stage_id)
        if channel:
            touchpoints = touchpoints.filter(channel=channel)
        return {
            str(tp.pk): {
                "name": tp.name,
                "context": f"{tp.stage.journey_map.name} › {tp.stage.name}",
                "touchpoint_id": tp.pk,
                "journey_map": tp.stage.journey_map,
            }
            for tp in touchpoints
        }
    if by == ScopeType.STAGE:
        stages = Stage.objects.select_related("journey_map").filter(pk__in=ids)
        if map_id:
            stages = stages.filter(journey_map_id=map_id)
        return {
            str(s.pk): {"name": s.name, "context": s.journey_map.name, "stage_id": s.pk, "journey_map": s.journey_map}
            for s in stages
        }
    if by == ScopeType.PERSONA:
        return {
            str(p.pk): {"name": p.name, "context": "", "persona_id": p.pk} for p in Persona.objects.filter(pk__in=ids)
        }
    labels = dict(Channel.choices)
    return {k: {"name": labels.get(k, k), "context": "", "channel": k} for k in keys if not channel or k == channel}


def breakdown(
    *,
    kpi: str,
    by: str,
    date_from: date,
    date_to: date,
    map_id: int | None = None,
    stage_id: int | None = None,
    channel: str = "",
) -> list[dict]:
    """The KPI per scope of one type, best first, scopes without a value last (two queries).

    Each row: ``key``, ``name``, ``context`` (map › stage), the scope's ids, ``result`` (KpiValue) and
    ``enough``. Rows below the minimum sample size stay in the list, marked, after those with enough.
    """
    values = kpi_by_scope(kpi=kpi, scope_type=by, date_from=date_from, date_to=date_to)
    names = _scope_names(by, list(values), map_id=map_id, stage_id=stage_id, channel=channel)
    rows = []
    for key, info in names.items():
        result = values[key]
        enough = result.value is not None and result.n >= settings.CX_MIN_SAMPLE_SIZE
        rows.append({"key": key, **info, "result": result, "enough": enough})
    rows.sort(key=lambda r: (not r["enough"], r["result"].value is None, -(r["result"].value or 0), r["name"]))
    return rows


def stage_heatmap(*, map_id: int, date_from: date, date_to: date) -> dict:
    """Rows = the map's stages in order, columns = NPS, CSAT, CES (and conversion); two queries."""
    kpis = [k for k in HEATMAP_KPIS if k in REGISTRY and available_in(k, ScopeType.STAGE)]
    stages = list(Stage.objects.filter(journey_map_id=map_id).order_by("position", "pk"))
    results: dict[tuple[str, str], KpiValue] = {}
    if stages:
        rows = (
            KpiSnapshot.objects.filter(
                kpi__in=kpis,
                scope_type=ScopeType.STAGE,
                scope_key__in=[str(s.pk) for s in stages],
                bucket=Bucket.DAY,
                period_start__gte=date_from,
                period_start__lte=date_to,
            )
            .values("kpi", "scope_key")
            .annotate(**stat_sums())
            .order_by()
        )
        for row in rows:
            results[(row["scope_key"], row["kpi"])] = compute(row["kpi"], row_stats(row))
    grid = []
    for stage in stages:
        cells = []
        for kpi in kpis:
            result = results.get((str(stage.pk), kpi))
            enough = result is not None and result.value is not None and result.n >= settings.CX_MIN_SAMPLE_SIZE
            cells.append(
                {"kpi": kpi, "result": result, "enough": enough, "level": level(kpi, result) if enough else None}
            )
        grid.append({"stage": stage, "cells": cells})
    return {"kpis": [{"kpi": k, "label": REGISTRY[k].label} for k in kpis], "rows": grid}


def level(kpi: str, result: KpiValue) -> float:
    """Where the value sits in the KPI's range, 0 (worst) … 1 (best), for the heatmap colour."""
    low, high = REGISTRY[kpi].value_range
    if high == float("inf") or high == low:
        return 0.5
    level = max(0.0, min(1.0, (result.value - low) / (high - low)))
    return level if REGISTRY[kpi].higher_is_better else 1 - level


def touchpoint_breakdown(*, kpi: str, date_from: date, date_to: date) -> list[dict]:
    """The KPI per touchpoint (with its stage and map), best first; touchpoints without data last."""
    values = kpi_by_scope(kpi=kpi, scope_type=ScopeType.TOUCHPOINT, date_from=date_from, date_to=date_to)
    rows = []
    for tp in Touchpoint.objects.select_related("stage__journey_map").filter(pk__in=[int(k) for k in values]):
        rows.append({"touchpoint": tp, "result": values[str(tp.pk)]})
    rows.sort(key=lambda r: (r["result"].value is None, -(r["result"].value or 0), r["touchpoint"].name))
    return rows
