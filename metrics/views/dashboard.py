"""The KPI dashboard page: one KPI for the whole company over a period, its trend and its value per touchpoint."""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from cxportal import roles
from cxportal.dbrouter import reads_from_replica
from metrics import charts
from metrics.forms import DashboardFilterForm
from metrics.kpis import REGISTRY
from metrics.models import ScopeType
from metrics.periods import is_partial, partial_range_label, range_label, site_today
from metrics.selectors.breakdown import touchpoint_breakdown
from metrics.selectors.changes import range_change
from metrics.selectors.snapshots import kpi_series, last_recompute

_figure_html = charts.figure_html


def _touchpoint_rows(breakdown: list[dict]) -> list[dict]:
    """The dashboard's per-touchpoint rows in the shape of the breakdown chart (map › stage › touchpoint)."""
    min_n = settings.CX_MIN_SAMPLE_SIZE
    return [
        {
            "name": r["touchpoint"].name,
            "context": r["touchpoint"].stage.name,
            "result": r["result"],
            "enough": r["result"].value is not None and r["result"].n >= min_n,
        }
        for r in breakdown
    ]


@roles.role_required
@reads_from_replica
def dashboard(request):
    form = DashboardFilterForm.with_defaults(request.GET.dict())
    if form.is_valid():
        filters = form.cleaned_data
    else:  # show the errors, and the default period meanwhile
        defaults = DashboardFilterForm.with_defaults({})
        defaults.is_valid()
        filters = defaults.cleaned_data
    definition = REGISTRY[filters["kpi"]]
    series = kpi_series(
        kpi=filters["kpi"],
        scope_type=ScopeType.COMPANY,
        bucket=filters["bucket"],
        date_from=filters["date_from"],
        date_to=filters["date_to"],
    )
    breakdown = touchpoint_breakdown(kpi=filters["kpi"], date_from=filters["date_from"], date_to=filters["date_to"])
    today = site_today()
    points = [
        {**p, "enough": p["value"] is not None and p["n"] >= settings.CX_MIN_SAMPLE_SIZE}
        for p in series["results"]
        # Churn, retention and CLV of a running bucket are not final: not drawn.
        if definition.additive or not is_partial(p["period_start"], filters["bucket"], today=today)
    ]
    change = range_change(
        kpi=filters["kpi"],
        scope_type=ScopeType.COMPANY,
        scope_key="",
        date_from=filters["date_from"],
        date_to=filters["date_to"],
        bucket=filters["bucket"],
    )
    return render(
        request,
        "metrics/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "definition": definition,
            "total": series["total"],
            "change": change,
            "partial_note": partial_range_label(filters["date_from"], filters["date_to"], today=today),
            "trend_chart": _figure_html(charts.trend_figure(filters["kpi"], points, bucket=filters["bucket"])),
            "breakdown": breakdown,
            "breakdown_chart": _figure_html(charts.breakdown_figure(_touchpoint_rows(breakdown), filters["kpi"])),
            "period": range_label(filters["date_from"], filters["date_to"], today=timezone.localdate()),
            "last_run": last_recompute(),
            "min_n": settings.CX_MIN_SAMPLE_SIZE,
        },
    )
