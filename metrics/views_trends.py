"""Trends (KPIs over time with their 95 % margin) and breakdown (KPI per scope, stage × KPI heatmap) pages."""

from html import escape

import plotly.graph_objects as go
import plotly.io as pio
from django.conf import settings
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import urlencode

from cxportal import roles
from journeys.models import JourneyMap
from metrics import dashboards, selectors
from metrics.forms import BreakdownFilterForm, TrendsFilterForm
from metrics.kpis import REGISTRY
from metrics.models import ScopeType

NPS_PARTS = [
    ("promoters", "Promoters (9–10)", "#2e7d32"),
    ("passives", "Passives (7–8)", "#9e9e9e"),
    ("detractors", "Detractors (0–6)", "#c62828"),
]
# The responses list's score bands behind the low end of a KPI (see surveys.filters.BAND_CHOICES).
LOW_BAND = {"nps": "detractor", "csat": "low", "ces": "low"}


def _figure_html(fig) -> str:
    return pio.to_html(fig, full_html=False, include_plotlyjs=False, config={"displaylogo": False})


def _fmt(value, kpi: str) -> str:
    return f"{value:.2f}" if kpi in ("ces", "clv") else f"{value:.1f}"


def trend_chart(kpi: str, points: list[dict]) -> str:
    fig = trend_figure(kpi, points)
    return _figure_html(fig) if fig is not None else ""


def trend_figure(kpi: str, points: list[dict]) -> go.Figure | None:
    """The KPI per bucket; KPIs with a margin of error get the 95 % band; low-n buckets left out."""
    shown = [p for p in points if p["enough"]]
    if not shown:
        return None
    definition = REGISTRY[kpi]
    x = [p["period_start"] for p in shown]
    fig = go.Figure()
    if any(p["margin_of_error"] is not None for p in shown):
        moe = [p["margin_of_error"] or 0 for p in shown]
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[p["value"] - m for p, m in zip(shown, moe, strict=True)],
                mode="lines",
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
                name="95 % margin (lower)",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[p["value"] + m for p, m in zip(shown, moe, strict=True)],
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor="rgba(31,59,87,0.18)",
                hoverinfo="skip",
                name="95 % margin",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[p["value"] for p in shown],
            mode="lines+markers",
            name=escape(definition.label),
            line={"color": "#1f3b57", "width": 2},
            customdata=[[p["n"], p["margin_of_error"] if p["margin_of_error"] is not None else "–"] for p in shown],
            hovertemplate="%{x|%Y-%m-%d}: %{y} (n=%{customdata[0]}, ± %{customdata[1]})<extra></extra>",
        )
    )
    fig.update_layout(
        height=300,
        margin={"l": 50, "r": 10, "t": 10, "b": 40},
        yaxis={"title": escape(f"{definition.label} ({definition.unit})")},
        legend={"orientation": "h", "y": 1.12},
    )
    return fig


def nps_stack_chart(points: list[dict]) -> str:
    fig = nps_stack_figure(points)
    return _figure_html(fig) if fig is not None else ""


def nps_stack_figure(points: list[dict]) -> go.Figure | None:
    """Promoters, passives and detractors per bucket as stacked bars (counts on the bars, shares in hover)."""
    points = [p for p in points if p["n"]]
    if not points:
        return None
    fig = go.Figure()
    for key, label, colour in NPS_PARTS:
        fig.add_trace(
            go.Bar(
                x=[p["period_start"] for p in points],
                y=[p[key] for p in points],
                name=label,
                marker={"color": colour},
                text=[p[key] for p in points],
                textposition="inside",
                customdata=[[p[f"{key}_share"], p["n"]] for p in points],
                hovertemplate=f"{label}: %{{y}} of %{{customdata[1]}} (%{{customdata[0]}} %)<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        height=260,
        margin={"l": 50, "r": 10, "t": 10, "b": 40},
        yaxis={"title": "answers"},
        legend={"orientation": "h", "y": 1.15},
    )
    return fig


@roles.role_required
def trends(request):
    form = TrendsFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else TrendsFilterForm.defaults()
    series = dashboards.trends(
        kpis=filters["kpi"],
        scope_type=filters["scope_type"],
        scope_key=filters["scope_key"],
        date_from=filters["date_from"],
        date_to=filters["date_to"],
        bucket=filters["bucket"],
    )
    panels = []
    for kpi, points in series.items():
        panels.append(
            {
                "kpi": kpi,
                "definition": REGISTRY[kpi],
                "available": points is not None,
                "points": points or [],
                "chart": trend_chart(kpi, points) if points else "",
                "stack": nps_stack_chart(points) if kpi == "nps" and points else "",
            }
        )
    return render(
        request,
        "metrics/trends.html",
        {
            "form": form,
            "filters": filters,
            "panels": panels,
            "last_run": selectors.last_recompute(),
            "min_n": settings.CX_MIN_SAMPLE_SIZE,
            "subnav": "trends",
        },
    )


# ---------------------------------------------------------------- breakdown


def responses_url(*, touchpoint_id: int, date_from, date_to, band: str | None = None) -> str:
    """The surveys responses list filtered to the answers behind a number."""
    params = {"touchpoint": touchpoint_id, "date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
    if band:
        params["band"] = band
    return reverse("surveys:response_list") + "?" + urlencode(params)


def _breakdown_url(**params) -> str:
    return reverse("metrics:breakdown") + "?" + urlencode({k: v for k, v in params.items() if v})


def row_links(row: dict, *, kpi: str, by: str, date_from, date_to) -> dict:
    """Where a breakdown row's numbers lead: its responses, or the touchpoints behind a stage / channel."""
    period = {"from": date_from.isoformat(), "to": date_to.isoformat()}
    is_answer_kpi = REGISTRY[kpi].question_kind is not None
    if by == ScopeType.TOUCHPOINT and is_answer_kpi:
        band = LOW_BAND.get(kpi)
        return {
            "value": responses_url(touchpoint_id=row["touchpoint_id"], date_from=date_from, date_to=date_to),
            "low": responses_url(touchpoint_id=row["touchpoint_id"], date_from=date_from, date_to=date_to, band=band)
            if band
            else "",
            "label": "responses",
        }
    if by == ScopeType.STAGE:
        return {
            "value": _breakdown_url(kpi=kpi, by="touchpoint", stage=row["stage_id"], **period),
            "label": "touchpoints",
        }
    if by == ScopeType.CHANNEL:
        return {
            "value": _breakdown_url(kpi=kpi, by="touchpoint", channel=row["channel"], **period),
            "label": "touchpoints",
        }
    # Persona (and touchpoint for non-answer KPIs): the responses list has no such filter; show the trend.
    scope = {"persona": row["persona_id"]} if by == ScopeType.PERSONA else {"touchpoint": row.get("touchpoint_id")}
    query = urlencode({"kpi": kpi, "from": period["from"], "to": period["to"], **scope})
    return {"value": reverse("metrics:trends") + "?" + query, "label": "trend"}


def breakdown_chart(rows: list[dict], kpi: str) -> str:
    fig = breakdown_figure(rows, kpi)
    return _figure_html(fig) if fig is not None else ""


def breakdown_figure(rows: list[dict], kpi: str) -> go.Figure | None:
    """Horizontal bars, best first; n on every bar; rows below the minimum drawn hollow and labelled."""
    rows = [r for r in rows if r["result"].value is not None]
    if not rows:
        return None
    definition = REGISTRY[kpi]
    labels = [escape(f"{r['context']} › {r['name']}" if r["context"] else r["name"]) for r in rows]
    fig = go.Figure(
        go.Bar(
            x=[r["result"].value if r["enough"] else 0 for r in rows],
            y=labels,
            orientation="h",
            marker={
                "color": ["#1f3b57" if r["enough"] else "rgba(0,0,0,0)" for r in rows],
                "line": {"color": "#1f3b57", "width": 1},
            },
            error_x={"type": "data", "array": [(r["result"].margin_of_error or 0) if r["enough"] else 0 for r in rows]},
            text=[
                f"{_fmt(r['result'].value, kpi)} (n={r['result'].n})"
                if r["enough"]
                else f"not enough responses (n={r['result'].n})"
                for r in rows
            ],
            textposition=["inside" if r["enough"] else "outside" for r in rows],
            insidetextanchor="start",
            cliponaxis=False,
            hoverinfo="y+text",
        )
    )
    fig.update_layout(
        height=120 + 30 * len(rows),
        margin={"l": 10, "r": 40, "t": 10, "b": 40},
        xaxis={"title": escape(f"{definition.label} ({definition.unit})")},
        yaxis={"autorange": "reversed", "automargin": True},
    )
    return fig


def _cell_colour(level: float | None) -> str:
    """Red (worst) → yellow → green (best); the cell always shows its number as well."""
    if level is None:
        return ""
    hue = round(120 * level)
    return f"hsl({hue}, 65%, 82%)"


@roles.role_required
def breakdown(request):
    form = BreakdownFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else BreakdownFilterForm.defaults()
    kpi, by = filters["kpi"], filters["by"]
    date_from, date_to = filters["date_from"], filters["date_to"]
    rows = dashboards.breakdown(
        kpi=kpi,
        by=by,
        date_from=date_from,
        date_to=date_to,
        map_id=filters["map"].pk if filters.get("map") else None,
        stage_id=filters.get("stage"),
        channel=filters.get("channel") or "",
    )
    for row in rows:
        row["links"] = row_links(row, kpi=kpi, by=by, date_from=date_from, date_to=date_to)
    # Without a chosen map, the heatmap shows the map of the best row (it has data), else the first map.
    journey_map = (
        filters.get("map")
        or next((r["journey_map"] for r in rows if r.get("journey_map") is not None), None)
        or JourneyMap.objects.order_by("name").first()
    )
    heatmap = None
    if journey_map is not None:
        heatmap = dashboards.stage_heatmap(map_id=journey_map.pk, date_from=date_from, date_to=date_to)
        period = {"from": date_from.isoformat(), "to": date_to.isoformat()}
        for grid_row in heatmap["rows"]:
            for cell in grid_row["cells"]:
                cell["colour"] = _cell_colour(cell["level"])
                cell["url"] = _breakdown_url(kpi=cell["kpi"], by="touchpoint", stage=grid_row["stage"].pk, **period)
    return render(
        request,
        "metrics/breakdown.html",
        {
            "form": form,
            "filters": filters,
            "definition": REGISTRY[kpi],
            "by_label": dict(dashboards.BREAKDOWN_BY)[by],
            "rows": rows,
            "chart": breakdown_chart(rows, kpi),
            "heatmap": heatmap,
            "heatmap_map": journey_map,
            "last_run": selectors.last_recompute(),
            "min_n": settings.CX_MIN_SAMPLE_SIZE,
            "subnav": "trends",
        },
    )


urlpatterns = [
    path("trends/", trends, name="trends"),
    path("breakdown/", breakdown, name="breakdown"),
]
