"""The significance tests of cxportal.stats agree with scipy on fixtures computed by hand."""

import math

import numpy as np
import pytest
from scipy import stats as scipy_stats

from cxportal.stats import nps_difference, two_proportions, welch


def _scores(promoters: int, passives: int, detractors: int) -> np.ndarray:
    return np.array([1] * promoters + [0] * passives + [-1] * detractors, dtype=float)


class TestNpsDifference:
    def test_p_value_is_the_z_test_on_the_per_answer_scores(self):
        # NPS 30 (50 P, 30 passive, 20 D of 100) → NPS 40 (120 P, 40 passive, 40 D of 200).
        # By hand: v1 = 0.7 − 0.3² = 0.61, v2 = 0.8 − 0.4² = 0.64, se = √(0.61/100 + 0.64/200) = 0.096437,
        # z = 0.1 / 0.096437 = 1.03695, p = 0.2998.
        change = nps_difference(n1=100, promoters1=50, detractors1=20, n2=200, promoters2=120, detractors2=40)
        a, b = _scores(50, 30, 20), _scores(120, 40, 40)
        z = (b.mean() - a.mean()) / math.sqrt(a.var() / a.size + b.var() / b.size)
        assert change.delta == pytest.approx(10.0)
        assert change.p_value == pytest.approx(2 * scipy_stats.norm.sf(z), rel=1e-12)
        assert change.p_value == pytest.approx(0.2998, abs=1e-4)
        assert change.significant is False

    def test_a_large_swing_is_significant(self):
        change = nps_difference(n1=400, promoters1=120, detractors1=160, n2=400, promoters2=200, detractors2=80)
        assert change.delta == pytest.approx(40.0)
        assert change.p_value < 1e-6
        assert change.significant is True

    def test_identical_periods_have_p_one(self):
        change = nps_difference(n1=80, promoters1=30, detractors1=10, n2=80, promoters2=30, detractors2=10)
        assert change.as_dict() == {"delta": 0.0, "p_value": 1.0, "significant": False}

    def test_an_empty_side_gives_no_test(self):
        for n1, n2 in ((0, 50), (50, 0), (0, 0)):
            change = nps_difference(
                n1=n1, promoters1=min(n1, 10), detractors1=0, n2=n2, promoters2=min(n2, 10), detractors2=0
            )
            assert change.as_dict() == {"delta": None, "p_value": None, "significant": False}

    def test_zero_variance_on_both_sides(self):
        all_promoters = nps_difference(n1=20, promoters1=20, detractors1=0, n2=30, promoters2=30, detractors2=0)
        assert all_promoters.as_dict() == {"delta": 0.0, "p_value": 1.0, "significant": False}
        flipped = nps_difference(n1=20, promoters1=20, detractors1=0, n2=30, promoters2=0, detractors2=30)
        assert flipped.as_dict() == {"delta": -200.0, "p_value": 0.0, "significant": True}


class TestTwoProportions:
    def test_p_value_is_the_pooled_z_test(self):
        # 45 of 100 → 60 of 100: pooled 0.525, se = √(0.525·0.475·0.02) = 0.070622, z = 2.12398, p = 0.03367.
        change = two_proportions(successes1=45, n1=100, successes2=60, n2=100)
        pooled = 105 / 200
        z = 0.15 / math.sqrt(pooled * (1 - pooled) * (1 / 100 + 1 / 100))
        assert change.delta == pytest.approx(15.0)
        assert change.p_value == pytest.approx(2 * scipy_stats.norm.sf(z), rel=1e-12)
        assert change.p_value == pytest.approx(0.03367, abs=1e-5)
        assert change.significant is True

    def test_identical_rates_have_p_one(self):
        assert two_proportions(successes1=12, n1=40, successes2=6, n2=20).as_dict() == {
            "delta": 0.0,
            "p_value": 1.0,
            "significant": False,
        }

    def test_empty_side_and_zero_variance(self):
        assert two_proportions(successes1=0, n1=0, successes2=3, n2=10).p_value is None
        assert two_proportions(successes1=0, n1=10, successes2=0, n2=25).as_dict() == {
            "delta": 0.0,
            "p_value": 1.0,
            "significant": False,
        }
        # Pooled share 1: no variance, no difference.
        assert two_proportions(successes1=10, n1=10, successes2=25, n2=25).p_value == 1.0

    def test_more_successes_than_trials_is_no_proportion(self):
        change = two_proportions(successes1=12, n1=10, successes2=5, n2=10)
        assert change.delta == pytest.approx(-70.0)
        assert change.p_value is None
        assert change.significant is False


def _sums(values: list[float]) -> dict:
    return {"n": len(values), "total": float(sum(values)), "total_sq": float(sum(v * v for v in values))}


class TestWelch:
    def test_p_value_equals_scipys_welch_test_on_the_raw_values(self):
        a, b = [1, 2, 3, 4, 5, 2, 3], [3, 4, 5, 6, 7, 7]
        s1, s2 = _sums(a), _sums(b)
        change = welch(n1=s1["n"], total1=s1["total"], total_sq1=s1["total_sq"], **_second(s2))
        expected = scipy_stats.ttest_ind(b, a, equal_var=False)
        assert change.delta == pytest.approx(np.mean(b) - np.mean(a))
        assert change.p_value == pytest.approx(expected.pvalue, rel=1e-9)
        assert expected.pvalue < 0.05
        assert change.significant is True

    def test_a_small_difference_on_few_answers_is_within_noise(self):
        a, b = [4, 5, 6, 3, 5], [5, 5, 6, 4, 5]
        s1, s2 = _sums(a), _sums(b)
        change = welch(n1=s1["n"], total1=s1["total"], total_sq1=s1["total_sq"], **_second(s2))
        assert change.p_value == pytest.approx(scipy_stats.ttest_ind(b, a, equal_var=False).pvalue, rel=1e-9)
        assert change.significant is False

    def test_identical_periods_have_p_one(self):
        s = _sums([2, 4, 6, 5])
        change = welch(n1=s["n"], total1=s["total"], total_sq1=s["total_sq"], **_second(s))
        assert change.delta == 0
        assert change.p_value == pytest.approx(1.0)
        assert change.significant is False

    def test_empty_side_single_answer_and_zero_variance(self):
        empty = welch(n1=0, total1=0, total_sq1=0, **_second(_sums([3, 4])))
        assert empty.as_dict() == {"delta": None, "p_value": None, "significant": False}
        single = welch(n1=1, total1=3, total_sq1=9, **_second(_sums([3, 4, 6])))
        assert single.p_value is None and single.significant is False
        constant_same = welch(n1=3, total1=15, total_sq1=75, **_second(_sums([5, 5])))
        assert constant_same.as_dict() == {"delta": 0.0, "p_value": 1.0, "significant": False}
        constant_apart = welch(n1=3, total1=15, total_sq1=75, **_second(_sums([6, 6])))
        assert constant_apart.as_dict() == {"delta": 1.0, "p_value": 0.0, "significant": True}
        # One side constant, the other not: scipy's Welch test still applies.
        half = welch(n1=3, total1=15, total_sq1=75, **_second(_sums([5, 6, 7, 6])))
        assert half.p_value == pytest.approx(scipy_stats.ttest_ind([5, 6, 7, 6], [5, 5, 5], equal_var=False).pvalue)


def _second(s: dict) -> dict:
    return {"n2": s["n"], "total2": s["total"], "total_sq2": s["total_sq"]}
