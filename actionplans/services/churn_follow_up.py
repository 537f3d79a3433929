"""Closed loop on churn risk: customers the churn model rates at or above the rule's threshold become actions.

decisions sends ``churn_scored`` after every scoring run (decisions may not import actionplans); this module
receives it and opens one follow-up action per customer at risk for the rule's department. Idempotent like
detractor follow-ups: a customer with an open churn follow-up gets no second one, however often the model
scores; once that action is closed, a later run may open a new one. The action names no customer (the
customer is linked through ``ChurnFollowUp`` and shown live), so erasing the customer removes the link.
"""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans.models import Action, ActionEvent, ChurnFollowUp, ChurnRiskRule
from actionplans.services.actions import action_create
from actionplans.services.history import action_event_record
from cxportal.i18n import company_language
from metrics.models import Kpi, ScopeType

logger = logging.getLogger(__name__)


def churn_rule() -> ChurnRiskRule:
    return ChurnRiskRule.objects.first() or ChurnRiskRule()


@transaction.atomic
def churn_rule_set(*, enabled: bool, threshold: float, department, due_in_days: int, by=None) -> ChurnRiskRule:
    """Save the one rule; switched on it needs a department (a clear error, nothing changed)."""
    if enabled and department is None:
        raise ValidationError({"department": _("Choose the department that follows up customers at risk.")})
    rule = churn_rule()
    rule.enabled, rule.threshold, rule.department, rule.due_in_days = enabled, threshold, department, due_in_days
    rule.updated_by = by
    rule.full_clean()
    rule.save()
    return rule


def churn_follow_ups_open(*, model=None) -> list[Action]:
    """Open the follow-up actions the rule asks for after a scoring run; returns the new ones."""
    from decisions.models import ChurnRisk

    rule = ChurnRiskRule.objects.select_related("department").first()
    if rule is None or not rule.enabled or rule.department is None:
        return []
    at_risk = ChurnRisk.objects.filter(probability__gte=rule.threshold).exclude(
        customer__churn_follow_ups__action__status__in=[s for s in Action.Status.values if s not in Action.CLOSED]
    )
    opened = []
    for risk in at_risk.order_by("-probability", "customer_id").iterator():
        action = _open(risk=risk, rule=rule)
        if action is not None:
            opened.append(action)
    if opened:
        logger.info("Churn risk rule opened %s follow-up actions", len(opened))
    return opened


@transaction.atomic
def _open(*, risk, rule: ChurnRiskRule) -> Action | None:
    # The customer row is the lock: two scoring runs at once cannot both open an action for them.
    from journeys.models import Customer

    Customer.objects.select_for_update().filter(pk=risk.customer_id).first()
    open_statuses = [s for s in Action.Status.values if s not in Action.CLOSED]
    if ChurnFollowUp.objects.filter(customer_id=risk.customer_id, action__status__in=open_statuses).exists():
        return None
    percent = round(risk.probability * 100)
    with company_language():
        title = _("Contact customer at churn risk (%(percent)s %%)") % {"percent": percent}
        description = _(
            "The churn model rates this customer's risk of leaving within its horizon at %(percent)s %% "
            "(rule: at or above %(threshold)s %%). The customer and the reasons are shown below."
        ) % {"percent": percent, "threshold": round(rule.threshold * 100)}
    action = action_create(
        title=title,
        description=description,
        department=rule.department,
        kpi=Kpi.CHURN_RATE,
        scope_type=ScopeType.COMPANY,
        due_date=timezone.localdate() + timedelta(days=rule.due_in_days),
        impact=4,
        effort=2,
        by=None,
    )
    ChurnFollowUp.objects.create(customer_id=risk.customer_id, action=action, probability=risk.probability)
    action_event_record(
        action=action,
        user=None,
        verb=ActionEvent.Verb.UPDATED,
        changes={"opened by closed loop": f"churn risk {percent} % of customer #{risk.customer_id}"},
    )
    return action


def on_churn_scored(sender, model=None, **kwargs) -> None:
    churn_follow_ups_open(model=model)
