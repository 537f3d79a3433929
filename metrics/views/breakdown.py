"""The breakdown page: a KPI per touchpoint, stage, persona or channel, and the stage × KPI heatmap of a map."""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from cxportal import roles
from cxportal.dbrouter import reads_from_replica
from journeys.models import JourneyMap
from metrics import charts
from metrics.forms import BreakdownFilterForm
from metrics.kpis import REGISTRY
from metrics.models import ScopeType
from metrics.periods import partial_range_label, range_label, site_today
from metrics.selectors import breakdown as breakdown_reads
from metrics.selectors.changes import previous_period, scope_changes
from metrics.selectors.snapshots import last_recompute
from metrics.views.links import breakdown_url, responses_url, trends_url
from surveys.scales import LOW_BAND_OF_KIND
from surveys.selectors.access import readable_touchpoint_ids


def row_links(row: dict, *, kpi: str, by: str, date_from, date_to, readable: set[int] | None = None) -> dict:
    """Where a breakdown row's numbers lead: its responses, or the touchpoints behind a stage / channel.

    ``readable``: the touchpoints whose responses the user may read (None: all); other rows lead to their trend.
    """
    period = {"from": date_from.isoformat(), "to": date_to.isoformat()}
    is_answer_kpi = REGISTRY[kpi].question_kind is not None
    may_read = readable is None or row.get("touchpoint_id") in readable
    if by == ScopeType.TOUCHPOINT and is_answer_kpi and may_read:
        band = LOW_BAND_OF_KIND.get(REGISTRY[kpi].question_kind)  # the responses list's low-score band
        return {
            "value": responses_url(touchpoint_id=row["touchpoint_id"], date_from=date_from, date_to=date_to),
            "low": responses_url(touchpoint_id=row["touchpoint_id"], date_from=date_from, date_to=date_to, band=band)
            if band
            else "",
            "label": "responses",
        }
    if by == ScopeType.STAGE:
        return {
            "value": breakdown_url(kpi=kpi, by="touchpoint", stage=row["stage_id"], **period),
            "label": "touchpoints",
        }
    if by == ScopeType.CHANNEL:
        return {
            "value": breakdown_url(kpi=kpi, by="touchpoint", channel=row["channel"], **period),
            "label": "touchpoints",
        }
    # Persona (and touchpoint for non-answer KPIs): the responses list has no such filter; show the trend.
    scope = {"persona": row["persona_id"]} if by == ScopeType.PERSONA else {"touchpoint": row.get("touchpoint_id")}
    return {"value": trends_url(kpi=kpi, date_from=date_from, date_to=date_to, **scope), "label": "trend"}


def _cell_colour(level: float | None) -> str:
    """Red (worst) → yellow → green (best); the cell always shows its number as well."""
    if level is None:
        return ""
    hue = round(120 * level)
    return f"hsl({hue}, 65%, 82%)"


@roles.role_required
@reads_from_replica
def breakdown(request):
    form, filters = BreakdownFilterForm.read(request.GET)
    kpi, by = filters["kpi"], filters["by"]
    date_from, date_to = filters["date_from"], filters["date_to"]
    rows = breakdown_reads.breakdown(
        kpi=kpi,
        by=by,
        date_from=date_from,
        date_to=date_to,
        map_id=filters["map"].pk if filters.get("map") else None,
        stage_id=filters.get("stage"),
        channel=filters.get("channel") or "",
    )
    changes = scope_changes(kpi=kpi, scope_type=by, date_from=date_from, date_to=date_to)
    readable = readable_touchpoint_ids(user=request.user)
    for row in rows:
        row["change"] = changes.get(row["key"])
        row["links"] = row_links(row, kpi=kpi, by=by, date_from=date_from, date_to=date_to, readable=readable)
    # Without a chosen map, the heatmap shows the map of the best row (it has data), else the first map.
    journey_map = (
        filters.get("map")
        or next((r["journey_map"] for r in rows if r.get("journey_map") is not None), None)
        or JourneyMap.objects.order_by("name").first()
    )
    heatmap = None
    if journey_map is not None:
        heatmap = breakdown_reads.stage_heatmap(map_id=journey_map.pk, date_from=date_from, date_to=date_to)
        period = {"from": date_from.isoformat(), "to": date_to.isoformat()}
        for grid_row in heatmap["rows"]:
            for cell in grid_row["cells"]:
                cell["colour"] = _cell_colour(cell["level"])
                cell["url"] = breakdown_url(kpi=cell["kpi"], by="touchpoint", stage=grid_row["stage"].pk, **period)
    return render(
        request,
        "metrics/breakdown.html",
        {
            "form": form,
            "filters": filters,
            "definition": REGISTRY[kpi],
            "by_label": dict(breakdown_reads.BREAKDOWN_BY)[by],
            "rows": rows,
            "chart": charts.figure_html(charts.breakdown_figure(rows, kpi)),
            "period": range_label(date_from, date_to, today=timezone.localdate()),
            "partial_note": partial_range_label(date_from, date_to, today=site_today()),
            "previous_period": range_label(*previous_period(date_from, date_to), today=timezone.localdate()),
            "heatmap": heatmap,
            "heatmap_map": journey_map,
            "last_run": last_recompute(),
            "min_n": settings.CX_MIN_SAMPLE_SIZE,
            "subnav": "trends",
        },
    )
