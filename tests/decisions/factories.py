"""Synthetic histories with a known answer: a planted driver, a planted churn signal, or only noise."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from journeys.models import Customer
from surveys.models import Answer, Question, Response, Survey
from tests.journeys.factories import TouchpointFactory

AT = datetime(2026, 3, 10, 12, tzinfo=ZoneInfo("Europe/Berlin"))


def customers(count: int, **fields) -> list[Customer]:
    start = Customer.objects.count()
    return Customer.objects.bulk_create(
        [Customer(external_id=f"S-{start + i:06d}", name=f"Synthetic {start + i}", **fields) for i in range(count)]
    )


def survey_with(kind: str, *, touchpoint=None, title: str = "", scale_max: int | None = None):
    survey = Survey.objects.create(title=title or f"{kind} survey", touchpoint=touchpoint)
    question = Question.objects.create(
        survey=survey, kind=kind, text=title or kind, position=0, **({"scale_max": scale_max} if scale_max else {})
    )
    return survey, question


def answers(rows):
    """``rows``: (survey, question, customer, value, at) — stored with one response each."""
    responses = Response.objects.bulk_create(
        [Response(survey=s, customer=c, touchpoint=s.touchpoint, submitted_at=at) for s, _, c, _, at in rows]
    )
    Answer.objects.bulk_create(
        [Answer(response=r, question=q, value=int(v)) for r, (_, q, _, v, _) in zip(responses, rows, strict=True)]
    )


def driver_world(n: int, *, planted: bool, seed: int = 1):
    """n customers; relationship NPS, CSAT at touchpoints "Delivery" and "Billing", a "Price" rating.

    With ``planted`` the NPS follows the delivery CSAT (plus noise); otherwise it is independent of everything.
    """
    rng = np.random.default_rng(seed)
    people = customers(n)
    rel, nps = survey_with(Question.Kind.NPS, title="Relationship NPS")
    _, price = survey_with(Question.Kind.RATING, title="Price", scale_max=5)
    price_survey = price.survey
    delivery_tp = TouchpointFactory(name="Delivery")
    billing_tp = TouchpointFactory(name="Billing")
    delivery_survey, delivery = survey_with(Question.Kind.CSAT, touchpoint=delivery_tp, title="Delivery CSAT")
    billing_survey, billing = survey_with(Question.Kind.CSAT, touchpoint=billing_tp, title="Billing CSAT")
    rows = []
    for person in people:
        d, b, p = rng.integers(1, 6, size=3)
        score = 2.5 * (d - 1) + rng.normal(0, 1.5) if planted else rng.integers(0, 11)
        rows += [
            (rel, nps, person, int(np.clip(round(score), 0, 10)), AT),
            (delivery_survey, delivery, person, d, AT - timedelta(days=3)),
            (billing_survey, billing, person, b, AT - timedelta(days=3)),
            (price_survey, price, person, p, AT),
        ]
    answers(rows)
    return {"delivery": delivery_tp, "billing": billing_tp, "price": price}


NOW = datetime(2026, 6, 1, 12, tzinfo=ZoneInfo("Europe/Berlin"))


def churn_world(n: int, *, seed: int = 3):
    """n customers since two years; a third are unhappy (low NPS every 45 days) and most of them leave.

    Unhappy customers churn with 80 % at a random moment of the last 400 days, happy ones with 10 %; nobody
    answers after leaving. The NPS level is the planted signal.
    """
    rng = np.random.default_rng(seed)
    unhappy = rng.random(n) < 0.33
    leaves = rng.random(n) < np.where(unhappy, 0.8, 0.1)
    churn_days_ago = rng.uniform(0, 400, n)
    people = customers(n, acquired_at=NOW - timedelta(days=730))
    for person, left, days in zip(people, leaves, churn_days_ago, strict=True):
        if left:
            person.churned_at = NOW - timedelta(days=float(days))
    Customer.objects.bulk_update(people, ["churned_at"])
    survey, question = survey_with(Question.Kind.NPS, title="Relationship NPS")
    rows = []
    for person, sad in zip(people, unhappy, strict=True):
        at = NOW - timedelta(days=600 - float(rng.uniform(0, 45)))
        end = person.churned_at or NOW
        while at < end:
            score = rng.integers(0, 6) if sad else rng.integers(7, 11)
            rows.append((survey, question, person, score, at))
            at += timedelta(days=45)
    answers(rows)
    return people
