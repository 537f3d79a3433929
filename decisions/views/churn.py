"""The churn-risk page: the model's held-out quality, the customers most at risk and why, retraining."""

from celery.result import AsyncResult
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cxportal import roles
from decisions import charts
from decisions.models import ChurnRisk
from decisions.reasons import reason_label
from decisions.services.churn import latest_model, limits

LISTED = 100


@roles.manager_required
def churn_risk(request):
    model = latest_model()
    risks = list(ChurnRisk.objects.select_related("customer").order_by("-probability", "customer_id")[:LISTED])
    for risk in risks:
        risk.reason_labels = [reason_label(r) for r in risk.reasons]
    return render(
        request,
        "decisions/churn_risk.html",
        {
            "model": model,
            "risks": risks,
            "limits": limits(),
            "calibration_chart": charts.calibration_figure(model.calibration) if model else "",
            "task_id": request.GET.get("task", ""),
        },
    )


@roles.manager_required
@require_POST
def churn_train(request):
    from decisions.tasks import train_churn_model

    result = train_churn_model.delay()
    return redirect(f"{request.path.rsplit('train/', 1)[0]}?task={result.id}")


@roles.manager_required
def churn_train_status(request, task_id: str):
    """The htmx poll of a retraining: running (keep polling) or done (reload the page)."""
    result = AsyncResult(task_id)
    return render(
        request,
        "decisions/partials/train_status.html",
        {"task_id": task_id, "state": result.state, "result": result.result if result.successful() else None},
    )
