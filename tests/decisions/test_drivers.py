"""Key drivers recover a planted driver, find none in noise, and refuse when too few customers answered."""

from datetime import date

import numpy as np
import pytest
from django.db import connection
from django.urls import reverse

from decisions.services.drivers import bootstrap_weights, drivers_analyse, relative_weights
from tests.decisions.factories import AT, driver_world

pytestmark = pytest.mark.django_db
PERIOD = {"date_from": date(2026, 1, 1), "date_to": date(2026, 3, 31)}


def test_planted_driver_is_found_first_and_alone():
    world = driver_world(300, planted=True)
    analysis = drivers_analyse(kpi="nps", **PERIOD)
    assert not analysis.refused
    first = analysis.drivers[0]
    assert (first.kind, first.id) == ("touchpoint", world["delivery"].pk)
    assert first.significant and first.importance_low > 0.3
    assert [d.name for d in analysis.drivers if d.significant] == ["Delivery"]
    assert first.n == 300
    # Its share of R² dominates and the shares add up to R².
    assert first.importance > 0.8 * analysis.r_squared
    assert sum(d.importance for d in analysis.drivers) == pytest.approx(analysis.r_squared)


def test_noise_has_no_driver():
    driver_world(300, planted=False, seed=7)
    analysis = drivers_analyse(kpi="nps", **PERIOD)
    assert not analysis.refused
    assert len(analysis.drivers) == 3
    assert not any(d.significant for d in analysis.drivers)
    assert analysis.r_squared < 0.05


def test_too_few_customers_are_refused_with_a_message(manager_client):
    driver_world(12, planted=True)
    analysis = drivers_analyse(kpi="nps", **PERIOD)
    assert analysis.refused == "too_few_customers" and analysis.drivers == []
    page = manager_client.get(reverse("decisions:drivers"), {"date_from": "2026-01-01", "date_to": "2026-03-31"})
    assert page.status_code == 200
    assert "Too few customers for a driver analysis: 12" in page.content.decode()


def test_page_shows_chart_and_verdicts(manager_client):
    driver_world(200, planted=True)
    page = manager_client.get(reverse("decisions:drivers"), {"date_from": "2026-01-01", "date_to": "2026-03-31"})
    html = page.content.decode()
    assert "data-cx-chart" in html
    assert "within noise" in html
    assert "Fix first" in html or "Keep it up" in html


def test_page_in_german(manager_client, manager):
    driver_world(12, planted=True)
    page = manager_client.get(
        reverse("decisions:drivers"),
        {"date_from": "2026-01-01", "date_to": "2026-03-31"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert "Zu wenige Kunden für eine Treiberanalyse: 12" in page.content.decode()


def test_api_answers_in_the_design_shape(api_client_for):
    world = driver_world(200, planted=True)
    client = api_client_for(["metrics:read"])
    response = client.get("/api/v1/drivers/", {"kpi": "nps", "from": "2026-01-01", "to": "2026-03-31"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["n"] == 200 and body["refused"] is None
    first = body["results"][0]
    assert first["type"] == "touchpoint" and first["id"] == world["delivery"].pk
    assert set(first) >= {"importance", "importance_ci", "performance", "n", "p_value", "significant", "quadrant"}


def test_api_refuses_bad_range(api_client_for):
    client = api_client_for(["metrics:read"])
    response = client.get("/api/v1/drivers/", {"from": "2026-04-01", "to": "2026-03-31"})
    assert response.status_code == 400
    response = api_client_for(["journeys:read"]).get("/api/v1/drivers/")
    assert response.status_code == 403


def _complaints(seed: int, *, planted: bool):
    """Every customer of a noise world comments once in the period; with ``planted`` the customers with a low
    relationship NPS complain about "Lieferzeit" (nine in ten, against one in ten of the others), otherwise a
    third complain at random. A second topic, "Rechnung", is mentioned neutrally by half of them."""
    from surveys.models import Answer, Question
    from voice.models import FeedbackItem, Sentiment, Topic

    rng = np.random.default_rng(seed)
    delivery = Topic.objects.create(key="lieferzeit", language="de", label="Lieferzeit")
    invoice = Topic.objects.create(key="rechnung", language="de", label="Rechnung")
    scores = Answer.objects.filter(question__kind=Question.Kind.NPS).values_list("response__customer_id", "value")
    for customer_id, score in scores:
        complains = rng.random() < ((0.9 if score <= 4 else 0.1) if planted else 0.33)
        item = FeedbackItem.objects.create(
            text="Lieferzeit zu lang" if complains else "Alles gut",
            customer_id=customer_id,
            occurred_at=AT,
            sentiment=Sentiment.NEGATIVE if complains else Sentiment.POSITIVE,
            sentiment_score=-0.6 if complains else 0.5,
        )
        if complains:
            item.topics.add(delivery)
        if rng.random() < 0.5:
            item.topics.add(invoice)
    return delivery, invoice


def test_voice_topic_is_found_as_a_driver_when_complaints_go_with_low_scores(api_client_for, manager_client):
    driver_world(300, planted=False, seed=5)
    delivery, invoice = _complaints(11, planted=True)

    analysis = drivers_analyse(kpi="nps", **PERIOD)

    by_id = {(d.kind, d.id): d for d in analysis.drivers}
    topic = by_id[("topic", delivery.pk)]
    assert topic.significant and analysis.drivers[0] is topic
    assert topic.name == "Lieferzeit" and topic.n == Topic_mentions(delivery)
    assert not by_id[("topic", invoice.pk)].significant  # mentioned, never complained about
    # Performance: the share of commenting customers who did not complain about it.
    assert topic.performance == pytest.approx(100 * (1 - Topic_mentions(delivery) / 300))
    body = api_client_for(["metrics:read"]).get("/api/v1/drivers/", {"kpi": "nps", "from": "2026-01-01"}).json()
    assert {"type": "topic", "id": delivery.pk, "name": "Lieferzeit"}.items() <= body["results"][0].items()
    page = manager_client.get(reverse("decisions:drivers"), {"date_from": "2026-01-01", "date_to": "2026-03-31"})
    assert "Voice topic: Lieferzeit" in page.content.decode()


def test_voice_topics_in_noise_are_not_drivers():
    driver_world(300, planted=False, seed=5)
    _complaints(12, planted=False)
    analysis = drivers_analyse(kpi="nps", **PERIOD)
    assert [d for d in analysis.drivers if d.kind == "topic"]
    assert not any(d.significant for d in analysis.drivers)


def Topic_mentions(topic) -> int:  # noqa: N802 - reads like the figure it is
    return topic.items.values("customer_id").distinct().count()


def test_bootstrap_from_row_counts_equals_resampling_the_rows():
    rng = np.random.default_rng(5)
    x = np.column_stack([rng.normal(50, 20, 400), rng.integers(1, 6, 400) * 20.0, np.full(400, 75.0)])
    x[:, 1] += 0.5 * x[:, 0]  # drivers that move together
    y = 0.05 * x[:, 0] + rng.normal(0, 2, 400)
    draws = np.random.default_rng(7)
    resampled = [relative_weights(x[rows], y[rows]) for rows in (draws.integers(0, 400, 400) for _ in range(30))]
    weights = bootstrap_weights(x, y, rng=np.random.default_rng(7), resamples=30)
    assert np.allclose(weights, resampled, rtol=1e-9, atol=1e-12)
    assert (weights[:, 2] == 0).all()  # a driver everybody scores alike explains nothing


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the numpy grouping is PostgreSQL's path")
@pytest.mark.parametrize("per_part", [250_000, 7, 1])
def test_inputs_summed_in_numpy_are_the_inputs_grouped_in_sql(per_part, monkeypatch):
    """On PostgreSQL the answers cross as they are stored and are grouped in numpy, a part of the responses at a
    time; the SQL grouping (the other databases' path) gives the same customers, scores, drivers and
    performances, in any period and however the parts fall."""
    from decisions.services import driver_inputs as inputs
    from decisions.services import scores
    from surveys.models import Question
    from tests.decisions.factories import answers, customers, survey_with

    world = driver_world(40, planted=True)
    # Beside the world: a touchpoint survey with two questions (one group), answers outside the period, a customer
    # with only touchpoint answers and a response without a customer.
    survey, second = survey_with(Question.Kind.CES, touchpoint=world["delivery"], title="Delivery effort")
    loner, old = customers(2)
    answers([(survey, second, loner, 5, AT), (survey, second, old, 2, AT.replace(year=2025))])
    answers([(survey, second, None, 7, AT)])
    monkeypatch.setattr(scores, "RESPONSES_PER_PART", per_part)
    numpy_path = [inputs.driver_inputs(kpi=k, **p) for k in ("nps", "csat") for p in (PERIOD, {}, _NOTHING)]
    monkeypatch.setattr(connection, "vendor", "sqlite")  # the same SQL runs on PostgreSQL
    sql_path = [inputs.driver_inputs(kpi=k, **p) for k in ("nps", "csat") for p in (PERIOD, {}, _NOTHING)]
    assert len(numpy_path[0].customers) == 40 and not len(numpy_path[2].customers)
    for mine, theirs in zip(numpy_path, sql_path, strict=True):
        assert mine.customers.tolist() == theirs.customers.tolist()
        assert np.allclose(mine.y, theirs.y, rtol=1e-12)
        assert [c[:2] for c in mine.columns] == [c[:2] for c in theirs.columns]
        for a, b in zip(mine.columns, theirs.columns, strict=True):
            assert np.allclose(a[2], b[2], rtol=1e-12) and a[3].tolist() == b[3].tolist()
            assert a[4] == pytest.approx(b[4], rel=1e-12)


_NOTHING = {"date_from": date(2020, 1, 1), "date_to": date(2020, 1, 31)}  # no answers at all


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the parts are PostgreSQL's path")
def test_a_period_reads_only_the_parts_that_hold_its_responses(monkeypatch):
    from datetime import timedelta

    from decisions.services import scores
    from surveys.models import Response
    from tests.decisions.factories import customers, survey_with

    survey, _question = survey_with("nps")
    (person,) = customers(1)
    days = [AT - timedelta(days=400), AT - timedelta(days=1), AT, AT + timedelta(days=400)]
    ids = [Response.objects.create(survey=survey, customer=person, submitted_at=day).pk for day in days]
    monkeypatch.setattr(scores, "RESPONSES_PER_PART", 1)
    parts = scores.response_parts(since=AT - timedelta(days=2), until=AT + timedelta(days=1))
    assert parts[0][0] == ids[1] and parts[-1][1] == ids[2] + 1  # the two in the period, nothing around them
    assert scores.response_parts(since=AT + timedelta(days=500)) == []
    everything = scores.response_parts()
    assert everything[0][0] == ids[0] and everything[-1][1] == ids[-1] + 1
