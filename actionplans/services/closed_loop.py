"""The closed loop: a detractor answer or a missed KPI target opens one follow-up action.

surveys and metrics do not import actionplans; after their transaction commits they send the Celery task
by name (``actionplans.detractor_follow_up``, ``actionplans.target_crossing_follow_up``) and the tasks
call the services here. Exactly one action per response / crossing: the database holds the rule
(unique ``Action.source_response`` / ``source_crossing``), so a task delivered twice opens nothing twice.

Which touchpoints take part: every touchpoint with an enabled ``FollowUpRule``, and every moment of truth
that has no rule row (the defaults). The department is the rule's, else the one that owns the touchpoint;
without either the detractor waits in the CX managers' "Needs a department" queue (``UnroutedFollowUp``,
one entry per response; ``services/follow_up_queue.py`` routes them), never dropped. The rules are read
in ``actionplans.selectors.closed_loop``.
"""

import logging
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from actionplans.models import (
    Action,
    ActionEvent,
    Department,
    FollowUpRule,
    UnroutedFollowUp,
)
from actionplans.selectors.closed_loop import (
    PULSE_IN_DAYS,
    effective_rule,
    nps_answer,
    owning_department,
    pulse_survey_for,
    rule_department,
)
from actionplans.services.access import require_manager
from actionplans.services.actions import action_create
from actionplans.services.history import action_event_record
from cxportal.actor import acting_person
from cxportal.errors import ApplicationError
from cxportal.i18n import company_language
from journeys.models import Touchpoint
from metrics.models import Kpi, ScopeType, TargetCrossing
from metrics.selectors.targets import scope_labels
from metrics.services.targets import crossing_facts
from surveys.models import Campaign, Response
from surveys.services.distribution import campaign_schedule

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------- rules (writes)


@transaction.atomic
def follow_up_rule_set(
    *,
    touchpoint: Touchpoint,
    enabled: bool,
    department: Department | None = None,
    due_in_days: int = FollowUpRule.DEFAULT_DUE_IN_DAYS,
    threshold: int = FollowUpRule.DEFAULT_THRESHOLD,
    by,
) -> FollowUpRule:
    """Create or change the touchpoint's rule (CX managers)."""
    require_manager(by, _("configure follow-up rules"))
    rule = FollowUpRule.objects.select_for_update().filter(touchpoint=touchpoint).first() or FollowUpRule(
        touchpoint=touchpoint
    )
    rule.enabled, rule.department, rule.due_in_days, rule.threshold = enabled, department, due_in_days, threshold
    rule.updated_by = acting_person(by)
    rule.full_clean(exclude=["touchpoint"] if rule.pk else None, validate_unique=False)
    if enabled and department is None and owning_department(touchpoint) is None:
        raise ValidationError(
            {"department": "No department owns this touchpoint; choose the department that follows up."}
        )
    rule.save()
    return rule


# ---------------------------------------------------------------- detractor responses


def _open_once(*, lookup: dict, create) -> Action | None:
    """Run ``create`` in a savepoint; a concurrent run that got there first wins (unique constraint)."""
    existing = Action.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        existing = Action.objects.filter(**lookup).first()
        if existing is None:
            raise
        return existing


@transaction.atomic
def follow_up_for_response(response_id: int) -> Action | None:
    """Open the follow-up action for a detractor response (idempotent); None when no rule applies."""
    response = Response.objects.select_related("survey", "touchpoint__stage", "customer").filter(pk=response_id).first()
    if response is None:
        logger.info("Follow-up skipped: response %s no longer exists", response_id)
        return None
    touchpoint = response.touchpoint
    if touchpoint is None:
        return None
    if response.submitted_at < timezone.now() - timedelta(days=settings.CX_FOLLOW_UP_MAX_AGE_DAYS):
        # Importing last year's answers must not flood departments with follow-ups nobody can still act on.
        logger.info("Follow-up skipped: response %s is older than the follow-up window", response_id)
        return None
    answer = nps_answer(response)
    if answer is None or answer.value > FollowUpRule.DEFAULT_THRESHOLD:
        return None
    rule, on = effective_rule(touchpoint)
    if not on or answer.value > rule.threshold:
        return None
    department = rule_department(rule)
    if department is None:
        entry = unrouted_record(response=response, touchpoint=touchpoint, score=answer.value)
        logger.warning(
            "Follow-up for detractor response %s waits for a department (queue entry %s): touchpoint %s has "
            "no rule department and no owner",
            response.pk,
            entry.pk,
            touchpoint.pk,
        )
        return None
    return detractor_action_open(
        response=response, score=answer.value, department=department, due_in_days=rule.due_in_days
    )


def unrouted_record(*, response: Response, touchpoint: Touchpoint, score: int) -> UnroutedFollowUp:
    """Queue a detractor that no department receives (at most one entry per response, however often)."""
    entry = UnroutedFollowUp.objects.filter(response=response).first()
    if entry is not None:
        return entry
    try:
        with transaction.atomic():
            return UnroutedFollowUp.objects.create(response=response, touchpoint=touchpoint, score=score)
    except IntegrityError:
        return UnroutedFollowUp.objects.get(response=response)


def detractor_action_open(*, response: Response, score: int, department: Department, due_in_days: int, by=None):
    """The follow-up action of a detractor response for ``department`` (the existing one if it has one)."""
    touchpoint = response.touchpoint

    def create() -> Action:
        # No personal data is copied into the action: the customer and the comment are shown from the
        # linked response, so a data-subject erasure of the response removes them here as well.
        with company_language():
            title = _("Follow up detractor (NPS %(score)s) at %(touchpoint)s") % {
                "score": score,
                "touchpoint": touchpoint.name,
            }
            description = _(
                "A customer answered NPS %(score)s to “%(survey)s” on %(when)s (response #%(response)s). "
                "Their comment is shown below while the response exists."
            ) % {
                "score": score,
                "survey": response.survey.title,
                "when": date_format(timezone.localtime(response.submitted_at), "SHORT_DATETIME_FORMAT"),
                "response": response.pk,
            }
        action = action_create(
            title=title[:200],
            description=description,
            department=department,
            touchpoint=touchpoint,
            kpi=Kpi.NPS,
            scope_type=ScopeType.TOUCHPOINT,
            scope_key=str(touchpoint.pk),
            due_date=timezone.localdate() + timedelta(days=due_in_days),
            impact=3,
            effort=2,
            by=None,
        )
        action.source_response = response
        action.save(update_fields=["source_response"])
        action_event_record(
            action=action,
            user=by,
            verb=ActionEvent.Verb.UPDATED,
            changes={"opened by closed loop": f"detractor response #{response.pk} (NPS {score})"},
        )
        logger.info("Follow-up action %s opened for detractor response %s", action.pk, response.pk)
        return action

    return _open_once(lookup={"source_response": response}, create=create)


# ---------------------------------------------------------------- KPI target alerts


@transaction.atomic
def follow_up_for_crossing(crossing_id: int) -> Action | None:
    """Open one action for a target crossing into "missed" when its target asks for one (idempotent)."""
    crossing = TargetCrossing.objects.select_related("target").filter(pk=crossing_id).first()
    if crossing is None:
        return None
    target = crossing.target
    if crossing.direction != TargetCrossing.Direction.MISSED or not target.open_action:
        return None
    touchpoint = None
    if target.scope_type == ScopeType.TOUCHPOINT and target.scope_key.isdigit():
        touchpoint = Touchpoint.objects.filter(pk=int(target.scope_key)).first()
    department, due_in_days = None, FollowUpRule.DEFAULT_DUE_IN_DAYS
    if touchpoint is not None:
        rule = FollowUpRule.objects.filter(touchpoint=touchpoint).select_related("department").first()
        if rule is not None:
            department, due_in_days = rule.department, rule.due_in_days
        department = department or owning_department(touchpoint)
    if department is None:
        logger.warning(
            "Follow-up for KPI target %s (crossing %s) skipped: no department for scope %s %s",
            target.pk,
            crossing.pk,
            target.scope_type,
            target.scope_key,
        )
        return None
    with company_language():
        scope_label = scope_labels([(target.scope_type, target.scope_key)])[(target.scope_type, target.scope_key)]

    def create() -> Action:
        with company_language():
            facts = crossing_facts(target, crossing, scope_label)
            title = _("%(kpi)s target missed at %(scope)s") % facts
            description = (
                _(
                    "%(kpi)s for %(scope)s was %(value)s in %(period)s (n = %(n)s); "
                    "the target is %(comparison)s %(target)s."
                )
                % facts
            )
        action = action_create(
            title=title[:200],
            description=description,
            department=department,
            touchpoint=touchpoint,
            kpi=target.kpi if target.kpi in Kpi.values else "",
            scope_type=target.scope_type if target.kpi in Kpi.values else "",
            scope_key=target.scope_key if target.kpi in Kpi.values else "",
            target_value=Decimal(str(round(target.value, 2))) if target.kpi in Kpi.values else None,
            due_date=timezone.localdate() + timedelta(days=due_in_days),
            impact=4,
            by=None,
        )
        action.source_crossing = crossing
        action.save(update_fields=["source_crossing"])
        action_event_record(
            action=action,
            user=None,
            verb=ActionEvent.Verb.UPDATED,
            changes={"opened by KPI alert": f"target #{target.pk} missed in {crossing.period_start:%Y-%m}"},
        )
        return action

    return _open_once(lookup={"source_crossing": crossing}, create=create)


# ---------------------------------------------------------------- pulse survey after an action


class PulseSurveyAlreadyScheduled(ApplicationError):
    """The action has its pulse survey already; ``campaign`` is that one."""

    def __init__(self, campaign: Campaign):
        self.campaign = campaign
        super().__init__(
            f"A pulse survey is already scheduled for this action: “{campaign.name}” "
            f"on {timezone.localdate(campaign.send_at):%Y-%m-%d} (campaign #{campaign.pk})."
        )


@transaction.atomic
def pulse_survey_schedule(*, action: Action, by, in_days: int = PULSE_IN_DAYS):
    """Re-ask the touchpoint's customers ``in_days`` after a done action: a campaign of its survey to the
    map's persona (when the map has exactly one), else to all customers; recorded in the history.

    One pulse survey per action: a second request (double click, back button, two managers at once)
    raises ``PulseSurveyAlreadyScheduled`` naming the first campaign. The action's row lock makes a
    concurrent request wait for the first one and then see its campaign; the conditional update that
    links the campaign keeps the rule where the lock is a no-op (SQLite). Only a cancelled (or deleted)
    pulse campaign can be replaced by a new one.
    """
    require_manager(by, _("schedule pulse surveys"))
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("pulse_campaign", "touchpoint__stage__journey_map")
        .get(pk=action.pk)
    )
    previous = action.pulse_campaign
    if previous is not None and previous.status != Campaign.Status.CANCELLED:
        raise PulseSurveyAlreadyScheduled(previous)
    if action.status != Action.Status.DONE:
        raise ApplicationError(_("A pulse survey is scheduled once the action is done."))
    survey = pulse_survey_for(action)
    if survey is None:
        raise ApplicationError(_("The action's touchpoint has no active survey to send."))
    if not 1 <= in_days <= 365:
        raise ValidationError({"in_days": _("Between 1 and 365 days.")})
    personas = list(action.touchpoint.stage.journey_map.personas.all()[:2])
    persona = personas[0] if len(personas) == 1 else None
    send_at = timezone.now() + timedelta(days=in_days)
    campaign = campaign_schedule(
        survey=survey, name=f"Pulse after “{action.title}”"[:200], persona=persona, send_at=send_at, by=by
    )
    linked = Action.objects.filter(pk=action.pk, pulse_campaign=previous).update(pulse_campaign=campaign)
    if not linked:
        # Another request linked its campaign first; raising rolls this one's campaign back.
        raise PulseSurveyAlreadyScheduled(Action.objects.get(pk=action.pk).pulse_campaign)
    action_event_record(
        action=action,
        user=by,
        verb=ActionEvent.Verb.UPDATED,
        changes={
            "pulse survey": f"campaign #{campaign.pk} of “{survey.title}” on {timezone.localdate(send_at):%Y-%m-%d}"
            + (f" to {persona.name}" if persona else " to all customers")
        },
    )
    return campaign
