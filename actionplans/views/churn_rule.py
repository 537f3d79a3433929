"""The closed-loop rule on churn risk: a fragment the churn-risk page loads, and its save."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from actionplans.forms_churn import ChurnRuleForm
from actionplans.services.churn_follow_up import churn_rule, churn_rule_set
from cxportal import roles


def _form(data=None) -> ChurnRuleForm:
    rule = churn_rule()
    initial = {
        "enabled": rule.enabled,
        "threshold": round(rule.threshold * 100),
        "department": rule.department_id,
        "due_in_days": rule.due_in_days,
    }
    return ChurnRuleForm(data, initial=initial)


@roles.manager_required
def churn_rule_edit(request):
    """GET: the rule's form (a fragment). POST: save it; errors re-render the form (400), nothing saved."""
    if request.method != "POST":
        return render(request, "actionplans/partials/churn_rule.html", {"rule_form": _form()})
    form = _form(request.POST)
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
    return render(request, "actionplans/churn_rule.html", {"rule_form": form}, status=400)
