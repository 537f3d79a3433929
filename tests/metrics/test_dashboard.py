"""The dashboard page: company value, per-touchpoint table, sample-size guard, escaping, constant queries."""

import html
import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from metrics.models import RecomputeRun
from metrics.services import snapshots_recompute
from surveys.models import Question
from tests.journeys.factories import CustomerFactory, JourneyMapFactory, StageFactory, TouchpointFactory
from tests.metrics.factories import add_answers, nps_question_at
from tests.surveys.factories import QuestionFactory, SurveyFactory

BERLIN = ZoneInfo("Europe/Berlin")
URL = "/dashboards/kpi/"
MAY = {"kpi": "nps", "date_from": "2026-05-01", "date_to": "2026-05-31", "bucket": "month"}


def table_row(content: str, touchpoint_name: str) -> str:
    rows = re.findall(r"<tr>.*?</tr>", content, flags=re.S)
    matching = [r for r in rows if f"<td>{html.escape(touchpoint_name)}</td>" in r]
    assert len(matching) == 1, f"no single table row for {touchpoint_name!r}"
    return matching[0]


@pytest.fixture
def two_touchpoints(db):
    """Website: 12 answers (8 P, 2 passives, 2 D → 50.0); Hotline: 3 answers (1 P, 2 D) — below the minimum."""
    big = TouchpointFactory(name="Website checkout", stage=StageFactory(name="Buy"))
    small = TouchpointFactory(name="Hotline", stage=StageFactory(name="Support"))
    add_answers(nps_question_at(big), [10, 10, 10, 10, 9, 9, 9, 9, 8, 7, 3, 0], date(2026, 5, 12))
    add_answers(nps_question_at(small), [10, 0, 0], date(2026, 5, 13))
    snapshots_recompute()
    return big, small


class TestDashboard:
    def test_shows_company_value_and_touchpoint_table(self, manager_client, two_touchpoints, settings):
        assert settings.CX_MIN_SAMPLE_SIZE == 10
        big, small = two_touchpoints

        response = manager_client.get(URL, MAY)

        assert response.status_code == 200
        content = response.content.decode()
        # Company: P 9, D 4 of 15 → 100·5/15 = 33.3
        assert re.search(r'id="company-value">\s*33\.3\s*<', content)
        assert "n = 15" in content
        assert 'id="touchpoint-table"' in content
        big_row = table_row(content, big.name)
        assert ">50.0<" in big_row
        # MoE: v = 10/12 − 0.5² = 7/12, 196·sqrt(7/144) = 43.2
        assert ">43.2<" in big_row
        assert ">12<" in big_row
        assert "<td>Buy</td>" in big_row
        assert "not enough responses" not in big_row

    def test_touchpoint_below_the_minimum_sample_shows_no_value(self, manager_client, two_touchpoints):
        _big, small = two_touchpoints

        content = manager_client.get(URL, MAY).content.decode()

        small_row = table_row(content, small.name)
        assert "not enough responses" in small_row
        assert "-33.3" not in small_row
        assert ">3<" in small_row  # n is still shown

    def test_minimum_sample_size_comes_from_the_setting(self, manager_client, two_touchpoints, settings):
        settings.CX_MIN_SAMPLE_SIZE = 3
        _big, small = two_touchpoints

        content = manager_client.get(URL, MAY).content.decode()

        assert ">-33.3<" in table_row(content, small.name)

    def test_company_below_the_minimum_sample(self, manager_client, db):
        add_answers(nps_question_at(TouchpointFactory()), [10, 9, 0], date(2026, 5, 2))
        snapshots_recompute()

        content = manager_client.get(URL, MAY).content.decode()

        assert "Not enough responses (n = 3, at least 10 needed)" in content
        assert 'id="company-value"' not in content

    def test_no_answers_in_the_period(self, manager_client, two_touchpoints):
        content = manager_client.get(URL, {**MAY, "date_from": "2026-07-01", "date_to": "2026-07-31"}).content.decode()

        assert "No answers in this period." in content
        assert 'id="touchpoint-table"' not in content

    def test_other_kpis(self, manager_client, db):
        question = QuestionFactory(kind=Question.Kind.CSAT, text="Satisfied?")
        add_answers(question, [5, 4, 4, 3, 1] * 2, date(2026, 5, 2))
        snapshots_recompute()

        content = manager_client.get(URL, {**MAY, "kpi": "csat"}).content.decode()

        assert "CSAT dashboard" in content
        assert re.search(r'id="company-value">\s*60\.0\s*<', content)

    def test_shows_when_the_kpis_were_last_computed(self, manager_client, two_touchpoints):
        run = RecomputeRun.objects.get()
        shown = timezone.localtime(run.finished_at).strftime("%Y-%m-%d %H:%M:%S")

        content = manager_client.get(URL, MAY).content.decode()

        computed_at = re.search(r'<p[^>]*id="computed-at".*?</p>', content, flags=re.S).group(0)
        assert shown in computed_at

    def test_says_when_the_kpis_were_never_computed(self, manager_client, db):
        content = manager_client.get(URL, MAY).content.decode()

        assert "not yet" in content

    @pytest.mark.parametrize(
        ("params", "error"),
        [
            ({"date_from": "2026-02-30"}, "Enter a valid date."),
            ({"date_from": "next week", "date_to": "2026-05-31"}, "Enter a valid date."),
            ({"date_from": "2026-06-01", "date_to": "2026-05-01"}, "must not be after"),
        ],
    )
    def test_bad_date_filter_shows_an_error_and_still_renders(self, manager_client, db, params, error):
        recent = timezone.localdate() - timedelta(days=3)
        add_answers(nps_question_at(TouchpointFactory(name="Web shop")), [10] * 12, recent)
        snapshots_recompute()

        response = manager_client.get(URL, {"kpi": "nps", **params})

        assert response.status_code == 200
        content = response.content.decode()
        assert error in content
        # The default period (the last year) is shown meanwhile.
        assert re.search(r'id="company-value">\s*100\.0\s*<', content)
        assert "Web shop" in content


class TestDashboardAccess:
    def test_anonymous_goes_to_the_login_page(self, client, db):
        response = client.get(URL)

        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_user_without_role_is_refused(self, client, django_user_model):
        client.force_login(django_user_model.objects.create_user(username="nobody", password="pw-nobody"))

        assert client.get(URL).status_code == 403

    def test_department_member_may_look(self, client, sales_member):
        client.force_login(sales_member)

        assert client.get(URL).status_code == 200


def test_text_from_the_map_and_respondents_is_escaped_in_html_and_plotly(manager_client, db, settings):
    settings.CX_MIN_SAMPLE_SIZE = 1
    journey_map = JourneyMapFactory(name='"><svg onload=alert("map")>')
    stage = StageFactory(journey_map=journey_map, name="<img src=x onerror=alert('stage')>")
    touchpoint = TouchpointFactory(stage=stage, name='<script>alert("tp")</script>')
    question = QuestionFactory(
        survey=SurveyFactory(touchpoint=touchpoint, title="<script>alert('survey')</script>"),
        kind=Question.Kind.NPS,
        text="<b>How likely</b>",
    )
    customer = CustomerFactory(name="</script><script>alert('respondent')</script>")
    add_answers(question, [10, 9, 0], date(2026, 5, 5), customer=customer)
    snapshots_recompute()

    response = manager_client.get(URL, MAY)

    content = response.content.decode()
    assert response.status_code == 200
    assert "data-cx-chart" in content  # the breakdown chart is drawn, with these names in its JSON
    for raw in (
        '<script>alert("tp")</script>',
        "<script>alert('survey')</script>",
        "<script>alert('respondent')</script>",
        "<img src=x onerror",
        "<svg onload",
    ):
        assert raw not in content
    blocks = re.findall(r"<script[^>]*>(.*?)</script>", content, flags=re.S)
    chart = next(b for b in blocks if '"xref":"paper"' in b)  # the per-touchpoint bars (numbers beside them)
    assert "&lt;script&gt;alert(&quot;tp&quot;)&lt;" in chart
    assert "&lt;img src=x onerror=alert(&#x27;stage&#x27;)&gt;" in chart
    for block in blocks:
        assert not re.search(r"<(script|img|svg)", block, flags=re.I)
    table = table_row(content, touchpoint.name)
    assert html.escape(touchpoint.name) in table
    assert html.escape(stage.name) in table
    assert html.escape(journey_map.name) in table


def test_number_of_queries_does_not_grow_with_the_data(manager_client, db):
    def queries() -> tuple[int, int]:
        snapshots_recompute()
        manager_client.get(URL, MAY)  # warm up the session
        with CaptureQueriesContext(connection) as ctx:
            response = manager_client.get(URL, MAY)
        assert response.status_code == 200
        touchpoint_rows = response.content.decode().split('id="touchpoint-table"')[1].count("<tr>") - 1
        return len(ctx), touchpoint_rows

    add_answers(nps_question_at(TouchpointFactory()), [10, 3] * 6, date(2026, 5, 4))
    small, small_rows = queries()
    for i in range(20):
        add_answers(nps_question_at(TouchpointFactory(stage=StageFactory())), [i % 11] * 15, date(2026, 5, 1 + i))

    large, large_rows = queries()

    assert (small_rows, large_rows) == (1, 21)
    assert large == small
