"""The KPI registry: which KPIs exist, what they are computed from, and their exact formulas.

Formulas follow DESIGN.md. Each works on the sufficient statistics a snapshot stores
(n, total, total_sq, count_a, count_b, count_c), so a value for any period is exact.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from metrics.models import Bucket, Kpi

Z_95 = 1.96


@dataclass(frozen=True)
class Stats:
    n: int = 0
    total: float = 0.0
    total_sq: float = 0.0
    count_a: int = 0
    count_b: int = 0
    count_c: int = 0

    def __add__(self, other: "Stats") -> "Stats":
        return Stats(
            self.n + other.n,
            self.total + other.total,
            self.total_sq + other.total_sq,
            self.count_a + other.count_a,
            self.count_b + other.count_b,
            self.count_c + other.count_c,
        )


@dataclass(frozen=True)
class KpiValue:
    value: float | None
    n: int
    margin_of_error: float | None
    breakdown: dict

    def as_dict(self) -> dict:
        return {"value": self.value, "n": self.n, "margin_of_error": self.margin_of_error}


def nps(s: Stats) -> KpiValue:
    """count_a promoters (9–10), count_b passives (7–8), count_c detractors (0–6)."""
    if s.n == 0:
        return KpiValue(None, 0, None, {})
    mean = (s.count_a - s.count_c) / s.n
    variance = max((s.count_a + s.count_c) / s.n - mean * mean, 0.0)
    return KpiValue(
        round(100 * mean, 1),
        s.n,
        round(Z_95 * 100 * math.sqrt(variance / s.n), 1),
        {"promoters": s.count_a, "passives": s.count_b, "detractors": s.count_c},
    )


def csat(s: Stats) -> KpiValue:
    """count_a answers of 4 or 5 (top-two box); value in percent, mean beside it."""
    if s.n == 0:
        return KpiValue(None, 0, None, {})
    share = s.count_a / s.n
    return KpiValue(
        round(100 * share, 1),
        s.n,
        round(Z_95 * 100 * math.sqrt(share * (1 - share) / s.n), 1),
        {"mean": round(s.total / s.n, 2), "satisfied": s.count_a},
    )


def ces(s: Stats) -> KpiValue:
    """Mean of 1–7; count_a answers of 5–7."""
    if s.n == 0:
        return KpiValue(None, 0, None, {})
    mean = s.total / s.n
    variance = max(s.total_sq / s.n - mean * mean, 0.0)
    return KpiValue(
        round(mean, 2),
        s.n,
        round(Z_95 * math.sqrt(variance / s.n), 2),
        {"share_easy": round(100 * s.count_a / s.n, 1)},
    )


@dataclass(frozen=True)
class KpiDefinition:
    kpi: str
    label: str
    unit: str
    question_kind: str | None
    formula: object  # Callable[[Stats], KpiValue]
    value_range: tuple[float, float]


REGISTRY: dict[str, KpiDefinition] = {
    Kpi.NPS: KpiDefinition(Kpi.NPS, "NPS", "points", "nps", nps, (-100, 100)),
    Kpi.CSAT: KpiDefinition(Kpi.CSAT, "CSAT", "%", "csat", csat, (0, 100)),
    Kpi.CES: KpiDefinition(Kpi.CES, "CES", "mean 1–7", "ces", ces, (1, 7)),
}
# KPIs computed from survey answers, by their question kind.
ANSWER_KPIS = {d.question_kind: k for k, d in REGISTRY.items() if d.question_kind}


def compute(kpi: str, stats: Stats) -> KpiValue:
    return REGISTRY[kpi].formula(stats)


def period_start(day: date, bucket: str) -> date:
    """The first day of the bucket that holds ``day`` (weeks start on Monday)."""
    if bucket == Bucket.DAY:
        return day
    if bucket == Bucket.WEEK:
        return day - timedelta(days=day.weekday())
    if bucket == Bucket.MONTH:
        return day.replace(day=1)
    if bucket == Bucket.QUARTER:
        return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
    raise ValueError(f"unknown bucket {bucket!r}")
