"""The trends page: KPIs over time with their 95 % margin, in one scope."""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from cxportal import roles
from cxportal.dbrouter import reads_from_replica
from metrics import charts
from metrics.forms import TrendsFilterForm
from metrics.kpis import REGISTRY
from metrics.periods import partial_label, period_label, range_label, site_today
from metrics.selectors import dashboards
from metrics.selectors.scopes import scope_names
from metrics.selectors.snapshots import last_recompute


def _final(kpi: str, points: list[dict]) -> list[dict]:
    return [p for p in points if REGISTRY[kpi].additive or not p.get("partial")]


@roles.role_required
@reads_from_replica
def trends(request):
    form, filters = TrendsFilterForm.read(request.GET)
    series = dashboards.trends(
        kpis=filters["kpi"],
        scope_type=filters["scope_type"],
        scope_key=filters["scope_key"],
        date_from=filters["date_from"],
        date_to=filters["date_to"],
        bucket=filters["bucket"],
    )
    bucket = filters["bucket"]
    today = site_today()
    panels = []
    for kpi, points in series.items():
        for point in points or []:
            point["label"] = period_label(point["period_start"], bucket)
            if point["partial"]:
                point["partial_label"] = partial_label(point["period_start"], bucket, today=today)
        panels.append(
            {
                "kpi": kpi,
                "definition": REGISTRY[kpi],
                "available": points is not None,
                "points": points or [],
                # Churn, retention and CLV of a running bucket are not final: not drawn as a value.
                "chart": charts.figure_html(charts.trend_figure(kpi, _final(kpi, points), bucket=bucket))
                if points
                else "",
                "stack": charts.figure_html(charts.nps_stack_figure(points, bucket=bucket))
                if kpi == "nps" and points
                else "",
            }
        )
    return render(
        request,
        "metrics/trends.html",
        {
            "form": form,
            "filters": filters,
            "period": range_label(filters["date_from"], filters["date_to"], today=timezone.localdate()),
            "scope_name": scope_names([(filters["scope_type"], filters["scope_key"])])[
                (filters["scope_type"], filters["scope_key"])
            ],
            "panels": panels,
            "last_run": last_recompute(),
            "min_n": settings.CX_MIN_SAMPLE_SIZE,
            "subnav": "trends",
        },
    )
