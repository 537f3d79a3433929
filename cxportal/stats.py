"""Significance tests for the difference of a KPI between two periods (every app may import this; no Django).

Each test works on sufficient statistics (counts, sums, sums of squares), the way snapshots store them, and
answers a ``Change``: the difference (second minus first), its two-sided p-value and whether it is
significant at α = 0.05. The distributions come from ``scipy.stats``; only the test statistics are
computed here.

- ``nps_difference``: the per-answer score is +1 (promoter), 0 (passive) or −1 (detractor); NPS = 100 × its
  mean. The difference of two NPS is tested with z = (m₂ − m₁) / sqrt(v₁/n₁ + v₂/n₂), v the population
  variance of the score (the variance the NPS margin of error uses).
- ``two_proportions``: the pooled two-proportion z-test for rates (CSAT top-two box, response, conversion,
  churn, retention).
- ``welch``: Welch's t-test for means (CES, sentiment) from n, sum and sum of squares.

Edge cases: a side without observations gives no test (delta and p-value None, not significant); two sides
that cannot differ (identical, or both without variance and equal) give p = 1; both without variance but
different give p = 0 (every observation differs).
"""

import math
from dataclasses import asdict, dataclass

from scipy import stats as _scipy

ALPHA = 0.05


@dataclass(frozen=True)
class Change:
    delta: float | None
    p_value: float | None
    significant: bool

    def as_dict(self) -> dict:
        return asdict(self)


NO_TEST = Change(None, None, False)


def _change(delta: float, p_value: float | None) -> Change:
    if p_value is None or math.isnan(p_value):
        return Change(delta, None, False)
    p_value = min(max(float(p_value), 0.0), 1.0)
    return Change(delta, p_value, p_value < ALPHA)


def _z_test(difference: float, standard_error: float) -> float:
    """Two-sided p-value of a normal test statistic; a zero standard error decides by the difference alone."""
    if standard_error == 0:
        return 1.0 if difference == 0 else 0.0
    return float(2 * _scipy.norm.sf(abs(difference) / standard_error))


def nps_difference(*, n1: int, promoters1: int, detractors1: int, n2: int, promoters2: int, detractors2: int) -> Change:
    """NPS of period 2 minus NPS of period 1 (in points) and its z-test on the per-answer variance."""
    if n1 <= 0 or n2 <= 0:
        return NO_TEST
    m1, m2 = (promoters1 - detractors1) / n1, (promoters2 - detractors2) / n2
    v1 = max((promoters1 + detractors1) / n1 - m1 * m1, 0.0)
    v2 = max((promoters2 + detractors2) / n2 - m2 * m2, 0.0)
    return _change(100 * (m2 - m1), _z_test(m2 - m1, math.sqrt(v1 / n1 + v2 / n2)))


def two_proportions(*, successes1: int, n1: int, successes2: int, n2: int) -> Change:
    """Share of period 2 minus share of period 1 (in percentage points), pooled two-proportion z-test.

    A "share" above 1 (e.g. more conversions than visits) is no proportion: its difference is given,
    without a test.
    """
    if n1 <= 0 or n2 <= 0:
        return NO_TEST
    p1, p2 = successes1 / n1, successes2 / n2
    delta = 100 * (p2 - p1)
    if not (0 <= p1 <= 1 and 0 <= p2 <= 1):
        return Change(delta, None, False)
    pooled = (successes1 + successes2) / (n1 + n2)
    standard_error = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return _change(delta, _z_test(p2 - p1, standard_error))


def mean_and_variance(n: int, total: float, total_sq: float) -> tuple[float, float]:
    """Mean and sample variance (n − 1 in the denominator) from n, the sum and the sum of squares."""
    mean = total / n
    variance = max((total_sq - total * mean) / (n - 1), 0.0) if n > 1 else 0.0
    return mean, variance


def welch(*, n1: int, total1: float, total_sq1: float, n2: int, total2: float, total_sq2: float) -> Change:
    """Mean of period 2 minus mean of period 1 and Welch's t-test (unequal variances).

    One observation on a side has no variance to estimate: the difference is given, without a test. Two
    constant sides are decided by their means alone (p = 1 when equal, 0 when not).
    """
    if n1 <= 0 or n2 <= 0:
        return NO_TEST
    mean1, var1 = mean_and_variance(n1, total1, total_sq1)
    mean2, var2 = mean_and_variance(n2, total2, total_sq2)
    delta = mean2 - mean1
    # Floating sums leave a variance of ~1e-16 for constant data; treat that as none.
    var1 = 0.0 if var1 <= 1e-12 * max(1.0, mean1 * mean1) else var1
    var2 = 0.0 if var2 <= 1e-12 * max(1.0, mean2 * mean2) else var2
    if math.isclose(delta, 0, abs_tol=1e-12) and var1 == 0 and var2 == 0:
        return _change(0.0, 1.0)
    if n1 < 2 or n2 < 2:
        return Change(delta, None, False)
    if var1 == 0 and var2 == 0:
        return _change(delta, 0.0)
    result = _scipy.ttest_ind_from_stats(
        mean1, math.sqrt(var1), n1, mean2, math.sqrt(var2), n2, equal_var=False, alternative="two-sided"
    )
    return _change(delta, float(result.pvalue))
