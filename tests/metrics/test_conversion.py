"""Conversion rate from touchpoint events: hand-computed values per scope, time-zone edge, recompute trigger."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from metrics import selectors
from metrics.kpis import Stats, compute
from metrics.models import KpiSnapshot, TouchpointEvent
from metrics.services import snapshots_recompute, snapshots_recompute_if_changed
from tests.journeys.factories import CustomerFactory, PersonaFactory, TouchpointFactory

BERLIN = ZoneInfo("Europe/Berlin")
MAY = {"date_from": date(2025, 5, 1), "date_to": date(2025, 5, 31)}


def add(touchpoint, kind, count, when, *, customer=None, prefix="x"):
    start = TouchpointEvent.objects.count()
    TouchpointEvent.objects.bulk_create(
        TouchpointEvent(
            external_id=f"{prefix}{start + i}", touchpoint=touchpoint, kind=kind, customer=customer, occurred_at=when
        )
        for i in range(count)
    )


@pytest.fixture
def events(db):
    """Checkout: 4 visits + 1 conversion on 10 May, 6 visits + 2 conversions on 11 May (by a persona's
    customer) → 10 visits, 3 conversions. Landing page (another channel): 5 visits, 0 conversions. A visit at
    23:30 Berlin on 31 May is May's; one at 00:30 on 1 June is June's."""
    persona = PersonaFactory()
    customer = CustomerFactory(persona=persona)
    checkout = TouchpointFactory(name="Checkout", channel="website")
    landing = TouchpointFactory(name="Landing", channel="advertising")
    add(checkout, "visit", 4, datetime(2025, 5, 10, 9, tzinfo=BERLIN))
    add(checkout, "conversion", 1, datetime(2025, 5, 10, 9, tzinfo=BERLIN))
    add(checkout, "visit", 6, datetime(2025, 5, 11, 9, tzinfo=BERLIN), customer=customer)
    add(checkout, "conversion", 2, datetime(2025, 5, 11, 9, tzinfo=BERLIN), customer=customer)
    add(landing, "visit", 4, datetime(2025, 5, 12, 9, tzinfo=BERLIN))
    add(landing, "visit", 1, datetime(2025, 5, 31, 23, 30, tzinfo=BERLIN))
    add(landing, "visit", 1, datetime(2025, 6, 1, 0, 30, tzinfo=BERLIN))
    snapshots_recompute()
    return {"checkout": checkout, "landing": landing, "persona": persona}


def total(kpi="conversion_rate", **scope):
    return selectors.kpi_series(kpi=kpi, **scope, **MAY)["total"]


def test_formula():
    assert compute("conversion_rate", Stats(n=10, count_a=3)).value == 30.0
    assert compute("conversion_rate", Stats(n=0, count_a=2)).value is None  # no visits → null


def test_company(events):
    result = total()
    assert (result.value, result.n) == (20.0, 15)  # 3 of 15


def test_touchpoint_stage_map_and_channel(events):
    tp = events["checkout"]
    assert total(scope_type="touchpoint", scope_key=str(tp.pk)).value == 30.0
    assert total(scope_type="stage", scope_key=str(tp.stage_id)).value == 30.0
    assert total(scope_type="map", scope_key=str(tp.stage.journey_map_id)).value == 30.0
    assert total(scope_type="channel", scope_key="website").value == 30.0
    landing = total(scope_type="touchpoint", scope_key=str(events["landing"].pk))
    assert (landing.value, landing.n) == (0.0, 5)


def test_persona_via_the_events_customer(events):
    result = total(scope_type="persona", scope_key=str(events["persona"].pk))
    assert (result.value, result.n) == (33.3, 6)  # 2 of 6


def test_a_touchpoint_without_visits_is_null(events):
    lonely = TouchpointFactory()
    add(lonely, "conversion", 1, datetime(2025, 5, 3, 9, tzinfo=BERLIN), prefix="l")
    snapshots_recompute()
    result = total(scope_type="touchpoint", scope_key=str(lonely.pk))
    assert (result.value, result.n) == (None, 0)


def test_month_buckets_respect_the_local_day(events):
    cells = KpiSnapshot.objects.filter(
        kpi="conversion_rate", scope_type="touchpoint", scope_key=str(events["landing"].pk), bucket="month"
    )
    assert [(c.period_start, c.n) for c in cells] == [(date(2025, 5, 1), 5), (date(2025, 6, 1), 1)]


def test_new_events_trigger_a_recompute(events):
    assert snapshots_recompute_if_changed() is None

    add(events["checkout"], "conversion", 1, datetime(2025, 5, 20, 9, tzinfo=BERLIN), prefix="new")

    assert snapshots_recompute_if_changed() is not None
    assert total(scope_type="touchpoint", scope_key=str(events["checkout"].pk)).value == 40.0
    assert snapshots_recompute_if_changed() is None


def test_api_answers_and_refuses_the_survey_scope(api_client, events):
    ok = api_client.get(
        "/api/v1/metrics/",
        {"kpi": "conversion_rate", "touchpoint": events["checkout"].pk, "from": "2025-05-01", "to": "2025-05-31"},
    )
    assert ok.json()["total"] == {"value": 30.0, "n": 10, "margin_of_error": None}
    refused = api_client.get("/api/v1/metrics/", {"kpi": "conversion_rate", "survey": 1})
    assert refused.status_code == 400
    assert refused.json() == {"kpi": ["KPI conversion_rate is not available for scope survey."]}
