"""The measured effect of an action: its KPI at its scope before the action and after it was done.

Windows (local dates, inclusive): *before* is the N days up to the day before the action started
(``start_date``, else the day it was created); *after* is the N days from the day after it was done
(cut at today while they are not over). An action that is not done shows *so far*: from its start to
today. Values come from the snapshots (``metrics.selectors.kpi_series``).

The verdict is a 95 % test of the difference: for KPIs with a margin of error (NPS, CSAT, CES) the
change counts when |after − before| > sqrt(moe_before² + moe_after²); for rates without one (conversion,
response, churn, retention) a two-proportion z-test; below ``CX_MIN_SAMPLE_SIZE`` on either side there
is not enough data. CLV has no test: its change is shown but never called measurable.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from actionplans.models import Action
from actionplans.selectors.closed_loop import PULSE_IN_DAYS, pulse_survey_for
from cxportal import roles
from metrics.kpis import REGISTRY, Z_95, KpiValue
from metrics.models import Bucket, Kpi, ScopeType
from metrics.selectors import kpi_series

WINDOWS = (30, 60, 90)
DEFAULT_WINDOW = 30
# KPIs where a lower value is the better one.
LOWER_IS_BETTER = {Kpi.CHURN_RATE}
RATES = {Kpi.CONVERSION_RATE, Kpi.RESPONSE_RATE, Kpi.CHURN_RATE, Kpi.RETENTION_RATE}


class Verdict:
    IMPROVED = "improved"
    NO_CHANGE = "no measurable change"
    WORSE = "worse"
    NOT_ENOUGH_DATA = "not enough data"
    NO_TEST = "no significance test for this KPI"


@dataclass(frozen=True)
class Window:
    label: str
    date_from: date
    date_to: date
    value: KpiValue

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1


@dataclass(frozen=True)
class Effect:
    kpi: str
    kpi_label: str
    unit: str
    days: int
    before: Window
    after: Window | None  # None while the "after" window has not begun (done today)
    done: bool
    verdict: str
    difference: float | None


def window_of(raw) -> int:
    """The window asked for (30, 60 or 90 days), else the default (setting ``CX_EFFECT_WINDOW_DAYS``, 30)."""
    default = getattr(settings, "CX_EFFECT_WINDOW_DAYS", DEFAULT_WINDOW)
    try:
        days = int(raw)
    except (TypeError, ValueError):
        return default
    return days if days in WINDOWS else default


def verdict_of(kpi: str, before: KpiValue, after: KpiValue, *, min_n: int | None = None) -> tuple[str, float | None]:
    """The plain-language verdict for a change from ``before`` to ``after``, and the difference."""
    min_n = settings.CX_MIN_SAMPLE_SIZE if min_n is None else min_n
    if before.value is None or after.value is None or before.n < min_n or after.n < min_n:
        return Verdict.NOT_ENOUGH_DATA, None
    difference = after.value - before.value
    if before.margin_of_error is not None and after.margin_of_error is not None:
        significant = abs(difference) > math.hypot(before.margin_of_error, after.margin_of_error)
    elif kpi in RATES:
        significant = _two_proportions_differ(before.value / 100, before.n, after.value / 100, after.n)
    else:
        return Verdict.NO_TEST, round(difference, 2)
    if not significant:
        return Verdict.NO_CHANGE, round(difference, 2)
    better = difference < 0 if kpi in LOWER_IS_BETTER else difference > 0
    return (Verdict.IMPROVED if better else Verdict.WORSE), round(difference, 2)


def _two_proportions_differ(p1: float, n1: int, p2: float, n2: int) -> bool:
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return p1 != p2
    return abs(p2 - p1) / se > Z_95


def _value(action: Action, date_from: date, date_to: date) -> KpiValue:
    return kpi_series(
        kpi=action.kpi,
        scope_type=action.scope_type or ScopeType.COMPANY,
        scope_key=action.scope_key or "",
        bucket=Bucket.MONTH,
        date_from=date_from,
        date_to=date_to,
    )["total"]


def action_effect(*, action: Action, days: int = DEFAULT_WINDOW, today: date | None = None) -> Effect | None:
    """The KPI before and after (or so far); None for an action without a KPI."""
    if not action.kpi or action.kpi not in REGISTRY:
        return None
    today = today or timezone.localdate()
    started = action.start_date or timezone.localdate(action.created_at)
    before_to = started - timedelta(days=1)
    before_from = before_to - timedelta(days=days - 1)
    before = Window("before", before_from, before_to, _value(action, before_from, before_to))
    done = action.status == Action.Status.DONE and action.done_at is not None
    if done:
        after_from = timezone.localdate(action.done_at) + timedelta(days=1)
        after_to = min(after_from + timedelta(days=days - 1), today)
        label = "after" if after_from + timedelta(days=days - 1) <= today else "after (so far)"
    else:
        after_from, after_to, label = min(started, today), today, "so far"
    after = (
        Window(label, after_from, after_to, _value(action, after_from, after_to)) if after_from <= after_to else None
    )
    verdict, difference = (
        verdict_of(action.kpi, before.value, after.value) if after else (Verdict.NOT_ENOUGH_DATA, None)
    )
    definition = REGISTRY[action.kpi]
    return Effect(
        kpi=action.kpi,
        kpi_label=definition.label,
        unit=definition.unit,
        days=days,
        before=before,
        after=after,
        done=done,
        verdict=verdict,
        difference=difference,
    )


def action_effect_panel(*, action: Action, user, days_raw=None) -> dict:
    """The action page's effect panel: the effect over the window asked for, and — for a CX manager and a
    done action — the pulse survey already scheduled (a cancelled one can be replaced) or the one to offer."""
    days = window_of(days_raw)
    can_pulse = user is not None and roles.is_cx_manager(user) and action.status == Action.Status.DONE
    scheduled = action.pulse_campaign if can_pulse and action.pulse_campaign_id else None
    if scheduled is not None and scheduled.status == scheduled.Status.CANCELLED:
        scheduled = None
    return {
        "effect": action_effect(action=action, days=days),
        "days": days,
        "windows": WINDOWS,
        "pulse_campaign": scheduled,
        "pulse_survey": pulse_survey_for(action) if can_pulse and scheduled is None else None,
        "pulse_in_days": PULSE_IN_DAYS,
        "min_n": settings.CX_MIN_SAMPLE_SIZE,
    }
