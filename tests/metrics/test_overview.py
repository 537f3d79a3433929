"""The overview: a card per KPI with value, change against the previous period, target status; constant queries."""

import re
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from metrics.kpis import REGISTRY
from metrics.selectors import dashboards
from metrics.services import snapshots_recompute, targets
from tests.journeys.factories import StageFactory, TouchpointFactory
from tests.metrics.factories import add_answers, nps_question_at

URL = "/dashboards/"
MAY = {"date_from": "2026-05-01", "date_to": "2026-05-31", "bucket": "month"}


def card(content: str, kpi: str) -> str:
    return re.search(rf'<section class="card kpi-card h-100" id="card-{kpi}".*?</section>', content, re.S).group(0)


def test_card_per_kpi_with_value_change_and_target(client, manager, april_and_may):
    targets.target_create(kpi="nps", value=70)
    client.force_login(manager)

    content = client.get(URL, MAY).content.decode()

    for kpi in REGISTRY:
        if dashboards.available_in(kpi, "company"):
            assert f'id="card-{kpi}"' in content
    nps = card(content, "nps")
    assert '<span class="kpi-value">66.7</span>' in nps
    assert '<span class="kpi-n">12</span>' in nps
    assert "+26.7 against the previous period" in nps
    assert "below target (≥ 70)" in nps and 'data-status="missed"' in nps
    assert "no target" in card(content, "csat") and "No data in this period." in card(content, "csat")


def test_cards_selector_numbers(april_and_may):
    cards = {
        c.kpi: c
        for c in dashboards.overview_cards(
            scope_type="company", scope_key="", date_from=date(2026, 5, 1), date_to=date(2026, 5, 31), bucket="month"
        )
    }
    assert (cards["nps"].current.value, cards["nps"].previous.value, cards["nps"].change) == (66.7, 40.0, 26.7)
    assert cards["nps"].status == "no_target"
    # The sparkline leads up to the period: April's value, then May's.
    assert [p["value"] for p in cards["nps"].spark] == [40.0, 66.7]


def test_target_met_and_not_enough_responses(client, manager, april_and_may, settings):
    targets.target_create(kpi="nps", value=50)
    client.force_login(manager)
    assert "target met (≥ 50)" in card(client.get(URL, MAY).content.decode(), "nps")

    settings.CX_MIN_SAMPLE_SIZE = 20
    nps = card(client.get(URL, MAY).content.decode(), "nps")
    assert "Not enough responses (n = 12, at least 20 needed)." in nps
    assert "kpi-value" not in nps and "not enough data" in nps


def test_scope_filter_and_only_one_scope(client, manager, april_and_may):
    client.force_login(manager)
    stage = april_and_may.survey.touchpoint.stage
    content = client.get(URL, {**MAY, "map": stage.journey_map_id}).content.decode()
    assert '<span class="kpi-value">66.7</span>' in card(content, "nps")
    content = client.get(URL, {**MAY, "map": stage.journey_map_id, "channel": "website"}).content.decode()
    assert "Choose at most one of journey map, persona and channel." in content


def test_overview_queries_do_not_grow_with_the_data(client, manager, db):
    client.force_login(manager)

    def count() -> int:
        snapshots_recompute()
        client.get(URL, MAY)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, MAY).status_code == 200
        return len(ctx)

    add_answers(nps_question_at(TouchpointFactory()), [10, 3] * 5, date(2026, 5, 4))
    small = count()
    for i in range(20):
        add_answers(nps_question_at(TouchpointFactory(stage=StageFactory())), [i % 11] * 25, date(2026, 5, 1 + i))
    targets.target_create(kpi="nps", value=10)
    assert count() == small


def test_card_links_go_to_the_trends_and_breakdown_pages_with_the_period_and_scope(client, manager, april_and_may):
    client.force_login(manager)
    stage = StageFactory()

    content = client.get(URL, {**MAY, "map": stage.journey_map_id}).content.decode()

    nps = card(content, "nps")
    assert "/dashboards/kpi/" not in nps
    trend = re.search(r'class="trend-link" href="([^"]+)"', nps).group(1).replace("&amp;", "&")
    assert trend == f"/dashboards/trends/?kpi=nps&from=2026-05-01&to=2026-05-31&bucket=month&map={stage.journey_map_id}"
    breakdown = re.search(r'class="breakdown-link" href="([^"]+)"', nps).group(1).replace("&amp;", "&")
    assert breakdown == (
        f"/dashboards/breakdown/?kpi=nps&by=touchpoint&from=2026-05-01&to=2026-05-31&map={stage.journey_map_id}"
    )
    assert client.get(trend).status_code == client.get(breakdown).status_code == 200
    company = client.get(URL, MAY).content.decode()
    churn = re.search(r'class="breakdown-link" href="([^"]+)"', card(company, "churn_rate")).group(1)
    assert "by=persona" in churn  # churn, retention and CLV exist per persona, not per touchpoint
