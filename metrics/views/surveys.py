"""A survey's KPIs for the surveys pages, served as htmx fragments (surveys does not import metrics)."""

from datetime import timedelta

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from cxportal import roles
from cxportal.dbrouter import reads_from_replica
from metrics import charts
from metrics.kpis import REGISTRY
from metrics.models import Bucket
from metrics.periods import range_label
from metrics.selectors import surveys as reads
from surveys.models import Survey

SURVEY_KPI_DAYS = 365


def _period():
    date_to = timezone.localdate()
    date_from = date_to - timedelta(days=SURVEY_KPI_DAYS - 1)
    return date_from, date_to, range_label(date_from, date_to, today=date_to)


@roles.manager_required
@reads_from_replica
def survey_kpis(request, survey_id: int):
    """The survey's NPS / CSAT / CES with n and margin, the P/P/D split and a monthly trend."""
    survey = get_object_or_404(Survey, pk=survey_id)
    date_from, date_to, period = _period()
    summary = reads.survey_summary(survey_id=survey.pk, date_from=date_from, date_to=date_to)
    trend_kpi = next((k for k in reads.SCORE_KPIS if summary["trends"].get(k)), None)
    trend = charts.trend_figure(trend_kpi, summary["trends"][trend_kpi], bucket=Bucket.MONTH) if trend_kpi else None
    context = {
        "survey": survey,
        "cards": summary["cards"],
        "split": summary["split"],
        "trend_kpi": REGISTRY[trend_kpi] if trend_kpi else None,
        "trend_chart": charts.figure_html(trend),
        "period": period,
        "min_n": settings.CX_MIN_SAMPLE_SIZE,
    }
    if request.headers.get("HX-Request"):
        return render(request, "metrics/partials/survey_kpis.html", context)
    return render(request, "metrics/survey_kpis.html", context)


@roles.manager_required
@reads_from_replica
def survey_scores(request):
    """Every survey's headline score as out-of-band swaps into the survey list's score column (one request)."""
    date_from, date_to, period = _period()
    ids = list(Survey.objects.order_by("pk").values_list("pk", flat=True))
    scores = reads.survey_scores(survey_ids=ids, date_from=date_from, date_to=date_to)
    rows = [
        {"id": pk, "score": scores[pk], "label": REGISTRY[scores[pk]["kpi"]].label if scores[pk] else ""} for pk in ids
    ]
    return render(
        request,
        "metrics/partials/survey_scores.html",
        {"rows": rows, "period": period, "min_n": settings.CX_MIN_SAMPLE_SIZE},
    )
