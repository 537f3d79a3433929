"""The home page: what needs attention now, then one glance at map, ask, measure and act."""

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

from actionplans.selectors import actions_overview
from cxportal import roles
from cxportal.attention import attention_for
from journeys.models import JourneyMap
from metrics import selectors as metric_selectors
from metrics.models import Kpi
from surveys.selectors import survey_counts

HOME_NPS_DAYS = 365


@roles.role_required
def home(request):
    today = timezone.localdate()
    context = {"attention": attention_for(user=request.user, today=today), "today": today}
    if roles.is_cx_manager(request.user):
        context["nps"] = metric_selectors.kpi_series(
            kpi=Kpi.NPS, bucket="month", date_from=today - timedelta(days=HOME_NPS_DAYS - 1), date_to=today
        )["total"]
        context["nps_days"] = HOME_NPS_DAYS
        context["counts"] = {"maps": JourneyMap.objects.count(), **survey_counts(), **actions_overview(today=today)}
        context["last_run"] = metric_selectors.last_recompute()
    return render(request, "cxportal/home.html", context)
