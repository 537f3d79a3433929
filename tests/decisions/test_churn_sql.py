"""Churn features on PostgreSQL (decisions.services.churn_sql, sliced in the database) are the generic path's
(churn.history_load and churn.features_at, every row in Python): same customers, same features, at every
moment, on a history with the edge cases — no answers, answers exactly on the window edges, customers
acquired after a moment or churned before it, two NPS answers at the same time, negative revenue."""

import random
from datetime import timedelta
from decimal import Decimal

import numpy as np
import pytest
from django.db import connection

from decisions.reasons import risk_reasons
from decisions.services.churn import DAY, FEATURES, features_at, history_load, moments
from decisions.services.churn_sql import history_sliced
from journeys.models import Customer
from metrics.models import TouchpointEvent, Transaction
from surveys.models import Answer, Campaign, Invitation, Question, Response
from tests.decisions.factories import NOW
from tests.journeys.factories import TouchpointFactory
from tests.surveys.factories import QuestionFactory, SurveyFactory

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the sliced path is PostgreSQL's")

HORIZON = 90
# Days before a moment that are window edges, and a microsecond either side of some.
EDGES = [0, 90, 180, 365, 730]


def _history(rng: random.Random) -> None:
    now = NOW
    customers = []
    for i in range(40):
        acquired_days = 30 if i == 1 else rng.choice([100, 200, 400, 800, 1200])  # 1: after every training moment
        churned_days = rng.choice([d for d in (10, 95, 185, 275, 400) if d < acquired_days])
        acquired = None if i % 7 == 0 else now - timedelta(days=acquired_days)
        churned = now - timedelta(days=churned_days) if i % 4 == 0 else None
        customers.append(
            Customer.objects.create(external_id=f"X{i}", name=f"X {i}", acquired_at=acquired, churned_at=churned)
        )
    # The last few never answer, are never invited, never visit, never buy.
    quiet = customers[-4:]
    active = customers[:-4]
    touchpoint = TouchpointFactory()
    survey = SurveyFactory(touchpoint=touchpoint)
    relationship = SurveyFactory(touchpoint=None)
    nps = QuestionFactory(survey=relationship, kind=Question.Kind.NPS)
    second_nps = QuestionFactory(survey=relationship, kind=Question.Kind.NPS)
    scored = [
        QuestionFactory(survey=survey, kind=Question.Kind.CSAT),
        QuestionFactory(survey=survey, kind=Question.Kind.CES),
        QuestionFactory(survey=survey, kind=Question.Kind.RATING, scale_max=10),
    ]
    text = QuestionFactory(survey=survey, kind=Question.Kind.SHORT_TEXT)
    ranges = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7), "rating": (1, 10)}

    def edge_times() -> list:
        """Moments (horizons ago) minus an edge, exactly and a microsecond either side."""
        k = rng.randrange(5)
        edge = now - timedelta(days=k * HORIZON + rng.choice(EDGES))
        return [edge, edge + timedelta(microseconds=1), edge - timedelta(microseconds=1)]

    for customer in active:
        for _ in range(rng.randrange(2, 12)):
            at = rng.choice([now - timedelta(days=rng.uniform(0, 1100)), *edge_times()])
            if rng.random() < 0.5:
                response = Response.objects.create(survey=relationship, customer=customer, submitted_at=at)
                Answer.objects.create(response=response, question=nps, value=rng.randint(0, 10))
                if rng.random() < 0.3:  # two NPS answers at the same time: the higher counts as the last
                    Answer.objects.create(response=response, question=second_nps, value=rng.randint(0, 10))
            else:
                response = Response.objects.create(
                    survey=survey, touchpoint=touchpoint, customer=customer, submitted_at=at
                )
                for question in rng.sample(scored, rng.randint(1, 3)):
                    low, high = ranges[question.kind]
                    value = rng.randint(low, high) if rng.random() < 0.9 else None  # a skipped question
                    Answer.objects.create(response=response, question=question, value=value)
                Answer.objects.create(response=response, question=text, text="words")
    # An answer of nobody in particular, and one in the future (after now): neither counts.
    anonymous = Response.objects.create(survey=relationship, customer=None, submitted_at=now - timedelta(days=5))
    Answer.objects.create(response=anonymous, question=nps, value=0)
    future = Response.objects.create(
        survey=relationship, customer=active[0], submitted_at=now + timedelta(microseconds=1)
    )
    Answer.objects.create(response=future, question=nps, value=0)

    campaigns = [Campaign.objects.create(survey=relationship, name=f"Relationship {i}") for i in range(3)]
    for i, customer in enumerate(active * 3):
        at = rng.choice([now - timedelta(days=rng.uniform(0, 800)), *edge_times()])
        Invitation.objects.create(
            campaign=campaigns[i // len(active)],
            customer=customer,
            status=rng.choice([Invitation.Status.SENT, Invitation.Status.RESPONDED]),
            sent_at=at if i % 9 else None,  # never sent: not counted
        )
    for i in range(150):
        at = rng.choice([now - timedelta(days=rng.uniform(0, 500)), *edge_times()])
        TouchpointEvent.objects.create(
            external_id=f"E{i}",
            touchpoint=touchpoint,
            kind=TouchpointEvent.Kind.VISIT,
            customer=rng.choice([*active, None]),
            occurred_at=at,
        )
    for i in range(150):
        at = rng.choice([now - timedelta(days=rng.uniform(0, 500)), *edge_times()])
        Transaction.objects.create(
            external_id=f"T{i}",
            customer=rng.choice(active),
            # Refunds too: a window's revenue below zero counts as none.
            amount=Decimal(rng.randrange(-20_000, 100_000)) / 100,
            occurred_at=at,
        )
    assert quiet


@postgresql_only
@pytest.mark.django_db
@pytest.mark.parametrize(("seed", "per_part"), [(1, 250_000), (2, 5)])
def test_sliced_features_are_the_generic_paths(seed, per_part, monkeypatch):
    """The same features, whether the answers are read in one part or in parts of 5 responses."""
    from decisions.services import scores

    monkeypatch.setattr(scores, "RESPONSES_PER_PART", per_part)
    _history(random.Random(seed))
    at = moments(now=NOW.timestamp(), horizon=HORIZON)
    sliced = history_sliced(at)
    generic = history_load()
    for t in at:
        ids, x = features_at(generic, t)
        sliced_ids, sliced_x = sliced.features(t)
        assert ids.tolist() == sliced_ids.tolist(), t
        for j, name in enumerate(FEATURES):
            assert np.allclose(x[:, j], sliced_x[:, j], rtol=1e-12, atol=1e-9), (name, (NOW.timestamp() - t) / DAY)
    # The history has every case in it, now and at the earliest moment.
    ids, x = features_at(generic, at[-1])
    column = {name: x[:, j] for j, name in enumerate(FEATURES)}
    assert (column["no_scores"] == 1).any() and (column["no_scores"] == 0).any()
    assert (column["revenue_365"] == 0).any() and (column["revenue_365"] > 0).any()
    newcomer = Customer.objects.get(external_id="X1").pk
    assert newcomer in ids and newcomer not in features_at(generic, at[0])[0]
    left = Customer.objects.filter(churned_at__gt=NOW - timedelta(days=HORIZON)).values_list("pk", flat=True)
    assert left and not set(left) & set(ids.tolist())
    assert set(left) <= set(features_at(generic, at[3])[0].tolist())


def test_reasons_are_the_features_adding_most_to_the_risk_worked_out_from_the_stored_values():
    scaling = {
        "features": ["a", "b", "c", "d", "e"],
        "mean": [1.0, 0.0, 10.0, 0.0, 0.0],
        "scale": [2.0, 1.0, 5.0, 1.0, 1.0],
        "coef": [-1.0, 0.5, 2.0, 0.0004, 3.0],
    }
    features = np.array([-3.0, 4.0, 12.5, 1.0, -0.2], dtype="<f8").tobytes()
    # Log-odds added: a (−3 − 1) / 2 × −1 = 2, b 2, c 1, d 0.0004 (rounds to 0: not a reason), e −0.6.
    assert risk_reasons(features, scaling) == [
        {"feature": "a", "direction": "low", "value": -3.0, "contribution": 2.0},
        {"feature": "b", "direction": "high", "value": 4.0, "contribution": 2.0},
        {"feature": "c", "direction": "high", "value": 12.5, "contribution": 1.0},
    ]
    nothing = np.array([1.0, -1.0, 10.0, -1.0, -1.0], dtype="<f8").tobytes()  # none adds to the risk
    assert risk_reasons(nothing, scaling) == []
    assert risk_reasons(b"", scaling) == [] and risk_reasons(features, {}) == []  # written before features were
