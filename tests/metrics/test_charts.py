"""Charts that tell the truth: periods named by their period, no bars below the minimum sample, cards that draw
only what they have, changes judged by the KPI's direction."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from metrics import charts
from metrics.kpis import change_verdict
from metrics.models import KpiSnapshot
from metrics.periods import partial_label, period_label, range_label
from metrics.selectors import dashboards
from metrics.services import snapshots_recompute
from surveys.models import Answer, Response
from tests import chart_html
from tests.journeys.factories import TouchpointFactory
from tests.metrics.factories import add_answers, nps_question_at
from tests.metrics.test_overview import card

BERLIN = ZoneInfo("Europe/Berlin")
URL_OVERVIEW = "/dashboards/"


def _plots(content: str) -> list[dict]:
    """The figures of a page, as plotly's JSON (data and layout)."""
    return chart_html.figures(content)


def test_buckets_are_named_by_their_period():
    assert period_label(date(2026, 11, 1), "month") == "Nov 2026"
    assert period_label(date(2026, 12, 1), "month") == "Dec 2026"
    assert period_label(date(2026, 11, 23), "week") == "Week 48 2026"
    assert period_label(date(2026, 12, 28), "week") == "Week 53 2026"
    assert period_label(date(2026, 10, 1), "quarter") == "Q4 2026"
    assert period_label(date(2026, 11, 30), "day") == "30 Nov 2026"
    with translation.override("de"):
        assert period_label(date(2026, 12, 1), "month") == "Dez 2026"
        assert period_label(date(2026, 11, 23), "week") == "KW 48 2026"


def test_a_range_says_its_length_and_dates():
    today = date(2026, 11, 30)
    assert range_label(date(2026, 9, 2), today, today=today) == "Last 90 days: 2 Sep – 30 Nov 2026"
    assert range_label(date(2025, 12, 1), date(2026, 1, 31), today=today) == "1 Dec 2025 – 31 Jan 2026"


@pytest.fixture
def november_and_december(db):
    """Answers at 00:30 Berlin on 1 Nov and 1 Dec (23:30 UTC the day before): they are November's and December's."""
    question = nps_question_at(TouchpointFactory(name="Web shop"))
    for month, scores in ((11, [10] * 8 + [0, 0]), (12, [9] * 6 + [7] * 4 + [0] * 2)):
        responses = Response.objects.bulk_create(
            Response(survey=question.survey, submitted_at=datetime(2026, month, 1, 0, 30, tzinfo=BERLIN))
            for _ in scores
        )
        Answer.objects.bulk_create(
            Answer(response=r, question=question, value=s) for r, s in zip(responses, scores, strict=True)
        )
    snapshots_recompute()
    return question


def test_monthly_bars_across_november_and_december_carry_their_months(client, manager, november_and_december):
    client.force_login(manager)

    content = client.get(
        "/dashboards/trends/", {"kpi": "nps", "from": "2026-10-01", "to": "2026-12-31", "bucket": "month"}
    ).content.decode()

    line, stack = _plots(content)
    assert line["layout"]["xaxis"]["ticktext"] == ["Nov 2026", "Dec 2026"]
    assert line["layout"]["xaxis"]["tickvals"] == ["2026-11-01", "2026-12-01"]
    assert [c[2] for c in line["data"][-1]["customdata"]] == ["Nov 2026", "Dec 2026"]
    assert stack["data"][0]["x"] == ["Nov 2026", "Dec 2026"] and stack["data"][0]["y"] == [8, 6]
    assert '<time datetime="2026-11-01">Nov 2026</time>' in content
    assert "Oct 31" not in content and "Nov 30" not in content


def test_weekly_ticks_name_iso_weeks(november_and_december):
    points = dashboards.trends(
        kpis=["nps"],
        scope_type="company",
        scope_key="",
        date_from=date(2026, 10, 26),
        date_to=date(2026, 12, 6),
        bucket="week",
    )["nps"]
    fig = charts.trend_figure("nps", points, bucket="week")
    assert list(fig.layout.xaxis.ticktext) == ["Week 44 2026", "Week 49 2026"]


@pytest.fixture
def tiny_and_big(db):
    """Web shop: 12 answers → 50.0; Hotline: 2 detractors → −100, below the minimum of 10."""
    add_answers(nps_question_at(TouchpointFactory(name="Web shop")), [10] * 8 + [8, 7, 0, 0], date(2026, 5, 12))
    add_answers(nps_question_at(TouchpointFactory(name="Hotline")), [0, 0], date(2026, 5, 13))
    snapshots_recompute()


def test_dashboard_draws_no_bar_below_the_minimum_sample(client, manager, tiny_and_big):
    client.force_login(manager)
    content = client.get(
        "/dashboards/kpi/", {"kpi": "nps", "date_from": "2026-05-01", "date_to": "2026-05-31", "bucket": "month"}
    ).content.decode()

    bars = next(f for f in _plots(content) if f["data"][0]["type"] == "bar")
    assert bars["data"][0]["x"] == [50.0, None]  # no −100 bar for n = 2
    assert [a["text"] for a in bars["layout"]["annotations"]][1] == "not enough responses (n=2)"
    assert "rows with fewer answers have no bar" in content


def test_card_without_a_value_draws_no_sparkline(client, manager, db):
    """CLV of November is null (nobody churned) while September and October have values: no line under "–"."""
    stats = {"n": 40, "count_b": 39, "count_c": 0, "total": 4000.0}
    for month, churned in ((9, 2), (10, 1), (11, 0)):
        KpiSnapshot.objects.create(
            kpi="clv",
            scope_type="company",
            bucket="month",
            period_start=date(2026, month, 1),
            count_a=churned,
            value=None if churned == 0 else 1000.0 * churned,
            computed_at=timezone.now(),
            **stats,
        )
    client.force_login(manager)

    content = client.get(URL_OVERVIEW, {"date_from": "2026-09-01", "date_to": "2026-11-30", "bucket": "month"})

    clv = card(content.content.decode(), "clv")
    assert "No data in this period." in clv and "Nov 2026" in clv
    assert "sparkline" not in clv and "data-cx-chart" not in clv


def test_change_is_judged_by_the_kpis_direction():
    assert change_verdict("nps", 3.0) == "better"
    assert change_verdict("nps", -3.0) == "worse"
    assert change_verdict("churn_rate", -1.5) == "better"
    assert change_verdict("churn_rate", 1.5) == "worse"
    assert change_verdict("csat", 0) == "same" and change_verdict("csat", None) is None


def test_falling_and_rising_nps_look_different(client, manager, db):
    question = nps_question_at(TouchpointFactory(name="Web shop"))
    add_answers(question, [10] * 9 + [0], date(2026, 4, 15))  # April 80.0
    add_answers(question, [10] * 5 + [0] * 5, date(2026, 5, 10))  # May 0.0
    add_answers(question, [10] * 10, date(2026, 6, 10))  # June 100.0
    snapshots_recompute()
    client.force_login(manager)

    may = card(client.get(URL_OVERVIEW, {"date_from": "2026-05-01", "date_to": "2026-05-31"}).content.decode(), "nps")
    june = card(client.get(URL_OVERVIEW, {"date_from": "2026-06-01", "date_to": "2026-06-30"}).content.decode(), "nps")

    assert 'data-verdict="worse"' in may and "text-danger" in may and "▼" in may and "worse" in may
    assert 'data-verdict="better"' in june and "text-success" in june and "▲" in june and "better" in june


def test_card_and_page_say_their_period(client, manager, db):
    client.force_login(manager)
    today = timezone.localdate()
    content = client.get(URL_OVERVIEW).content.decode()
    # By default the last finished month, the running one beside it.
    last_month_end = today.replace(day=1) - timedelta(days=1)
    expected = range_label(last_month_end.replace(day=1), last_month_end, today=today)
    assert expected in re.search(r'id="computed-at">.*?</p>', content, re.S)[0]
    assert expected in card(content, "nps")
    assert partial_label(today.replace(day=1), "month", today=today) in card(content, "nps")


def test_map_kpis_page_is_a_stage_by_touchpoint_heatmap(client, manager, db):
    from tests.journeys.factories import JourneyMapFactory, StageFactory

    journey_map = JourneyMapFactory(name="B2B")
    buy, support = StageFactory(journey_map=journey_map, name="Buy"), StageFactory(journey_map=journey_map, name="Help")
    shop = TouchpointFactory(stage=buy, name="Web shop")
    offer = TouchpointFactory(stage=buy, name="Offer")
    hotline = TouchpointFactory(stage=support, name="Hotline")
    today = timezone.localdate()
    add_answers(nps_question_at(shop), [10] * 9 + [0] * 3, today)  # 50.0, n 12
    add_answers(nps_question_at(hotline), [0, 0], today)  # n 2: too few
    snapshots_recompute()
    client.force_login(manager)

    content = client.get(f"/dashboards/maps/{journey_map.pk}/kpis/").content.decode()

    (heat,) = [f for f in _plots(content) if f["data"][0]["type"] == "heatmap"]
    low, values = heat["data"]
    assert values["x"] == ["Buy", "Help"]  # stages as columns, touchpoints stacked in them
    assert values["z"][0][0] == 0.75 and values["z"][0][1] is None  # 50 on −100…100; the hotline not coloured
    assert "<b>50.0</b>" in values["text"][0][0] and "Web shop" in values["text"][0][0]
    assert "n=12" in values["hovertext"][0][0]
    assert low["z"][0][1] == 0 and "too few answers" in low["text"][0][1] and "n=2" in low["hovertext"][0][1]
    assert "no answers" in low["text"][1][0] and offer.name in low["text"][1][0]
    assert 'id="touchpoint-kpis"' in content  # the table stays as the accessible fallback
    assert "Last 90 days: " in content

    csat = client.get(f"/dashboards/maps/{journey_map.pk}/kpis/", {"kpi": "csat"}).content.decode()
    assert 'aria-current="page" href="?kpi=csat"' in csat
