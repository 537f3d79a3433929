"""The KPI registry: which KPIs exist, what they are computed from, and their exact formulas.

Formulas follow DESIGN.md. Each works on the sufficient statistics a snapshot stores
(n, total, total_sq, count_a, count_b, count_c), so a value for any period is exact.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from metrics.models import Bucket, Kpi, ScopeType
from surveys import scales

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
    """count_a promoters, count_b passives, count_c detractors (the bands of ``surveys.scales``)."""
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
    """count_a answers in the top-two box (``surveys.scales.CSAT_TOP_MIN`` and up); value in percent, mean beside it."""
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
    """Mean of 1–7; count_a the easy answers (``surveys.scales.CES_TOP_MIN`` and up)."""
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


def _rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100 * part / whole, 1)


def response_rate(s: Stats) -> KpiValue:
    """n invitations sent, count_a of them answered; percent (the formula of ``surveys.scales.response_rate``)."""
    rate = scales.response_rate(sent=s.n, responded=s.count_a)
    return KpiValue(rate, s.n, None, {"sent": s.n, "responses": s.count_a})


def conversion_rate(s: Stats) -> KpiValue:
    """n visit events, count_a conversion events; percent. No visits → null."""
    return KpiValue(_rate(s.count_a, s.n), s.n, None, {"visits": s.n, "conversions": s.count_a})


# The period KPIs below share one set of statistics for a period [a, b) (see metrics.customer_kpis):
# n customers active at a, count_a of them churned in [a, b), count_b active at b, count_c acquired in
# [a, b), total the revenue in [a, b). They are not additive over days.
def _period_breakdown(s: Stats) -> dict:
    return {
        "active_at_start": s.n,
        "churned": s.count_a,
        "active_at_end": s.count_b,
        "acquired": s.count_c,
        "revenue": round(s.total, 2),
    }


def churn_rate(s: Stats) -> KpiValue:
    """Share of the customers active at a whose churn falls in [a, b); no customers at a → null."""
    return KpiValue(_rate(s.count_a, s.n), s.n, None, _period_breakdown(s))


def retention_rate(s: Stats) -> KpiValue:
    """(Active at b − acquired in [a, b)) ÷ active at a."""
    return KpiValue(_rate(s.count_b - s.count_c, s.n), s.n, None, _period_breakdown(s))


def clv(s: Stats) -> KpiValue:
    """ARPC × gross margin ÷ churn rate; ARPC = revenue ÷ mean(active at a, active at b); churn 0 → null."""
    if s.n == 0 or s.count_a == 0:
        return KpiValue(None, s.n, None, _period_breakdown(s))
    arpc = s.total / ((s.n + s.count_b) / 2)
    churn = s.count_a / s.n
    return KpiValue(round(arpc * settings.CX_GROSS_MARGIN / churn, 2), s.n, None, _period_breakdown(s))


# Voice's text sentiment (voice.models.FeedbackItem, per analysed item): n items, total the sum of their scores
# (−1 … 1) in ten-thousandths (the analysis keeps four decimals), total_sq the sum of the squares of those,
# count_a the items judged negative.
SCORE_UNITS = 10_000


def sentiment(s: Stats) -> KpiValue:
    """Mean text sentiment × 100 (−100 … 100), one decimal, with the 95 % margin of a mean."""
    if s.n == 0:
        return KpiValue(None, 0, None, {})
    mean = s.total / SCORE_UNITS / s.n
    variance = max(s.total_sq / SCORE_UNITS**2 / s.n - mean * mean, 0.0)
    return KpiValue(
        round(100 * mean, 1), s.n, round(100 * Z_95 * math.sqrt(variance / s.n), 1), {"negative": s.count_a}
    )


def negative_share(s: Stats) -> KpiValue:
    """% of the analysed items judged negative, with the 95 % margin of a proportion."""
    if s.n == 0:
        return KpiValue(None, 0, None, {})
    share = s.count_a / s.n
    return KpiValue(
        round(100 * share, 1),
        s.n,
        round(100 * Z_95 * math.sqrt(share * (1 - share) / s.n), 1),
        {"negative": s.count_a, "items": s.n},
    )


ALL_SCOPES = frozenset(ScopeType.values)
CUSTOMER_SCOPES = frozenset({ScopeType.COMPANY, ScopeType.PERSONA})


@dataclass(frozen=True)
class KpiDefinition:
    kpi: str
    label: str  # lazily translated (the Kpi choice's label)
    unit: str  # lazily translated, except "%"
    question_kind: str | None
    formula: object  # Callable[[Stats], KpiValue]
    value_range: tuple[float, float]
    # Additive KPIs are summed from day snapshots for any range; the others (churn, retention, CLV) are
    # period KPIs whose total for a range is computed from the customers directly.
    additive: bool = True
    scopes: frozenset = ALL_SCOPES
    # The KPI's direction: a rise is an improvement (False for churn: less is better).
    higher_is_better: bool = True


REGISTRY: dict[str, KpiDefinition] = {
    Kpi.NPS: KpiDefinition(Kpi.NPS, Kpi.NPS.label, _("points"), "nps", nps, (-100, 100)),
    Kpi.CSAT: KpiDefinition(Kpi.CSAT, Kpi.CSAT.label, "%", "csat", csat, (0, 100)),
    Kpi.CES: KpiDefinition(Kpi.CES, Kpi.CES.label, _("mean 1–7"), "ces", ces, (1, 7)),
    Kpi.RESPONSE_RATE: KpiDefinition(Kpi.RESPONSE_RATE, Kpi.RESPONSE_RATE.label, "%", None, response_rate, (0, 100)),
    Kpi.CONVERSION_RATE: KpiDefinition(
        Kpi.CONVERSION_RATE,
        Kpi.CONVERSION_RATE.label,
        "%",
        None,
        conversion_rate,
        (0, 100),
        scopes=ALL_SCOPES - {ScopeType.SURVEY},
    ),
    Kpi.CHURN_RATE: KpiDefinition(
        Kpi.CHURN_RATE,
        Kpi.CHURN_RATE.label,
        "%",
        None,
        churn_rate,
        (0, 100),
        additive=False,
        scopes=CUSTOMER_SCOPES,
        higher_is_better=False,
    ),
    Kpi.RETENTION_RATE: KpiDefinition(
        Kpi.RETENTION_RATE,
        Kpi.RETENTION_RATE.label,
        "%",
        None,
        retention_rate,
        (0, 100),
        additive=False,
        scopes=CUSTOMER_SCOPES,
    ),
    Kpi.CLV: KpiDefinition(
        Kpi.CLV,
        Kpi.CLV.label,
        _("currency"),
        None,
        clv,
        (0, float("inf")),
        additive=False,
        scopes=CUSTOMER_SCOPES,
    ),
    Kpi.SENTIMENT: KpiDefinition(Kpi.SENTIMENT, Kpi.SENTIMENT.label, _("points"), None, sentiment, (-100, 100)),
    Kpi.NEGATIVE_SHARE: KpiDefinition(
        Kpi.NEGATIVE_SHARE,
        Kpi.NEGATIVE_SHARE.label,
        "%",
        None,
        negative_share,
        (0, 100),
        higher_is_better=False,
    ),
}
PERIOD_KPIS = [k for k, d in REGISTRY.items() if not d.additive]


def change_verdict(kpi: str, delta: float | None) -> str | None:
    """Whether a change of the KPI is "better", "worse" or "same", by the KPI's direction (None: no change known)."""
    if delta is None:
        return None
    if delta == 0:
        return "same"
    return "better" if (delta > 0) == REGISTRY[kpi].higher_is_better else "worse"


def scope_error(kpi: str, scope_type: str) -> str | None:
    """Why ``kpi`` cannot be asked for ``scope_type`` (None when it can)."""
    if scope_type in REGISTRY[kpi].scopes:
        return None
    return f"KPI {kpi} is not available for scope {scope_type}."


# KPIs computed from survey answers, by their question kind.
ANSWER_KPIS = {d.question_kind: k for k, d in REGISTRY.items() if d.question_kind}


def compute(kpi: str, stats: Stats) -> KpiValue:
    return REGISTRY[kpi].formula(stats)


def formula_signature() -> str:
    """A digest of what a value depends on besides its statistics: this module's code (the formulas and
    their rounding) and the settings they read. The recompute stores it with each run and computes every
    stored value again when it changed."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(repr(settings.CX_GROSS_MARGIN).encode())
    return digest.hexdigest()


def period_end(start: date, bucket: str) -> date:
    """The first day after the bucket that starts on ``start``."""
    if bucket == Bucket.DAY:
        return start + timedelta(days=1)
    if bucket == Bucket.WEEK:
        return start + timedelta(days=7)
    months = 1 if bucket == Bucket.MONTH else 3
    month = start.month - 1 + months
    return start.replace(year=start.year + month // 12, month=month % 12 + 1, day=1)


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
