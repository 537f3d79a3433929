"""A KPI's change between two periods and whether it is significant (two-sided, α = 0.05).

The test follows the KPI (DESIGN.md, "Decisions"): NPS — the difference of two NPS with the per-answer
variance; rates — the two-proportion z-test; means (CES, sentiment) — Welch's t-test; CLV has no test (its
change is given, never called significant). The statistics are the snapshots' sufficient statistics, so a
change costs no extra query beyond reading the two periods. The tests themselves live in ``cxportal.stats``.

``delta`` is the difference of the two values as pages and the API show them (rounded as the KPI is), so
"32.1 against 30.0" reads as +2.1; the p-value comes from the unrounded statistics.
"""

from dataclasses import dataclass

from cxportal import stats
from metrics.kpis import REGISTRY, Stats, change_verdict, compute

# Which test each KPI's change gets, and the success count of the rates (from the snapshot's statistics).
NPS, PROPORTION, MEAN, NONE = "nps", "proportion", "mean", "none"
TEST_OF = {
    "nps": NPS,
    "csat": PROPORTION,
    "response_rate": PROPORTION,
    "conversion_rate": PROPORTION,
    "churn_rate": PROPORTION,
    "retention_rate": PROPORTION,
    "negative_share": PROPORTION,
    "ces": MEAN,
    "sentiment": MEAN,
    "clv": NONE,
}


def _successes(kpi: str, s: Stats) -> int:
    if kpi == "retention_rate":
        return s.count_b - s.count_c  # retained = active at the end − acquired in the period
    return s.count_a


def _digits(kpi: str) -> int:
    return 2 if kpi in ("ces", "clv") else 1


@dataclass(frozen=True)
class KpiChange:
    """A KPI's change against the previous period: the API's ``change`` and the pages' verdict."""

    kpi: str
    delta: float | None
    p_value: float | None
    significant: bool

    def as_dict(self) -> dict:
        return {"delta": self.delta, "p_value": self.p_value, "significant": self.significant}

    @property
    def tested(self) -> bool:
        return self.p_value is not None

    @property
    def verdict(self) -> str | None:
        """ "better", "worse" or "same" by the KPI's direction (``KpiDefinition.higher_is_better``)."""
        return change_verdict(self.kpi, self.delta)

    @property
    def reading(self) -> str:
        """ "significant", "noise" (tested, not significant) or "untested" (no test possible)."""
        if not self.tested:
            return "untested"
        return "significant" if self.significant else "noise"


def kpi_change(kpi: str, before: Stats, after: Stats) -> KpiChange:
    """The change of ``kpi`` from ``before`` to ``after`` and its significance."""
    test = TEST_OF.get(kpi, NONE)
    if test == NPS:
        result = stats.nps_difference(
            n1=before.n,
            promoters1=before.count_a,
            detractors1=before.count_c,
            n2=after.n,
            promoters2=after.count_a,
            detractors2=after.count_c,
        )
    elif test == PROPORTION:
        result = stats.two_proportions(
            successes1=_successes(kpi, before), n1=before.n, successes2=_successes(kpi, after), n2=after.n
        )
    elif test == MEAN:
        result = stats.welch(
            n1=before.n,
            total1=before.total,
            total_sq1=before.total_sq,
            n2=after.n,
            total2=after.total,
            total_sq2=after.total_sq,
        )
    else:
        result = stats.NO_TEST
    old, new = compute(kpi, before).value, compute(kpi, after).value
    delta = None if old is None or new is None else round(new - old, _digits(kpi))
    if delta is None:
        return KpiChange(kpi, None, None, False)
    return KpiChange(kpi, delta, result.p_value, result.significant)


def is_tested(kpi: str) -> bool:
    return kpi in REGISTRY and TEST_OF.get(kpi, NONE) != NONE
