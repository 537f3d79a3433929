"""Churn risk: a per-customer probability of churning within the horizon, trained on the company's history.

The features of a customer at a moment t use only what was known at t: their scores (level over 180 days,
the last NPS, the trend of the last 90 days against the 9 months before), their response behaviour (answers
in the last year, days since the last one, share of invitations answered), touchpoint events and revenue
(last 90 days against the 90 before). The label is "churned within ``horizon`` days after t".

Honest evaluation on a time split: the model learns from moments 2, 3 and 4 horizons ago (labels known) and
is judged on the customers as they were one horizon ago, whose outcome has just become known (ROC AUC,
Brier score, calibration by bins). Too few customers or churners, or a held-out AUC below the minimum, and
it refuses: no risk figures at all rather than figures nobody can trust. Otherwise it refits on everything
and scores every customer who has not churned, with the three features that raise their risk most.
"""

import math
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from decisions.models import ChurnModel, ChurnRisk
from decisions.services.churn_sql import SlicedHistory, history_sliced
from decisions.services.scores import epoch_sql, fetch_columns, scored_answers
from decisions.signals import churn_scored
from journeys.models import Customer
from metrics.services.recompute_sql import beside
from surveys.models import Invitation, Question

DAY = 86400.0
FEATURES = (
    "score_level",
    "last_nps",
    "score_trend",
    "no_scores",
    "answers_365",
    "days_since_answer",
    "invitation_response_rate",
    "events_90",
    "events_trend",
    "revenue_365",
    "revenue_trend",
)
# Where a customer has no such input, the feature takes this (and ``no_scores`` says so for the scores).
NEUTRAL = {"score_level": 50.0, "last_nps": 5.0, "score_trend": 0.0, "invitation_response_rate": 0.5}


def horizon_days() -> int:
    return getattr(settings, "CX_CHURN_HORIZON_DAYS", 90)


def limits() -> dict:
    return {
        "customers": getattr(settings, "CX_CHURN_MIN_CUSTOMERS", 200),
        "churners": getattr(settings, "CX_CHURN_MIN_CHURNERS", 10),
        "auc": getattr(settings, "CX_CHURN_MIN_AUC", 0.6),
    }


@dataclass
class History:
    """Everything the features read, loaded once as arrays (epoch seconds)."""

    customer: np.ndarray
    start: np.ndarray
    churned: np.ndarray
    answers: dict
    inv_customer: np.ndarray
    inv_at: np.ndarray
    inv_answered: np.ndarray
    ev_customer: np.ndarray
    ev_at: np.ndarray
    tx_customer: np.ndarray
    tx_at: np.ndarray
    tx_amount: np.ndarray

    def features(self, t: float) -> tuple[np.ndarray, np.ndarray]:
        return features_at(self, t)


def _columns(columns: list[str], table: str, where: str = "", order: str = "") -> list[tuple]:
    """Columns of one of our tables (``epoch:<column>`` as seconds since the epoch), names fixed in code."""
    select = ", ".join(epoch_sql(c.removeprefix("epoch:")) if c.startswith("epoch:") else c for c in columns)
    sql = f"SELECT {select} FROM {table}" + (f" WHERE {where}" if where else "")  # noqa: S608 - no input
    sql += f" ORDER BY {order}" if order else ""
    return fetch_columns(sql, [], len(columns))


def _sources() -> tuple:
    return (
        _columns(["id", "epoch:acquired_at", "epoch:churned_at"], "journeys_customer", order="id"),
        _columns(["customer_id", "epoch:sent_at", "status"], "surveys_invitation", "sent_at IS NOT NULL"),
        _columns(["customer_id", "epoch:occurred_at"], "metrics_touchpointevent", "customer_id IS NOT NULL"),
        _columns(["customer_id", "epoch:occurred_at", "amount"], "metrics_transaction"),
    )


def history_load() -> History:
    """Customers, answers, invitations, events and revenue as arrays, each read in one SQL query; on
    PostgreSQL the other sources on a second connection while this one reads the answers (two cores)."""
    # In a transaction of its own, as the recompute's reads: nested in a caller's transaction (a test's),
    # ``beside`` reads right here, since another connection would not see the caller's rows.
    with transaction.atomic():
        sources = beside(_sources)
        answers = scored_answers()
        customers, invitations, events, revenue = sources()
    ids, start, churned = customers
    inv_customer, inv_at, inv_status = invitations
    ev_customer, ev_at = events
    tx_customer, tx_at, tx_amount = revenue
    return History(
        customer=np.array(ids, dtype=np.int64),
        start=np.array([-math.inf if v is None else v for v in start], dtype=float),
        churned=np.array([math.inf if v is None else v for v in churned], dtype=float),
        answers=answers,
        inv_customer=np.array(inv_customer, dtype=np.int64),
        inv_at=np.array(inv_at, dtype=float),
        inv_answered=np.array([s == Invitation.Status.RESPONDED for s in inv_status], dtype=float),
        ev_customer=np.array(ev_customer, dtype=np.int64),
        ev_at=np.array(ev_at, dtype=float),
        tx_customer=np.array(tx_customer, dtype=np.int64),
        tx_at=np.array(tx_at, dtype=float),
        tx_amount=np.array([float(a) for a in tx_amount], dtype=float),
    )


def _sum(rows: np.ndarray, weights: np.ndarray | None, size: int) -> np.ndarray:
    return np.bincount(rows, weights=weights, minlength=size).astype(float)


def active_at(history, t: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The customers active at t (ids), their feature matrix (zeros) and, per customer id, its row in it (-1:
    not active). Both history readers (this module's and churn_sql's) start their features from it."""
    active = (history.start <= t) & (history.churned > t)
    ids = history.customer[active]
    x = np.zeros((len(ids), len(FEATURES)))
    position = np.full(int(history.customer.max()) + 1 if len(history.customer) else 0, -1, dtype=np.int64)
    position[ids] = np.arange(len(ids))
    return ids, x, position


def features_at(history: History, t: float) -> tuple[np.ndarray, np.ndarray]:
    """The customers active at t (ids) and their feature matrix, from what was known at t."""
    ids, x, position = active_at(history, t)
    size = len(ids)
    if not size:
        return ids, x

    def rows(customers: np.ndarray, at: np.ndarray, days_from: float, days_to: float = 0.0):
        if not len(customers):
            return np.array([], dtype=np.int64), np.array([], dtype=bool)
        pos = position[np.clip(customers, 0, len(position) - 1)]
        pos = np.where(customers < len(position), pos, -1)
        mask = (pos >= 0) & (at > t - days_from * DAY) & (at <= t - days_to * DAY)
        return pos[mask], mask

    a = history.answers
    col = {name: i for i, name in enumerate(FEATURES)}
    r180, m180 = rows(a["customer"], a["at"], 180)
    count180 = _sum(r180, None, size)
    level = np.where(count180 > 0, _sum(r180, a["score"][m180], size) / np.maximum(count180, 1), np.nan)
    r90, m90 = rows(a["customer"], a["at"], 90)
    rold, mold = rows(a["customer"], a["at"], 365, 90)
    c90, cold = _sum(r90, None, size), _sum(rold, None, size)
    recent = _sum(r90, a["score"][m90], size) / np.maximum(c90, 1)
    older = _sum(rold, a["score"][mold], size) / np.maximum(cold, 1)
    x[:, col["score_trend"]] = np.where((c90 > 0) & (cold > 0), recent - older, NEUTRAL["score_trend"])
    r365, m365 = rows(a["customer"], a["at"], 365)
    x[:, col["answers_365"]] = _sum(r365, None, size)
    x[:, col["no_scores"]] = (x[:, col["answers_365"]] == 0).astype(float)
    x[:, col["score_level"]] = np.where(np.isnan(level), NEUTRAL["score_level"], level)
    # The last NPS answer and the last answer of any kind within two years.
    rall, mall = rows(a["customer"], a["at"], 730)
    last_at = np.full(size, -math.inf)
    np.maximum.at(last_at, rall, a["at"][mall])
    x[:, col["days_since_answer"]] = np.where(np.isfinite(last_at), (t - last_at) / DAY, 730.0)
    nps = mall & (a["kind"] == Question.Kind.NPS)
    last_nps = np.full(size, NEUTRAL["last_nps"])
    if nps.any():
        # Later answers overwrite earlier ones; of two at the same time, the higher value wins.
        order = np.lexsort((a["value"][nps], a["at"][nps]))
        last_nps[position[a["customer"][nps]][order]] = a["value"][nps][order]
    x[:, col["last_nps"]] = last_nps

    ri, mi = rows(history.inv_customer, history.inv_at, 365)
    sent = _sum(ri, None, size)
    answered = _sum(ri, history.inv_answered[mi], size)
    x[:, col["invitation_response_rate"]] = np.where(
        sent > 0, answered / np.maximum(sent, 1), NEUTRAL["invitation_response_rate"]
    )
    re90, _ = rows(history.ev_customer, history.ev_at, 90)
    reold, _ = rows(history.ev_customer, history.ev_at, 180, 90)
    e90, eold = _sum(re90, None, size), _sum(reold, None, size)
    x[:, col["events_90"]] = e90
    x[:, col["events_trend"]] = np.log1p(e90) - np.log1p(eold)
    rt90, mt90 = rows(history.tx_customer, history.tx_at, 90)
    rtold, mtold = rows(history.tx_customer, history.tx_at, 180, 90)
    rt365, mt365 = rows(history.tx_customer, history.tx_at, 365)
    rev90 = np.clip(_sum(rt90, history.tx_amount[mt90], size), 0, None)
    revold = np.clip(_sum(rtold, history.tx_amount[mtold], size), 0, None)
    x[:, col["revenue_365"]] = np.log1p(np.clip(_sum(rt365, history.tx_amount[mt365], size), 0, None))
    x[:, col["revenue_trend"]] = np.log1p(rev90) - np.log1p(revold)
    return ids, x


def labels_at(history: History | SlicedHistory, ids: np.ndarray, t: float, horizon: int) -> np.ndarray:
    position = np.zeros(int(history.customer.max()) + 1 if len(history.customer) else 0, dtype=np.int64)
    position[history.customer] = np.arange(len(history.customer))
    churned = history.churned[position[ids]]
    return ((churned > t) & (churned <= t + horizon * DAY)).astype(int)


def moments(*, now: float, horizon: int) -> list[float]:
    """The moments the features are taken at: 4, 3 and 2 horizons ago (training), 1 (test), now (scoring)."""
    return [now - k * horizon * DAY for k in (4, 3, 2, 1, 0)]


def history_read(*, now: float, horizon: int) -> History | SlicedHistory:
    """What the features at ``moments`` read: on PostgreSQL sliced in the database (churn_sql), elsewhere
    every row as arrays."""
    if connection.vendor == "postgresql":
        return history_sliced(moments(now=now, horizon=horizon))
    return history_load()


def training_sets(history: History | SlicedHistory, *, now: float, horizon: int):
    """(x_train, y_train, x_test, y_test): learn from 2–4 horizons ago, judge on one horizon ago."""
    xs, ys = [], []
    for k in (2, 3, 4):
        t = now - k * horizon * DAY
        ids, x = history.features(t)
        xs.append(x)
        ys.append(labels_at(history, ids, t, horizon))
    t_test = now - horizon * DAY
    ids, x_test = history.features(t_test)
    return np.vstack(xs), np.concatenate(ys), x_test, labels_at(history, ids, t_test, horizon)


def classifier():
    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))


def evaluate(x_train, y_train, x_test, y_test) -> dict:
    """Fit on the earlier moments, judge on the later one: AUC, Brier score and five calibration bins."""
    model = classifier().fit(x_train, y_train)
    predicted = model.predict_proba(x_test)[:, 1]
    order = np.argsort(predicted)
    calibration = []
    for part in np.array_split(order, 5):
        if len(part):
            calibration.append(
                {
                    "predicted": round(float(predicted[part].mean()), 4),
                    "observed": round(float(y_test[part].mean()), 4),
                    "n": len(part),
                }
            )
    return {
        "auc": float(roc_auc_score(y_test, predicted)),
        "brier": float(brier_score_loss(y_test, predicted)),
        "calibration": calibration,
    }


def churn_model_train(*, now: datetime | None = None) -> ChurnModel:
    """Train, evaluate on the later period, and score every active customer — or refuse and say why."""
    now_ts = (now or timezone.now()).timestamp()
    horizon = horizon_days()
    minimum = limits()
    history = history_read(now=now_ts, horizon=horizon)
    x_train, y_train, x_test, y_test = training_sets(history, now=now_ts, horizon=horizon)
    record = ChurnModel(
        horizon_days=horizon,
        n_train=len(y_train),
        n_test=len(y_test),
        churners_train=int(y_train.sum()),
        churners_test=int(y_test.sum()),
    )
    if (
        len(y_train) < minimum["customers"]
        or len(y_test) < minimum["customers"] // 2
        or record.churners_train < minimum["churners"]
        or record.churners_test < minimum["churners"]
        or len(y_test) - record.churners_test < minimum["churners"]
    ):
        return _refuse(record, "too_few")
    # The evaluation runs in a thread while the model is refitted on everything and its risks are written (numpy
    # and sklearn leave the interpreter lock while they compute, the database parses the risks on a core of its
    # own); a model that turns out too weak rolls its risks back and refuses. One BLAS thread each: on 11
    # columns more threads only wait for each other (a fit took 0.24 s with two, 0.15 s with one).
    with threadpool_limits(limits=1), ThreadPoolExecutor(max_workers=1, thread_name_prefix="churn-evaluate") as pool:
        judged = pool.submit(evaluate, x_train, y_train, x_test, y_test)
        model = classifier().fit(np.vstack([x_train, x_test]), np.concatenate([y_train, y_test]))
        try:
            _score(record, model, history=history, now_ts=now_ts, judged=judged, minimum_auc=minimum["auc"])
        except _TooWeak:
            record.pk, record.scored, record.coefficients, record.scaling = None, 0, {}, {}  # as rolled back
            return _refuse(record, "weak")
    churn_scored.send(sender=ChurnModel, model=record)
    return record


class _TooWeak(Exception):
    """The held-out evaluation came out below the minimum AUC: the risks written meanwhile roll back."""


def _score(record: ChurnModel, model, *, history, now_ts: float, judged: Future, minimum_auc: float) -> None:
    """Score every active customer with the refitted ``model`` and store the risks and the record, once the
    evaluation (``judged``) has passed; raise _TooWeak (nothing stored) when it has not."""
    scaler, logistic = model[0], model[1]
    coefficients = logistic.coef_[0]
    record.coefficients = {name: round(float(c), 4) for name, c in zip(FEATURES, coefficients, strict=True)}
    record.scaling = {
        "features": list(FEATURES),
        "mean": scaler.mean_.tolist(),
        "scale": scaler.scale_.tolist(),
        "coef": coefficients.tolist(),
        "intercept": float(logistic.intercept_[0]),
    }
    ids, x_now = history.features(now_ts)
    probability = model.predict_proba(x_now)[:, 1] if len(ids) else np.array([])
    scored_at = datetime.fromtimestamp(now_ts, tz=timezone.get_current_timezone())
    with transaction.atomic():
        record.status = ChurnModel.Status.OK
        record.scored = len(ids)
        record.save()
        risks_store(record, ids=ids, probability=probability, x_now=x_now, scored_at=scored_at)
        quality = judged.result()
        record.auc, record.brier, record.calibration = quality["auc"], quality["brier"], quality["calibration"]
        if record.auc < minimum_auc:
            raise _TooWeak
        record.save(update_fields=["auc", "brier", "calibration"])


# COPY's binary format: the signature, no flags, no header extension (before the rows), -1 fields (after them).
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_COPY_TRAILER = b"\xff\xff"
_POSTGRES_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def risks_copy_binary(*, model_id: int, ids: np.ndarray, probability: np.ndarray, x_now, scored_at) -> bytes:
    """The risks as COPY's binary format (customer_id, model_id, probability, features, scored_at), made by numpy
    in one piece: every row has the same width (its field count, then each field's length and value, big-endian;
    the features as ChurnRisk.features keeps them). No Python per row."""
    row = np.dtype(
        [
            ("fields", ">i2"),
            ("customer_length", ">i4"),
            ("customer", ">i8"),
            ("model_length", ">i4"),
            ("model", ">i8"),
            ("probability_length", ">i4"),
            ("probability", ">f8"),
            ("features_length", ">i4"),
            ("features", "<f8", (len(FEATURES),)),
            ("scored_at_length", ">i4"),
            ("scored_at", ">i8"),
        ]
    )
    rows = np.zeros(len(ids), dtype=row)
    rows["fields"] = 5
    for name in ("customer", "model", "probability", "scored_at"):
        rows[f"{name}_length"] = 8
    rows["features_length"] = 8 * len(FEATURES)
    rows["customer"], rows["model"], rows["probability"], rows["features"] = ids, model_id, probability, x_now
    rows["scored_at"] = (scored_at - _POSTGRES_EPOCH) // timedelta(microseconds=1)  # timestamptz: µs since 2000
    return _COPY_HEADER + rows.tobytes() + _COPY_TRAILER


def risks_store(record: ChurnModel, *, ids: np.ndarray, probability: np.ndarray, x_now, scored_at) -> None:
    """Replace every risk by one per scored customer, with the customer's feature values (their reasons are
    worked out from those when read, decisions.reasons): binary COPY on PostgreSQL, ``bulk_create`` elsewhere."""
    features = np.ascontiguousarray(x_now, dtype="<f8")
    if connection.vendor != "postgresql":
        ChurnRisk.objects.all().delete()
        ChurnRisk.objects.bulk_create(
            (
                ChurnRisk(
                    customer_id=c, model=record, probability=p, features=features[i].tobytes(), scored_at=scored_at
                )
                for i, (c, p) in enumerate(zip(ids.tolist(), probability.tolist(), strict=True))
            ),
            batch_size=5000,
        )
        return
    data = risks_copy_binary(model_id=record.pk, ids=ids, probability=probability, x_now=features, scored_at=scored_at)
    table = ChurnRisk._meta.db_table
    (by_probability,) = ChurnRisk._meta.indexes
    with connection.cursor() as cursor, connection.schema_editor(atomic=False) as editor:
        # TRUNCATE rather than DELETE: the rows go into a fresh table instead of beside 80,000 dead ones. Readers
        # of the risks wait for the commit, then see the new ones; so nobody misses the probability index, which
        # is built again once the rows are in (the index on the key is filled as they go in).
        cursor.execute(f"TRUNCATE {table}")
        editor.remove_index(ChurnRisk, by_probability)
        columns = "customer_id, model_id, probability, features, scored_at"
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT binary)") as copy:
            copy.write(data)
        # The keys are not checked by the database (see ChurnRisk): a customer deleted since the features were
        # read loses the risk just written.
        cursor.execute(
            f"DELETE FROM {table} r WHERE NOT EXISTS "  # noqa: S608 - table names only
            f"(SELECT 1 FROM {Customer._meta.db_table} c WHERE c.id = r.customer_id)"
        )
        editor.add_index(ChurnRisk, by_probability)


def _refuse(record: ChurnModel, reason: str) -> ChurnModel:
    """No figures rather than untrustworthy ones: the old risks go, the refusal and its numbers stay."""
    with transaction.atomic():
        record.status = ChurnModel.Status.REFUSED
        record.reason = reason
        record.save()
        ChurnRisk.objects.all().delete()
    return record


def latest_model() -> ChurnModel | None:
    return ChurnModel.objects.first()


def risk_horizon_end(model: ChurnModel) -> datetime:
    return model.trained_at + timedelta(days=model.horizon_days)
