"""The trends page: a line per KPI with its 95 % band, NPS as stacked categories, constant queries."""

from datetime import date

from metrics import charts
from metrics.kpis import Stats, nps
from metrics.selectors import dashboards
from metrics.services import snapshots_recompute
from tests.helpers import assert_signed_in_staff_only, get_queries
from tests.journeys.factories import TouchpointFactory
from tests.metrics.factories import add_answers, nps_question_at

URL = "/dashboards/trends/"
SPRING = {"kpi": "nps", "from": "2026-04-01", "to": "2026-05-31", "bucket": "month"}


def _series(**kwargs):
    params = {
        "kpis": ["nps"],
        "scope_type": "company",
        "scope_key": "",
        "date_from": date(2026, 4, 1),
        "date_to": date(2026, 5, 31),
        "bucket": "month",
    }
    return dashboards.trends(**{**params, **kwargs})


def test_selector_gives_value_margin_n_and_nps_categories(april_and_may):
    april, may = _series()["nps"]

    assert (april["period_start"], april["value"], april["n"]) == (date(2026, 4, 1), 40.0, 10)
    assert april["margin_of_error"] == nps(Stats(n=10, count_a=6, count_b=2, count_c=2)).margin_of_error
    assert (april["promoters"], april["passives"], april["detractors"]) == (6, 2, 2)
    assert (april["promoters_share"], april["passives_share"], april["detractors_share"]) == (60.0, 20.0, 20.0)
    assert (may["value"], may["n"], may["promoters"], may["passives"], may["detractors"]) == (66.7, 12, 9, 2, 1)
    assert may["promoters_share"] == 75.0 and may["enough"]


def test_scope_without_the_kpi_is_marked_unavailable(april_and_may):
    assert _series(kpis=["nps", "churn_rate"], scope_type="touchpoint", scope_key="1")["churn_rate"] is None


def test_band_traces_surround_the_line():
    points = _series_points()
    fig = charts.trend_figure("nps", points, bucket="month")

    lower, upper, line = fig.data
    assert upper.name == "95 % margin" and upper.fill == "tonexty" and upper.showlegend is not False
    assert lower.showlegend is False
    assert list(line.y) == [40.0, 66.7]
    assert list(upper.y) == [40.0 + 10.0, 66.7 + 8.0]
    assert list(lower.y) == [40.0 - 10.0, 66.7 - 8.0]
    assert [c[0] for c in line.customdata] == [10, 12]
    assert "n=%{customdata[0]}" in line.hovertemplate


def _series_points():
    return [
        {"period_start": date(2026, 4, 1), "value": 40.0, "n": 10, "margin_of_error": 10.0, "enough": True},
        {"period_start": date(2026, 5, 1), "value": 66.7, "n": 12, "margin_of_error": 8.0, "enough": True},
        {"period_start": date(2026, 6, 1), "value": 0.0, "n": 3, "margin_of_error": 50.0, "enough": False},
    ]


def test_non_additive_kpi_has_no_band():
    points = [{"period_start": date(2026, 4, 1), "value": 5.0, "n": 40, "margin_of_error": None, "enough": True}]
    fig = charts.trend_figure("churn_rate", points, bucket="month")
    assert len(fig.data) == 1 and fig.data[0].fill is None


def test_nps_stacked_bars_carry_counts_and_shares(april_and_may):
    fig = charts.nps_stack_figure(_series()["nps"], bucket="month")

    assert fig.layout.barmode == "stack"
    bars = {trace.name: trace for trace in fig.data}
    assert list(bars["Promoters (9–10)"].y) == [6, 9]
    assert list(bars["Passives (7–8)"].y) == [2, 2]
    assert list(bars["Detractors (0–6)"].y) == [2, 1]
    assert [c[0] for c in bars["Promoters (9–10)"].customdata] == [60.0, 75.0]
    assert list(bars["Detractors (0–6)"].text) == ["2", "1"]


def test_page_shows_charts_and_table(client, manager, april_and_may):
    client.force_login(manager)

    response = client.get(URL, {**SPRING, "kpi": ["nps", "csat", "churn_rate"]})

    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="trend-nps"' in content and 'id="trend-csat"' in content and 'id="trend-churn_rate"' in content
    assert "95 % margin" in content and "tonexty" in content
    assert "Promoters (9" in content and "Detractors (0" in content
    assert '<time datetime="2026-04-01">Apr 2026</time>' in content
    assert "6 (60.0 %)" in content and "9 (75.0 %)" in content
    assert "plotly.min.js" in content


def test_low_n_bucket_is_marked_not_drawn(client, manager, april_and_may, settings):
    settings.CX_MIN_SAMPLE_SIZE = 11
    client.force_login(manager)
    content = client.get(URL, SPRING).content.decode()
    assert "not enough responses" in content
    fig = charts.trend_figure("nps", _series()["nps"], bucket="month")
    assert list(fig.data[-1].y) == [66.7]


def test_scope_filter_and_bad_filters(client, manager, april_and_may):
    client.force_login(manager)
    touchpoint = april_and_may.survey.touchpoint
    content = client.get(URL, {**SPRING, "touchpoint": touchpoint.pk}).content.decode()
    assert "9 (75.0 %)" in content
    assert f"scope: Web shop ({touchpoint.stage.journey_map.name})." in content  # a name, not "touchpoint 8"
    content = client.get(URL, {**SPRING, "map": touchpoint.stage.journey_map_id, "channel": "website"}).content.decode()
    assert "Choose at most one scope" in content
    content = client.get(URL, {**SPRING, "from": "2026-06-01"}).content.decode()
    assert "“From” must not be after “To”." in content


def test_permissions(client, django_user_model, sales_member, db):
    nobody = django_user_model.objects.create_user("nobody")
    assert_signed_in_staff_only(client, URL, nobody=nobody, member=sales_member)


def test_query_count_does_not_grow_with_the_answers(client, manager, db):
    client.force_login(manager)
    question = nps_question_at(TouchpointFactory())
    params = {"kpi": ["nps", "csat", "ces", "churn_rate"], "from": "2026-01-01", "to": "2026-06-30", "bucket": "week"}
    add_answers(question, [10, 3] * 5, date(2026, 3, 3))
    snapshots_recompute()
    few = get_queries(client, URL, params)

    for month in range(1, 7):
        add_answers(question, [10, 8, 3, 9, 0] * 16, date(2026, month, 11))
    snapshots_recompute()
    many = get_queries(client, URL, params)

    assert many == few
