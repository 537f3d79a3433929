"""The breakdown page: sorted bars with n, low-n rows marked, click-through links, stage × KPI heatmap."""

import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from metrics import charts
from metrics.selectors import breakdown as dashboards
from metrics.services import snapshots_recompute
from metrics.views import breakdown as breakdown_views
from surveys.models import Question
from tests.helpers import assert_signed_in_staff_only, get_queries
from tests.journeys.factories import JourneyMapFactory, StageFactory, TouchpointFactory
from tests.metrics.factories import add_answers, nps_question_at
from tests.surveys.factories import QuestionFactory, SurveyFactory

URL = "/dashboards/breakdown/"
MAY = {"kpi": "nps", "from": "2026-05-01", "to": "2026-05-31"}


@pytest.fixture
def journey(db):
    """One map: stage Buy (Website checkout: 12 NPS answers → 50.0; 10 CSAT answers, 7 of 4–5 → 70.0),
    stage Support (Hotline: 3 NPS answers, 1 P 2 D → below the minimum of 10)."""
    journey_map = JourneyMapFactory(name="Online shop")
    buy = StageFactory(name="Buy", journey_map=journey_map, position=1)
    support = StageFactory(name="Support", journey_map=journey_map, position=2)
    big = TouchpointFactory(name="Website checkout", stage=buy, channel="website")
    small = TouchpointFactory(name="Hotline", stage=support, channel="phone")
    add_answers(nps_question_at(big), [10, 10, 10, 10, 9, 9, 9, 9, 8, 7, 3, 0], date(2026, 5, 12))
    add_answers(nps_question_at(small), [10, 0, 0], date(2026, 5, 13))
    csat = QuestionFactory(survey=SurveyFactory(touchpoint=big), kind=Question.Kind.CSAT)
    add_answers(csat, [5, 5, 4, 4, 4, 5, 4, 3, 2, 1], date(2026, 5, 14))
    snapshots_recompute()
    return {"map": journey_map, "buy": buy, "support": support, "big": big, "small": small}


def _rows(**kwargs):
    params = {"kpi": "nps", "by": "touchpoint", "date_from": date(2026, 5, 1), "date_to": date(2026, 5, 31)}
    return dashboards.breakdown(**{**params, **kwargs})


def _query(url: str) -> dict:
    parts = urlsplit(url)
    return {"path": parts.path, **{k: v[0] for k, v in parse_qs(parts.query).items()}}


def test_rows_sorted_with_n_and_low_n_marked_not_hidden(journey):
    rows = _rows()
    assert [(r["name"], r["result"].value, r["result"].n, r["enough"]) for r in rows] == [
        ("Website checkout", 50.0, 12, True),
        ("Hotline", -33.3, 3, False),
    ]
    assert rows[0]["context"] == "Online shop › Buy"


def test_by_stage_and_channel(journey):
    assert [(r["name"], r["result"].n) for r in _rows(by="stage")] == [("Buy", 12), ("Support", 3)]
    assert [(r["name"], r["result"].n) for r in _rows(by="channel")] == [("Website", 12), ("Phone", 3)]
    assert [r["name"] for r in _rows(stage_id=journey["support"].pk)] == ["Hotline"]
    assert [r["name"] for r in _rows(channel="website")] == ["Website checkout"]


def test_page_table_bars_and_click_through(client, manager, journey):
    client.force_login(manager)

    content = client.get(URL, MAY).content.decode()

    table = re.search(r'<table class="table table-sm align-middle" id="breakdown-table">.*?</table>', content, re.S)[0]
    assert table.index("Website checkout") < table.index("Hotline")
    hotline = re.search(rf"<tr data-key=\"{journey['small'].pk}\">.*?</tr>", table, re.S)[0]
    assert "not enough responses" in hotline and ">3</a>" in hotline
    links = [_query(h.replace("&amp;", "&")) for h in re.findall(r'href="([^"]+)"', table)]
    web = {"path": "/surveys/responses/", "touchpoint": str(journey["big"].pk)}
    assert {**web, "date_from": "2026-05-01", "date_to": "2026-05-31"} in links
    assert {**web, "date_from": "2026-05-01", "date_to": "2026-05-31", "band": "detractor"} in links
    fig = charts.breakdown_figure(_rows(), "nps")
    # The numbers stand beside the plot (never on a bar under its error bar); the low-n row has no bar.
    assert [a.text for a in fig.layout.annotations] == ["50.0 ± 43.2 (n=12)", "not enough responses (n=3)"]
    assert list(fig.data[0].x) == [50.0, None] and fig.data[0].text is None


def test_click_through_for_csat_low_band_and_stage(journey):
    rows = _rows(kpi="csat")
    links = breakdown_views.row_links(
        rows[0], kpi="csat", by="touchpoint", date_from=date(2026, 5, 1), date_to=date(2026, 5, 31)
    )
    assert _query(links["low"])["band"] == "low"
    stage = _rows(by="stage")[0]
    links = breakdown_views.row_links(
        stage, kpi="nps", by="stage", date_from=date(2026, 5, 1), date_to=date(2026, 5, 31)
    )
    assert _query(links["value"]) == {
        "path": "/dashboards/breakdown/",
        "kpi": "nps",
        "by": "touchpoint",
        "stage": str(journey["buy"].pk),
        "from": "2026-05-01",
        "to": "2026-05-31",
    }


def test_heatmap_cells(client, manager, journey):
    heatmap = dashboards.stage_heatmap(map_id=journey["map"].pk, date_from=date(2026, 5, 1), date_to=date(2026, 5, 31))
    assert [k["kpi"] for k in heatmap["kpis"]] == ["nps", "csat", "ces", "conversion_rate"]
    buy, support = heatmap["rows"]
    assert buy["stage"].name == "Buy"
    cells = {c["kpi"]: c for c in buy["cells"]}
    assert (cells["nps"]["result"].value, cells["nps"]["result"].n) == (50.0, 12)
    assert (cells["csat"]["result"].value, cells["csat"]["result"].n) == (70.0, 10)
    assert cells["nps"]["level"] == 0.75 and cells["ces"]["result"] is None
    assert not {c["kpi"]: c for c in support["cells"]}["nps"]["enough"]

    client.force_login(manager)
    content = client.get(URL, {**MAY, "map": journey["map"].pk}).content.decode()
    grid = re.search(r'<table[^>]*id="stage-heatmap">.*?</table>', content, re.S)[0]
    nps_cell = re.search(r'<td class="heat-cell" data-kpi="nps" style="background-color: hsl\(90.*?</td>', grid, re.S)[
        0
    ]
    assert "<strong>50.0</strong>" in nps_cell and "n = 12" in nps_cell
    assert f"stage={journey['buy'].pk}" in nps_cell and "by=touchpoint" in nps_cell
    assert "not enough responses" in grid and "<strong>70.0</strong>" in grid


def test_names_are_escaped(client, manager, journey):
    journey["big"].name = "<b>Checkout</b>"
    journey["big"].save()
    journey["buy"].name = "<script>alert(1)</script>"
    journey["buy"].save()
    client.force_login(manager)

    for by in ("touchpoint", "stage"):
        content = client.get(URL, {**MAY, "by": by}).content.decode()
        assert "<b>Checkout</b>" not in content and "<script>alert(1)</script>" not in content
        assert "&lt;script&gt;" in content
    fig = charts.breakdown_figure(_rows(), "nps")
    assert "&lt;b&gt;Checkout&lt;/b&gt;" in fig.data[0].y[0]


def test_permissions(client, django_user_model, sales_member, db):
    nobody = django_user_model.objects.create_user("nobody")
    assert_signed_in_staff_only(client, URL, nobody=nobody, member=sales_member)


@pytest.mark.parametrize("by", ["touchpoint", "stage", "persona", "channel"])
def test_query_count_does_not_grow_with_touchpoints_or_answers(client, manager, journey, by):
    client.force_login(manager)
    params = {**MAY, "by": by, "map": journey["map"].pk}
    few = get_queries(client, URL, params)
    for i in range(5):
        tp = TouchpointFactory(stage=StageFactory(journey_map=journey["map"]), name=f"Extra {i}")
        add_answers(nps_question_at(tp), [10, 9, 3] * 10, date(2026, 5, 20))
    snapshots_recompute()
    assert get_queries(client, URL, params) == few
