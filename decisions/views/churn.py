"""The churn-risk page: the model's held-out quality, the customers most at risk and why, retraining."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxportal import roles
from decisions import charts
from decisions.forms import ChurnRuleForm
from decisions.models import ChurnModel, ChurnRisk
from decisions.reasons import reason_label
from decisions.services.churn import latest_model, limits

LISTED = 100


def _rule_form(data=None) -> ChurnRuleForm:
    # decisions shows actionplans' rule on its page; the rule and its service live in actionplans.
    from actionplans.services.churn_follow_up import churn_rule

    rule = churn_rule()
    initial = {
        "enabled": rule.enabled,
        "threshold": round(rule.threshold * 100),
        "department": rule.department_id,
        "due_in_days": rule.due_in_days,
    }
    return ChurnRuleForm(data, initial=initial)


@roles.manager_required
@require_POST
def churn_rule_save(request):
    from actionplans.services.churn_follow_up import churn_rule_set

    form = _rule_form(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            churn_rule_set(
                enabled=data["enabled"],
                threshold=data["threshold"] / 100,
                department=data["department"],
                due_in_days=data["due_in_days"],
                by=request.user,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The follow-up rule for customers at risk is saved."))
            return redirect(reverse("decisions:churn_risk"))
    return _page(request, rule_form=form, status=400)


@roles.manager_required
def churn_risk(request):
    return _page(request)


def _page(request, *, rule_form=None, status=200):
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
            "after": request.GET.get("after", "") if request.GET.get("after", "").isdigit() else "",
            "rule_form": rule_form or _rule_form(),
        },
        status=status,
    )


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
