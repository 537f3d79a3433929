"""Dashboards: KPIs read from the snapshots, drawn with plotly (served from our static files)."""

from html import escape

import plotly.graph_objects as go
import plotly.io as pio
from django.conf import settings
from django.shortcuts import render

from cxportal import roles
from metrics import selectors
from metrics.forms import DashboardFilterForm
from metrics.kpis import REGISTRY
from metrics.models import ScopeType


def _figure_html(fig) -> str:
    return pio.to_html(fig, full_html=False, include_plotlyjs=False, config={"displaylogo": False})


def _breakdown_chart(rows, label: str) -> str:
    rows = [r for r in rows if r["result"].value is not None]
    if not rows:
        return ""
    names = [escape(f"{r['touchpoint'].stage.name} › {r['touchpoint'].name}") for r in rows]
    fig = go.Figure(
        go.Bar(
            x=[r["result"].value for r in rows],
            y=names,
            orientation="h",
            error_x={"type": "data", "array": [r["result"].margin_of_error or 0 for r in rows]},
            text=[f"{r['result'].value} (n={r['result'].n})" for r in rows],
            textposition="auto",
        )
    )
    fig.update_layout(
        height=120 + 28 * len(rows),
        margin={"l": 10, "r": 10, "t": 10, "b": 30},
        xaxis={"title": label},
        yaxis={"autorange": "reversed", "automargin": True},
    )
    return _figure_html(fig)


def _trend_chart(results, label: str) -> str:
    points = [r for r in results if r["value"] is not None]
    if not points:
        return ""
    fig = go.Figure(
        go.Scatter(
            x=[p["period_start"] for p in points],
            y=[p["value"] for p in points],
            mode="lines+markers",
            error_y={"type": "data", "array": [p["margin_of_error"] or 0 for p in points]},
            hovertext=[f"n={p['n']}" for p in points],
        )
    )
    fig.update_layout(height=280, margin={"l": 40, "r": 10, "t": 10, "b": 40}, yaxis={"title": label})
    return _figure_html(fig)


@roles.role_required
def dashboard(request):
    form = DashboardFilterForm.with_defaults(request.GET.dict())
    if form.is_valid():
        filters = form.cleaned_data
    else:  # show the errors, and the default period meanwhile
        defaults = DashboardFilterForm.with_defaults({})
        defaults.is_valid()
        filters = defaults.cleaned_data
    definition = REGISTRY[filters["kpi"]]
    series = selectors.kpi_series(
        kpi=filters["kpi"],
        scope_type=ScopeType.COMPANY,
        bucket=filters["bucket"],
        date_from=filters["date_from"],
        date_to=filters["date_to"],
    )
    breakdown = selectors.touchpoint_breakdown(
        kpi=filters["kpi"], date_from=filters["date_from"], date_to=filters["date_to"]
    )
    return render(
        request,
        "metrics/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "definition": definition,
            "total": series["total"],
            "trend_chart": _trend_chart(series["results"], definition.label),
            "breakdown": breakdown,
            "breakdown_chart": _breakdown_chart(breakdown, definition.label),
            "last_run": selectors.last_recompute(),
            "min_n": settings.CX_MIN_SAMPLE_SIZE,
        },
    )
