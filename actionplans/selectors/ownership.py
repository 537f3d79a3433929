"""Which department owns which touchpoint, read: the ownership list, a department's touchpoints grouped by map,
the choices of the "add a touchpoint" select, and the NPS/CSAT/CES of a department's touchpoints.

Written in ``actionplans.services.ownership``.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from actionplans.models import Department, TouchpointOwnership
from actionplans.selectors.actions import scoped_to_departments
from journeys.models import Touchpoint
from metrics.kpis import REGISTRY, KpiValue
from metrics.models import Kpi, ScopeType
from metrics.selectors import kpi_by_scope
from surveys.scales import LOW_BAND_OF_KIND

DEPARTMENT_KPIS = (Kpi.NPS, Kpi.CSAT, Kpi.CES)
DEPARTMENT_KPI_DAYS = 90


def touchpoint_ownerships_visible_to(*, user, department: Department | None = None) -> QuerySet[TouchpointOwnership]:
    """CX managers and API keys see every ownership; members those of their departments; a
    department-restricted key (``department``) that department's."""
    ownerships = TouchpointOwnership.objects.select_related("touchpoint", "department")
    return scoped_to_departments(ownerships, user=user, department=department, path="department")


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
