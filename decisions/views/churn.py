"""The churn-risk page: the model's held-out quality, the customers most at risk and why, retraining."""

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxportal import roles
from decisions import charts, exports
from decisions.models import ChurnModel, ChurnRisk
from decisions.reasons import reason_label
from decisions.selectors import top_risks
from decisions.services.churn import latest_model, limits

LISTED = 100


@roles.manager_required
def churn_risk(request):
    model = latest_model()
    risks = top_risks(LISTED)
    return render(
        request,
        "decisions/churn_risk.html",
        {
            "model": model,
            "risks": risks,
            "limits": limits(),
            "calibration_chart": charts.calibration_figure(model.calibration) if model else "",
            "after": request.GET.get("after", "") if request.GET.get("after", "").isdigit() else "",
        },
    )


@roles.manager_required
def churn_risk_export(request, file_format: str):
    """Every scored customer with risk and reasons, as CSV or XLSX (names customers: CX managers only)."""
    if file_format not in exports.FORMATS:
        raise Http404(_("Unknown export format."))
    return exports.risks_export(file_format=file_format)


@roles.manager_required
@require_POST
def churn_train(request):
    """Queue a retraining; the page then polls until a model newer than the current one is stored."""
    from decisions.tasks import train_churn_model

    latest = latest_model()
    train_churn_model.delay()
    return redirect(f"{reverse('decisions:churn_risk')}?after={latest.pk if latest else 0}")


@roles.manager_required
def churn_train_status(request):
    """The htmx poll of a retraining (``?after=<model id>``): still running, or what the new model did."""
    try:
        after = int(request.GET.get("after", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Which training? The model to compare with is missing."))
    model = ChurnModel.objects.filter(pk__gt=after).order_by("-pk").first()
    return render(request, "decisions/partials/train_status.html", {"after": after, "new_model": model})


@roles.manager_required
def customer_risk(request, customer_id: int):
    """Fragment for the customer page (journeys): risk, reasons and the model's quality, or "no risk figure"."""
    from journeys.models import Customer

    customer = get_object_or_404(Customer, pk=customer_id)
    risk = ChurnRisk.objects.select_related("model").filter(customer=customer).first()
    reasons = [reason_label(r) for r in risk.reasons] if risk else []
    context = {"risk": risk, "model": risk.model if risk else None, "reasons": reasons}
    return render(request, "decisions/partials/customer_risk.html", context)


@roles.manager_required
def risk_panel(request):
    """Fragment for the dashboard overview (metrics): the customers most at risk, or why there are none."""
    model = latest_model()
    risks = top_risks(5)
    return render(request, "decisions/partials/risk_panel.html", {"model": model, "risks": risks})
