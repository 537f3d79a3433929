"""KPIs on the journey map (badges, felt vs measured) and on the persona page, served by metrics fragments."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from metrics import emotion
from metrics.selectors import dashboards
from metrics.services import snapshots_recompute, targets
from surveys.models import Question
from tests import chart_html
from tests.journeys.factories import CustomerFactory, JourneyMapFactory, PersonaFactory, StageFactory, TouchpointFactory
from tests.metrics.factories import add_answers, nps_question_at
from tests.surveys.factories import QuestionFactory, SurveyFactory

HX = {"HTTP_HX_REQUEST": "true"}


def question_at(touchpoint, kind):
    return QuestionFactory(survey=SurveyFactory(touchpoint=touchpoint), kind=kind)


@pytest.fixture
def lit_map(db):
    """Stage "Buy" (felt +2): CSAT 80 % and CES 5.5 on 10 answers each; "Support" has 3 NPS answers only."""
    journey_map = JourneyMapFactory(name="Spare parts")
    buy = StageFactory(journey_map=journey_map, name="Buy", position=0)
    support = StageFactory(journey_map=journey_map, name="Support", position=1)
    shop = TouchpointFactory(stage=buy, name="Web shop", emotion_score=2)
    hotline = TouchpointFactory(stage=support, name="Hotline", emotion_score=-1)
    day = timezone.localdate() - timedelta(days=2)
    add_answers(question_at(shop, Question.Kind.CSAT), [5, 5, 5, 4, 4, 4, 4, 4, 2, 1], day)  # 8 of 10: 80 %
    add_answers(question_at(shop, Question.Kind.CES), [7, 7, 6, 6, 5, 5, 5, 5, 5, 4], day)  # mean 5.5
    add_answers(question_at(shop, Question.Kind.NPS), [10] * 6 + [8] * 2 + [3] * 2, day)  # NPS 40.0
    add_answers(nps_question_at(hotline), [10, 0, 0], day)
    snapshots_recompute()
    return journey_map, shop, hotline


def test_measured_emotion_mapping():
    assert emotion.to_emotion("csat", 100) == 3 and emotion.to_emotion("csat", 50) == 0
    assert emotion.to_emotion("csat", 0) == -3
    assert emotion.to_emotion("ces", 7) == 3 and emotion.to_emotion("ces", 1) == -3
    assert emotion.to_emotion("ces", 4) == 0
    assert emotion.to_emotion("nps", 100) == 3 and emotion.to_emotion("nps", 0) == 0
    assert emotion.to_emotion("nps", -100) == -3 and emotion.to_emotion("nps", 40) == pytest.approx(1.2)


def test_fragment_has_badges_against_targets_and_the_measured_curve(client, manager, lit_map):
    journey_map, shop, hotline = lit_map
    targets.target_create(kpi="nps", value=50, scope_type="touchpoint", scope_key=str(shop.pk))
    targets.target_create(kpi="csat", value=75, scope_type="touchpoint", scope_key=str(shop.pk))
    client.force_login(manager)

    content = client.get(reverse("metrics:map_kpis", args=[journey_map.pk]), **HX).content.decode()

    shop_badges = re.search(rf'<div id="tp-kpis-{shop.pk}"[^>]*hx-swap-oob="true">(.*?)</div>', content, re.S).group(1)
    assert "NPS 40.0 · n = 10" in shop_badges and "below target 50" in shop_badges
    assert 'data-kpi="nps" data-status="missed"' in shop_badges and "text-bg-danger" in shop_badges
    assert "CSAT 80.0 · n = 10" in shop_badges and "target met" in shop_badges
    assert "CES 5.5 · n = 10" in shop_badges and 'data-status="no_target"' in shop_badges
    hotline_badges = re.search(rf'<div id="tp-kpis-{hotline.pk}"[^>]*>(.*?)</div>', content, re.S).group(1)
    assert "NPS: not enough responses (n = 3)" in hotline_badges
    # Measured for "Buy": NPS 40 → 1.2, CSAT 80 % → 1.8, CES 5.5 → 1.5, mean +1.5, each source named with its n;
    # felt +2. "Support" has 3 NPS answers only: no point.
    measured = re.findall(r'<td class="measured" data-stage="\d+">(.*?)</td>', content)
    assert re.search(r'<span class="measured-value">(.*?)</span>', measured[0]).group(1) == "+1.5"
    sources = re.findall(r'<span class="measured-source[^>]*>(.*?)</span>', measured[0])
    assert sources == ["NPS 40.0 from 10 answers", "CSAT 80.0 % from 10 answers", "CES 5.5 from 10 answers"]
    assert "not enough responses" in measured[1]
    felt = re.findall(r'<td class="felt">(.*?)</td>', content)
    assert felt == ["+2.0", "-1.0"]
    assert "data-cx-chart" in content


def test_measured_curve_value(lit_map):
    journey_map, _shop, _hotline = lit_map
    today = timezone.localdate()
    data = dashboards.map_kpis(map_id=journey_map.pk, date_from=today - timedelta(days=30), date_to=today)
    assert [c["felt"] for c in data["curve"]] == [2.0, -1.0]
    assert data["curve"][0]["measured"] == round((1.2 + 1.8 + 1.5) / 3, 1)
    assert [(s["kpi"], s["n"]) for s in data["curve"][0]["sources"]] == [("nps", 10), ("csat", 10), ("ces", 10)]
    assert data["curve"][1]["measured"] is None and data["curve"][1]["sources"] == []


@pytest.fixture
def nps_only_map(db):
    """Like demo maps 2 and 3: NPS surveys only, no CSAT or CES anywhere. "Start" has 12 NPS answers (NPS 50),
    "Chat" 10 (NPS −20), "Close" 9 (fewer than the minimum sample of 10)."""
    journey_map = JourneyMapFactory(name="IT consulting")
    day = timezone.localdate() - timedelta(days=2)
    stages = []
    for position, (name, scores) in enumerate(
        (
            ("Start", [10] * 7 + [8] * 4 + [2]),
            ("Chat", [9] * 2 + [7] * 4 + [0] * 4),
            ("Close", [10] * 9),
        )
    ):
        stage = StageFactory(journey_map=journey_map, name=name, position=position)
        add_answers(nps_question_at(TouchpointFactory(stage=stage, name=f"{name} touchpoint")), scores, day)
        stages.append(stage)
    snapshots_recompute()
    return journey_map, stages


def test_nps_alone_gives_measured_points_wherever_the_sample_suffices(nps_only_map):
    journey_map, _stages = nps_only_map
    today = timezone.localdate()

    curve = dashboards.map_kpis(map_id=journey_map.pk, date_from=today - timedelta(days=30), date_to=today)["curve"]

    assert [c["measured"] for c in curve] == [1.5, -0.6, None]  # NPS 50 → +1.5, NPS −20 → −0.6
    assert [[(s["label"], s["value"], s["n"]) for s in c["sources"]] for c in curve] == [
        [("NPS", 50.0, 12)],
        [("NPS", -20.0, 10)],
        [],
    ]


def test_map_without_csat_or_ces_draws_measured_points_whose_hover_names_source_and_n(client, manager, nps_only_map):
    journey_map, _stages = nps_only_map
    client.force_login(manager)

    content = client.get(reverse("metrics:map_kpis", args=[journey_map.pk]), **HX).content.decode()

    figure = chart_html.figures(content)[0]["data"]
    measured = next(trace for trace in figure if trace["name"] == "measured (survey answers)")
    assert measured["y"] == [1.5, -0.6, None]
    assert measured["hovertext"][0] == "Start: measured +1.5<br>NPS 50.0 from 12 answers"
    assert measured["hovertext"][1] == "Chat: measured -0.6<br>NPS -20.0 from 10 answers"
    assert "No stage has" not in content


def test_the_mapping_is_stated_in_words_with_the_minimum_sample(client, manager, settings, nps_only_map):
    settings.CX_MIN_SAMPLE_SIZE = 12
    client.force_login(manager)

    content = client.get(reverse("metrics:map_kpis", args=[nps_only_map[0].pk]), **HX).content.decode()

    explained = re.search(r'<p class="small text-muted mb-1" id="felt-measured-explained">(.*?)</p>', content).group(1)
    for words in ("NPS −100 … +100 (0 is neutral)", "CSAT 0 … 100 % satisfied", "CES 1 … 7", "at least 12 answers"):
        assert words in explained
    assert "(p − 50)" not in content and "m − 4" not in content  # no formula
    measured = re.findall(r'<td class="measured" data-stage="\d+">(.*?)</td>', content)
    assert "NPS 50.0 from 12 answers" in measured[0]
    assert "not enough responses" in measured[1]  # 10 answers are fewer than 12 now


def test_without_any_measured_point_the_measured_curve_and_its_legend_are_left_out(client, manager, settings, lit_map):
    settings.CX_MIN_SAMPLE_SIZE = 50
    client.force_login(manager)

    content = client.get(reverse("metrics:map_kpis", args=[lit_map[0].pk]), **HX).content.decode()

    assert "measured (survey answers)" not in content and "felt (the team" in content
    assert 'id="felt-measured-none"' in content


def test_badges_link_to_the_responses_behind_them(client, manager, lit_map):
    journey_map, shop, _hotline = lit_map
    client.force_login(manager)

    content = client.get(reverse("metrics:map_kpis", args=[journey_map.pk]), **HX).content.decode()

    href = re.search(rf'<div id="tp-kpis-{shop.pk}".*?href="([^"]+)"', content, re.S).group(1).replace("&amp;", "&")
    url = urlparse(href)
    assert url.path == reverse("surveys:response_list")
    query = parse_qs(url.query)
    today = timezone.localdate()
    assert query["touchpoint"] == [str(shop.pk)]
    assert query["date_to"] == [today.isoformat()]
    assert query["date_from"] == [(today - timedelta(days=89)).isoformat()]
    assert client.get(href).status_code == 200


def test_map_page_loads_the_fragment_with_a_plain_link_fallback(client, manager, lit_map):
    journey_map, shop, _hotline = lit_map
    client.force_login(manager)

    page = client.get(reverse("journeys:map_detail", args=[journey_map.pk])).content.decode()

    url = reverse("metrics:map_kpis", args=[journey_map.pk])
    assert f'hx-get="{url}" hx-trigger="load"' in page
    assert f'<a class="small" href="{url}">' in page
    assert f'id="tp-kpis-{shop.pk}"' in page
    full = client.get(url).content.decode()  # without htmx: a whole page
    assert "<html" in full and "NPS 40.0" in full


def test_fragment_queries_do_not_grow_with_the_map(client, manager, db):
    def count(journey_map):
        url = reverse("metrics:map_kpis", args=[journey_map.pk])
        client.get(url, **HX)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, **HX).status_code == 200
        return len(ctx)

    client.force_login(manager)
    small = JourneyMapFactory()
    tp = TouchpointFactory(stage=StageFactory(journey_map=small))
    add_answers(nps_question_at(tp), [10] * 10, timezone.localdate())
    big = JourneyMapFactory()
    for _ in range(4):
        stage = StageFactory(journey_map=big)
        for _ in range(5):
            tp = TouchpointFactory(stage=stage)
            add_answers(nps_question_at(tp), [9, 3] * 10, timezone.localdate())
            add_answers(question_at(tp, Question.Kind.CSAT), [5] * 12, timezone.localdate())
            targets.target_create(kpi="nps", value=0, scope_type="touchpoint", scope_key=str(tp.pk))
    snapshots_recompute()

    assert count(big) == count(small)


def test_user_text_is_escaped_in_badges_and_chart(client, manager, settings, db):
    settings.CX_MIN_SAMPLE_SIZE = 1
    journey_map = JourneyMapFactory()
    stage = StageFactory(journey_map=journey_map, name="<img src=x onerror=alert('stage')>")
    tp = TouchpointFactory(stage=stage, name='<script>alert("tp")</script>', emotion_score=1)
    add_answers(question_at(tp, Question.Kind.CSAT), [5, 4], timezone.localdate())
    snapshots_recompute()
    client.force_login(manager)

    for content in (
        client.get(reverse("metrics:map_kpis", args=[journey_map.pk]), **HX).content.decode(),
        client.get(reverse("metrics:map_kpis", args=[journey_map.pk])).content.decode(),
    ):
        assert "<img src=x" not in content and '<script>alert("tp")' not in content
        for block in re.findall(r"<script[^>]*>(.*?)</script>", content, flags=re.S):
            assert not re.search(r"<(script|img|svg)", block, flags=re.I)
        assert "&lt;img src=x onerror=alert(&#x27;stage&#x27;)&gt;" in content


def test_department_member_may_read_the_fragment(client, sales_member, lit_map):
    client.force_login(sales_member)
    assert client.get(reverse("metrics:map_kpis", args=[lit_map[0].pk]), **HX).status_code == 200


# ---------------------------------------------------------------- personas


def test_persona_fragment_shows_the_segment_kpis(client, manager, db):
    persona = PersonaFactory(name="IT lead")
    question = nps_question_at(TouchpointFactory())
    add_answers(
        question,
        [10] * 8 + [0] * 4,
        timezone.localdate() - timedelta(days=3),
        customer=CustomerFactory(persona=persona),
    )
    add_answers(question, [0] * 20, timezone.localdate() - timedelta(days=3))  # not the persona's customers
    snapshots_recompute()
    targets.target_create(kpi="nps", value=20, scope_type="persona", scope_key=str(persona.pk))
    client.force_login(manager)

    page = client.get(reverse("journeys:persona_detail", args=[persona.pk])).content.decode()
    url = reverse("metrics:persona_kpis", args=[persona.pk])
    assert f'hx-get="{url}"' in page and f'href="{url}"' in page

    content = client.get(url, **HX).content.decode()
    nps = re.search(r'<dd class="col-6 mb-1" data-kpi="nps">(.*?)</dd>', content, re.S).group(1)
    assert '<span class="kpi-value">33.3</span>' in nps and "n = 12" in nps  # 8 P, 4 D of 12
    assert "target met" in nps
