"""Reads of the closed loop: follow-up rules per touchpoint, who receives a detractor, the comment shown on a
follow-up action, and the survey a pulse re-asks. The writes are in ``actionplans.services.closed_loop``.

Which touchpoints take part: every touchpoint with an enabled ``FollowUpRule``, and every moment of truth
that has no rule row (the defaults). The department is the rule's, else the one that owns the touchpoint.
"""

from django.db.models import Prefetch, Q, QuerySet

from actionplans.models import Action, Department, FollowUpRule, TouchpointOwnership
from journeys.models import Touchpoint
from surveys.models import Answer, Question, Response, Survey

COMMENT_MAX = 4000
# A pulse survey re-asks the touchpoint's customers this many days after a done action (the default).
PULSE_IN_DAYS = 30


def owning_department(touchpoint: Touchpoint) -> Department | None:
    ownership = TouchpointOwnership.objects.filter(touchpoint=touchpoint).select_related("department").first()
    return ownership.department if ownership else None


def effective_rule(touchpoint: Touchpoint) -> tuple[FollowUpRule | None, bool]:
    """The touchpoint's rule (an unsaved default one for a moment of truth without a row) and whether it is on."""
    rule = FollowUpRule.objects.filter(touchpoint=touchpoint).select_related("department").first()
    if rule is not None:
        return rule, rule.enabled
    if touchpoint.is_moment_of_truth:
        return FollowUpRule(touchpoint=touchpoint), True
    return None, False


def rule_department(rule: FollowUpRule) -> Department | None:
    return rule.department if rule.department_id else owning_department(rule.touchpoint)


def touchpoints_without_receiver() -> QuerySet[Touchpoint]:
    """The touchpoints whose follow-ups are on but reach no department (``effective_rule`` on, and
    ``rule_department`` None), as one query: an enabled rule naming no department, or a moment of truth
    without a rule row, at a touchpoint no department owns."""
    rule_on_without_department = Q(follow_up_rule__enabled=True, follow_up_rule__department__isnull=True)
    default_on = Q(follow_up_rule__isnull=True, is_moment_of_truth=True)
    return Touchpoint.objects.filter(ownership__isnull=True).filter(rule_on_without_department | default_on)


def follow_up_rule_list() -> list[Touchpoint]:
    """Every touchpoint with ``rule`` (saved or default, or None), ``rule_on``, ``owner_department``."""
    touchpoints = list(
        Touchpoint.objects.select_related("stage__journey_map")
        .prefetch_related(
            Prefetch("follow_up_rule", queryset=FollowUpRule.objects.select_related("department")),
        )
        .order_by("stage__journey_map__name", "stage__journey_map_id", "stage__position", "position", "id")
    )
    owners = {
        o.touchpoint_id: o.department
        for o in TouchpointOwnership.objects.filter(touchpoint__in=touchpoints).select_related("department")
    }
    for touchpoint in touchpoints:
        rule = getattr(touchpoint, "follow_up_rule", None) if _has_rule(touchpoint) else None
        touchpoint.owner_department = owners.get(touchpoint.pk)
        touchpoint.rule_is_default = rule is None and touchpoint.is_moment_of_truth
        if touchpoint.rule_is_default:
            rule = FollowUpRule(touchpoint=touchpoint)
        touchpoint.rule = rule
        touchpoint.rule_on = bool(rule and rule.enabled)
        touchpoint.rule_department = (rule.department if rule and rule.department_id else None) or (
            touchpoint.owner_department
        )
    return touchpoints


def _has_rule(touchpoint: Touchpoint) -> bool:
    try:
        touchpoint.follow_up_rule  # noqa: B018 - reads the prefetched reverse one-to-one
    except FollowUpRule.DoesNotExist:
        return False
    return True


def nps_answer(response: Response) -> Answer | None:
    """The response's first answered NPS question (what a detractor follow-up is decided on)."""
    return (
        Answer.objects.filter(response=response, question__kind=Question.Kind.NPS, value__isnull=False)
        .order_by("question__position", "question_id")
        .first()
    )


def response_comment(response: Response | None) -> str:
    """The respondent's free-text answers, read live (empty once the response is erased or anonymised)."""
    if response is None:
        return ""
    texts = Answer.objects.filter(response=response, question__kind__in=Question.TEXT).exclude(text="")
    return "\n\n".join(a.text.strip() for a in texts.order_by("question__position", "question_id"))[:COMMENT_MAX]


def pulse_survey_for(action: Action) -> Survey | None:
    """The survey that measures the action's touchpoint (the newest active one), or None."""
    if action.touchpoint_id is None:
        return None
    return Survey.objects.filter(touchpoint_id=action.touchpoint_id, is_active=True).order_by("-created_at").first()
