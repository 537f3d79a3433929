"""Which department owns which touchpoint; the actions and owners shown on a journey map; a department's KPIs.

Services (writes) and selectors (reads) of touchpoint ownership live together here: the topic is small.
journeys knows nothing of this: the map loads the fragment by URL (htmx) and we read journeys' models.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from actionplans.models import Action, Department, TouchpointOwnership
from actionplans.selectors import _sees_all, actions_visible_to
from actionplans.services.access import require_manager
from cxportal import roles
from journeys.models import JourneyMap, PainPoint, Touchpoint
from metrics.kpis import REGISTRY, KpiValue
from metrics.models import Kpi, ScopeType
from metrics.selectors import kpi_by_scope
from surveys.selectors import LOW_BAND_OF_KIND

DEPARTMENT_KPIS = (Kpi.NPS, Kpi.CSAT, Kpi.CES)
DEPARTMENT_KPI_DAYS = 90


# ---------------------------------------------------------------- services


@transaction.atomic
def touchpoint_owner_set(*, touchpoint: Touchpoint, department: Department, by) -> TouchpointOwnership:
    """Make ``department`` the owner of ``touchpoint`` (a touchpoint has at most one owning department)."""
    require_manager(by, "assign touchpoints to departments")
    ownership, _created = TouchpointOwnership.objects.select_for_update().update_or_create(
        touchpoint=touchpoint, defaults={"department": department}
    )
    return ownership


@transaction.atomic
def touchpoint_owner_remove(*, touchpoint: Touchpoint, by) -> None:
    require_manager(by, "change which department owns a touchpoint")
    TouchpointOwnership.objects.filter(touchpoint=touchpoint).delete()


@transaction.atomic
def touchpoint_ownership_update(*, ownership: TouchpointOwnership, data: dict, by) -> TouchpointOwnership:
    """Move an ownership to another department (or another touchpoint, if that one has no owner yet)."""
    require_manager(by, "assign touchpoints to departments")
    fields = [f for f in ("touchpoint", "department") if f in data and getattr(ownership, f) != data[f]]
    if not fields:
        return ownership
    for field in fields:
        setattr(ownership, field, data[field])
    if (
        "touchpoint" in fields
        and TouchpointOwnership.objects.filter(touchpoint=ownership.touchpoint).exclude(pk=ownership.pk).exists()
    ):
        raise ValidationError({"touchpoint": "This touchpoint already has an owning department."})
    ownership.save(update_fields=[*fields, "assigned_at"])
    return ownership


@transaction.atomic
def touchpoint_ownership_delete(*, ownership: TouchpointOwnership, by) -> None:
    require_manager(by, "change which department owns a touchpoint")
    ownership.delete()


# ---------------------------------------------------------------- selectors


def touchpoint_ownerships_visible_to(*, user) -> QuerySet[TouchpointOwnership]:
    """CX managers and API keys see every ownership; members those of their departments."""
    ownerships = TouchpointOwnership.objects.select_related("touchpoint", "department")
    if _sees_all(user):
        return ownerships
    if roles.is_department_member(user):
        return ownerships.filter(department__in=Department.objects.filter(members=user))
    return ownerships.none()


def touchpoints_readable_by(*, user) -> QuerySet[Touchpoint]:
    """The touchpoints whose responses a department member reads: those one of their departments owns or
    has an action on (any status: a done follow-up still explains itself). Registered with
    ``surveys.access`` at start-up; surveys applies it to every response list, page, export and API call."""
    owned = TouchpointOwnership.objects.filter(department__members=user).values("touchpoint_id")
    acted_on = Action.objects.filter(department__members=user, touchpoint__isnull=False).values("touchpoint_id")
    return Touchpoint.objects.filter(Q(pk__in=owned) | Q(pk__in=acted_on))


def department_touchpoints(*, department: Department) -> list[dict]:
    """The touchpoints a department owns, grouped by journey map: ``[{"map", "touchpoints"}]``."""
    touchpoints = Touchpoint.objects.filter(ownership__department=department).select_related("stage__journey_map")
    groups: dict[int, dict] = {}
    for tp in touchpoints.order_by("stage__journey_map__name", "stage__journey_map_id", "stage__position", "position"):
        journey_map = tp.stage.journey_map
        groups.setdefault(journey_map.pk, {"map": journey_map, "touchpoints": []})["touchpoints"].append(tp)
    return list(groups.values())


def touchpoint_owner_choices() -> list[tuple[Touchpoint, Department | None]]:
    """Every touchpoint with its current owner, in map order (for the "add a touchpoint" select)."""
    touchpoints = Touchpoint.objects.select_related("stage__journey_map", "ownership__department").order_by(
        "stage__journey_map__name", "stage__journey_map_id", "stage__position", "position", "id"
    )
    return [(tp, getattr(getattr(tp, "ownership", None), "department", None)) for tp in touchpoints]


def _open_actions(*, user) -> QuerySet[Action]:
    return actions_visible_to(user=user).exclude(status__in=Action.CLOSED).order_by("due_date", "id")


def map_actions(*, journey_map: JourneyMap, user) -> dict:
    """Per touchpoint of the map: owning department and open actions; per pain point: open actions.

    Three queries whatever the size of the map; actions the user may not see are left out entirely.
    """
    touchpoints = list(
        Touchpoint.objects.filter(stage__journey_map=journey_map)
        .select_related("stage", "ownership__department")
        .order_by("stage__position", "position", "id")
    )
    pain_points = list(PainPoint.objects.filter(journey_map=journey_map).values_list("pk", "title"))
    pain_point_ids = [pk for pk, _title in pain_points]
    tp_ids = [tp.pk for tp in touchpoints]
    by_touchpoint: dict[int, list[Action]] = defaultdict(list)
    by_pain_point: dict[int, list[Action]] = defaultdict(list)
    seen: set[int] = set()
    if tp_ids or pain_point_ids:
        actions = _open_actions(user=user).filter(Q(touchpoint_id__in=tp_ids) | Q(pain_point_id__in=pain_point_ids))
        for action in actions:
            seen.add(action.pk)
            if action.touchpoint_id in tp_ids:
                by_touchpoint[action.touchpoint_id].append(action)
            if action.pain_point_id is not None:
                by_pain_point[action.pain_point_id].append(action)
    return {
        "touchpoints": [
            {
                "touchpoint": tp,
                "owner": getattr(getattr(tp, "ownership", None), "department", None),
                "actions": by_touchpoint.get(tp.pk, []),
            }
            for tp in touchpoints
        ],
        "pain_points": [{"id": pk, "title": title, "actions": by_pain_point.get(pk, [])} for pk, title in pain_points],
        "action_count": len(seen),
    }


@dataclass(frozen=True)
class KpiCell:
    kpi: str
    label: str
    result: KpiValue | None

    @property
    def low_band(self) -> str:
        """The responses filter of this KPI's low scores (detractors for NPS)."""
        return LOW_BAND_OF_KIND.get(REGISTRY[self.kpi].question_kind, "")

    @property
    def enough(self) -> bool:
        return (
            self.result is not None and self.result.value is not None and self.result.n >= settings.CX_MIN_SAMPLE_SIZE
        )


def department_kpis(*, departments, today: date | None = None) -> dict:
    """NPS, CSAT and CES of each touchpoint the departments own, over the last 90 days, from the snapshots;
    each row with the link to its responses (which the departments' members may read: ``touchpoints_readable_by``).

    One query for the touchpoints and one per KPI, whatever the number of touchpoints.
    """
    date_to = today or timezone.localdate()
    date_from = date_to - timedelta(days=DEPARTMENT_KPI_DAYS - 1)
    touchpoints = list(
        Touchpoint.objects.filter(ownership__department__in=departments)
        .select_related("stage__journey_map", "ownership__department")
        .order_by("stage__journey_map__name", "stage__journey_map_id", "stage__position", "position", "id")
    )
    values = {}
    if touchpoints:
        values = {
            kpi: kpi_by_scope(kpi=kpi, scope_type=ScopeType.TOUCHPOINT, date_from=date_from, date_to=date_to)
            for kpi in DEPARTMENT_KPIS
        }
    period = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
    rows = [
        {
            "touchpoint": tp,
            "department": tp.ownership.department,
            "responses_url": reverse("surveys:response_list") + "?" + urlencode({"touchpoint": tp.pk, **period}),
            "cells": [KpiCell(kpi, Kpi(kpi).label, values[kpi].get(str(tp.pk))) for kpi in DEPARTMENT_KPIS],
        }
        for tp in touchpoints
    ]
    return {
        "rows": rows,
        "kpis": [Kpi(kpi).label for kpi in DEPARTMENT_KPIS],
        "date_from": date_from,
        "date_to": date_to,
        "days": DEPARTMENT_KPI_DAYS,
        "min_n": settings.CX_MIN_SAMPLE_SIZE,
    }
