"""The measured effect of an action: its KPI at its scope before the action and after it was done.

Windows (local dates, inclusive): *before* is the N days up to the day before the action started
(``start_date``, else the day it was created); *after* is the N days from the day after it was done
(cut at today while they are not over). An action that is not done shows *so far*: from its start to
today. Values come from the snapshots (``metrics.selectors.kpi_series``).

The verdict is the significance of the change (two-sided, α = 0.05, ``metrics.comparison``): NPS by the
per-answer variance, rates by the two-proportion z-test, CES by Welch's t-test; below
``CX_MIN_SAMPLE_SIZE`` on either side there is not enough data. CLV has no test: its change is shown but
never called measurable. Better or worse follows the KPI's direction (``higher_is_better``).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from actionplans.models import Action
from actionplans.selectors.closed_loop import PULSE_IN_DAYS, pulse_survey_for
from cxportal import roles, stats
from metrics.comparison import NPS, PROPORTION, TEST_OF, KpiChange, kpi_change
from metrics.kpis import REGISTRY, KpiValue, Stats, change_verdict, compute
from metrics.models import ScopeType
from metrics.selectors.snapshots import range_stats

WINDOWS = (30, 60, 90)
DEFAULT_WINDOW = 30


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
    stats: Stats = Stats()

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
    # The change after − before with its p-value (None while there is no "after" window).
    change: KpiChange | None = None


def window_of(raw) -> int:
    """The window asked for (30, 60 or 90 days), else the default (setting ``CX_EFFECT_WINDOW_DAYS``, 30)."""
    default = getattr(settings, "CX_EFFECT_WINDOW_DAYS", DEFAULT_WINDOW)
    try:
        days = int(raw)
    except (TypeError, ValueError):
        return default
    return days if days in WINDOWS else default


def verdict_of(
    kpi: str, before: KpiValue, after: KpiValue, *, change: KpiChange | None = None, min_n: int | None = None
) -> tuple[str, float | None]:
    """The plain-language verdict for a change from ``before`` to ``after``, and the difference.

    ``change`` is the tested change (``metrics.comparison.kpi_change`` on the windows' statistics); without
    it the test is made from the values (rates from their shares, NPS from its category counts).
    """
    min_n = settings.CX_MIN_SAMPLE_SIZE if min_n is None else min_n
    if before.value is None or after.value is None or before.n < min_n or after.n < min_n:
        return Verdict.NOT_ENOUGH_DATA, None
    difference = after.value - before.value
    change = change or _change_from_values(kpi, before, after)
    if not change.tested:
        return Verdict.NO_TEST, round(difference, 2)
    if not change.significant:
        return Verdict.NO_CHANGE, round(difference, 2)
    better = change_verdict(kpi, difference) == "better"
    return (Verdict.IMPROVED if better else Verdict.WORSE), round(difference, 2)


def _change_from_values(kpi: str, before: KpiValue, after: KpiValue) -> KpiChange:
    test = TEST_OF.get(kpi)
    if test == PROPORTION:
        result = stats.two_proportions(
            successes1=round(before.value * before.n / 100),
            n1=before.n,
            successes2=round(after.value * after.n / 100),
            n2=after.n,
        )
    elif test == NPS and "promoters" in before.breakdown and "promoters" in after.breakdown:
        result = stats.nps_difference(
            n1=before.n,
            promoters1=before.breakdown["promoters"],
            detractors1=before.breakdown["detractors"],
            n2=after.n,
            promoters2=after.breakdown["promoters"],
            detractors2=after.breakdown["detractors"],
        )
    else:
        result = stats.NO_TEST
    return KpiChange(kpi, after.value - before.value, result.p_value, result.significant)


def _window(action: Action, label: str, date_from: date, date_to: date) -> Window:
    scope_type = action.scope_type or ScopeType.COMPANY
    if scope_type not in REGISTRY[action.kpi].scopes:  # e.g. churn at a touchpoint: no value
        return Window(label, date_from, date_to, compute(action.kpi, Stats()), Stats())
    window_stats = range_stats(
        kpi=action.kpi,
        scope_type=action.scope_type or ScopeType.COMPANY,
        scope_key=action.scope_key or "",
        date_from=date_from,
        date_to=date_to,
    )
    return Window(label, date_from, date_to, compute(action.kpi, window_stats), window_stats)


def action_effect(*, action: Action, days: int = DEFAULT_WINDOW, today: date | None = None) -> Effect | None:
    """The KPI before and after (or so far); None for an action without a KPI."""
    if not action.kpi or action.kpi not in REGISTRY:
        return None
    today = today or timezone.localdate()
    started = action.start_date or timezone.localdate(action.created_at)
    before_to = started - timedelta(days=1)
    before_from = before_to - timedelta(days=days - 1)
    before = _window(action, "before", before_from, before_to)
    done = action.status == Action.Status.DONE and action.done_at is not None
    if done:
        after_from = timezone.localdate(action.done_at) + timedelta(days=1)
        after_to = min(after_from + timedelta(days=days - 1), today)
        label = "after" if after_from + timedelta(days=days - 1) <= today else "after (so far)"
    else:
        after_from, after_to, label = min(started, today), today, "so far"
    after = _window(action, label, after_from, after_to) if after_from <= after_to else None
    change = kpi_change(action.kpi, before.stats, after.stats) if after else None
    verdict, difference = (
        verdict_of(action.kpi, before.value, after.value, change=change) if after else (Verdict.NOT_ENOUGH_DATA, None)
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
        change=change,
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
