"""Key drivers recover a planted driver, find none in noise, and refuse when too few customers answered."""

from datetime import date

import pytest
from django.urls import reverse

from decisions.services.drivers import drivers_analyse
from tests.decisions.factories import driver_world

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
