"""The overview page: a card per KPI for the chosen period and scope, with its sparkline and target."""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from cxportal import roles
from cxportal.dbrouter import reads_from_replica
from metrics import charts
from metrics.forms import OverviewFilterForm
from metrics.periods import period_label, range_label
from metrics.selectors import dashboards
from metrics.selectors.snapshots import last_recompute

_figure_html = charts.figure_html


def _spark_range(points: list[dict], bucket: str) -> str:
    """What a card's sparkline spans: "Sep 2026 – Nov 2026" (only the buckets with enough data are drawn)."""
    shown = [p for p in points if p["value"] is not None and p["n"] >= settings.CX_MIN_SAMPLE_SIZE]
    if len(shown) < 2:
        return ""
    return f"{period_label(shown[0]['period_start'], bucket)} – {period_label(shown[-1]['period_start'], bucket)}"


@roles.role_required
@reads_from_replica
def overview(request):
    """A card per KPI for the chosen period and scope."""
    form, filters = OverviewFilterForm.read(request.GET)
    cards = dashboards.overview_cards(
        scope_type=filters["scope_type"],
        scope_key=filters["scope_key"],
        date_from=filters["date_from"],
        date_to=filters["date_to"],
        bucket=filters["bucket"],
    )
    for card in cards:
        # A card without a value of its own draws no line: it would show data the card says it lacks.
        card.sparkline = (
            _figure_html(charts.sparkline_figure(card.spark, bucket=filters["bucket"]), mode_bar=False)
            if card.enough
            else ""
        )
        card.spark_range = _spark_range(card.spark, filters["bucket"])
    prev_from, prev_to = dashboards.previous_period(filters["date_from"], filters["date_to"], filters["bucket"])
    today = timezone.localdate()
    return render(
        request,
        "metrics/overview.html",
        {
            "form": form,
            "filters": filters,
            "cards": cards,
            "previous": (prev_from, prev_to),
            "period": range_label(filters["date_from"], filters["date_to"], today=today),
            "previous_period": range_label(prev_from, prev_to, today=today),
            "last_run": last_recompute(),
            "min_n": settings.CX_MIN_SAMPLE_SIZE,
        },
    )
