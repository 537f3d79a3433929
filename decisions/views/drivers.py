"""The key-drivers page: what explains the relationship NPS, as a chart and a table, with the method in words."""

from django.shortcuts import render

from cxportal import roles
from cxportal.dbrouter import reads_from_replica
from decisions import charts
from decisions.forms import DriversFilterForm
from decisions.services.driver_inputs import TOPIC_DRIVERS
from decisions.services.drivers import drivers_analyse


@roles.role_required
@reads_from_replica
def drivers(request):
    form, filters = DriversFilterForm.read(request.GET)
    analysis = drivers_analyse(kpi=filters["kpi"], date_from=filters["date_from"], date_to=filters["date_to"])
    labels = charts.quadrant_labels()
    rows = [d.as_dict() | {"quadrant_label": labels.get(d.quadrant, "")} for d in analysis.drivers]
    return render(
        request,
        "decisions/drivers.html",
        {
            "form": form,
            "filters": filters,
            "analysis": analysis,
            "rows": rows,
            "chart": charts.drivers_figure(analysis),
            "topic_drivers": TOPIC_DRIVERS,
        },
    )
