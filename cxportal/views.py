"""The home page: one glance at map, ask, measure and act."""

from datetime import timedelta

from django.shortcuts import redirect, render
from django.utils import timezone

from actionplans.selectors import actions_overview
from cxportal import roles
from journeys.models import JourneyMap
from metrics import selectors as metric_selectors
from metrics.models import Kpi
from surveys.selectors import survey_counts


@roles.role_required
def home(request):
    if not roles.is_cx_manager(request.user):
        return redirect("actionplans:my_department")
    today = timezone.localdate()
    nps = metric_selectors.kpi_series(
        kpi=Kpi.NPS, bucket="month", date_from=today - timedelta(days=364), date_to=today
    )["total"]
    counts = {"maps": JourneyMap.objects.count(), **survey_counts(), **actions_overview(today=today)}
    return render(
        request,
        "cxportal/home.html",
        {
            "counts": counts,
            "nps": nps,
            "last_run": metric_selectors.last_recompute(),
        },
    )
