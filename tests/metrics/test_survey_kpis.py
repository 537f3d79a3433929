"""A survey's scores on the surveys pages: a summary with n, margin, the P/P/D split and a trend on its page, a
score column in the list — served by metrics as htmx fragments (surveys does not import metrics)."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from metrics.services import snapshots_recompute
from surveys.models import Question
from tests.journeys.factories import TouchpointFactory
from tests.metrics.factories import add_answers, nps_question_at
from tests.surveys.factories import QuestionFactory, SurveyFactory

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def surveys(db):
    """NPS survey: 12 answers 10 days ago (8 P, 2 Pa, 2 D → 50.0); CSAT survey: 3 answers; an empty survey."""
    day = timezone.localdate() - timedelta(days=10)
    nps = nps_question_at(TouchpointFactory(name="Web shop"))
    add_answers(nps, [10] * 8 + [8, 7] + [0, 3], day)
    csat = QuestionFactory(survey=SurveyFactory(title="Delivery"), kind=Question.Kind.CSAT)
    add_answers(csat, [5, 4, 1], day)
    empty = SurveyFactory(title="Nobody answered")
    snapshots_recompute()
    return {"nps": nps.survey, "csat": csat.survey, "empty": empty}


def test_survey_page_loads_its_summary_fragment(client, manager, surveys):
    client.force_login(manager)
    url = reverse("metrics:survey_kpis", args=[surveys["nps"].pk])

    page = client.get(reverse("surveys:survey_detail", args=[surveys["nps"].pk])).content.decode()

    assert f'hx-get="{url}" hx-trigger="load"' in page and f'<a href="{url}">' in page
    assert "plotly.min.js" in page


def test_summary_has_nps_with_n_margin_split_and_trend(client, manager, surveys):
    client.force_login(manager)

    content = client.get(reverse("metrics:survey_kpis", args=[surveys["nps"].pk]), **HX).content.decode()

    nps = re.search(r'data-kpi="nps">.*?</div></div>', content, re.S)[0]
    assert '<span class="kpi-value">50.0</span>' in nps and '<span class="kpi-n">12</span>' in nps
    assert '<span class="kpi-moe">' in nps
    split = re.search(r'id="nps-split-list">.*?</ul>', content, re.S)[0]
    assert "Promoters (9–10): <strong>8</strong> (66.7 %)" in split
    assert "Passives (7–8): <strong>2</strong> (16.7 %)" in split
    assert "Detractors (0–6): <strong>2</strong> (16.7 %)" in split
    assert 'id="nps-split"' in content and "data-cx-chart" in content
    assert "Last 365 days: " in content
    assert "<html" not in content  # a fragment


def test_summary_below_the_minimum_shows_no_value_and_no_shares(client, manager, surveys):
    client.force_login(manager)

    content = client.get(reverse("metrics:survey_kpis", args=[surveys["csat"].pk]), **HX).content.decode()

    assert "Not enough responses (n = 3, at least 10 needed)." in content
    assert "kpi-value" not in content and "data-cx-chart" not in content


def test_summary_without_answers_says_so(client, manager, surveys):
    client.force_login(manager)
    content = client.get(reverse("metrics:survey_kpis", args=[surveys["empty"].pk]), **HX).content.decode()
    assert "No answers in this period yet." in content


def test_list_has_a_score_column_filled_by_one_request(client, manager, surveys):
    client.force_login(manager)

    page = client.get(reverse("surveys:survey_list")).content.decode()
    scores = client.get(reverse("metrics:survey_scores"), **HX).content.decode()

    assert page.count('hx-get="/dashboards/surveys/scores/"') == 1
    for survey in surveys.values():
        assert f'<span id="survey-score-{survey.pk}"' in page
    cells = dict(
        re.findall(r'<span id="survey-score-(\d+)" class="survey-score" hx-swap-oob="true">(.*?)</span>\n', scores)
    )
    assert '<strong class="kpi-value">50.0</strong>' in cells[str(surveys["nps"].pk)]
    assert "NPS" in cells[str(surveys["nps"].pk)] and "n = 12" in cells[str(surveys["nps"].pk)]
    assert "CSAT: too few answers (n = 3)" in cells[str(surveys["csat"].pk)]
    assert "–" in cells[str(surveys["empty"].pk)]


def test_score_fragment_queries_do_not_grow_with_surveys(client, manager, surveys, django_assert_max_num_queries):
    client.force_login(manager)
    with django_assert_max_num_queries(8):
        client.get(reverse("metrics:survey_scores"), **HX)
    for _ in range(5):
        add_answers(nps_question_at(TouchpointFactory()), [10] * 10, timezone.localdate())
    snapshots_recompute()
    with django_assert_max_num_queries(8):
        client.get(reverse("metrics:survey_scores"), **HX)


def test_fragments_are_for_cx_managers(client, sales_member, surveys):
    client.force_login(sales_member)
    assert client.get(reverse("metrics:survey_scores")).status_code in (403, 404)
    assert client.get(reverse("metrics:survey_kpis", args=[surveys["nps"].pk])).status_code in (403, 404)


def test_surveys_does_not_import_metrics():
    for path in Path("surveys").rglob("*.py"):
        assert not re.search(r"^\s*(from|import) (metrics|actionplans)\b", path.read_text(), re.M), path
