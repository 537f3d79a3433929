"""Actions: create, change (members: status and progress only), delete; every change is in the history."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans.models import Action, ActionEvent, ActionPlan, Department, priority_of
from actionplans.selectors.links import SCOPE_MODELS, scope_key_unknown
from actionplans.services.access import is_member_of_department, require_manager
from actionplans.services.history import action_event_record, changes_of
from actionplans.services.links import LINK_FIELDS, action_links_remember
from cxportal import roles
from cxportal.webhooks.services import webhook_emit
from journeys.models import Channel, Opportunity, PainPoint, Touchpoint
from metrics.models import ScopeType

MEMBER_EDITABLE = ["status", "progress"]
MANAGER_EDITABLE = [
    "title",
    "description",
    "plan",
    "department",
    "owner",
    "pain_point",
    "opportunity",
    "touchpoint",
    "kpi",
    "scope_type",
    "scope_key",
    "target_value",
    "impact",
    "effort",
    "resources",
    "status",
    "progress",
    "start_date",
    "due_date",
]


def _map_id_of(obj) -> int | None:
    if isinstance(obj, Touchpoint):
        return obj.stage.journey_map_id
    return obj.journey_map_id


def _link_names() -> dict[str, str]:
    return {
        "plan": _("action plan"),
        "pain_point": _("pain point"),
        "opportunity": _("opportunity"),
        "touchpoint": _("touchpoint"),
    }


def _link_errors(action: Action) -> dict[str, str]:
    """Plan, pain point, opportunity and touchpoint must all be on one journey map."""
    errors: dict[str, str] = {}
    LINK_NAMES = _link_names()  # noqa: N806
    reference = ("plan", action.plan.journey_map_id) if action.plan and action.plan.journey_map_id else None
    for field in ("pain_point", "opportunity", "touchpoint"):
        linked = getattr(action, field)
        if linked is None:
            continue
        map_id = _map_id_of(linked)
        if reference is None:
            reference = (field, map_id)
        elif map_id != reference[1]:
            errors[field] = _("This %(field)s is on another journey map than the %(reference)s.") % {
                "field": LINK_NAMES[field],
                "reference": LINK_NAMES[reference[0]],
            }
    return errors


def _scope_errors(action: Action) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not action.kpi:
        if action.scope_type or action.scope_key or action.target_value is not None:
            errors["kpi"] = _("Name the KPI the scope and target belong to.")
        return errors
    scope_type, key = action.scope_type, action.scope_key
    if scope_type in ("", ScopeType.COMPANY):
        if key:
            errors["scope_key"] = _("The company scope has no id.")
    elif not key:
        errors["scope_key"] = _("Give the id of the scope.")
    elif scope_type == ScopeType.CHANNEL:
        if key not in Channel.values:
            errors["scope_key"] = _("Unknown channel “%(key)s”.") % {"key": key}
    elif not key.isdigit() or (
        scope_type in SCOPE_MODELS and not SCOPE_MODELS[scope_type].objects.filter(pk=int(key)).exists()
    ):
        errors["scope_key"] = scope_key_unknown(scope_type, key)
    if action.target_value is not None and not Decimal(-100) <= action.target_value <= Decimal(1_000_000_000):
        errors["target_value"] = _("The target is out of range.")
    return errors


def _validate(action: Action, *, check_owner: bool, check_milestones: bool) -> None:
    """Field shape (full_clean) and the business rules, reported together; raises ValidationError."""
    errors: dict[str, list[str]] = {}
    try:
        action.full_clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if action.start_date and action.due_date and action.due_date < action.start_date:
        add("due_date", _("The due date cannot be before the start date."))
    if check_owner and action.owner_id and action.department_id:
        if not Department.members.through.objects.filter(
            department_id=action.department_id, user_id=action.owner_id
        ).exists():
            add(
                "owner",
                _("%(owner)s is not a member of %(department)s.")
                % {"owner": action.owner, "department": action.department},
            )
    for field, message in {**_link_errors(action), **_scope_errors(action)}.items():
        add(field, message)
    if check_milestones and action.pk and action.due_date:
        late = action.milestones.filter(due_date__gt=action.due_date).order_by("-due_date").first()
        if late:
            add(
                "due_date",
                _("Milestone “%(title)s” is due %(date)s, after this due date.")
                % {"title": late.title, "date": f"{late.due_date:%Y-%m-%d}"},
            )
        if action.start_date:
            early = action.milestones.filter(due_date__lt=action.start_date).order_by("due_date").first()
            if early:
                add(
                    "start_date",
                    _("Milestone “%(title)s” is due %(date)s, before this start.")
                    % {"title": early.title, "date": f"{early.due_date:%Y-%m-%d}"},
                )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def action_create(
    *,
    title: str,
    department: Department,
    due_date: date,
    by,
    owner=None,
    description: str = "",
    plan: ActionPlan | None = None,
    pain_point: PainPoint | None = None,
    opportunity: Opportunity | None = None,
    touchpoint: Touchpoint | None = None,
    kpi: str = "",
    scope_type: str = "",
    scope_key: str = "",
    target_value: Decimal | None = None,
    impact: int = 3,
    effort: int = 3,
    resources: str = "",
    start_date: date | None = None,
) -> Action:
    """A CX manager (or a trusted caller: ``by=None``, an API key or the system) assigns an action."""
    require_manager(by, _("create actions"))
    if touchpoint is None and pain_point is not None:
        touchpoint = pain_point.touchpoint
    if kpi and not scope_type:
        # The KPI moves where the action works: its touchpoint, else the whole company.
        scope_type, scope_key = (ScopeType.TOUCHPOINT, str(touchpoint.pk)) if touchpoint else (ScopeType.COMPANY, "")
    action = Action(
        title=title,
        description=description,
        plan=plan,
        department=department,
        owner=owner,
        pain_point=pain_point,
        opportunity=opportunity,
        touchpoint=touchpoint,
        kpi=kpi,
        scope_type=scope_type,
        scope_key=scope_key,
        target_value=target_value,
        impact=impact,
        effort=effort,
        resources=resources,
        start_date=start_date,
        due_date=due_date,
        created_by=by,
    )
    _validate(action, check_owner=True, check_milestones=False)
    action.priority = priority_of(action.impact, action.effort)
    action_links_remember(action=action)
    action.save()
    action_event_record(
        action=action,
        user=by,
        verb=ActionEvent.Verb.CREATED,
        changes={"title": title, "department": department, "owner": owner, "due_date": due_date},
    )
    webhook_emit(event_type="action.created", data=lambda: action_webhook_data(action))
    return action


@transaction.atomic
def action_update(*, action: Action, data: dict, by) -> Action:
    """Change an action. Department members may change status and progress of their department's actions
    (anything else they try to change is a PermissionDenied); CX managers and trusted callers
    (``by=None``) may change everything."""
    action = Action.objects.select_for_update(of=("self",)).select_related("department", "plan").get(pk=action.pk)
    if by is None or roles.is_cx_manager(by):
        allowed = MANAGER_EDITABLE
    elif is_member_of_department(action, by):
        allowed = MEMBER_EDITABLE
        refused = sorted(f for f in data if f not in allowed and getattr(action, f, None) != data[f])
        if refused:
            raise PermissionDenied(_("Department members cannot change: %(fields)s.") % {"fields": ", ".join(refused)})
    else:
        raise PermissionDenied(_("This action belongs to another department."))
    if data.get("status") == Action.Status.DONE and "progress" not in data and action.status != Action.Status.DONE:
        data = {**data, "progress": 100}
    changes = changes_of(instance=action, data=data, fields=allowed)
    if not changes:
        return action
    was_closed = action.is_closed
    for field in changes:
        setattr(action, field, data[field])
    _validate(
        action,
        check_owner=bool({"owner", "department"} & set(changes)),
        check_milestones=bool({"due_date", "start_date"} & set(changes)),
    )
    fields = [*changes, "updated_at"]
    priority = priority_of(action.impact, action.effort)
    if priority != action.priority:
        action.priority = priority
        fields.append("priority")
    if action.status == Action.Status.DONE and action.done_at is None:
        action.done_at = timezone.now()
        fields.append("done_at")
    elif was_closed and not action.is_closed and action.done_at is not None:
        action.done_at = None
        fields.append("done_at")
    if set(LINK_FIELDS) & set(changes):
        fields += action_links_remember(action=action)
    action.save(update_fields=fields)
    action_event_record(action=action, user=by, verb=ActionEvent.Verb.UPDATED, changes=changes)
    if "status" in changes and action.status == Action.Status.DONE:
        webhook_emit(event_type="action.done", data=lambda: action_webhook_data(action))
    return action


def action_webhook_data(action: Action) -> dict:
    """What webhook subscribers learn about an action: ids, the useful fields and its page."""
    owner = action.owner
    return {
        "action": action.pk,
        "title": action.title,
        "status": action.status,
        "priority": action.priority,
        "progress": action.progress,
        "department": action.department_id,
        "department_name": action.department.name,
        "owner": owner.pk if owner else None,
        "owner_name": (owner.get_full_name() or owner.get_username()) if owner else None,
        "plan": action.plan_id,
        "touchpoint": action.touchpoint_id,
        "pain_point": action.pain_point_id,
        "kpi": action.kpi,
        "start_date": action.start_date,
        "due_date": action.due_date,
        "done_at": action.done_at,
        "url": settings.SITE_URL + reverse("actionplans:action_detail", args=[action.pk]),
    }


@transaction.atomic
def action_delete(*, action: Action, by) -> None:
    require_manager(by, _("delete actions; mark it cancelled or obsolete instead"))
    # The history stays (without the action), so a deletion can still be traced.
    action_event_record(
        action=action,
        user=by,
        verb=ActionEvent.Verb.DELETED,
        changes={"title": action.title, "department": action.department_id},
    )
    action.delete()
