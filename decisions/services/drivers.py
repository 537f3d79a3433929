"""Key drivers: which touchpoints, questions and Voice topics explain a customer's relationship NPS (or CSAT).

Method, in plain words: for every customer who gave the relationship score in the period, we take their
average score at each touchpoint and on each other question of the relationship survey (0–100). A
regression of the relationship score on all of them at once is split into one share per driver with
Johnson's relative weights (the shares add up to the R² and stay fair when drivers move together); a
customer who did not answer a driver counts with that driver's average. The 95 % interval comes from 200
bootstrap resamples of the customers. A driver "explains" the score only when its slope in that regression
is positive and significant (t-test, beyond the other drivers) after a Bonferroni correction for the number
of drivers. Drivers with fewer than ``min_n()`` customers, and whole analyses with fewer, are refused.
Voice topics enter as "did not complain about it" (100) or "complained" (0) for the customers who commented
(``driver_inputs.topic_columns``); their n is the number of those customers who mentioned the topic.
"""

from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.conf import settings
from scipy import stats
from threadpoolctl import threadpool_limits

from decisions.services.driver_inputs import column_means, driver_inputs, topic_columns
from journeys.models import Touchpoint
from surveys.models import Question

KPIS = ("nps", "csat")
BOOTSTRAP = 200
ALPHA = 0.05


def min_n() -> int:
    return getattr(settings, "CX_DRIVERS_MIN_N", 30)


@dataclass
class Driver:
    kind: str  # "touchpoint", "question" or "topic" (a Voice topic)
    id: int
    name: str
    n: int
    importance: float  # share of the score's variance this driver explains (part of R²)
    importance_low: float
    importance_high: float
    correlation: float
    p_value: float
    significant: bool
    performance: float  # its own average score, 0–100
    quadrant: str = ""  # fix_first, keep, monitor, overkill — only for significant drivers

    def as_dict(self) -> dict:
        return {
            "type": self.kind,
            "id": self.id,
            "name": self.name,
            "n": self.n,
            "importance": round(self.importance, 4),
            "importance_ci": [round(self.importance_low, 4), round(self.importance_high, 4)],
            "correlation": round(self.correlation, 4),
            "p_value": self.p_value,
            "significant": self.significant,
            "performance": round(self.performance, 1),
            "quadrant": self.quadrant or None,
        }


@dataclass
class DriverAnalysis:
    kpi: str
    date_from: date | None
    date_to: date | None
    n: int  # customers with the relationship score
    min_n: int
    refused: str = ""  # "too_few_customers" or "no_drivers"
    r_squared: float | None = None
    drivers: list[Driver] = field(default_factory=list)
    too_few: list[dict] = field(default_factory=list)  # drivers left out, with their n

    def as_dict(self) -> dict:
        return {
            "kpi": self.kpi,
            "from": self.date_from,
            "to": self.date_to,
            "n": self.n,
            "min_n": self.min_n,
            "refused": self.refused or None,
            "r_squared": None if self.r_squared is None else round(self.r_squared, 4),
            "results": [d.as_dict() for d in self.drivers],
            "too_few_answers": self.too_few,
        }


def relative_weights(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Johnson's (2000) relative weights: each column's share of R², adding up to the R² of the regression."""
    std = x.std(axis=0)
    xs = (x - x.mean(axis=0)) / np.where(std > 0, std, 1.0)
    ys = (y - y.mean()) / (y.std() or 1.0)
    n = len(y)
    rxx = xs.T @ xs / n
    rxy = xs.T @ ys / n
    return _weights(rxx, rxy)


def _weights(rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
    """Relative weights from the correlations of the drivers (``rxx``) and of each driver with the score."""
    eigval, eigvec = np.linalg.eigh(rxx)
    eigval = np.clip(eigval, 1e-12, None)
    lam = eigvec @ np.diag(np.sqrt(eigval)) @ eigvec.T
    beta = eigvec @ np.diag(1 / np.sqrt(eigval)) @ eigvec.T @ rxy
    return (lam**2) @ (beta**2)


def bootstrap_weights(x: np.ndarray, y: np.ndarray, *, rng: np.random.Generator, resamples: int) -> np.ndarray:
    """``relative_weights`` of ``resamples`` bootstrap resamples (the rows ``rng.integers`` draws), each from
    how often it drew every row: weighted moments of x instead of a resampled copy of it (eight times faster;
    the same weights to about 1e-12)."""
    n = len(y)
    # Centred once, so that the moments of a resample lose no precision to large means.
    xc, yc = x - x.mean(axis=0), y - y.mean()
    weights = np.empty((resamples, x.shape[1]))
    for b in range(resamples):
        w = np.bincount(rng.integers(0, n, n), minlength=n) / n
        mean_x, mean_y = w @ xc, w @ yc
        xw = xc * w[:, None]
        cxx = xw.T @ xc - np.outer(mean_x, mean_x)
        cxy = xw.T @ yc - mean_x * mean_y
        sx = np.sqrt(np.clip(np.diag(cxx), 0.0, None))
        sx = np.where(sx > 0, sx, 1.0)
        sy = float(np.sqrt(max(w @ (yc * yc) - mean_y * mean_y, 0.0))) or 1.0
        weights[b] = _weights(cxx / np.outer(sx, sx), cxy / (sx * sy))
    return weights


def ols_tests(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Slopes of the multiple regression and their two-sided p-values (t-test): each driver beyond the others."""
    n, k = x.shape
    design = np.column_stack([np.ones(n), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    dof = n - k - 1
    if dof <= 0:
        return coef[1:], np.ones(k)
    residual = y - design @ coef
    sigma2 = residual @ residual / dof
    cov = sigma2 * np.linalg.pinv(design.T @ design)
    se = np.sqrt(np.clip(np.diag(cov)[1:], 1e-300, None))
    t = coef[1:] / se
    return coef[1:], 2 * stats.t.sf(np.abs(t), dof)


def drivers_analyse(*, kpi: str = "nps", date_from: date | None = None, date_to: date | None = None, seed: int = 0):
    inputs = driver_inputs(kpi=kpi, date_from=date_from, date_to=date_to)
    size = len(inputs.customers)
    analysis = DriverAnalysis(kpi=kpi, date_from=date_from, date_to=date_to, n=size, min_n=min_n())
    if size < analysis.min_n:
        analysis.refused = "too_few_customers"
        return analysis
    # NPS as each customer's mean 0–10 answer (the NPS itself is not a per-person figure); CSAT as 1–5.
    y = inputs.y
    candidates = [  # (kind, id, column, performance)
        (kind, pk, column_means(sums, counts), performance) for kind, pk, sums, counts, performance in inputs.columns
    ]
    mentions = {}  # a topic's n: the customers who mentioned it (every commenter has a value for it)
    for kind, pk, column, mentioned, performance in topic_columns(
        inputs.customers, date_from=date_from, date_to=date_to
    ):
        candidates.append((kind, pk, column, performance))
        mentions[pk] = mentioned

    names = _names(candidates)
    kept = []
    for kind, pk, column, performance in candidates:
        n = mentions[pk] if kind == "topic" else int(np.count_nonzero(~np.isnan(column)))
        if n < analysis.min_n:
            analysis.too_few.append({"type": kind, "id": pk, "name": names[(kind, pk)], "n": n})
        else:
            kept.append((kind, pk, column, performance, n))
    if not kept:
        analysis.refused = "no_drivers"
        return analysis

    x = np.column_stack([np.where(np.isnan(c), np.nanmean(c), c) for _, _, c, _, _ in kept])
    weights = relative_weights(x, y)
    analysis.r_squared = float(weights.sum())
    # One BLAS thread: on 11 columns more threads only wait for each other, and on a busy machine the 200
    # resamples took 2.7–3.7 s with two threads instead of 0.2 s with one.
    with threadpool_limits(limits=1):
        boot = bootstrap_weights(x, y, rng=np.random.default_rng(seed), resamples=BOOTSTRAP)
    low, high = np.percentile(boot, [2.5, 97.5], axis=0)
    alpha = ALPHA / len(kept)
    slopes, p_values = ols_tests(x, y)
    for j, (kind, pk, column, performance, n) in enumerate(kept):
        both = ~np.isnan(column)
        if np.std(column[both]) > 0 and np.std(y[both]) > 0:
            r = float(stats.pearsonr(column[both], y[both])[0])
        else:
            r = 0.0
        p = float(p_values[j])
        analysis.drivers.append(
            Driver(
                kind=kind,
                id=pk,
                name=names[(kind, pk)],
                n=n,
                importance=float(weights[j]),
                importance_low=float(low[j]),
                importance_high=float(high[j]),
                correlation=float(r),
                p_value=float(p),
                significant=bool(p < alpha and slopes[j] > 0),
                performance=performance,
            )
        )
    _quadrants(analysis.drivers)
    analysis.drivers.sort(key=lambda d: (not d.significant, -d.importance))
    return analysis


def _quadrants(drivers: list[Driver]) -> None:
    """Importance × performance, split at the averages of the significant drivers."""
    real = [d for d in drivers if d.significant]
    if not real:
        return
    importance = sum(d.importance for d in real) / len(real)
    performance = sum(d.performance for d in real) / len(real)
    for d in real:
        if d.importance >= importance:
            d.quadrant = "keep" if d.performance >= performance else "fix_first"
        else:
            d.quadrant = "overkill" if d.performance >= performance else "monitor"


def _names(candidates) -> dict[tuple[str, int], str]:
    tps = [pk for kind, pk, *_ in candidates if kind == "touchpoint"]
    qs = [pk for kind, pk, *_ in candidates if kind == "question"]
    names = {("touchpoint", pk): name for pk, name in Touchpoint.objects.filter(pk__in=tps).values_list("pk", "name")}
    names |= {("question", pk): text for pk, text in Question.objects.filter(pk__in=qs).values_list("pk", "text")}
    topics = [pk for kind, pk, *_ in candidates if kind == "topic"]
    if topics:
        from voice.models import Topic

        names |= {("topic", topic.pk): topic.display_label for topic in Topic.objects.filter(pk__in=topics)}
    return names
