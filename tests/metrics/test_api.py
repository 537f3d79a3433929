"""GET /api/v1/metrics/: the documented answer shape, exact numbers, 400s for bad input, constant queries."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from metrics.models import RecomputeRun
from metrics.services import snapshots_recompute
from surveys.models import Question
from tests.journeys.factories import CustomerFactory, PersonaFactory, TouchpointFactory
from tests.metrics.factories import add_scored_days
from tests.surveys.factories import QuestionFactory, SurveyFactory

BERLIN = ZoneInfo("Europe/Berlin")
URL = "/api/v1/metrics/"


@pytest.fixture
def touchpoint_with_answers(db):
    """January: 5 promoters, 3 passives, 2 detractors; February: 1 promoter, 1 detractor.

    Another touchpoint's answers in the same months must not count.
    """
    touchpoint = TouchpointFactory(name="Checkout")
    question = QuestionFactory(survey=SurveyFactory(touchpoint=touchpoint), kind=Question.Kind.NPS)
    january = [10, 10, 9, 9, 9, 8, 7, 7, 6, 0]
    add_scored_days(question, [(s, date(2026, 1, 5 + i)) for i, s in enumerate(january)])
    add_scored_days(question, [(10, date(2026, 2, 3)), (2, date(2026, 2, 27))])
    other = QuestionFactory(kind=Question.Kind.NPS)
    add_scored_days(other, [(0, date(2026, 1, 10))] * 5)
    snapshots_recompute()
    return touchpoint


class TestMetricsShape:
    def test_touchpoint_nps_by_month(self, api_client, touchpoint_with_answers):
        tp = touchpoint_with_answers

        response = api_client.get(
            URL, {"kpi": "nps", "touchpoint": tp.pk, "from": "2026-01-01", "to": "2026-02-28", "bucket": "month"}
        )

        assert response.status_code == 200, response.content
        body = response.json()
        # DESIGN.md's keys, plus the bucket asked for and when the snapshots were computed.
        assert set(body) == {"kpi", "scope", "from", "to", "total", "results", "bucket", "computed_at"}
        assert body["kpi"] == "nps"
        assert body["scope"] == {"type": "touchpoint", "id": str(tp.pk)}
        assert body["from"] == "2026-01-01"
        assert body["to"] == "2026-02-28"
        assert body["bucket"] == "month"
        # Whole period: P 6, passives 3, D 3 of 12 → NPS 25.0; v = 9/12 − 0.25² = 0.6875,
        # MoE = 1.96·100·sqrt(0.6875/12) = 46.9.
        assert body["total"] == {"value": 25.0, "n": 12, "margin_of_error": 46.9}
        assert body["results"] == [
            # 5 P, 3 passives, 2 D: v = 0.7 − 0.3² = 0.61, MoE = 196·sqrt(0.061) = 48.4
            {"period_start": "2026-01-01", "value": 30.0, "n": 10, "margin_of_error": 48.4},
            # 1 P, 1 D: v = 1, MoE = 196·sqrt(1/2) = 138.6
            {"period_start": "2026-02-01", "value": 0.0, "n": 2, "margin_of_error": 138.6},
        ]

    def test_computed_at_is_the_last_run(self, api_client, touchpoint_with_answers):
        run = RecomputeRun.objects.get()

        body = api_client.get(URL, {"kpi": "nps", "from": "2026-01-01", "to": "2026-01-31"}).json()

        assert body["computed_at"] is not None
        assert datetime.fromisoformat(body["computed_at"]) == run.finished_at

    def test_company_scope_by_default(self, api_client, touchpoint_with_answers):
        body = api_client.get(URL, {"kpi": "nps", "from": "2026-01-01", "to": "2026-01-31"}).json()

        assert body["scope"] == {"type": "company", "id": None}
        # January, both touchpoints: P 5, D 2 + 5 of 15 → 100·(5 − 7)/15
        assert body["total"]["n"] == 15
        assert body["total"]["value"] == -13.3
        assert body["bucket"] == "month"

    def test_week_buckets(self, api_client, touchpoint_with_answers):
        tp = touchpoint_with_answers

        body = api_client.get(
            URL, {"kpi": "nps", "touchpoint": tp.pk, "from": "2026-02-01", "to": "2026-02-28", "bucket": "week"}
        ).json()

        # 3 Feb is a Tuesday (week of 2 Feb), 27 Feb a Friday (week of 23 Feb).
        assert [(r["period_start"], r["n"], r["value"]) for r in body["results"]] == [
            ("2026-02-02", 1, 100.0),
            ("2026-02-23", 1, -100.0),
        ]
        assert body["total"] == {"value": 0.0, "n": 2, "margin_of_error": 138.6}

    def test_persona_scope(self, api_client, db):
        persona = PersonaFactory()
        question = QuestionFactory(kind=Question.Kind.NPS)
        add_scored_days(
            question, [(10, date(2026, 3, 2)), (9, date(2026, 3, 3))], customer=CustomerFactory(persona=persona)
        )
        add_scored_days(question, [(0, date(2026, 3, 2))], customer=CustomerFactory())
        snapshots_recompute()

        body = api_client.get(
            URL, {"kpi": "nps", "persona": persona.pk, "from": "2026-03-01", "to": "2026-03-31"}
        ).json()

        assert body["scope"] == {"type": "persona", "id": str(persona.pk)}
        assert body["total"] == {"value": 100.0, "n": 2, "margin_of_error": 0.0}

    def test_channel_scope_uses_the_channel_name(self, api_client, touchpoint_with_answers):
        body = api_client.get(
            URL, {"kpi": "nps", "channel": "website", "from": "2026-02-01", "to": "2026-02-28"}
        ).json()

        assert body["scope"] == {"type": "channel", "id": "website"}
        assert body["total"]["n"] == 2

    def test_no_data_has_null_value_and_zero_n(self, api_client, db):
        response = api_client.get(URL, {"kpi": "csat", "from": "2025-01-01", "to": "2025-12-31", "bucket": "quarter"})

        assert response.status_code == 200
        body = response.json()
        assert body["total"] == {"value": None, "n": 0, "margin_of_error": None}
        assert body["results"] == []
        assert body["computed_at"] is None

    def test_default_period_is_the_last_year_to_today(self, api_client, db):
        body = api_client.get(URL, {"kpi": "nps"}).json()

        to = date.fromisoformat(body["to"])
        assert date.fromisoformat(body["from"]) == to - timedelta(days=364)


class TestMetricsBadInput:
    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"kpi": "foo"}, "kpi"),
            ({}, "kpi"),
            ({"kpi": "nps", "bucket": "year"}, "bucket"),
            ({"kpi": "nps", "from": "2026-03-01", "to": "2026-02-01"}, "from"),
            ({"kpi": "nps", "touchpoint": 1, "stage": 2}, "scope"),
            ({"kpi": "nps", "from": "2026-13-01"}, "from"),
            ({"kpi": "nps", "to": "yesterday"}, "to"),
            ({"kpi": "nps", "touchpoint": "abc"}, "touchpoint"),
            ({"kpi": "nps", "channel": "fax"}, "channel"),
            ({"kpi": "nps", "from": "2000-01-01", "to": "2026-01-01"}, "from"),
        ],
    )
    def test_answers_400_with_a_field_error(self, api_client, params, field):
        response = api_client.get(URL, params)

        assert response.status_code == 400, response.content
        body = response.json()
        assert field in body, body
        assert body[field]  # a message, not an empty list

    def test_bad_input_changes_nothing(self, api_client, touchpoint_with_answers):
        runs = RecomputeRun.objects.count()

        api_client.get(URL, {"kpi": "foo"})

        assert RecomputeRun.objects.count() == runs


class TestMetricsAccess:
    def test_anonymous_is_refused(self, client, db):
        assert client.get(URL, {"kpi": "nps"}).status_code in (401, 403)

    def test_key_without_metrics_scope_is_refused(self, db, api_client_for):
        assert api_client_for(["journeys:read"]).get(URL, {"kpi": "nps"}).status_code == 403

    def test_key_with_metrics_read_scope(self, db, api_client_for):
        assert api_client_for(["metrics:read"]).get(URL, {"kpi": "nps"}).status_code == 200

    def test_cx_manager_session(self, client, manager):
        client.force_login(manager)

        assert client.get(URL, {"kpi": "nps"}).status_code == 200


def test_number_of_queries_does_not_grow_with_the_data(api_client, db):
    tp = TouchpointFactory()
    question = QuestionFactory(survey=SurveyFactory(touchpoint=tp), kind=Question.Kind.NPS)
    params = {"kpi": "nps", "touchpoint": tp.pk, "from": "2025-01-01", "to": "2026-06-30", "bucket": "week"}

    def queries_for_request() -> tuple[int, dict]:
        snapshots_recompute()
        api_client.get(URL, params)  # warm up (the key's last-used time is written at most once a minute)
        with CaptureQueriesContext(connection) as ctx:
            response = api_client.get(URL, params)
        assert response.status_code == 200
        return len(ctx), response.json()

    add_scored_days(question, [(i % 11, date(2025, 1, 1) + timedelta(days=i)) for i in range(10)])
    small, small_body = queries_for_request()
    add_scored_days(question, [(i % 11, date(2025, 1, 1) + timedelta(days=i)) for i in range(490)])
    large, large_body = queries_for_request()

    assert small_body["total"]["n"] == 10
    assert large_body["total"]["n"] == 500
    assert len(large_body["results"]) > len(small_body["results"])
    assert large == small
